//! The demo server's routes: the Mackerel-compatible API (or the proxy to a
//! real one), the Prometheus-compatible API, fault rules, and the static
//! `www/` and `pkg/` folders; with the checks every request passes first
//! (one Host, a URI of sane length, a small body), compression, optional
//! CORS and `nosniff` on every answer.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Request, State};
use axum::http::header::{
    ALLOW, CACHE_CONTROL, CONTENT_LENGTH, HOST, RETRY_AFTER, TRANSFER_ENCODING,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, Method, Uri, Version};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::budget::{self, Budget};
use crate::clock;
use crate::export;
use crate::faults::Faults;
use crate::mackerel;
use crate::prometheus;
use crate::proxy::Proxy;
use crate::reply::Reply;

/// The longest request URI (path and query) served.
pub const MAX_URI: usize = 8 * 1024;
/// The largest request body read (fault rules are a few lines).
pub const MAX_BODY: usize = 64 * 1024;

/// Level 2 of gzip and br: measured on a 7-day, 16-host query_range answer
/// (5.4 MB of JSON), br 2 gives 2.0 MB for 0.07 s of server time against the
/// libraries' defaults (gzip 6, br 4) at 1.9 / 1.8 MB for 0.2–0.4 s; on a
/// 20-hour Mackerel answer (41 kB) 5.6 kB against 5.7 kB. Almost all of the
/// saving for a fifth of the time, so an answer is not held up compressing.
const COMPRESSION: tower_http::CompressionLevel = tower_http::CompressionLevel::Precise(2);

/// What the server was started with.
pub struct Config {
    /// The folder holding `www/` and `pkg/`.
    pub root: PathBuf,
    pub faults: Faults,
    /// `/api/v0/` forwarded to a real API, or answered from the demo data.
    pub proxy: Option<Proxy>,
    /// With it, the demo API asks for this key like Mackerel.
    pub required_key: Option<String>,
    /// The time one API request may take.
    pub budget: Duration,
    /// The one other origin allowed to read answers (CORS), if any.
    pub cors_origin: Option<HeaderValue>,
}

type App = Arc<Config>;

