//! A VictoriaMetrics-compatible `GET /api/v1/export` over the generated
//! data: the stored samples — no step, no lookback — of every series one of
//! the `match[]` selectors picks, in `[start, end]` (epoch seconds, both
//! included), as JSON lines `{"metric":{…},"values":[…],"timestamps":[…]}`
//! with times in milliseconds. Like VictoriaMetrics it writes a long series
//! as several lines (one per storage block) and its errors as plain text.
//! `sabaplot-server export DAYS END HOSTS` writes the same lines for a real
//! VictoriaMetrics' import API.

use std::io::{self, Write};

use crate::budget::{Budget, OverBudget};
use crate::generator::{retention_window, value_at, Host, Metric, HOSTS, METRICS, STEP};
use crate::mackerel::{Params, LATEST_TIME};
use crate::prometheus::{labels, Selector};
use crate::reply::Reply;

/// Samples in one line, as a VictoriaMetrics storage block holds at most.
const BLOCK: usize = 8_192;
/// Series and samples one answer may hold (the demo's own guards: 100
/// series, or about 80 MB of JSON).
const MAX_SERIES: usize = 100;
const MAX_SAMPLES: i64 = 4_000_000;
/// VictoriaMetrics' content type for JSON lines.
const JSON_LINES: &str = "application/stream+json; charset=utf-8";

/// Answers `export` with query string `query`, as at epoch second `now`,
/// within `budget`.
pub fn export(query: &str, now: i64, budget: &Budget) -> Reply {
    match lines(query, now, budget) {
        Ok(Ok(body)) => Reply {
            status: 200,
            content_type: JSON_LINES,
            body,
        },
        Ok(Err(message)) => text(400, &format!("cannot export: {message}")),
        Err(OverBudget) => text(503, "cannot export: the request ran out of time"),
    }
}

/// A plain-text error, as VictoriaMetrics writes them.
fn text(status: u16, message: &str) -> Reply {
    Reply {
        status,
        content_type: "text/plain; charset=utf-8",
        body: message.as_bytes().to_vec(),
    }
}

/// The answer's body, or why the request is refused (checked before any
/// data is read); Err when the budget ran out.
fn lines(query: &str, now: i64, budget: &Budget) -> Result<Result<Vec<u8>, String>, OverBudget> {
    let params = Params::parse(query);
    let selectors: Vec<&str> = params.all("match[]").collect();
    if selectors.is_empty() {
        return Ok(Err("missing `match[]` arg".to_string()));
    }
    let selectors = match selectors
        .iter()
        .map(|s| Selector::parse(s).map_err(|e| format!("cannot parse match[]={s}: {e}")))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(selectors) => selectors,
        Err(message) => return Ok(Err(message)),
    };
    let (first, last) = retention_window(now);
    // Whole seconds inward: a sample at `start` or `end` is included.
    let time = |key: &str, default: i64, round: fn(f64) -> f64| -> Result<i64, String> {
        match params.get(key) {
            None | Some("") => Ok(default),
            Some(raw) => raw
                .parse::<f64>()
                .ok()
                .filter(|t| (0.0..=LATEST_TIME as f64).contains(t))
                .map(|t| round(t) as i64)
                .ok_or_else(|| format!("cannot parse {key:?} arg {raw:?}: not epoch seconds")),
        }
    };
    let (start, end) = match (
        time("start", first, f64::ceil),
        time("end", now, f64::floor),
    ) {
        (Ok(start), Ok(end)) => (start, end),
        (Err(e), _) | (_, Err(e)) => return Ok(Err(e)),
    };
    let series: Vec<(&Metric, &Host)> = METRICS
        .iter()
        .flat_map(|m| HOSTS.iter().map(move |h| (m, h)))
        .filter(|(m, h)| selectors.iter().any(|s| s.matches(&labels(m, h))))
        .collect();
    let (from, to) = (start.max(first), end.min(last));
    let minutes = if to < from { 0 } else { (to - from) / STEP + 1 };
    if series.len() > MAX_SERIES || series.len() as i64 * minutes > MAX_SAMPLES {
        return Ok(Err(format!(
            "the selectors match {} series of up to {minutes} samples; the demo server exports at \
             most {MAX_SERIES} series and {MAX_SAMPLES} samples a request: narrow the selectors \
             or the time range",
            series.len()
        )));
    }
    let mut body = Vec::new();
    for (metric, host) in series {
        budget.check()?;
        let minutes = (from.div_euclid(STEP) * STEP..=to)
            .step_by(STEP as usize)
            .filter(|t| *t >= from);
        // Writing to a Vec cannot fail.
        let _ = write_series(&mut body, metric, host, minutes);
    }
    Ok(Ok(body))
}

