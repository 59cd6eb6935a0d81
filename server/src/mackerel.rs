//! Mackerel-compatible API answers over the generated data: the host list,
//! host metrics (built-in and `custom.ecs.<task>.port.<port>`), service
//! metrics, metric-name lists and graph annotations, with Mackerel's error
//! shape (`{"error":{"message":…}}`) and statuses. Like Mackerel, a long
//! range comes back as averages at a coarser granularity. Every time is
//! checked before any work, and a long answer stops when its budget ends.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::budget::{Budget, OverBudget};
use crate::generator::{
    custom_metric_names, custom_value_at, find_custom, find_host, find_metric, retention_window,
    service_value_at, value_at, HOSTS, METRICS, SERVICES, STEP,
};
use crate::hourly;
use crate::reply::Reply;

/// The service the demo hosts belong to.
pub const SERVICE: &str = "shop";

/// Granularities Mackerel answers at, finest first; a range gets the finest
/// that keeps it within `MAX_POINTS` points (20 hours at 1 minute).
const GRANULARITIES: &[i64] = &[60, 300, 600, 3_600, 7_200, 14_400, 86_400];
const MAX_POINTS: i64 = 1_200;

/// The latest epoch second a request may name (the last second of 9999):
/// any time in range keeps every sum of times within i64.
pub const LATEST_TIME: i64 = 253_402_300_799;

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

    /// Every value of `key`, in order (`match[]` may come many times).
    pub fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
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
/// epoch second `now`, within `budget`.
pub fn answer(path: &str, query: &str, now: i64, budget: &Budget) -> Reply {
    let segments: Vec<&str> = path.split('/').collect();
    let reply = match segments.as_slice() {
        ["hosts"] => Ok(hosts()),
        ["hosts", id, "metrics"] => host_metrics(id, query, now, budget),
        ["hosts", id, "metric-names"] => Ok(match find_host(id) {
            Some(host) => names(
                METRICS
                    .iter()
                    .map(|m| m.name.to_string())
                    .chain(custom_metric_names(host))
                    .collect(),
            ),
            None => Reply::error(404, "Host Not Found."),
        }),
        ["services", name, "metrics"] => service_metrics(name, query, now, budget),
        ["services", name, "metric-names"] => Ok(match SERVICES.iter().find(|s| s.0 == *name) {
            Some((_, metrics)) => names(metrics.iter().map(|m| m.to_string()).collect()),
            None => Reply::error(404, "Service Not Found."),
        }),
        ["graph-annotations"] => Ok(graph_annotations(query, now)),
        _ => Ok(Reply::error(404, "Not Found.")),
    };
    reply.unwrap_or_else(|OverBudget| {
        Reply::error(
            503,
            "The demo API ran out of time for this request (or its client left); ask for a shorter range.",
        )
    })
}

fn hosts() -> Reply {
    #[derive(Serialize)]
    struct Host<'a> {
        id: &'a str,
        name: &'a str,
        roles: BTreeMap<&'a str, [&'a str; 1]>,
    }
    #[derive(Serialize)]
    struct Hosts<'a> {
        hosts: Vec<Host<'a>>,
    }
    let hosts = HOSTS
        .iter()
        .map(|h| Host {
            id: h.id,
            name: h.name,
            roles: BTreeMap::from([(SERVICE, [h.role])]),
        })
        .collect();
    Reply::json(200, &Hosts { hosts })
}

fn names(names: Vec<String>) -> Reply {
    #[derive(Serialize)]
    struct Names {
        names: Vec<String>,
    }
    Reply::json(200, &Names { names })
}

/// `from` and `to` of a metrics request, or the error to answer.
fn range_of(params: &Params) -> Result<(i64, i64), Reply> {
    let (Some(from), Some(to)) = (params.get("from"), params.get("to")) else {
        return Err(Reply::error(
            400,
            "from and to are required (epoch seconds).",
        ));
    };
    let (Ok(from), Ok(to)) = (from.parse::<i64>(), to.parse::<i64>()) else {
        return Err(Reply::error(
            400,
            "from and to must be integers (epoch seconds).",
        ));
    };
    if !(0..=LATEST_TIME).contains(&from) || !(0..=LATEST_TIME).contains(&to) {
        return Err(Reply::error(
            400,
            &format!("from and to must be epoch seconds from 0 to {LATEST_TIME}."),
        ));
    }
    if from > to {
        return Err(Reply::error(400, "from must not be after to."));
    }
    Ok((from, to))
}

