//! The sabaplot demo server: the host page, the npm package and a
//! Mackerel-compatible metrics API and a Prometheus-compatible query_range
//! over deterministic 460-day 1-minute data.
//! Binds to 127.0.0.1 unless told otherwise; port from PORT (0 picks a free one).

mod faults;
mod files;
mod generator;
mod hourly;
mod http;
mod mackerel;
mod openmetrics;
mod prometheus;
mod proxy;

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::{SystemTime, UNIX_EPOCH};

use faults::Faults;
use mackerel::Reply;
use proxy::Proxy;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("openmetrics") {
        if let Err(e) = openmetrics::main(&args[1..]) {
            eprintln!("{e}");
            std::process::exit(2);
        }
        return;
    }
    let host = std::env::var("SABAPLOT_BIND").unwrap_or_else(|_| "127.0.0.1".to_string());
    let port: u16 = match std::env::var("PORT").map(|p| p.parse()) {
        Err(_) => 8080,
        Ok(Ok(port)) => port,
        Ok(Err(_)) => {
            eprintln!("PORT must be a number from 0 to 65535");
            std::process::exit(2);
        }
    };
    let root = std::env::var_os("SABAPLOT_ROOT").map_or_else(|| PathBuf::from("."), PathBuf::from);
    let faults = match Faults::from_env(std::env::var("SABAPLOT_FAULTS").ok().as_deref()) {
        Ok(faults) => faults,
        Err(e) => {
            eprintln!("SABAPLOT_FAULTS: {e}");
            std::process::exit(2);
        }
    };
    let proxy = match Proxy::from_env(
        std::env::var("SABAPLOT_MACKEREL_URL").ok(),
        std::env::var("MACKEREL_APIKEY").ok(),
    ) {
        Ok(proxy) => proxy,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    // The key is optional: with it, the demo API asks for it like Mackerel.
    let required_key = std::env::var("SABAPLOT_REQUIRE_API_KEY")
        .ok()
        .filter(|k| !k.is_empty());
    let listener = match TcpListener::bind((host.as_str(), port)) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("cannot listen on {host}:{port}: {e}");
            std::process::exit(1);
        }
    };
    let port = listener.local_addr().map_or(port, |a| a.port());
    thread::spawn(|| hourly::warm_up(now()));
    println!("sabaplot demo: http://{host}:{port}/");
    if let Some(proxy) = &proxy {
        println!("/api/v0/ is forwarded to {}", proxy.base());
    }
    let _ = std::io::stdout().flush();
    http::serve(
        listener,
        Arc::new(move |request: &http::Request| {
            let api = Api {
                proxy: proxy.as_ref(),
                required_key: required_key.as_deref(),
            };
            handle(&root, &faults, &api, request)
        }),
    );
}

/// How `/api/v0/` is answered: forwarded, or by the demo data (optionally
/// asking for an API key, as Mackerel does).
struct Api<'a> {
    proxy: Option<&'a Proxy>,
    required_key: Option<&'a str>,
}

fn handle(root: &Path, faults: &Faults, api: &Api, request: &http::Request) -> Reply {
    let url = request.target.as_str();
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    if path == "/_faults" && request.method == "POST" {
        return match std::str::from_utf8(&request.body) {
            Ok(rules) => faults.replace(rules),
            Err(_) => Reply::error(400, "the fault rules must be UTF-8 text"),
        };
    }
    let reply = if request.method != "GET" {
        Reply::error(405, "Method Not Allowed.")
    } else if let Some(api_path) = path.strip_prefix("/api/v0/") {
        match (api.proxy, api.required_key) {
            (Some(proxy), _) => proxy.forward(&url["/api/v0/".len()..]),
            (None, Some(key)) if request.header("x-api-key") != Some(key) => Reply::error(
                401,
                "Authentication failed. Please try again after logging in.",
            ),
            (None, _) => mackerel::answer(api_path, query, now()),
        }
    } else if path == "/api/v1/query_range" {
        prometheus::query_range(query, now())
    } else if let Some(label) = path
        .strip_prefix("/api/v1/label/")
        .and_then(|p| p.strip_suffix("/values"))
    {
        prometheus::label_values(label)
    } else {
        files::answer(root, path)
    };
    if !path.starts_with("/api/") {
        return reply;
    }
    let plan = faults.plan(url);
    if let Some(delay) = plan.delay {
        thread::sleep(delay);
    }
    plan.apply(reply)
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