/// Writes the samples of `metric` on `host` at `minutes` as lines of at
/// most `BLOCK` samples; minutes without data are left out.
fn write_series(
    out: &mut impl Write,
    metric: &Metric,
    host: &Host,
    minutes: impl Iterator<Item = i64>,
) -> io::Result<()> {
    let labels: serde_json::Map<String, serde_json::Value> = labels(metric, host)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.into()))
        .collect();
    let labels = serde_json::to_string(&labels)?;
    let mut samples = minutes.filter_map(|t| value_at(host, metric, t).map(|v| (t, v)));
    loop {
        let block: Vec<(i64, f64)> = samples.by_ref().take(BLOCK).collect();
        if block.is_empty() {
            return Ok(());
        }
        let join = |f: &dyn Fn(&(i64, f64)) -> String| -> String {
            block.iter().map(f).collect::<Vec<_>>().join(",")
        };
        writeln!(
            out,
            r#"{{"metric":{labels},"values":[{}],"timestamps":[{}]}}"#,
            join(&|(_, v)| v.to_string()),
            join(&|(t, _)| (t * 1000).to_string()),
        )?;
    }
}

/// `export DAYS END HOSTS`: loadavg5 of the first HOSTS hosts over the DAYS
/// days ending at END, to stdout.
pub fn main(args: &[String]) -> Result<(), String> {
    let usage = "usage: sabaplot-server export DAYS END_EPOCH_SECONDS HOSTS";
    let number = |k: usize, range: std::ops::RangeInclusive<i64>| {
        args.get(k)
            .and_then(|d| d.parse::<i64>().ok())
            .filter(|d| range.contains(d))
            .ok_or(usage)
    };
    let days = number(0, 1..=460)?;
    let end = number(1, 0..=LATEST_TIME)?;
    let hosts = number(2, 1..=HOSTS.len() as i64)? as usize;
    let metric = crate::generator::find_metric("loadavg5").ok_or("no loadavg5 metric")?;
    let last = end.div_euclid(STEP) * STEP;
    let first = last - days * 86_400 + STEP;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for host in &HOSTS[..hosts] {
        write_series(
            &mut out,
            metric,
            host,
            (first..=last).step_by(STEP as usize),
        )
        .map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const NOW: i64 = 1_780_000_000;

    fn ask(query: &str) -> Reply {
        export(query, NOW, &Budget::new(Duration::from_secs(60)))
    }

    /// Each line's labels, values and timestamps.
    fn parsed(reply: &Reply) -> Vec<(serde_json::Value, Vec<f64>, Vec<i64>)> {
        reply
            .text()
            .lines()
            .map(|line| {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                let values = v["values"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_f64().unwrap());
                let times = v["timestamps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_i64().unwrap());
                (v["metric"].clone(), values.collect(), times.collect())
            })
            .collect()
    }

    #[test]
    fn the_stored_samples_of_each_matching_series_come_in_blocks_with_both_ends_included() {
        let end = NOW / 60 * 60 - 3_600;
        let start = end - 20 * 86_400;
        let reply = ask(&format!(
            "match%5B%5D=loadavg5%7Binstance%3D~%22web-0%5B12%5D%22%7D&start={start}&end={end}"
        ));
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert!(reply.content_type.starts_with("application/stream+json"));
        let lines = parsed(&reply);
        let web01: Vec<_> = lines
            .iter()
            .filter(|l| l.0["instance"] == "web-01")
            .collect();
        // 28,801 minutes (some without data): three lines of a full block,
        // then one of the rest.
        assert_eq!(
            web01.iter().map(|l| l.1.len()).collect::<Vec<_>>()[..2],
            [BLOCK, BLOCK]
        );
        let times: Vec<i64> = web01.iter().flat_map(|l| l.2.clone()).collect();
        let values: Vec<f64> = web01.iter().flat_map(|l| l.1.clone()).collect();
        assert_eq!(times[0], start * 1000);
        assert_eq!(*times.last().unwrap(), end * 1000);
        let host = &HOSTS[0];
        let metric = crate::generator::find_metric("loadavg5").unwrap();
        let expected: Vec<(i64, f64)> = (start..=end)
            .step_by(60)
            .filter_map(|t| value_at(host, metric, t).map(|v| (t * 1000, v)))
            .collect();
        assert_eq!(times.into_iter().zip(values).collect::<Vec<_>>(), expected);
        assert_eq!(web01[0].0["__name__"], "loadavg5");
        assert_eq!(
            lines.iter().filter(|l| l.0["instance"] == "web-02").count(),
            4
        );
        assert!(lines.iter().all(|l| l.1.len() == l.2.len()));
    }

    #[test]
    fn errors_are_plain_text_and_say_what_is_wrong() {
        let cases = [
            ("start=1&end=2", "missing `match[]`"),
            ("match%5B%5D=loadavg5(&start=1", "cannot parse match[]"),
            ("match%5B%5D=loadavg5&start=soon", "\"start\""),
            (
                "match%5B%5D=%7Brole%3D~%22.%2A%22%7D",
                "narrow the selectors",
            ),
        ];
        for (query, words) in cases {
            let reply = ask(query);
            assert_eq!(reply.status, 400, "{query}");
            assert!(reply.content_type.starts_with("text/plain"));
            assert!(reply.text().contains(words), "{query}: {}", reply.text());
        }
        // Nothing matched, or nothing stored in the range: an empty answer.
        for query in [
            "match%5B%5D=nothing_here",
            "match%5B%5D=loadavg5&start=0&end=100",
        ] {
            let reply = ask(query);
            assert_eq!((reply.status, reply.text()), (200, ""), "{query}");
        }
    }
}