fn host_metrics(id: &str, query: &str, now: i64, budget: &Budget) -> Result<Reply, OverBudget> {
    let params = Params::parse(query);
    let Some(host) = find_host(id) else {
        return Ok(Reply::error(404, "Host Not Found."));
    };
    let Some(name) = params.get("name").filter(|n| !n.is_empty()) else {
        return Ok(Reply::error(400, "name is required."));
    };
    let range = match range_of(&params) {
        Ok(range) => range,
        Err(reply) => return Ok(reply),
    };
    if let Some(metric) = find_metric(name) {
        let series = METRICS
            .iter()
            .position(|m| m.name == metric.name)
            .zip(HOSTS.iter().position(|h| h.id == host.id));
        return points(range, now, metric.decimals, series, budget, |t| {
            value_at(host, metric, t)
        });
    }
    match find_custom(host, name) {
        Some((task, port)) => points(range, now, 0, None, budget, |t| {
            custom_value_at(host, task, port, t)
        }),
        None => Ok(Reply::error(404, &format!("Metric Not Found: {name}"))),
    }
}

fn service_metrics(
    service: &str,
    query: &str,
    now: i64,
    budget: &Budget,
) -> Result<Reply, OverBudget> {
    let params = Params::parse(query);
    let Some(s) = SERVICES.iter().position(|s| s.0 == service) else {
        return Ok(Reply::error(404, "Service Not Found."));
    };
    let Some(name) = params.get("name").filter(|n| !n.is_empty()) else {
        return Ok(Reply::error(400, "name is required."));
    };
    let range = match range_of(&params) {
        Ok(range) => range,
        Err(reply) => return Ok(reply),
    };
    match SERVICES[s].1.iter().position(|m| *m == name) {
        Some(m) => points(range, now, 3, None, budget, |t| service_value_at(s, m, t)),
        None => Ok(Reply::error(404, &format!("Metric Not Found: {name}"))),
    }
}

#[derive(Serialize)]
struct Point {
    time: i64,
    value: f64,
}

#[derive(Serialize)]
struct Metrics {
    metrics: Vec<Point>,
}

/// `v` as the API writes it: `decimals` places, read back as a number.
fn rounded(v: f64, decimals: usize) -> f64 {
    format!("{v:.decimals$}").parse().unwrap_or(v)
}

/// The points of one series over `[from, to]`, oldest first: every minute
/// with data, or for a long range, averages over each bucket of the
/// granularity Mackerel would pick, at the bucket's start. A host metric
/// (`series`: indices into METRICS and HOSTS) sums whole hours from their
/// summaries.
fn points(
    (from, to): (i64, i64),
    now: i64,
    decimals: usize,
    series: Option<(usize, usize)>,
    budget: &Budget,
    value: impl Fn(i64) -> Option<f64>,
) -> Result<Reply, OverBudget> {
    let (first, last) = retention_window(now);
    let start = from.max(first).div_euclid(STEP) * STEP;
    let start = if start < from { start + STEP } else { start };
    let end = to.min(last);
    let granularity = GRANULARITIES
        .iter()
        .copied()
        .find(|g| (to - from) / g < MAX_POINTS)
        .unwrap_or(86_400);
    let mut metrics = Vec::new();
    let mut bucket = start.div_euclid(granularity) * granularity;
    while bucket <= end {
        budget.check()?;
        let (lo, hi) = (bucket.max(start), (bucket + granularity - STEP).min(end));
        let (sum, count) = match series.filter(|_| granularity >= hourly::HOUR) {
            Some(series) => {
                let total = std::cell::Cell::new((0.0, 0u32));
                let add = |s: f64, n: u32| total.set((total.get().0 + s, total.get().1 + n));
                let window = (lo - STEP, hi);
                hourly::visit(
                    series,
                    window,
                    (first, last),
                    now,
                    |v| add(v, 1),
                    |h| add(h.sum, h.count),
                );
                total.get()
            }
            None => (lo..=hi)
                .step_by(STEP as usize)
                .filter_map(&value)
                .fold((0.0, 0), |(s, n), v| (s + v, n + 1)),
        };
        if count > 0 {
            metrics.push(Point {
                time: bucket,
                value: rounded(sum / f64::from(count), decimals),
            });
        }
        bucket += granularity;
    }
    Ok(Reply::json(200, &Metrics { metrics }))
}

