//! A Prometheus-compatible `GET /api/v1/query_range` over the same generated
//! data: plain selectors with label matchers (`loadavg5{instance="web-01"}`,
//! `=`, `!=`, `=~`, `!~`), and `min_over_time`/`max_over_time` over a range
//! selector. Metric names are the Mackerel names with `.` written `_`; each
//! host is a series labelled `instance`, `host_id` and `role`. Like
//! Prometheus it refuses more than 11,000 points per series with its exact
//! error text, looks back 5 minutes for the latest sample, and writes values
//! as strings.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::budget::{Budget, OverBudget};
use crate::generator::{retention_window, value_at, Host, Metric, HOSTS, METRICS, STEP};
use crate::hourly;
use crate::mackerel::{Params, LATEST_TIME};
use crate::reply::Reply;

/// Prometheus refuses a query when `(end - start) / step` is above this.
const MAX_POINTS: f64 = 11_000.0;
/// Samples one series may read for one query (the demo's own guard).
const MAX_SAMPLES_READ: f64 = 50_000_000.0;
/// Series one answer may hold, and points in all of them (the demo's own
/// guards: 100 series of 11,000 points is about 40 MB of JSON).
const MAX_SERIES: usize = 100;
const MAX_ANSWER_POINTS: f64 = 1_100_000.0;
/// How far back an instant looks for the latest sample.
const LOOKBACK: i64 = 300;
/// Steps computed between two looks at the request's budget.
const STEPS_PER_CHECK: i64 = 1_024;

/// The lowest or highest sample in `(after, until]` of series (`metric`,
/// `host`), a whole hour at a time where it can.
fn window_extreme(
    series: (usize, usize),
    window: (i64, i64),
    retention: (i64, i64),
    now: i64,
    highest: bool,
) -> Option<f64> {
    let best = std::cell::Cell::new(None::<f64>);
    let keep = |v: f64| {
        best.set(Some(best.get().map_or(v, |b| {
            if highest {
                b.max(v)
            } else {
                b.min(v)
            }
        })));
    };
    hourly::visit(series, window, retention, now, keep, |h| {
        keep(if highest { h.max } else { h.min })
    });
    best.get()
}

/// Answers `query_range` with query string `query`, as at epoch second
/// `now`, within `budget`.
pub fn query_range(query: &str, now: i64, budget: &Budget) -> Reply {
    match evaluate(query, now, budget) {
        Ok(Ok(result)) => Reply::json(
            200,
            &Success {
                status: "success",
                data: Matrix {
                    result_type: "matrix",
                    result,
                },
            },
        ),
        Ok(Err(message)) => error(400, "bad_data", &message),
        // Prometheus' words and status for a query over its time limit.
        Err(OverBudget) => error(503, "timeout", "query timed out in expression evaluation"),
    }
}

/// Answers `GET /api/v1/label/<name>/values`: every value the label takes,
/// sorted, as Prometheus does (no values for an unknown label).
pub fn label_values(name: &str) -> Reply {
    let mut values: Vec<String> = METRICS
        .iter()
        .flat_map(|m| HOSTS.iter().map(move |h| labels(m, h)))
        .flat_map(|labels| {
            labels
                .into_iter()
                .filter(|(k, _)| *k == name)
                .map(|(_, v)| v)
        })
        .collect();
    values.sort();
    values.dedup();
    Reply::json(
        200,
        &Success {
            status: "success",
            data: values,
        },
    )
}

