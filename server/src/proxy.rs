//! Proxy mode: `/api/v0/*` forwarded to a real Mackerel (or any compatible
//! API) with the API key added here, from the environment, so it never
//! reaches the browser. On with `SABAPLOT_MACKEREL_URL` (for example
//! `https://api.mackerelio.com`) and `MACKEREL_APIKEY`.
//!
//! The key goes to the configured API and nowhere else: only allow-listed,
//! plain paths under `/api/v0/` are forwarded (no dot segments, no encoded
//! characters), redirects are never followed, and only a JSON answer is
//! passed on (as JSON, never with the upstream's headers); anything else
//! becomes the proxy's own JSON error. Upstream time and size are bounded.

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::header::{HeaderValue, CONTENT_TYPE};
use reqwest::redirect::Policy;
use reqwest::Url;

use crate::reply::Reply;

/// The longest the upstream may take to answer, body included.
const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest upstream answer passed on.
const MAX_UPSTREAM_BODY: usize = 64 * 1024 * 1024;

/// Where to forward and with which key.
pub struct Proxy {
    base: Url,
    key: HeaderValue,
    client: reqwest::Client,
}

impl Proxy {
    /// The proxy the environment asks for: None without a URL; an error
    /// when the URL is given without a key or is not a plain http(s) URL.
    pub fn from_env(url: Option<String>, key: Option<String>) -> Result<Option<Proxy>, String> {
        let Some(url) = url.filter(|u| !u.is_empty()) else {
            return Ok(None);
        };
        let base = Url::parse(url.trim_end_matches('/'))
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .filter(|u| u.query().is_none() && u.fragment().is_none())
            .filter(|u| u.username().is_empty() && u.password().is_none())
            .ok_or_else(|| {
                format!(
                    "SABAPLOT_MACKEREL_URL must be an http:// or https:// URL with a host and \
                     no query, fragment or user, got {url:?}"
                )
            })?;
        let key = key.filter(|k| !k.is_empty()).ok_or(
            "SABAPLOT_MACKEREL_URL is set but MACKEREL_APIKEY is not: the proxy needs the API key",
        )?;
        let mut key = HeaderValue::from_str(&key)
            .map_err(|_| "MACKEREL_APIKEY holds characters a header cannot carry")?;
        key.set_sensitive(true);
        let client = reqwest::Client::builder()
            .redirect(Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(UPSTREAM_TIMEOUT)
            .build()
            .map_err(|e| format!("the proxy's HTTP client could not start: {e}"))?;
        Ok(Some(Proxy { base, key, client }))
    }

    /// The API forwarded to.
    pub fn base(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }

    /// Forwards `GET /api/v0/<path>?<query>` (`path` and `query` as sent,
    /// still percent-encoded) and gives back the upstream's status and JSON
    /// body, or the proxy's own error in Mackerel's shape.
    pub async fn forward(&self, path: &str, query: Option<&str>) -> Reply {
        let url = match self.upstream_url(path, query) {
            Ok(url) => url,
            Err(reply) => return reply,
        };
        let response = match self
            .client
            .get(url)
            .header("X-Api-Key", self.key.clone())
            .send()
            .await
        {
            Ok(response) => response,
            Err(e) => {
                return Reply::error(
                    502,
                    &format!(
                        "the proxy could not reach the metrics API at {}: {}",
                        self.base(),
                        e.without_url()
                    ),
                )
            }
        };
        let status = response.status().as_u16();
        if response.status().is_redirection() {
            return Reply::error(
                502,
                &format!(
                    "the metrics API answered HTTP {status} (a redirect); the proxy does not \
                     follow redirects: check SABAPLOT_MACKEREL_URL"
                ),
            );
        }
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let essence = content_type.split(';').next().unwrap_or("").trim();
        if !(essence == "application/json" || essence.ends_with("+json")) {
            let shown: String = essence.chars().take(60).collect();
            return Reply::error(
                if status >= 400 { status } else { 502 },
                &format!(
                    "the metrics API answered HTTP {status} with {}, not JSON",
                    if shown.is_empty() {
                        "no content type"
                    } else {
                        &shown
                    }
                ),
            );
        }
        let mut body = Vec::new();
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            match chunk {
                Ok(chunk) if body.len() + chunk.len() <= MAX_UPSTREAM_BODY => {
                    body.extend_from_slice(&chunk)
                }
                Ok(_) => {
                    return Reply::error(
                        502,
                        &format!(
                            "the metrics API's answer is over {} MiB; ask for a shorter range",
                            MAX_UPSTREAM_BODY >> 20
                        ),
                    )
                }
                Err(e) => {
                    return Reply::error(
                        502,
                        &format!(
                            "the proxy lost the metrics API's answer: {}",
                            e.without_url()
                        ),
                    )
                }
            }
        }
        Reply::json_bytes(status, body)
    }

