//! The sabaplot demo server: the host page, the npm package and a
//! Mackerel-compatible metrics API and a Prometheus-compatible query_range
//! over deterministic 460-day 1-minute data.
//! Binds to 127.0.0.1 unless told otherwise; port from PORT (0 picks a free one).

mod faults;
mod files;
mod generator;
mod mackerel;
mod prometheus;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::{SystemTime, UNIX_EPOCH};

use tiny_http::{Header, Method, Request, Response, Server};

use faults::Faults;
use mackerel::Reply;

/// Enough for a loader's six requests in flight plus the page.
const WORKERS: usize = 8;

fn main() {
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
        Ok(faults) => Arc::new(faults),
        Err(e) => {
            eprintln!("SABAPLOT_FAULTS: {e}");
            std::process::exit(2);
        }
    };
    let server = match Server::http((host.as_str(), port)) {
        Ok(server) => Arc::new(server),
        Err(e) => {
            eprintln!("cannot listen on {host}:{port}: {e}");
            std::process::exit(1);
        }
    };
    let port = server.server_addr().to_ip().map_or(port, |a| a.port());
    println!("sabaplot demo: http://{host}:{port}/");
    let _ = std::io::stdout().flush();
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let server = Arc::clone(&server);
            let root = root.clone();
            let faults = Arc::clone(&faults);
            thread::spawn(move || {
                for request in server.incoming_requests() {
                    handle(&root, &faults, request);
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
}

fn handle(root: &Path, faults: &Faults, mut request: Request) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    if path == "/_faults" && *request.method() == Method::Post {
        let mut rules = String::new();
        let reply = match request.as_reader().read_to_string(&mut rules) {
            Ok(_) => faults.replace(&rules),
            Err(_) => Reply::error(400, "the fault rules must be UTF-8 text"),
        };
        return respond(request, reply);
    }
    let reply = if *request.method() != Method::Get {
        Reply::error(405, "Method Not Allowed.")
    } else if let Some(api_path) = path.strip_prefix("/api/v0/") {
        mackerel::answer(api_path, query, now())
    } else if path == "/api/v1/query_range" {
        prometheus::query_range(query, now())
    } else {
        files::answer(root, path)
    };
    let reply = if path.starts_with("/api/") {
        let plan = faults.plan(&url);
        if let Some(delay) = plan.delay {
            thread::sleep(delay);
        }
        plan.apply(reply)
    } else {
        reply
    };
    respond(request, reply);
}

fn respond(request: Request, reply: Reply) {
    let mut response = Response::from_data(reply.body).with_status_code(reply.status);
    for (name, value) in [
        ("Content-Type", reply.content_type),
        ("Cache-Control", "no-cache"),
    ] {
        if let Ok(header) = Header::from_bytes(name, value) {
            response.add_header(header);
        }
    }
    // The client may have gone away; nothing to do about it.
    let _ = request.respond(response);
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