#[derive(serde::Serialize)]
struct Success<T> {
    status: &'static str,
    data: T,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Matrix {
    result_type: &'static str,
    result: Vec<Series>,
}

/// One series of a matrix: its labels and `[time, "value"]` pairs.
struct Series {
    labels: Vec<(&'static str, String)>,
    values: Vec<(f64, f64)>,
}

impl Serialize for Series {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Labels<'a>(&'a [(&'static str, String)]);
        impl Serialize for Labels<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(Some(self.0.len()))?;
                for (k, v) in self.0 {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
        // Times as Prometheus writes them: whole seconds without a fraction;
        // values as strings.
        let values: Vec<(serde_json::Number, String)> = self
            .values
            .iter()
            .map(|&(t, v)| {
                let time = if t.fract() == 0.0 && t.abs() < 9e15 {
                    serde_json::Number::from(t as i64)
                } else {
                    serde_json::Number::from_f64(t).unwrap_or_else(|| 0.into())
                };
                (time, v.to_string())
            })
            .collect();
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("metric", &Labels(&self.labels))?;
        map.serialize_entry("values", &values)?;
        map.end()
    }
}

/// Prometheus' error body.
fn error(status: u16, kind: &str, message: &str) -> Reply {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Error<'a> {
        status: &'static str,
        error_type: &'a str,
        error: &'a str,
    }
    Reply::json(
        status,
        &Error {
            status: "error",
            error_type: kind,
            error: message,
        },
    )
}

/// The series of a query, or why it is refused (checked before any data
/// is read); Err when the budget ran out.
#[allow(clippy::type_complexity)]
fn evaluate(
    query: &str,
    now: i64,
    budget: &Budget,
) -> Result<Result<Vec<Series>, String>, OverBudget> {
    let plan = match Plan::parse(query, now) {
        Ok(plan) => plan,
        Err(message) => return Ok(Err(message)),
    };
    let mut result = Vec::new();
    for (metric_index, metric) in METRICS.iter().enumerate() {
        for (host_index, host) in HOSTS.iter().enumerate() {
            let labels = labels(metric, host);
            if !plan.expr.selector.matches(&labels) {
                continue;
            }
            budget.check()?;
            let values = plan.series(budget, (metric_index, host_index), host, metric)?;
            if values.is_empty() {
                continue;
            }
            // The functions drop the metric name, as Prometheus' do.
            let labels = labels
                .into_iter()
                .filter(|(k, _)| plan.expr.function.is_none() || *k != "__name__")
                .collect();
            result.push(Series { labels, values });
        }
    }
    Ok(Ok(result))
}

/// A checked query: its steps, its expression and the data's window.
struct Plan {
    start: f64,
    step: f64,
    steps: i64,
    expr: Expr,
    retention: (i64, i64),
    now: i64,
}

impl Plan {
    fn parse(query: &str, now: i64) -> Result<Plan, String> {
        let params = Params::parse(query);
        let param = |key: &str| params.get(key);
        let time = |key: &str| {
            let raw = param(key).unwrap_or("");
            raw.parse::<f64>()
                .ok()
                .filter(|t| (0.0..=LATEST_TIME as f64).contains(t))
                .ok_or_else(|| {
                    format!(
                        "invalid parameter \"{key}\": cannot parse \"{raw}\" to a valid timestamp"
                    )
                })
        };
        let (start, end) = (time("start")?, time("end")?);
        if end < start {
            return Err(
                "invalid parameter \"end\": end timestamp must not be before start time".into(),
            );
        }
        let raw_step = param("step").unwrap_or("");
        let step = duration(raw_step).ok_or_else(|| {
            format!("invalid parameter \"step\": cannot parse \"{raw_step}\" to a valid duration")
        })?;
        if step <= 0.0 {
            return Err(
                "zero or negative query resolution step widths are not accepted. Try a positive integer"
                    .into(),
            );
        }
        let points = (end - start) / step;
        if points > MAX_POINTS {
            return Err("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)".into());
        }
        let expr = Expr::parse(param("query").unwrap_or(""))
            .map_err(|e| format!("invalid parameter \"query\": {e}"))?;
        let (first, last) = retention_window(now);
        // Each point reads the minutes of its window; refuse what would take
        // the demo server minutes to answer.
        let window_minutes = (expr.window.unwrap_or(LOOKBACK).min(last - first) / STEP + 1) as f64;
        if (points + 1.0) * window_minutes > MAX_SAMPLES_READ {
            return Err(format!(
                "the demo server reads at most {MAX_SAMPLES_READ} samples a series per query; \
                 shorten the range, raise the step or narrow the range selector"
            ));
        }
        let series = METRICS
            .iter()
            .flat_map(|m| HOSTS.iter().map(move |h| labels(m, h)))
            .filter(|labels| expr.selector.matches(labels))
            .count();
        if series > MAX_SERIES || series as f64 * (points + 1.0) > MAX_ANSWER_POINTS {
            return Err(format!(
                "the query selects {series} series of {} points; the demo server answers at most \
                 {MAX_SERIES} series and {MAX_ANSWER_POINTS} points a query: narrow the selector \
                 or raise the step",
                points.floor() + 1.0
            ));
        }
        Ok(Plan {
            start,
            step,
            steps: points.floor() as i64,
            expr,
            retention: (first, last),
            now,
        })
    }