/// The whole server as one router.
pub fn router(config: Config) -> Router {
    let www = ServeDir::new(config.root.join("www"));
    let pkg = ServeDir::new(config.root.join("pkg"));
    let cors = config.cors_origin.clone().map(|origin| {
        CorsLayer::new()
            .allow_origin(AllowOrigin::exact(origin))
            .allow_methods([Method::GET, Method::HEAD])
            .allow_headers([axum::http::header::CONTENT_TYPE])
            .max_age(Duration::from_secs(600))
    });
    let app: App = Arc::new(config);
    let api = Router::new()
        .route("/api/v0/{*path}", get(mackerel_api))
        .route("/api/v1/query_range", get(query_range))
        .route("/api/v1/export", get(export))
        .route("/api/v1/label/{name}/values", get(label_values))
        .route("/api/{*rest}", any(api_not_found))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(app.clone(), inject_faults));
    Router::new()
        .route("/_faults", post(replace_faults))
        .route("/_clock", post(set_clock))
        .merge(api)
        .nest_service("/pkg", pkg)
        .fallback_service(www)
        .with_state(app)
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(middleware::from_fn(check_request))
        .layer(tower::util::option_layer(cors))
        .layer(SetResponseHeaderLayer::if_not_present(
            CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(CompressionLayer::new().quality(COMPRESSION))
}

/// Refuses what no request of the demo's needs: no or several `Host`
/// headers, an overlong URI; answers `OPTIONS` (CORS preflights are
/// answered before this, when CORS is on).
async fn check_request(request: Request, next: Next) -> Response {
    let hosts = request.headers().get_all(HOST).iter().count();
    if hosts > 1 || (hosts == 0 && request.version() != Version::HTTP_10) {
        return Reply::error(400, "Bad request: a request needs exactly one Host header.")
            .into_response();
    }
    // hyper reads a chunked body and ignores the length, as HTTP/1.1 says;
    // a request with both is refused rather than trusted to agree.
    let headers = request.headers();
    if headers.contains_key(TRANSFER_ENCODING) && headers.contains_key(CONTENT_LENGTH) {
        return Reply::error(
            400,
            "Bad request: Transfer-Encoding and Content-Length together.",
        )
        .into_response();
    }
    let uri_length = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if uri_length > MAX_URI {
        return Reply::error(
            414,
            &format!("URI Too Long: the server reads at most {MAX_URI} bytes of path and query."),
        )
        .into_response();
    }
    if request.method() == Method::OPTIONS {
        let allow = if ["/_faults", "/_clock"].contains(&request.uri().path()) {
            "POST, OPTIONS"
        } else {
            "GET, HEAD, OPTIONS"
        };
        return (
            axum::http::StatusCode::NO_CONTENT,
            [(ALLOW, HeaderValue::from_static(allow))],
        )
            .into_response();
    }
    next.run(request).await
}

/// The fault rules (see faults.rs) applied to an API request.
async fn inject_faults(State(app): State<App>, request: Request, next: Next) -> Response {
    let url = request
        .uri()
        .path_and_query()
        .map_or("", |p| p.as_str())
        .to_string();
    let plan = app.faults.plan(&url);
    if let Some(delay) = plan.delay {
        tokio::time::sleep(delay).await;
    }
    if let Some(error) = plan.error() {
        let mut response = error.into_response();
        if let Some(seconds) = plan.retry_after() {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        return response;
    }
    let response = next.run(request).await;
    if !plan.truncates() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(body.slice(..body.len() / 2)))
}

async fn replace_faults(State(app): State<App>, body: axum::body::Bytes) -> Reply {
    match std::str::from_utf8(&body) {
        Ok(rules) => app.faults.replace(rules),
        Err(_) => Reply::error(400, "the fault rules must be UTF-8 text"),
    }
}

/// `POST /_clock` with epoch seconds: moves the pinned clock (for a test of
/// a live chart), with the test hooks on (`SABAPLOT_FAULTS` set); 404
/// otherwise, as `/_faults`.
async fn set_clock(State(app): State<App>, body: axum::body::Bytes) -> Reply {
    if !app.faults.enabled() {
        return Reply::error(404, "Not Found.");
    }
    let text = String::from_utf8_lossy(&body);
    match text
        .trim()
        .parse::<i64>()
        .map_err(|_| format!("not epoch seconds: {text:?}"))
        .and_then(clock::set)
    {
        Ok(()) => Reply::empty(204),
        Err(message) => Reply::error(400, &message),
    }
}

/// `/api/v0/…`: forwarded by the proxy, or answered from the demo data
/// (after the key, when one is required).
async fn mackerel_api(State(app): State<App>, uri: Uri, headers: HeaderMap) -> Reply {
    let path = uri
        .path()
        .strip_prefix("/api/v0/")
        .unwrap_or("")
        .to_string();
    if let Some(proxy) = &app.proxy {
        return proxy.forward(&path, uri.query()).await;
    }
    if let Some(key) = &app.required_key {
        if headers.get("x-api-key").map(HeaderValue::as_bytes) != Some(key.as_bytes()) {
            return Reply::error(
                401,
                "Authentication failed. Please try again after logging in.",
            );
        }
    }
    let query = uri.query().unwrap_or("").to_string();
    let now = clock::now();
    budget::run(app.budget, move |budget| {
        mackerel::answer(&path, &query, now, budget)
    })
    .await
    .unwrap_or_else(failed)
}

async fn query_range(State(app): State<App>, uri: Uri) -> Reply {
    answer_query(&app, &uri, prometheus::query_range).await
}

async fn export(State(app): State<App>, uri: Uri) -> Reply {
    answer_query(&app, &uri, export::export).await
}

/// `answer` of the request's query string, as at now, within the budget of
/// an API request.
async fn answer_query(app: &App, uri: &Uri, answer: fn(&str, i64, &Budget) -> Reply) -> Reply {
    let query = uri.query().unwrap_or("").to_string();
    let now = clock::now();
    budget::run(app.budget, move |budget| answer(&query, now, budget))
        .await
        .unwrap_or_else(failed)
}

async fn label_values(Path(name): Path<String>) -> Reply {
    prometheus::label_values(&name)
}

async fn api_not_found() -> Reply {
    Reply::error(404, "Not Found.")
}

async fn method_not_allowed() -> Reply {
    Reply::error(405, "Method Not Allowed.")
}

/// The answer when the work of a request failed (a bug in the demo).
fn failed() -> Reply {
    Reply::error(
        500,
        "The demo API failed while answering; see the server's log.",
    )
}