/// Deploys every few days and an occasional incident, for the service.
fn graph_annotations(query: &str, now: i64) -> Reply {
    #[derive(Serialize)]
    struct Annotation {
        id: String,
        title: String,
        description: &'static str,
        from: i64,
        to: i64,
        service: &'static str,
        roles: [&'static str; 1],
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Annotations {
        graph_annotations: Vec<Annotation>,
    }
    let params = Params::parse(query);
    if params.get("service") != Some(SERVICE) {
        return Reply::error(404, "Service Not Found.");
    }
    let (from, to) = match range_of(&params) {
        Ok(range) => range,
        Err(reply) => return reply,
    };
    let (first, last) = retention_window(now);
    const EVERY: i64 = 3 * 86_400 + 7 * 3_600;
    let mut list = Vec::new();
    let mut n = from.max(first).div_euclid(EVERY);
    while n * EVERY <= to.min(last) {
        let start = n * EVERY + 14 * 3_600;
        let incident = n % 7 == 3;
        let (title, length, role) = if incident {
            ("Incident: database failover", 95 * 60, "shop: db")
        } else {
            ("Deploy web <v2>", 12 * 60, "shop: web")
        };
        if start + length >= from && start <= to {
            list.push(Annotation {
                id: format!("ann{n}"),
                title: format!("{title} #{n}"),
                description: "generated",
                from: start,
                to: start + length,
                service: SERVICE,
                roles: [role],
            });
        }
        n += 1;
    }
    Reply::json(
        200,
        &Annotations {
            graph_annotations: list,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000;

    fn answer(path: &str, query: &str, now: i64) -> Reply {
        super::answer(
            path,
            query,
            now,
            &Budget::new(std::time::Duration::from_secs(60)),
        )
    }

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
            ("services/nope/metrics", "", 404, "Service Not Found."),
            ("nothing", "", 404, "Not Found."),
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
            b.contains(r#"{"id":"3yAYEDLXKL5","name":"web-01","roles":{"shop":["web"]}}"#),
            "{b}"
        );
    }

    fn times_and_values(r: &Reply) -> Vec<(i64, f64)> {
        let series = sabaplot::parse_mackerel_metrics(r.status, &r.body).unwrap();
        (0..series.len())
            .filter(|&i| !series.values()[i].is_nan())
            .map(|i| (series.time_at(i) as i64, series.values()[i]))
            .collect()
    }

    #[test]
    fn a_long_range_comes_back_as_averages_at_a_coarser_granularity() {
        let to = NOW.div_euclid(60) * 60;
        for (span, step) in [
            (20 * 3_600 - 60, 60),
            (86_400, 300),
            (7 * 86_400, 600),
            (30 * 86_400, 3_600),
            (460 * 86_400, 86_400),
        ] {
            let query = format!("name=loadavg5&from={}&to={to}", to - span);
            let r = answer("hosts/3yAYEDLXKL5/metrics", &query, NOW);
            let points = times_and_values(&r);
            assert!(
                points.len() as i64 <= MAX_POINTS,
                "{span}: {}",
                points.len()
            );
            assert!(points.windows(2).all(|w| (w[1].0 - w[0].0) % step == 0));
            assert!(
                points.iter().all(|p| p.0 % step == 0),
                "{span}: buckets start on the grid"
            );
        }
        // An hourly average is the mean of that hour's minutes.
        let hour = (to - 10 * 86_400).div_euclid(3_600) * 3_600;
        let r = answer(
            "hosts/3yAYEDLXKL5/metrics",
            &format!(
                "name=loadavg5&from={}&to={}",
                hour - 15 * 86_400,
                hour + 15 * 86_400
            ),
            NOW,
        );
        let average = times_and_values(&r)
            .into_iter()
            .find(|p| p.0 == hour)
            .unwrap()
            .1;
        let minutes = answer(
            "hosts/3yAYEDLXKL5/metrics",
            &format!("name=loadavg5&from={hour}&to={}", hour + 3_540),
            NOW,
        );
        let minutes = times_and_values(&minutes);
        let mean = minutes.iter().map(|p| p.1).sum::<f64>() / minutes.len() as f64;
        assert!((average - mean).abs() < 1e-3, "{average} vs {mean}");
    }

    #[test]
    fn hosts_have_custom_container_metrics_and_services_have_their_own() {
        let b = String::from_utf8(answer("hosts/3yAYEDLXKL5/metric-names", "", NOW).body).unwrap();
        assert!(b.contains(r#""custom.ecs.api-1.port.8080""#), "{b}");
        assert!(b.contains(r#""cpu.idle.percentage""#));
        let q = format!(
            "name=custom.ecs.worker-2.port.9090&from={}&to={NOW}",
            NOW - 3_600
        );
        assert!(!times_and_values(&answer("hosts/3yAYEDLXKL5/metrics", &q, NOW)).is_empty());
        let db = find_host("4zBZFEMYLM6").unwrap();
        assert!(
            custom_metric_names(db).is_empty(),
            "containers run on web hosts"
        );
        let q = format!("name=requests&from={}&to={NOW}", NOW - 3_600);
        assert!(times_and_values(&answer("services/shop/metrics", &q, NOW)).len() > 50);
        let hosts = String::from_utf8(answer("hosts", "", NOW).body).unwrap();
        assert_eq!(hosts.matches(r#"["web"]"#).count(), 16);
        assert_eq!(hosts.matches(r#"["db"]"#).count(), 2);
    }

    #[test]
    fn graph_annotations_parse_with_the_client_and_lie_in_the_range() {
        let (from, to) = (NOW - 30 * 86_400, NOW);
        let q = format!("service=shop&from={from}&to={to}");
        let r = answer("graph-annotations", &q, NOW);
        let list = sabaplot::parse_mackerel_annotations(r.status, &r.body).unwrap();
        assert!((8..=12).contains(&list.len()), "{}", list.len());
        assert!(list
            .iter()
            .all(|a| a.to >= from as f64 && a.from <= to as f64));
        assert!(list.iter().any(|a| a.title.starts_with("Incident")));
        assert_eq!(
            answer("graph-annotations", "service=nope&from=1&to=2", NOW).status,
            404
        );
    }
}
