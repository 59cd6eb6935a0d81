//! Fault injection for tests: slow answers, error statuses, HTML error
//! pages and truncated bodies on chosen API requests. Off unless the server
//! starts with `SABAPLOT_FAULTS` set (its value is the first set of rules);
//! then `POST /_faults` replaces the rules at run time.
//!
//! Rules are separated by `;` or newlines; each is a kind and options:
//! `latency=MS`, `error=STATUS`, `html=STATUS` or `truncate`, then any of
//! `match=TEXT` (only URLs containing TEXT), `rate=P` (that share of the
//! matching requests, 0–1), `every=N` (every Nth match), `times=N` (only
//! the first N matches) and, for `error`, `retry-after=S` (the answer says
//! to wait S seconds, as a rate limit's `429` does).

use std::sync::Mutex;
use std::time::Duration;

use crate::reply::Reply;

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Latency(u64),
    Error(u16),
    Html(u16),
    Truncate,
}

#[derive(Clone, Debug, PartialEq)]
struct Rule {
    kind: Kind,
    matching: Option<String>,
    rate: f64,
    every: u64,
    times: Option<u64>,
    /// Seconds the answer's `Retry-After` says.
    retry_after: Option<u64>,
    /// Matching requests seen so far.
    seen: u64,
}

/// The rules in force, or None when fault injection is off.
pub struct Faults(Option<Mutex<Vec<Rule>>>);

/// What to do to one answer.
#[derive(Debug, Default, PartialEq)]
pub struct Plan {
    pub delay: Option<Duration>,
    error: Option<Kind>,
    retry_after: Option<u64>,
    truncate: bool,
}

impl Faults {
    /// Off, or on with `rules` (from `SABAPLOT_FAULTS`).
    pub fn from_env(rules: Option<&str>) -> Result<Faults, String> {
        match rules {
            None => Ok(Faults(None)),
            Some(text) => Ok(Faults(Some(Mutex::new(parse(text)?)))),
        }
    }

    /// Whether the test hooks are on (`SABAPLOT_FAULTS` set).
    pub fn enabled(&self) -> bool {
        self.0.is_some()
    }

    /// Replaces the rules (`POST /_faults`): 204, or 400 saying what is
    /// wrong, or 404 when fault injection is off.
    pub fn replace(&self, text: &str) -> Reply {
        let Some(rules) = &self.0 else {
            return Reply::error(404, "Not Found.");
        };
        match parse(text) {
            Ok(new) => {
                *rules.lock().unwrap_or_else(|e| e.into_inner()) = new;
                Reply::empty(204)
            }
            Err(message) => Reply::error(400, &message),
        }
    }

    /// What the rules do to the request for `url`.
    pub fn plan(&self, url: &str) -> Plan {
        let mut plan = Plan::default();
        let Some(rules) = &self.0 else {
            return plan;
        };
        let mut rules = rules.lock().unwrap_or_else(|e| e.into_inner());
        for rule in rules.iter_mut() {
            if rule.matching.as_deref().is_some_and(|m| !url.contains(m)) {
                continue;
            }
            rule.seen += 1;
            if rule.times.is_some_and(|n| rule.seen > n) {
                continue;
            }
            // Every 1/rate-th match, spread evenly: repeatable in tests.
            let hit = (rule.seen as f64 * rule.rate).floor()
                > ((rule.seen - 1) as f64 * rule.rate).floor();
            if !hit || rule.seen % rule.every != 0 {
                continue;
            }
            match rule.kind {
                Kind::Latency(ms) => {
                    plan.delay = Some(plan.delay.unwrap_or_default() + Duration::from_millis(ms))
                }
                Kind::Truncate => plan.truncate = true,
                ref error => {
                    if plan.error.is_none() {
                        plan.error = Some(error.clone());
                        plan.retry_after = rule.retry_after;
                    }
                }
            }
        }
        plan
    }
}

impl Plan {
    /// The error answer to send instead of the real one, if any.
    pub fn error(&self) -> Option<Reply> {
        match self.error {
            Some(Kind::Error(status)) => Some(Reply::error(
                status,
                "Injected fault: the API failed on purpose.",
            )),
            Some(Kind::Html(status)) => Some(Reply {
                status,
                content_type: "text/html; charset=utf-8",
                body: format!(
                    "<!DOCTYPE html><html><head><title>{status} Bad Gateway</title></head>\
                     <body><h1>{status} Bad Gateway</h1><p>injected fault</p></body></html>"
                )
                .into_bytes(),
            }),
            _ => None,
        }
    }

    /// The seconds the error answer's `Retry-After` says, if any.
    pub fn retry_after(&self) -> Option<u64> {
        self.error.as_ref().and(self.retry_after)
    }

    /// Whether the answer's body is cut in half.
    pub fn truncates(&self) -> bool {
        self.truncate
    }

    /// The answer to send instead of (or made from) `reply`.
    #[cfg(test)]
    fn apply(&self, mut reply: Reply) -> Reply {
        if let Some(error) = self.error() {
            return error;
        }
        if self.truncate {
            reply.body.truncate(reply.body.len() / 2);
        }
        reply
    }
}

fn parse(text: &str) -> Result<Vec<Rule>, String> {
    text.split([';', '\n'])
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(parse_rule)
        .collect()
}

