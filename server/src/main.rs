//! The sabaplot demo server: the host page, the npm package and a
//! Mackerel-compatible metrics API and a Prometheus-compatible query_range
//! over deterministic 460-day 1-minute data.
//! Binds to 127.0.0.1 unless told otherwise; port from PORT (0 picks a free one).

mod app;
mod budget;
mod clock;
mod export;
mod faults;
mod generator;
mod hourly;
mod mackerel;
mod openmetrics;
mod prometheus;
mod proxy;
mod reply;
mod serve;

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use axum::http::HeaderValue;

use faults::Faults;
use proxy::Proxy;

/// A command of the server's other than serving: its arguments, or why not.
type Tool = fn(&[String]) -> Result<(), String>;

fn main() {
    if let Err(e) = clock::pin_from_env() {
        fail(2, &e);
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    // The data as files for real engines: `openmetrics` for Prometheus'
    // backfill, `export` for VictoriaMetrics' import.
    let tool: Option<Tool> = match args.first().map(String::as_str) {
        Some("openmetrics") => Some(openmetrics::main),
        Some("export") => Some(export::main),
        _ => None,
    };
    if let Some(tool) = tool {
        if let Err(e) = tool(&args[1..]) {
            fail(2, &e);
        }
        return;
    }
    let host = std::env::var("SABAPLOT_BIND").unwrap_or_else(|_| "127.0.0.1".to_string());
    let port: u16 = match std::env::var("PORT").map(|p| p.parse()) {
        Err(_) => 8080,
        Ok(Ok(port)) => port,
        Ok(Err(_)) => fail(2, "PORT must be a number from 0 to 65535"),
    };
    let number = |name: &str, default: u64, range: std::ops::RangeInclusive<u64>| -> u64 {
        match std::env::var(name) {
            Err(_) => default,
            Ok(text) => text
                .parse()
                .ok()
                .filter(|n| range.contains(n))
                .unwrap_or_else(|| {
                    fail(
                        2,
                        &format!(
                            "{name} must be a number from {} to {}, got {text:?}",
                            range.start(),
                            range.end()
                        ),
                    )
                }),
        }
    };
    let budget = Duration::from_millis(number("SABAPLOT_REQUEST_BUDGET_MS", 10_000, 1..=600_000));
    let limits = serve::Limits {
        max_connections: number("SABAPLOT_MAX_CONNECTIONS", 1_024, 1..=100_000) as usize,
        header_read: Duration::from_secs(number("SABAPLOT_HEADER_TIMEOUT_S", 10, 1..=3_600)),
        max_head: 64 * 1024,
        drain: Duration::from_secs(5),
    };
    let faults = Faults::from_env(std::env::var("SABAPLOT_FAULTS").ok().as_deref())
        .unwrap_or_else(|e| fail(2, &format!("SABAPLOT_FAULTS: {e}")));
    let proxy = Proxy::from_env(
        std::env::var("SABAPLOT_MACKEREL_URL").ok(),
        std::env::var("MACKEREL_APIKEY").ok(),
    )
    .unwrap_or_else(|e| fail(2, &e));
    let cors_origin = std::env::var("SABAPLOT_CORS_ORIGIN")
        .ok()
        .filter(|o| !o.is_empty())
        .map(|origin| {
            HeaderValue::from_str(&origin)
                .ok()
                .filter(|_| origin.starts_with("http://") || origin.starts_with("https://"))
                .filter(|_| !origin.contains(['*', ' ', ',']))
                .unwrap_or_else(|| {
                    fail(
                        2,
                        &format!(
                            "SABAPLOT_CORS_ORIGIN must be one origin such as http://localhost:5173, got {origin:?}"
                        ),
                    )
                })
        });
    let config = app::Config {
        root: std::env::var_os("SABAPLOT_ROOT").map_or_else(|| PathBuf::from("."), PathBuf::from),
        faults,
        proxy,
        // The key is optional: with it, the demo API asks for it like Mackerel.
        required_key: std::env::var("SABAPLOT_REQUIRE_API_KEY")
            .ok()
            .filter(|k| !k.is_empty()),
        budget,
        cors_origin,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| fail(1, &format!("cannot start the async runtime: {e}")));
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind((host.as_str(), port))
            .await
            .unwrap_or_else(|e| fail(1, &format!("cannot listen on {host}:{port}: {e}")));
        let port = listener.local_addr().map_or(port, |a| a.port());
        std::thread::spawn(|| hourly::warm_up(clock::now()));
        println!("sabaplot demo: http://{host}:{port}/");
        if let Some(now) = clock::pinned() {
            println!("the demo's clock is pinned to {now} (SABAPLOT_NOW)");
        }
        if let Some(proxy) = &config.proxy {
            println!("/api/v0/ is forwarded to {}", proxy.base());
        }
        let _ = std::io::stdout().flush();
        serve::serve(listener, app::router(config), limits, serve::stop_signal()).await;
    });
}

/// Says why on stderr and exits with `code`.
fn fail(code: i32, message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(code)
}
