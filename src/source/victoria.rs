//! VictoriaMetrics' `/api/v1/export` answers: the stored samples of each
//! series at their own times, as JSON lines
//! `{"metric":{…},"values":[…],"timestamps":[…]}` (milliseconds). A long
//! series comes as several lines, one per storage block: they are joined by
//! the series' labels, in the order the series first appear. Errors come as
//! plain text (`remoteAddr: …; requestURI: …; <what went wrong>`), of which
//! the last part is kept.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::prometheus::{series_name, NamedSeries};
use super::{check_status, is_success, json_error, SourceError};
use crate::series::Series;

/// The most of an error text kept: enough for any message the engine
/// writes, not a page of something else.
const ERROR_CHARS: usize = 300;

/// The series of an export answer with HTTP `status`. An empty answer (the
/// selector matched nothing in the range) gives no series.
pub fn parse_export(status: u16, body: &[u8]) -> Result<Vec<NamedSeries>, SourceError> {
    check_status(status)?;
    if !is_success(status) {
        return Err(error_of(status, body));
    }
    // Each series' name and columns in the order it first appears, and
    // where to find it by name.
    let mut series: Vec<(String, Vec<f64>, Vec<f64>)> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for line in serde_json::Deserializer::from_slice(body).into_iter::<Line>() {
        let line = line.map_err(|e| json_error(status, body, e))?;
        let name = series_name(&line.metric);
        if line.values.len() != line.timestamps.len() {
            return Err(SourceError::Malformed {
                detail: format!(
                    "series {name} has {} values for {} timestamps",
                    line.values.len(),
                    line.timestamps.len()
                ),
            });
        }
        let k = *index.entry(name.clone()).or_insert_with(|| {
            series.push((name, Vec::new(), Vec::new()));
            series.len() - 1
        });
        let (_, times, values) = &mut series[k];
        times.extend(line.timestamps.iter().map(|ms| ms / 1000.0));
        values.extend(line.values.iter().map(|v| v.unwrap_or(f64::NAN)));
    }
    let mut out = Vec::with_capacity(series.len());
    for (name, times, values) in series {
        if times.is_empty() {
            continue;
        }
        let series = Series::from_points(&times, &values).map_err(|e| SourceError::Malformed {
            detail: format!("series {name}: {e}"),
        })?;
        out.push(NamedSeries { name, series });
    }
    Ok(out)
}

/// The error an answer with a failing `status` carries: the engine's text,
/// an HTML page, or Prometheus' JSON error shape.
fn error_of(status: u16, body: &[u8]) -> SourceError {
    #[derive(Deserialize)]
    struct JsonError {
        error: String,
    }
    if let Ok(JsonError { error }) = serde_json::from_slice::<JsonError>(body) {
        return SourceError::Api {
            status,
            message: error.chars().take(ERROR_CHARS).collect(),
        };
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.starts_with('<') {
        return SourceError::Html { status };
    }
    // The last part of `remoteAddr: …; requestURI: …; message` is the
    // message (the rest repeats the request).
    let message = if text.starts_with("remoteAddr:") {
        text.splitn(3, "; ").nth(2).unwrap_or(text)
    } else {
        text
    };
    if message.is_empty() {
        return SourceError::Http { status };
    }
    SourceError::Api {
        status,
        message: message.chars().take(ERROR_CHARS).collect(),
    }
}

/// One line: a series' labels and a block of its samples.
#[derive(Deserialize)]
struct Line {
    #[serde(default)]
    metric: BTreeMap<String, String>,
    values: Vec<Option<f64>>,
    timestamps: Vec<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: f64 = 1_767_225_480.0;

    #[test]
    fn lines_of_one_series_are_joined_and_samples_keep_their_own_times() {
        let body = format!(
            concat!(
                r#"{{"metric":{{"__name__":"loadavg5","instance":"web-01"}},"values":[1.5,2],"timestamps":[{a},{b}]}}"#,
                "\n",
                r#"{{"metric":{{"__name__":"loadavg5","instance":"web-02"}},"values":[7],"timestamps":[{a}]}}"#,
                "\n",
                r#"{{"metric":{{"instance":"web-01","__name__":"loadavg5"}},"values":[null,3.25,4],"timestamps":[{n},{c},{d}]}}"#,
                "\n"
            ),
            a = T * 1000.0,
            b = (T + 60.0) * 1000.0,
            n = (T + 120.0) * 1000.0,
            c = (T + 180.0) * 1000.0,
            d = (T + 200.5) * 1000.0,
        );
        let out = parse_export(200, body.as_bytes()).unwrap();
        let names: Vec<&str> = out.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                r#"loadavg5{instance="web-01"}"#,
                r#"loadavg5{instance="web-02"}"#
            ]
        );
        let s = &out[0].series;
        // Off the minute grid at the end: kept at its own time; null is a gap.
        let points: Vec<(f64, f64)> = (0..s.len())
            .map(|i| (s.time_at(i), s.values()[i]))
            .filter(|(_, v)| !v.is_nan())
            .collect();
        assert_eq!(
            points,
            [
                (T, 1.5),
                (T + 60.0, 2.0),
                (T + 180.0, 3.25),
                (T + 200.5, 4.0)
            ]
        );
        assert_eq!(out[1].series.values(), &[7.0]);
    }

    #[test]
    fn an_empty_answer_is_no_series() {
        assert_eq!(parse_export(200, b"").unwrap(), vec![]);
        assert_eq!(parse_export(200, b"\n").unwrap(), vec![]);
    }

    #[test]
    fn errors_keep_the_engines_words_and_bad_bodies_say_what_is_wrong() {
        let text = b"remoteAddr: \"127.0.0.1:34198\"; requestURI: /api/v1/export?match[]=x(; cannot parse matches[]=x(: unexpected token";
        assert_eq!(
            parse_export(400, text).unwrap_err(),
            SourceError::Api {
                status: 400,
                message: "cannot parse matches[]=x(: unexpected token".into()
            }
        );
        assert_eq!(
            parse_export(502, b"<html>Bad Gateway</html>").unwrap_err(),
            SourceError::Html { status: 502 }
        );
        assert_eq!(
            parse_export(503, b"").unwrap_err(),
            SourceError::Http { status: 503 }
        );
        let e = parse_export(422, br#"{"status":"error","error":"too many series"}"#).unwrap_err();
        assert!(e.to_string().contains("HTTP 422: too many series"), "{e}");
        let long = vec![b'x'; 10_000];
        let SourceError::Api { message, .. } = parse_export(500, &long).unwrap_err() else {
            panic!()
        };
        assert_eq!(message.len(), ERROR_CHARS);
        let line = r#"{"metric":{},"values":[1],"timestamps":[1767225480000]}"#;
        assert!(matches!(
            parse_export(200, &line.as_bytes()[..30]).unwrap_err(),
            SourceError::Truncated { .. }
        ));
        let cases: &[&[u8]] = &[
            b"null",
            b"[1,2]",
            br#"{"metric":{},"values":[1,2],"timestamps":[1767225480000]}"#,
            br#"{"metric":{},"values":["1"],"timestamps":[1767225480000]}"#,
            br#"{"metric":{},"values":[1],"timestamps":[1e300]}"#,
            br#"{"metric":{"a":1},"values":[1],"timestamps":[1767225480000]}"#,
        ];
        for body in cases {
            let e = parse_export(200, body).unwrap_err();
            assert!(!e.to_string().is_empty());
        }
        let e = parse_export(200, cases[2]).unwrap_err();
        assert!(e.to_string().contains("2 values for 1 timestamps"), "{e}");
    }
}
