//! Mackerel metrics responses (`{"metrics":[{"time":…,"value":…}]}`, oldest
//! first) and error bodies (`{"error":{"message":…}}`). Points stream straight
//! into two columns: no object per point is ever built.

use serde::Deserialize;

use super::{check_status, is_success, json_error, Columns, JsonPoint, SourceError};
use crate::limits::Limit;
use crate::series::Series;

fn is_time(t: f64) -> bool {
    Limit::Time.check(t).is_ok()
}

/// The series in a Mackerel host or service metrics response with HTTP `status`.
pub fn parse_metrics(status: u16, body: &[u8]) -> Result<Series, SourceError> {
    check_status(status)?;
    if is_success(status) {
        if let Some((times, values)) = super::scan::metrics(body) {
            return Ok(Series::from_points(&times, &values)?);
        }
    }
    let response: Response =
        serde_json::from_slice(body).map_err(|e| json_error(status, body, e))?;
    api_outcome(status, response.error)?;
    let columns = response.metrics.ok_or_else(|| SourceError::Malformed {
        detail: "it has no \"metrics\" array".to_string(),
    })?;
    Ok(Series::from_points(&columns.times, &columns.values)?)
}

/// A graph annotation: a span of time with a title, drawn as a band.
#[derive(Clone, Debug, PartialEq, Deserialize, serde::Serialize)]
pub struct GraphAnnotation {
    pub from: f64,
    pub to: f64,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub service: String,
    #[serde(default)]
    pub roles: Vec<String>,
}

/// The annotations in a Mackerel graph-annotations response with HTTP
/// `status`, earliest first. One whose `to` is before its `from` is an error
/// (it names the annotation): it cannot be drawn as asked.
pub fn parse_annotations(status: u16, body: &[u8]) -> Result<Vec<GraphAnnotation>, SourceError> {
    check_status(status)?;
    #[derive(Deserialize)]
    struct Annotations {
        #[serde(default, rename = "graphAnnotations")]
        graph_annotations: Option<Vec<GraphAnnotation>>,
        #[serde(default)]
        error: Option<ApiError>,
    }
    let response: Annotations =
        serde_json::from_slice(body).map_err(|e| json_error(status, body, e))?;
    api_outcome(status, response.error)?;
    let mut list = response
        .graph_annotations
        .ok_or_else(|| SourceError::Malformed {
            detail: "it has no \"graphAnnotations\" array".to_string(),
        })?;
    if let Some(bad) = list
        .iter()
        .find(|a| !(is_time(a.from) && is_time(a.to) && a.from <= a.to))
    {
        return Err(SourceError::Malformed {
            detail: format!(
                "annotation {:?} runs from {} to {}, which is not a span of time",
                bad.title, bad.from, bad.to
            ),
        });
    }
    list.sort_by(|a, b| a.from.total_cmp(&b.from));
    Ok(list)
}

#[derive(Deserialize)]
struct Response {
    #[serde(default)]
    metrics: Option<Columns<Point>>,
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

/// The API's own error when the body carries one; else an error status
/// without one is an HTTP error.
fn api_outcome(status: u16, error: Option<ApiError>) -> Result<(), SourceError> {
    match error {
        Some(error) => Err(SourceError::Api {
            status,
            message: error.message(),
        }),
        None if !is_success(status) => Err(SourceError::Http { status }),
        None => Ok(()),
    }
}

impl ApiError {
    fn message(self) -> String {
        match self {
            ApiError::Object { message } | ApiError::Text(message) => message,
        }
    }
}

#[derive(Deserialize)]
pub(super) struct Point {
    time: f64,
    /// `null` is a minute with no value.
    value: Option<f64>,
}

impl JsonPoint for Point {
    const EXPECTING: &'static str =
        "an array of {\"time\": epoch seconds, \"value\": number} points";

    fn time_value(self) -> (f64, f64) {
        (self.time, self.value.unwrap_or(f64::NAN))
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
    fn annotations_come_back_earliest_first_and_bad_spans_are_named() {
        let body = br#"{"graphAnnotations":[
            {"id":"2","title":"<b>deploy</b> v2","description":"","from":1700003600,"to":1700007200,"service":"web","roles":["app"]},
            {"id":"1","title":"maintenance","from":1700000000,"to":1700000600,"service":"web"}]}"#;
        let list = parse_annotations(200, body).unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(
            (list[0].title.as_str(), list[0].from, list[0].to),
            ("maintenance", 1_700_000_000.0, 1_700_000_600.0)
        );
        assert_eq!(list[1].title, "<b>deploy</b> v2");
        assert_eq!(list[1].roles, ["app"]);
        let bad = br#"{"graphAnnotations":[{"title":"backwards","from":20,"to":10}]}"#;
        let e = parse_annotations(200, bad).unwrap_err();
        assert!(
            e.to_string().contains("\"backwards\" runs from 20 to 10"),
            "{e}"
        );
        let e = parse_annotations(403, br#"{"error":{"message":"Forbidden"}}"#).unwrap_err();
        assert!(e.to_string().contains("HTTP 403: Forbidden"), "{e}");
        assert!(parse_annotations(200, br#"{"graphAnnotations":[{"title":1}]}"#).is_err());
        assert!(parse_annotations(200, br#"{}"#).is_err());
    }

    #[test]
    fn huge_values_parse() {
        let body = br#"{"metrics":[{"time":0,"value":1.7e308},{"time":60,"value":-1.7e308}]}"#;
        let s = parse_metrics(200, body).unwrap();
        assert_eq!(s.values(), &[1.7e308, -1.7e308]);
    }
}
