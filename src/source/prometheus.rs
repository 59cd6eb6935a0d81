//! Prometheus `query_range` responses
//! (`{"status":"success","data":{"resultType":"matrix","result":[…]}}`),
//! several series each, named from their labels; values are strings, `"NaN"`,
//! `"+Inf"` and `"-Inf"` included. Error bodies
//! (`{"status":"error","errorType":…,"error":…}`) keep the API's message.
//! Points stream straight into two columns per series: no object per point.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use super::{check_status, is_success, json_error, Columns, JsonPoint, SourceError};
use crate::series::Series;

/// One series of a response: the name a legend shows, and its points.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedSeries {
    /// `metric{label="value", …}`, labels sorted, as PromQL writes a series.
    pub name: String,
    pub series: Series,
}

/// The series in a `query_range` response with HTTP `status`, in the order
/// the API sent them. A query that matches nothing gives no series (not an
/// error: the caller says "no data"); a series without points is left out.
pub fn parse_query_range(status: u16, body: &[u8]) -> Result<Vec<NamedSeries>, SourceError> {
    check_status(status)?;
    let response: Response =
        serde_json::from_slice(body).map_err(|e| json_error(status, body, e))?;
    if response.status.as_deref() == Some("error") || response.error.is_some() {
        let message = match (response.error_type, response.error) {
            (Some(kind), Some(error)) => format!("{error} ({kind})"),
            (None, Some(error)) => error,
            (Some(kind), None) => kind,
            (None, None) => "status \"error\" without a message".to_string(),
        };
        return Err(SourceError::Api { status, message });
    }
    if !is_success(status) {
        return Err(SourceError::Http { status });
    }
    let data = response.data.ok_or_else(|| SourceError::Malformed {
        detail: "it has no \"data\" object".to_string(),
    })?;
    if data.result_type != "matrix" {
        return Err(SourceError::Malformed {
            detail: format!(
                "the result is a {}, not the matrix query_range returns; \
                 is the URL /api/v1/query_range?",
                data.result_type
            ),
        });
    }
    let mut out = Vec::with_capacity(data.result.len());
    for result in data.result {
        let Some(columns) = result.values.filter(|c| !c.times.is_empty()) else {
            continue;
        };
        let name = series_name(&result.metric);
        let series = Series::from_points(&columns.times, &columns.values).map_err(|e| {
            SourceError::Malformed {
                detail: format!("series {name}: {e}"),
            }
        })?;
        out.push(NamedSeries { name, series });
    }
    Ok(out)
}

/// `name{a="1", b="2"}` from the labels, `__name__` first; `{}` for none.
pub fn series_name(labels: &BTreeMap<String, String>) -> String {
    let metric = labels.get("__name__").map_or("", String::as_str);
    let rest: Vec<String> = labels
        .iter()
        .filter(|(k, _)| k.as_str() != "__name__")
        .map(|(k, v)| format!("{k}={v:?}"))
        .collect();
    if rest.is_empty() && !metric.is_empty() {
        metric.to_string()
    } else {
        format!("{metric}{{{}}}", rest.join(", "))
    }
}

#[derive(Deserialize)]
struct Response {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    data: Option<Data>,
    #[serde(default, rename = "errorType")]
    error_type: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Deserialize)]
struct Data {
    #[serde(rename = "resultType")]
    result_type: String,
    result: Vec<ResultSeries>,
}

#[derive(Deserialize)]
struct ResultSeries {
    #[serde(default)]
    metric: BTreeMap<String, String>,
    #[serde(default)]
    values: Option<Columns<Pair>>,
}

/// One `[time, "value"]`.
struct Pair(f64, f64);

impl JsonPoint for Pair {
    const EXPECTING: &'static str = "an array of [epoch seconds, \"value\"] pairs";

    fn time_value(self) -> (f64, f64) {
        (self.0, self.1)
    }
}

impl<'de> Deserialize<'de> for Pair {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(PairVisitor)
    }
}

struct PairVisitor;

impl<'de> Visitor<'de> for PairVisitor {
    type Value = Pair;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a [epoch seconds, \"value\"] pair")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Pair, A::Error> {
        let time: f64 = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(0, &self))?;
        let value: Value = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(1, &self))?;
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(3, &self));
        }
        Ok(Pair(time, value.0))
    }
}

/// A sample value: Prometheus writes it as a string.
struct Value(f64);

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(ValueVisitor)
    }
}

struct ValueVisitor;