    /// The upstream URL for an allow-listed path, or the 404 to answer.
    fn upstream_url(&self, path: &str, query: Option<&str>) -> Result<Url, Reply> {
        if !allowed(path) {
            return Err(Reply::error(
                404,
                "Not Found: the proxy forwards only the metrics API's read endpoints \
                 (hosts, services, their metrics and metric names, graph annotations).",
            ));
        }
        let mut url = self.base.clone();
        let base_path = self.base.path().trim_end_matches('/');
        url.set_path(&format!("{base_path}/api/v0/{path}"));
        url.set_query(query);
        // What was built must still be the configured API, under /api/v0/.
        let same = url.origin() == self.base.origin()
            && url.path() == format!("{base_path}/api/v0/{path}");
        if same {
            Ok(url)
        } else {
            Err(Reply::error(404, "Not Found."))
        }
    }
}

/// Whether `path` (below `/api/v0/`) is one of the read endpoints, made of
/// plain segments: letters, digits, `-`, `_` and inner dots, nothing
/// percent-encoded and no `.` or `..`.
fn allowed(path: &str) -> bool {
    let plain = |s: &str| {
        !s.is_empty()
            && !s.starts_with('.')
            && s.len() <= 128
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    let segments: Vec<&str> = path.split('/').collect();
    if !segments.iter().all(|s| plain(s)) {
        return false;
    }
    matches!(
        segments.as_slice(),
        ["hosts"]
            | ["hosts", _]
            | ["hosts", _, "metrics" | "metric-names"]
            | ["services"]
            | ["services", _, "metrics" | "metric-names" | "roles"]
            | ["graph-annotations"]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxy(url: &str) -> Proxy {
        Proxy::from_env(Some(url.into()), Some("k".into()))
            .unwrap()
            .unwrap()
    }

    #[test]
    fn a_url_needs_a_key_and_a_scheme() {
        assert!(Proxy::from_env(None, None).unwrap().is_none());
        assert!(Proxy::from_env(Some(String::new()), None)
            .unwrap()
            .is_none());
        let e = Proxy::from_env(Some("https://api.mackerelio.com".into()), None)
            .err()
            .unwrap();
        assert!(e.contains("MACKEREL_APIKEY"), "{e}");
        for bad in [
            "api.mackerelio.com",
            "ftp://x/",
            "https://user:pw@x/",
            "https://x/?a=1",
        ] {
            assert!(
                Proxy::from_env(Some(bad.into()), Some("k".into())).is_err(),
                "{bad}"
            );
        }
        assert_eq!(proxy("https://x/").base(), "https://x");
    }

    #[test]
    fn only_plain_read_endpoints_are_forwarded() {
        let p = proxy("https://api.example/mackerel");
        let url = p
            .upstream_url(
                "hosts/3yAYEDLXKL5/metrics",
                Some("name=loadavg5&from=1&to=2"),
            )
            .unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.example/mackerel/api/v0/hosts/3yAYEDLXKL5/metrics?name=loadavg5&from=1&to=2"
        );
        for path in [
            "../../admin/secret",
            "hosts/../../admin",
            "%2e%2e/admin",
            "hosts/%2e%2e/x/metrics",
            "hosts/a%2Fb/metrics",
            "hosts/..%5c..%5cadmin/metrics",
            "hosts/.hidden/metrics",
            "hosts//metrics",
            "admin/secret",
            "hosts/x/retire",
            "",
        ] {
            assert_eq!(
                p.upstream_url(path, None).unwrap_err().status,
                404,
                "{path}"
            );
        }
    }

    #[tokio::test]
    async fn an_unreachable_upstream_is_a_502_that_says_so() {
        // Port 9 (discard) on loopback: nothing listens there.
        let reply = proxy("http://127.0.0.1:9").forward("hosts", None).await;
        assert_eq!(reply.status, 502);
        let body = reply.text();
        assert!(
            body.contains("could not reach the metrics API at http://127.0.0.1:9"),
            "{body}"
        );
        assert!(!body.contains("\"k\""));
    }
}
