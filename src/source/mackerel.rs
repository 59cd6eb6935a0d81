//! Mackerel metrics responses (`{"metrics":[{"time":…,"value":…}]}`, oldest
//! first) and error bodies (`{"error":{"message":…}}`). Points stream straight
//! into two columns: no object per point is ever built.

use std::fmt;

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use super::{is_success, json_error, SourceError};
use crate::series::Series;

/// The series in a Mackerel host or service metrics response with HTTP `status`.
pub fn parse_metrics(status: u16, body: &[u8]) -> Result<Series, SourceError> {
    let response: Response =
        serde_json::from_slice(body).map_err(|e| json_error(status, body, e))?;
    if let Some(error) = response.error {
        return Err(SourceError::Api {
            status,
            message: error.message(),
        });
    }
    if !is_success(status) {
        return Err(SourceError::Http { status });
    }
    let columns = response.metrics.ok_or_else(|| SourceError::Malformed {
        detail: "it has no \"metrics\" array".to_string(),
    })?;
    Ok(Series::from_points(&columns.times, &columns.values)?)
}

#[derive(Deserialize)]
struct Response {
    #[serde(default)]
    metrics: Option<Columns>,
    #[serde(default)]
    error: Option<ApiError>,
}

/// Mackerel writes `{"error":{"message":…}}`; a few endpoints a bare string.
#[derive(Deserialize)]
#[serde(untagged)]
enum ApiError {
    Object { message: String },
    Text(String),
}

impl ApiError {
    fn message(self) -> String {
        match self {
            ApiError::Object { message } | ApiError::Text(message) => message,
        }
    }
}

#[derive(Deserialize)]
struct Point {
    time: f64,
    /// `null` is a minute with no value.
    value: Option<f64>,
}

/// The points of a `metrics` array as columns.
struct Columns {
    times: Vec<f64>,
    values: Vec<f64>,
}

impl<'de> Deserialize<'de> for Columns {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(ColumnsVisitor)
    }
}

struct ColumnsVisitor;

impl<'de> Visitor<'de> for ColumnsVisitor {
    type Value = Columns;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of {\"time\": epoch seconds, \"value\": number} points")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Columns, A::Error> {
        // Cap the hint: it comes from the input.
        let hint = seq.size_hint().unwrap_or(0).min(1 << 20);
        let mut columns = Columns {
            times: Vec::with_capacity(hint),
            values: Vec::with_capacity(hint),
        };
        while let Some(point) = seq.next_element::<Point>()? {
            columns.times.push(point.time);
            columns.values.push(point.value.unwrap_or(f64::NAN));
        }
        Ok(columns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::series::SeriesError;

    #[test]
    fn a_metrics_response_becomes_a_series_with_gaps_for_missing_minutes_and_nulls() {
        let body =
            br#"{"metrics":[{"time":1700000000,"value":1.5},{"time":1700000060,"value":null},
            {"time":1700000180,"value":3}]}"#;
        let s = parse_metrics(200, body).unwrap();
        assert_eq!((s.start(), s.step(), s.len()), (1_700_000_000.0, 60.0, 4));
        assert_eq!(s.valid_count(), 2);
        assert_eq!(s.values()[3], 3.0);
    }

    #[test]
    fn the_apis_own_error_message_is_kept() {
        let e = parse_metrics(404, br#"{"error":{"message":"Host Not Found."}}"#).unwrap_err();
        assert_eq!(
            e,
            SourceError::Api {
                status: 404,
                message: "Host Not Found.".into()
            }
        );
        assert!(e.to_string().contains("HTTP 404: Host Not Found."));
    }

    #[test]
    fn an_html_error_page_is_named_as_such() {
        let body = b"\n<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>";
        let e = parse_metrics(502, body).unwrap_err();
        assert_eq!(e, SourceError::Html { status: 502 });
        assert!(e.to_string().contains("HTML page"));
        assert_eq!(
            parse_metrics(200, body).unwrap_err(),
            SourceError::Html { status: 200 }
        );
    }

    #[test]
    fn a_truncated_body_says_it_is_truncated() {
        let e = parse_metrics(200, br#"{"metrics":[{"time":1700000000,"val"#).unwrap_err();
        assert!(matches!(e, SourceError::Truncated { .. }), "{e:?}");
        assert!(e.to_string().contains("truncated"));
    }

    #[test]
    fn other_malformed_bodies_are_errors_not_panics() {
        let cases: &[(u16, &[u8])] = &[
            (200, b""),
            (200, b"not json"),
            (200, br#"{"metrics":{"time":1}}"#),
            (200, br#"{"metrics":[{"time":"soon","value":1}]}"#),
            (200, br#"{"metrics":[{"value":1}]}"#),
            (200, br#"{"hosts":[]}"#),
            (200, br#"{"metrics":[{"time":1e400,"value":1}]}"#),
            (500, b"Internal Server Error"),
            (503, b""),
        ];
        for (status, body) in cases {
            let e = parse_metrics(*status, body).unwrap_err();
            assert!(!e.to_string().is_empty());
        }
        assert_eq!(
            parse_metrics(503, b"oops").unwrap_err(),
            SourceError::Http { status: 503 }
        );
    }

    #[test]
    fn an_empty_series_is_an_error_that_says_so() {
        let e = parse_metrics(200, br#"{"metrics":[]}"#).unwrap_err();
        assert_eq!(e, SourceError::Series(SeriesError::Empty));
        assert!(e.to_string().contains("no data points"));
    }

    #[test]
    fn huge_values_parse() {
        let body = br#"{"metrics":[{"time":0,"value":1.7e308},{"time":60,"value":-1.7e308}]}"#;
        let s = parse_metrics(200, body).unwrap();
        assert_eq!(s.values(), &[1.7e308, -1.7e308]);
    }
}