    /// The points of one series: the latest sample in `(t - window, t]`
    /// for a plain selector, the extremes for the functions.
    fn series(
        &self,
        budget: &Budget,
        index: (usize, usize),
        host: &Host,
        metric: &Metric,
    ) -> Result<Vec<(f64, f64)>, OverBudget> {
        let (first, last) = self.retention;
        let window = self.expr.window.unwrap_or(LOOKBACK);
        let sample_at = |t: i64| {
            (first..=last)
                .contains(&t)
                .then(|| value_at(host, metric, t))
                .flatten()
        };
        let mut values = Vec::new();
        for k in 0..=self.steps {
            if k % STEPS_PER_CHECK == STEPS_PER_CHECK - 1 {
                budget.check()?;
            }
            let t = self.start + k as f64 * self.step;
            let newest = (t.floor() as i64).div_euclid(STEP) * STEP;
            let value = match self.expr.function {
                None => (0..)
                    .map(|j| newest - j * STEP)
                    .take_while(|&s| (s as f64) > t - window as f64 && s >= first)
                    .find_map(sample_at),
                Some(function) => window_extreme(
                    index,
                    ((t - window as f64).floor() as i64, newest),
                    self.retention,
                    self.now,
                    function == Function::Max,
                ),
            };
            if let Some(v) = value {
                values.push((t, v));
            }
        }
        Ok(values)
    }
}

/// The labels of `metric` on `host`, `__name__` first.
pub fn labels(metric: &Metric, host: &Host) -> Vec<(&'static str, String)> {
    vec![
        ("__name__", metric.name.replace('.', "_")),
        ("host_id", host.id.to_string()),
        ("instance", host.name.to_string()),
        ("role", host.role.to_string()),
    ]
}

/// Seconds in a Prometheus duration (`60`, `1.5`, `30s`, `5m`, `1h`, `1d`).
fn duration(s: &str) -> Option<f64> {
    if let Ok(seconds) = s.parse::<f64>() {
        return seconds.is_finite().then_some(seconds);
    }
    let unit = match s.chars().last()? {
        's' => 1.0,
        'm' => 60.0,
        'h' => 3_600.0,
        'd' => 86_400.0,
        _ => return None,
    };
    let n: u64 = s[..s.len() - 1].parse().ok()?;
    Some(n as f64 * unit)
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Function {
    Min,
    Max,
}

/// The queries the demo understands.
#[derive(Debug)]
struct Expr {
    function: Option<Function>,
    /// Seconds of the range selector under a function.
    window: Option<i64>,
    selector: Selector,
}

impl Expr {
    fn parse(query: &str) -> Result<Expr, String> {
        let query = query.trim();
        for (name, function) in [
            ("min_over_time", Function::Min),
            ("max_over_time", Function::Max),
        ] {
            if let Some(inner) = query
                .strip_prefix(name)
                .map(str::trim_start)
                .and_then(|q| q.strip_prefix('('))
                .and_then(|q| q.strip_suffix(')'))
            {
                let inner = inner.trim();
                let (selector, range) = inner
                    .strip_suffix(']')
                    .and_then(|q| q.rsplit_once('['))
                    .ok_or_else(|| format!("{name} expects a range vector such as x[5m]"))?;
                let window = duration(range)
                    .filter(|w| *w >= 1.0)
                    .ok_or_else(|| format!("bad range {range:?}"))?;
                return Ok(Expr {
                    function: Some(function),
                    window: Some(window as i64),
                    selector: Selector::parse(selector)?,
                });
            }
        }
        Ok(Expr {
            function: None,
            window: None,
            selector: Selector::parse(query)?,
        })
    }
}

/// `name{label op "value", …}`.
#[derive(Debug)]
pub struct Selector {
    matchers: Vec<Matcher>,
}

#[derive(Debug)]
struct Matcher {
    label: String,
    op: Op,
    value: String,
    /// For `=~` and `!~`: the value as a regular expression, anchored at
    /// both ends as Prometheus anchors it.
    regex: Option<regex_lite::Regex>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Equal,
    NotEqual,
    Match,
    NotMatch,
}

impl Selector {
    pub fn parse(s: &str) -> Result<Selector, String> {
        let s = s.trim();
        let name_end = s
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(s.len());
        let (name, rest) = s.split_at(name_end);
        let mut matchers = Vec::new();
        if !name.is_empty() {
            matchers.push(Matcher {
                label: "__name__".into(),
                op: Op::Equal,
                value: name.into(),
                regex: None,
            });
        }
        let rest = rest.trim();
        if !rest.is_empty() {
            let body = rest
                .strip_prefix('{')
                .and_then(|r| r.strip_suffix('}'))
                .ok_or_else(|| {
                    format!(
                        "unexpected {rest:?}; the demo understands selectors and min/max_over_time"
                    )
                })?;
            let mut chars = body.trim();
            while !chars.is_empty() {
                let label_end = chars
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .ok_or("a label matcher needs an operator and a quoted value")?;
                let (label, after) = chars.split_at(label_end);
                let after = after.trim_start();
                let (op, after) = [
                    ("=~", Op::Match),
                    ("!~", Op::NotMatch),
                    ("!=", Op::NotEqual),
                    ("=", Op::Equal),
                ]
                .into_iter()
                .find_map(|(text, op)| after.strip_prefix(text).map(|a| (op, a.trim_start())))
                .ok_or_else(|| format!("label {label:?} has no operator"))?;
                let after = after
                    .strip_prefix('"')
                    .ok_or("label values must be in double quotes")?;
                let (value, after) = quoted(after)?;
                let regex = match op {
                    Op::Match | Op::NotMatch => Some(
                        regex_lite::Regex::new(&format!("^(?:{value})$")).map_err(|e| {
                            format!("invalid regular expression in {label}{op} {value:?}: {e}")
                        })?,
                    ),
                    Op::Equal | Op::NotEqual => None,
                };
                matchers.push(Matcher {
                    label: label.into(),
                    op,
                    value,
                    regex,
                });
                chars = after.trim_start();
                chars = chars.strip_prefix(',').unwrap_or(chars).trim_start();
            }
        }
        if matchers
            .iter()
            .all(|m| matches!(m.op, Op::NotEqual | Op::NotMatch) || m.value.is_empty())
        {
            return Err("vector selector must contain at least one non-empty matcher".into());
        }
        Ok(Selector { matchers })
    }

    pub fn matches(&self, labels: &[(&str, String)]) -> bool {
        self.matchers.iter().all(|m| {
            let value = labels
                .iter()
                .find(|(k, _)| *k == m.label)
                .map_or("", |(_, v)| v.as_str());
            let regex = || m.regex.as_ref().is_some_and(|r| r.is_match(value));
            match m.op {
                Op::Equal => value == m.value,
                Op::NotEqual => value != m.value,
                Op::Match => regex(),
                Op::NotMatch => !regex(),
            }
        })
    }
}

impl std::fmt::Display for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Op::Equal => "=",
            Op::NotEqual => "!=",
            Op::Match => "=~",
            Op::NotMatch => "!~",
        })
    }
}

