//! Mackerel-compatible API answers over the generated data:
//! `GET /api/v0/hosts` and `GET /api/v0/hosts/<hostId>/metrics?name=&from=&to=`,
//! with Mackerel's error shape (`{"error":{"message":…}}`) and statuses.

use std::fmt::Write;

use crate::generator::{find_host, find_metric, retention_window, value_at, HOSTS, STEP};

/// A response: status, content type and body.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(status: u16, body: String) -> Reply {
        Reply {
            status,
            content_type: "application/json",
            body: body.into_bytes(),
        }
    }

    pub fn error(status: u16, message: &str) -> Reply {
        let mut body = String::from(r#"{"error":{"message":"#);
        write_json_string(&mut body, message);
        body.push_str("}}");
        Reply::json(status, body)
    }
}

/// The parameters of a query string, decoded.
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(query: &str) -> Params {
        Params(
            form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// The first value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Answers a request for `path` (below `/api/v0/`) with query `query`, as at
/// epoch second `now`.
pub fn answer(path: &str, query: &str, now: i64) -> Reply {
    let segments: Vec<&str> = path.split('/').collect();
    match segments.as_slice() {
        ["hosts"] => hosts(),
        ["hosts", id, "metrics"] => host_metrics(id, query, now),
        _ => Reply::error(404, "Not Found."),
    }
}

fn hosts() -> Reply {
    let mut body = String::from(r#"{"hosts":["#);
    for (i, host) in HOSTS.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(r#"{"id":"#);
        write_json_string(&mut body, host.id);
        body.push_str(r#","name":"#);
        write_json_string(&mut body, host.name);
        body.push_str(r#","roles":{"demo":["#);
        write_json_string(&mut body, host.role);
        body.push_str("]}}");
    }
    body.push_str("]}");
    Reply::json(200, body)
}

fn host_metrics(id: &str, query: &str, now: i64) -> Reply {
    let params = Params::parse(query);
    let param = |key: &str| params.get(key);
    let Some(host) = find_host(id) else {
        return Reply::error(404, "Host Not Found.");
    };
    let Some(name) = param("name").filter(|n| !n.is_empty()) else {
        return Reply::error(400, "name is required.");
    };
    let (Some(from), Some(to)) = (param("from"), param("to")) else {
        return Reply::error(400, "from and to are required (epoch seconds).");
    };
    let (Ok(from), Ok(to)) = (from.parse::<i64>(), to.parse::<i64>()) else {
        return Reply::error(400, "from and to must be integers (epoch seconds).");
    };
    if from > to {
        return Reply::error(400, "from must not be after to.");
    }
    let Some(metric) = find_metric(name) else {
        return Reply::error(404, &format!("Metric Not Found: {name}"));
    };
    let (first, last) = retention_window(now);
    let start = from.max(first).div_euclid(STEP) * STEP;
    let start = if start < from { start + STEP } else { start };
    let end = to.min(last);
    let minutes = if end >= start {
        ((end - start) / STEP + 1) as usize
    } else {
        0
    };
    let mut body = String::with_capacity(24 + minutes * 40);
    body.push_str(r#"{"metrics":["#);
    let mut first_point = true;
    for t in (start..=end).step_by(STEP as usize) {
        if let Some(v) = value_at(host, metric, t) {
            if !first_point {
                body.push(',');
            }
            first_point = false;
            let _ = write!(
                body,
                r#"{{"time":{t},"value":{v:.prec$}}}"#,
                prec = metric.decimals
            );
        }
    }
    body.push_str("]}");
    Reply::json(200, body)
}

/// Appends `s` as a JSON string literal.
pub fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000;

    fn body(r: &Reply) -> &str {
        std::str::from_utf8(&r.body).unwrap()
    }

    #[test]
    fn metrics_come_oldest_first_at_one_minute_steps_inside_the_range() {
        let r = answer(
            "hosts/3yAYEDLXKL5/metrics",
            "name=loadavg5&from=1779990000&to=1779990300",
            NOW,
        );
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type, "application/json");
        let b = body(&r);
        assert!(
            b.starts_with(r#"{"metrics":[{"time":1779990000,"value":"#),
            "{b}"
        );
        assert_eq!(b.matches("\"time\"").count(), 6 - b.matches("null").count());
        assert!(b.ends_with("}]}"));
    }

    #[test]
    fn nothing_is_served_outside_the_retention_window() {
        let r = answer(
            "hosts/3yAYEDLXKL5/metrics",
            "name=loadavg5&from=0&to=1000000",
            NOW,
        );
        assert_eq!(body(&r), r#"{"metrics":[]}"#);
        let r = answer(
            "hosts/3yAYEDLXKL5/metrics",
            "name=loadavg5&from=1790000000&to=1790001000",
            NOW,
        );
        assert_eq!(body(&r), r#"{"metrics":[]}"#);
    }

    #[test]
    fn errors_have_mackerels_shape_and_status() {
        let cases = [
            (
                "hosts/nope/metrics",
                "name=loadavg5&from=1&to=2",
                404,
                "Host Not Found.",
            ),
            (
                "hosts/3yAYEDLXKL5/metrics",
                "name=no.such&from=1&to=2",
                404,
                "Metric Not Found: no.such",
            ),
            (
                "hosts/3yAYEDLXKL5/metrics",
                "from=1&to=2",
                400,
                "name is required.",
            ),
            (
                "hosts/3yAYEDLXKL5/metrics",
                "name=loadavg5&from=1",
                400,
                "from and to are required (epoch seconds).",
            ),
            (
                "hosts/3yAYEDLXKL5/metrics",
                "name=loadavg5&from=x&to=2",
                400,
                "from and to must be integers (epoch seconds).",
            ),
            (
                "hosts/3yAYEDLXKL5/metrics",
                "name=loadavg5&from=5&to=2",
                400,
                "from must not be after to.",
            ),
            ("services", "", 404, "Not Found."),
        ];
        for (path, query, status, message) in cases {
            let r = answer(path, query, NOW);
            assert_eq!(r.status, status, "{path}?{query}");
            assert_eq!(
                body(&r),
                format!(r#"{{"error":{{"message":"{message}"}}}}"#)
            );
        }
    }

    #[test]
    fn names_are_escaped_in_error_messages() {
        let r = answer(
            "hosts/3yAYEDLXKL5/metrics",
            "name=%22%3Cb%3E%5C&from=1&to=2",
            NOW,
        );
        assert!(
            body(&r).contains(r#"Metric Not Found: \"<b>\\"#),
            "{}",
            body(&r)
        );
    }

    #[test]
    fn the_host_list_names_each_host_and_role() {
        let b = String::from_utf8(answer("hosts", "", NOW).body).unwrap();
        assert!(
            b.contains(r#"{"id":"3yAYEDLXKL5","name":"web-01","roles":{"demo":["web"]}}"#),
            "{b}"
        );
    }
}