fn parse_rule(text: &str) -> Result<Rule, String> {
    let mut words = text.split_whitespace();
    let head = words.next().unwrap_or("");
    let (name, arg) = head.split_once('=').unwrap_or((head, ""));
    let number = |what: &str| -> Result<u64, String> {
        arg.parse()
            .map_err(|_| format!("fault {text:?}: {name} needs {what}, as in {name}=500"))
    };
    let kind = match name {
        "latency" => Kind::Latency(number("milliseconds")?),
        "error" => Kind::Error(status(number("an HTTP status")?, text)?),
        "html" => Kind::Html(status(number("an HTTP status")?, text)?),
        "truncate" => Kind::Truncate,
        _ => {
            return Err(format!(
                "fault {text:?}: unknown kind {name:?}; use latency, error, html or truncate"
            ))
        }
    };
    let mut rule = Rule {
        kind,
        matching: None,
        rate: 1.0,
        every: 1,
        times: None,
        retry_after: None,
        seen: 0,
    };
    for word in words {
        let bad = || format!("fault {text:?}: cannot read {word:?}");
        match word.split_once('=').ok_or_else(bad)? {
            ("match", m) => rule.matching = Some(m.to_string()),
            ("rate", r) => {
                rule.rate = r
                    .parse()
                    .ok()
                    .filter(|r: &f64| (0.0..=1.0).contains(r))
                    .ok_or_else(bad)?
            }
            ("times", n) => rule.times = Some(n.parse().map_err(|_| bad())?),
            ("every", n) => rule.every = n.parse().ok().filter(|n| *n >= 1).ok_or_else(bad)?,
            ("retry-after", n) if matches!(rule.kind, Kind::Error(_)) => {
                rule.retry_after = Some(n.parse().map_err(|_| bad())?)
            }
            _ => return Err(bad()),
        }
    }
    Ok(rule)
}

fn status(code: u64, text: &str) -> Result<u16, String> {
    u16::try_from(code)
        .ok()
        .filter(|c| (400..600).contains(c))
        .ok_or_else(|| format!("fault {text:?}: the status must be from 400 to 599"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(rules: &str) -> Faults {
        Faults::from_env(Some(rules)).unwrap()
    }

    fn ok() -> Reply {
        Reply::json_bytes(200, br#"{"metrics":[{"time":60,"value":1}]}"#.to_vec())
    }

    #[test]
    fn off_by_default_and_then_nothing_changes() {
        let faults = Faults::from_env(None).unwrap();
        assert_eq!(faults.plan("/api/v0/hosts"), Plan::default());
        assert_eq!(faults.replace("error=500").status, 404);
    }

    #[test]
    fn rules_pick_requests_by_text_count_and_rate() {
        let faults =
            on("error=503 match=from=120 times=2; latency=40 match=/api/v1/; truncate rate=0.5");
        let url = "/api/v0/hosts/x/metrics?name=a&from=120&to=180";
        for _ in 0..2 {
            assert_eq!(faults.plan(url).apply(ok()).status, 503);
        }
        assert_eq!(faults.plan(url).apply(ok()).status, 200, "only twice");
        let plan = faults.plan("/api/v1/query_range?query=up");
        assert_eq!(plan.delay, Some(Duration::from_millis(40)));
        // Truncation hits every second request.
        let cut: Vec<usize> = (0..4)
            .map(|_| faults.plan("/api/v0/hosts").apply(ok()).body.len())
            .collect();
        assert_eq!(cut.iter().filter(|&&n| n < ok().body.len()).count(), 2);
    }

    #[test]
    fn a_rate_limit_hits_every_nth_request_and_says_when_to_come_back() {
        let faults = on("error=429 every=3 retry-after=2 match=/api/");
        let plans: Vec<Plan> = (0..6).map(|_| faults.plan("/api/v0/hosts")).collect();
        let statuses: Vec<u16> = plans.iter().map(|p| p.apply(ok()).status).collect();
        assert_eq!(statuses, [200, 200, 429, 200, 200, 429]);
        let waits: Vec<Option<u64>> = plans.iter().map(Plan::retry_after).collect();
        assert_eq!(waits, [None, None, Some(2), None, None, Some(2)]);
        assert_eq!(faults.plan("/elsewhere").retry_after(), None);
    }

    #[test]
    fn an_html_fault_is_a_page_not_json() {
        let reply = on("html=502").plan("/api/v0/hosts").apply(ok());
        assert_eq!(reply.status, 502);
        assert!(reply.content_type.starts_with("text/html"));
        assert!(String::from_utf8(reply.body)
            .unwrap()
            .starts_with("<!DOCTYPE html>"));
    }

    #[test]
    fn bad_rules_are_refused_with_a_reason() {
        for bad in [
            "explode",
            "error=200",
            "latency=soon",
            "truncate rate=2",
            "error=500 when=now",
            "error=429 every=0",
            "latency=5 retry-after=2",
        ] {
            let e = Faults::from_env(Some(bad)).err().unwrap();
            assert!(e.starts_with("fault "), "{e}");
        }
        let faults = on("");
        assert_eq!(faults.replace("nope").status, 400);
        assert_eq!(faults.replace("error=500").status, 204);
        assert_eq!(faults.plan("/api/v0/hosts").apply(ok()).status, 500);
    }
}