/// A double-quoted PromQL string after its opening quote: its value, with
/// `\\`, `\"`, `\n` and `\t` unescaped, and what follows the closing quote.
fn quoted(s: &str) -> Result<(String, &str), String> {
    let mut value = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((value, &s[i + 1..])),
            '\\' => match chars.next() {
                Some((_, 'n')) => value.push('\n'),
                Some((_, 't')) => value.push('\t'),
                Some((_, c @ ('\\' | '"' | '\''))) => value.push(c),
                Some((_, c)) => {
                    return Err(format!("unknown escape sequence \\{c} in a label value"))
                }
                None => break,
            },
            c => value.push(c),
        }
    }
    Err("unterminated label value".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_020;
    const END: i64 = 1_780_000_020 / 60 * 60;

    fn ask(query: &str, start: i64, end: i64, step: &str) -> Reply {
        let q: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("query", query)
            .append_pair("start", &start.to_string())
            .append_pair("end", &end.to_string())
            .append_pair("step", step)
            .finish();
        query_range(&q, NOW, &Budget::new(std::time::Duration::from_secs(60)))
    }

    #[test]
    fn label_regexes_are_re2_anchored_at_both_ends() {
        let instances = |query: &str| -> Vec<String> {
            let r = ask(query, END - 600, END, "60");
            assert_eq!(r.status, 200, "{query}");
            sabaplot::parse_prometheus_query_range(200, &r.body)
                .unwrap()
                .iter()
                .map(|s| {
                    let at = s.name.find("instance=\"").unwrap() + "instance=\"".len();
                    s.name[at..].split('"').next().unwrap().to_string()
                })
                .collect()
        };
        assert_eq!(
            instances(r#"loadavg5{instance=~"web-0[1-3]"}"#),
            ["web-01", "web-02", "web-03"]
        );
        assert_eq!(instances(r#"loadavg5{instance=~"web-1\\d"}"#).len(), 7);
        assert_eq!(instances(r#"loadavg5{instance=~"(db|web)-01"}"#).len(), 2);
        assert!(instances(r#"loadavg5{instance=~"eb-01"}"#).is_empty());
        assert!(instances(r#"loadavg5{instance!~"web-.+"}"#)
            .iter()
            .all(|i| i.starts_with("db-")));
    }

    #[test]
    fn a_selector_gives_one_series_per_matching_host_that_the_client_parses() {
        let r = ask(
            r#"loadavg5{instance=~"web-.*|db-01"}"#,
            END - 3_600,
            END,
            "60",
        );
        assert_eq!(r.status, 200);
        let list = sabaplot::parse_prometheus_query_range(200, &r.body).unwrap();
        assert_eq!(
            list.len(),
            crate::generator::WEB_HOSTS + 1,
            "every web host and db-01"
        );
        let web = &list[0];
        assert!(web.name.starts_with("loadavg5{host_id="), "{}", web.name);
        assert!(web.name.contains(r#"instance="web-01""#));
        assert_eq!(web.series.step(), 60.0);
        // Each value is the generator's for that minute (or, for a missing
        // minute, the latest within five minutes).
        let metric = METRICS.iter().find(|m| m.name == "loadavg5").unwrap();
        let t = END - 600;
        let i = ((t as f64 - web.series.start()) / 60.0) as usize;
        if let Some(v) = value_at(&HOSTS[0], metric, t) {
            assert_eq!(web.series.values()[i], v);
        }
        let role = ask(r#"loadavg5{role="db"}"#, END - 3_600, END, "60");
        assert_eq!(
            sabaplot::parse_prometheus_query_range(200, &role.body)
                .unwrap()
                .len(),
            crate::generator::DB_HOSTS
        );
        let one = ask(r#"loadavg5{instance="db-01"}"#, END - 3_600, END, "1m");
        assert_eq!(
            sabaplot::parse_prometheus_query_range(200, &one.body)
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn min_and_max_over_time_bound_every_minute_of_their_window() {
        let (start, end) = (END - 86_400, END);
        let minutes = ask("cpu_user_percentage", start, end, "60");
        let lo = ask(
            "min_over_time(cpu_user_percentage[3600s])",
            start + 3_600,
            end,
            "3600",
        );
        let hi = ask(
            "max_over_time(cpu_user_percentage[1h])",
            start + 3_600,
            end,
            "3600",
        );
        let parse = |r: &Reply| sabaplot::parse_prometheus_query_range(200, &r.body).unwrap();
        let (minutes, lo, hi) = (parse(&minutes), parse(&lo), parse(&hi));
        assert_eq!(
            lo[0].name,
            r#"{host_id="3yAYEDLXKL5", instance="web-01", role="web"}"#
        );
        let m = &minutes[0].series;
        for (k, (&low, &high)) in lo[0]
            .series
            .values()
            .iter()
            .zip(hi[0].series.values())
            .enumerate()
        {
            let t = lo[0].series.start() + k as f64 * 3_600.0;
            let inside: Vec<f64> = (0..m.len())
                .map(|i| (m.start() + i as f64 * 60.0, m.values()[i]))
                .filter(|(s, v)| *s > t - 3_600.0 && *s <= t && !v.is_nan())
                .map(|(_, v)| v)
                .collect();
            if inside.is_empty() {
                continue;
            }
            assert!(inside.iter().all(|v| (low..=high).contains(v)), "hour {k}");
            assert!(inside.contains(&low) && inside.contains(&high), "hour {k}");
        }
    }

    #[test]
    fn errors_carry_prometheus_words() {
        let too_many = ask("loadavg5", END - 11_001 * 60, END, "60");
        assert_eq!(too_many.status, 400);
        assert_eq!(
            std::str::from_utf8(&too_many.body).unwrap(),
            r#"{"status":"error","errorType":"bad_data","error":"exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"}"#
        );
        // 11,000 steps (11,001 points) still pass, as in Prometheus.
        assert_eq!(ask("loadavg5", END - 11_000 * 60, END, "60").status, 200);
        for (query, start, end, step, words) in [
            ("loadavg5", END, END - 60, "60", "must not be before start"),
            ("loadavg5", END - 60, END, "0", "zero or negative"),
            ("loadavg5", END - 60, END, "soon", "cannot parse \"soon\""),
            (
                r#"loadavg5{instance=~"web-(0"}"#,
                END - 60,
                END,
                "60",
                "invalid regular expression in instance=~ \"web-(0\"",
            ),
            (
                r#"loadavg5{instance="web-01}"#,
                END - 60,
                END,
                "60",
                "unterminated label value",
            ),
            (
                "sum(loadavg5)",
                END - 60,
                END,
                "60",
                "invalid parameter \"query\"",
            ),
            (
                r#"{instance!="x"}"#,
                END - 60,
                END,
                "60",
                "at least one non-empty matcher",
            ),
            (
                "max_over_time(loadavg5)",
                END - 60,
                END,
                "60",
                "range vector",
            ),
        ] {
            let r = ask(query, start, end, step);
            assert_eq!(r.status, 400, "{query}");
            let e = sabaplot::parse_prometheus_query_range(400, &r.body).unwrap_err();
            let message = e.to_string();
            assert!(
                message.contains("HTTP 400") && message.contains(words),
                "{query}: {message}"
            );
        }
    }

    #[test]
    fn an_unknown_metric_or_a_range_outside_retention_is_an_empty_matrix() {
        for r in [
            ask("no_such_metric", END - 600, END, "60"),
            ask("loadavg5", END - 600 * 86_400, END - 500 * 86_400, "86400"),
        ] {
            assert_eq!(r.status, 200);
            assert!(sabaplot::parse_prometheus_query_range(200, &r.body)
                .unwrap()
                .is_empty());
        }
    }

    #[test]
    fn label_values_list_hosts_roles_and_metric_names() {
        let text = |name| String::from_utf8(label_values(name).body).unwrap();
        assert!(text("instance")
            .starts_with(r#"{"status":"success","data":["db-01","db-02","web-01","#));
        assert_eq!(text("role"), r#"{"status":"success","data":["db","web"]}"#);
        assert!(text("__name__").contains(r#""cpu_idle_percentage""#));
        assert_eq!(text("nope"), r#"{"status":"success","data":[]}"#);
    }
}
