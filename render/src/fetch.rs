//! The series a metrics API serves over a range, at 1 minute: the requests
//! the browser's loader would make (`sabaplot::plan_requests`), asked one at
//! a time, parsed by the same parsers and merged into a chart.

use std::io::Read;
use std::time::Duration;

use sabaplot::{Api, Chart, RequestKind};

/// Where the data comes from.
pub enum Source {
    /// A host's metric from the Mackerel-compatible API, drawn as `name`.
    Mackerel {
        base: String,
        host: String,
        metric: String,
        name: String,
    },
    /// A PromQL query; each series is named by its `instance` label (else
    /// by its labels).
    Prometheus { base: String, query: String },
}

/// The most one answer may hold: a week of 1-minute points for dozens of
/// series is a few MB.
const MOST_BYTES: u64 = 256 << 20;

/// Loads `[from, to]` from `source` into `chart`, planned for a plot
/// `columns` wide; returns how many points with a value came.
pub fn load(
    source: &Source,
    from: f64,
    to: f64,
    columns: usize,
    chart: &mut Chart,
) -> Result<usize, String> {
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("the HTTP client: {e}"))?;
    let api = match source {
        Source::Mackerel { .. } => Api::Mackerel,
        Source::Prometheus { .. } => Api::Prometheus,
    };
    let plan =
        sabaplot::plan_requests(api, (from, to), (from, to), columns).map_err(|e| e.to_string())?;
    let mut points = 0;
    for planned in plan.iter().filter(|r| r.kind == RequestKind::Minute) {
        // A chunk lies on the planner's grid: only its part in the range
        // is asked for and kept, as the browser's loader does.
        let (start, end) = (planned.from.max(from), planned.to.min(to));
        if start > end {
            continue;
        }
        let request = sabaplot::Request {
            from: start,
            to: end,
            ..planned.clone()
        };
        let span = Some((start, end + 60.0));
        match source {
            Source::Mackerel {
                base,
                host,
                metric,
                name,
            } => {
                let url = endpoint(base, &["api", "v0", "hosts", host, "metrics"])?;
                let query = [
                    ("name", metric.clone()),
                    ("from", request.from.to_string()),
                    ("to", request.to.to_string()),
                ];
                let (status, body) = get(&client, &url, &query)?;
                let series =
                    sabaplot::parse_mackerel_metrics(status, &body).map_err(|e| e.to_string())?;
                points += chart.merge(name, series, span).map_err(|e| e.to_string())?;
            }
            Source::Prometheus { base, query } => {
                let url = endpoint(base, &["api", "v1", "query_range"])?;
                let params = [
                    ("query", request.promql(query)),
                    ("start", request.from.to_string()),
                    ("end", request.to.to_string()),
                    ("step", request.step.to_string()),
                ];
                let (status, body) = get(&client, &url, &params)?;
                for named in sabaplot::parse_prometheus_query_range(status, &body)
                    .map_err(|e| e.to_string())?
                {
                    let name = instance_of(&named.name).unwrap_or(&named.name).to_string();
                    points += chart
                        .merge(&name, named.series, span)
                        .map_err(|e| e.to_string())?;
                }
            }
        }
    }
    Ok(points)
}

/// `base` with `segments` added to its path, each escaped (a host id
/// cannot step out of its place in the path).
fn endpoint(base: &str, segments: &[&str]) -> Result<String, String> {
    let mut url = reqwest::Url::parse(base).map_err(|e| format!("--base-url {base:?}: {e}"))?;
    url.path_segments_mut()
        .map_err(|()| format!("--base-url {base:?} cannot have a path"))?
        .pop_if_empty()
        .extend(segments);
    Ok(url.to_string())
}

/// One GET: the status and at most `MOST_BYTES` of the body.
fn get(
    client: &reqwest::blocking::Client,
    url: &str,
    query: &[(&str, String)],
) -> Result<(u16, Vec<u8>), String> {
    let response = client
        .get(url)
        .query(query)
        .send()
        .map_err(|e| format!("could not reach the metrics API ({url}): {e}"))?;
    let status = response.status().as_u16();
    let mut body = Vec::new();
    response
        .take(MOST_BYTES + 1)
        .read_to_end(&mut body)
        .map_err(|e| format!("reading the answer of {url}: {e}"))?;
    if body.len() as u64 > MOST_BYTES {
        return Err(format!("the answer of {url} is over {MOST_BYTES} bytes"));
    }
    Ok((status, body))
}

/// The value of the `instance` label in a series name such as
/// `loadavg5{instance="db-01",role="db"}`.
fn instance_of(name: &str) -> Option<&str> {
    let start = name.find("instance=\"")? + "instance=\"".len();
    let end = name[start..].find('"')?;
    Some(&name[start..start + end])
}