impl Visitor<'_> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a sample value as a string (\"12.5\", \"NaN\", \"+Inf\")")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        // Rust's parser takes Prometheus's spellings: "NaN", "+Inf", "-Inf",
        // exponents. Infinities become gaps in the series.
        s.parse()
            .map(Value)
            .map_err(|_| E::custom(format!("sample value {s:?} is not a number")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(results: &str) -> Vec<u8> {
        format!(r#"{{"status":"success","data":{{"resultType":"matrix","result":[{results}]}}}}"#)
            .into_bytes()
    }

    #[test]
    fn several_series_come_back_named_from_their_labels_with_special_values_as_gaps() {
        let body = matrix(
            r#"{"metric":{"__name__":"node_load1","instance":"web-1:9100","job":"node"},
                "values":[[1700000000,"1.5"],[1700000060,"NaN"],[1700000120,"+Inf"],
                          [1700000180,"-Inf"],[1700000240,"2e+3"]]},
               {"metric":{"instance":"web-2:9100"},"values":[[1700000000,"0.25"]]},
               {"metric":{"__name__":"up"},"values":[[1700000000,"1"]]}"#,
        );
        let out = parse_query_range(200, &body).unwrap();
        let names: Vec<&str> = out.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                r#"node_load1{instance="web-1:9100", job="node"}"#,
                r#"{instance="web-2:9100"}"#,
                "up"
            ]
        );
        let s = &out[0].series;
        assert_eq!((s.start(), s.step(), s.len()), (1_700_000_000.0, 60.0, 5));
        assert_eq!(s.values()[0], 1.5);
        assert!(s.values()[1..4].iter().all(|v| v.is_nan()));
        assert_eq!(s.values()[4], 2000.0);
        assert_eq!(out[1].series.values(), &[0.25]);
    }

    #[test]
    fn the_apis_error_text_is_kept_word_for_word() {
        let body = br#"{"status":"error","errorType":"bad_data","error":"exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"}"#;
        let e = parse_query_range(400, body).unwrap_err();
        let SourceError::Api { status, message } = &e else {
            panic!("{e:?}");
        };
        assert_eq!(*status, 400);
        assert!(message.starts_with("exceeded maximum resolution of 11,000 points"));
        assert!(message.ends_with("(bad_data)"));
        assert!(e.to_string().contains("HTTP 400"));
    }

    #[test]
    fn no_matching_series_is_an_empty_answer_and_empty_series_are_left_out() {
        assert_eq!(parse_query_range(200, &matrix("")).unwrap(), vec![]);
        let body = matrix(r#"{"metric":{"__name__":"a"},"values":[]},{"metric":{"__name__":"b"}}"#);
        assert_eq!(parse_query_range(200, &body).unwrap(), vec![]);
    }

    #[test]
    fn bad_bodies_are_errors_that_say_what_is_wrong() {
        let html = b"<html><body>502 Bad Gateway</body></html>";
        assert_eq!(
            parse_query_range(502, html).unwrap_err(),
            SourceError::Html { status: 502 }
        );
        let truncated = &matrix(r#"{"metric":{},"values":[[1700000000,"1"]]}"#)[..60];
        assert!(matches!(
            parse_query_range(200, truncated).unwrap_err(),
            SourceError::Truncated { .. }
        ));
        let vector = br#"{"status":"success","data":{"resultType":"vector","result":[]}}"#;
        let e = parse_query_range(200, vector).unwrap_err();
        assert!(e.to_string().contains("query_range"), "{e}");
        let cases: &[&[u8]] = &[
            b"",
            b"null",
            br#"{"status":"success"}"#,
            &matrix(r#"{"metric":{},"values":[[1700000000,"lots"]]}"#),
            &matrix(r#"{"metric":{},"values":[[1700000000,1.5]]}"#),
            &matrix(r#"{"metric":{},"values":[[1700000000]]}"#),
            &matrix(r#"{"metric":{},"values":[[1700000000,"1","2"]]}"#),
            &matrix(r#"{"metric":{},"values":[["soon","1"]]}"#),
            &matrix(r#"{"metric":{"a":1},"values":[]}"#),
        ];
        for body in cases {
            let e = parse_query_range(200, body).unwrap_err();
            assert!(!e.to_string().is_empty());
        }
        let e = parse_query_range(
            200,
            &matrix(r#"{"metric":{},"values":[[1700000000,"lots"]]}"#),
        )
        .unwrap_err();
        assert!(e.to_string().contains(r#""lots" is not a number"#), "{e}");
    }

    #[test]
    fn an_error_status_without_an_api_body_is_an_http_error() {
        assert_eq!(
            parse_query_range(503, &matrix("")).unwrap_err(),
            SourceError::Http { status: 503 }
        );
    }
}
