//! Proxy mode: `/api/v0/*` forwarded to a real Mackerel (or any compatible
//! API) with the API key added here, from the environment, so it never
//! reaches the browser. On with `SABAPLOT_MACKEREL_URL` (for example
//! `https://api.mackerelio.com`) and `MACKEREL_APIKEY`.

use std::time::Duration;

use crate::mackerel::Reply;

/// Where to forward and with which key.
pub struct Proxy {
    base: String,
    key: String,
    agent: ureq::Agent,
}

impl Proxy {
    /// The proxy the environment asks for: None without a URL; an error
    /// when the URL is given without a key.
    pub fn from_env(url: Option<String>, key: Option<String>) -> Result<Option<Proxy>, String> {
        let Some(url) = url.filter(|u| !u.is_empty()) else {
            return Ok(None);
        };
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!(
                "SABAPLOT_MACKEREL_URL must start with http:// or https://, got {url:?}"
            ));
        }
        let key = key.filter(|k| !k.is_empty()).ok_or(
            "SABAPLOT_MACKEREL_URL is set but MACKEREL_APIKEY is not: the proxy needs the API key",
        )?;
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .build();
        Ok(Some(Proxy {
            base: url.trim_end_matches('/').to_string(),
            key,
            agent,
        }))
    }

    /// The API forwarded to.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Forwards `GET /api/v0/<target>` and gives back the upstream's status
    /// and body; a network failure is a 502 in Mackerel's error shape.
    pub fn forward(&self, target: &str) -> Reply {
        let url = format!("{}/api/v0/{target}", self.base);
        let response = match self.agent.get(&url).set("X-Api-Key", &self.key).call() {
            Ok(response) => response,
            Err(ureq::Error::Status(_, response)) => response,
            Err(e) => {
                return Reply::error(
                    502,
                    &format!(
                        "the proxy could not reach the metrics API at {}: {e}",
                        self.base
                    ),
                )
            }
        };
        let status = response.status();
        let json = response.content_type().contains("json");
        let mut body = Vec::new();
        if let Err(e) = std::io::Read::read_to_end(&mut response.into_reader(), &mut body) {
            return Reply::error(
                502,
                &format!("the proxy lost the metrics API's answer: {e}"),
            );
        }
        Reply {
            status,
            content_type: if json {
                "application/json"
            } else {
                "text/html; charset=utf-8"
            },
            body,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(Proxy::from_env(Some("api.mackerelio.com".into()), Some("k".into())).is_err());
        assert!(Proxy::from_env(Some("https://x/".into()), Some("k".into()))
            .unwrap()
            .is_some());
    }

    #[test]
    fn an_unreachable_upstream_is_a_502_that_says_so() {
        // Port 9 (discard) on loopback: nothing listens there.
        let proxy = Proxy::from_env(Some("http://127.0.0.1:9".into()), Some("k".into()))
            .unwrap()
            .unwrap();
        let reply = proxy.forward("hosts");
        assert_eq!(reply.status, 502);
        let body = String::from_utf8(reply.body).unwrap();
        assert!(
            body.contains("could not reach the metrics API at http://127.0.0.1:9"),
            "{body}"
        );
        assert!(!body.contains("\"k\""));
    }
}
