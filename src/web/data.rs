//! Data crossing from JavaScript: series in wasm memory, the API parsers
//! (Mackerel, Prometheus, graph annotations) and the request planner.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{js_error, pixels, to_js};
use crate::Series;

/// One series in wasm memory, ready to hand to a chart.
#[wasm_bindgen]
pub struct SeriesData {
    pub(super) inner: Series,
    /// The name the API gave the series (Prometheus labels); empty if none.
    name: String,
}

#[wasm_bindgen]
impl SeriesData {
    /// A series from epoch seconds and values (typed arrays of equal length,
    /// any order; NaN is a gap).
    #[wasm_bindgen(constructor)]
    pub fn new(times: &[f64], values: &[f64]) -> Result<SeriesData, JsError> {
        let inner = Series::from_points(times, values).map_err(js_error)?;
        Ok(SeriesData {
            inner,
            name: String::new(),
        })
    }

    /// The name the API gave the series (`metric{label="value", …}` for
    /// Prometheus); empty when it gave none.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.name.clone()
    }

    /// Epoch seconds of the first slot.
    #[wasm_bindgen(getter)]
    pub fn start(&self) -> f64 {
        self.inner.start()
    }

    /// Seconds between slots.
    #[wasm_bindgen(getter)]
    pub fn step(&self) -> f64 {
        self.inner.step()
    }

    /// Slots, gaps included.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.inner.len()
    }

    /// Slots that hold a value.
    #[wasm_bindgen(getter, js_name = validCount)]
    pub fn valid_count(&self) -> usize {
        self.inner.valid_count()
    }

    /// A copy of the values, one per slot; NaN is a gap. Copied once,
    /// straight from wasm memory into a new Float64Array.
    pub fn values(&self) -> js_sys::Float64Array {
        js_sys::Float64Array::from(self.inner.values())
    }
}

/// Parses a Mackerel metrics response (the raw body bytes and HTTP status).
/// Throws an Error whose message says what is wrong: the API's own error
/// message, an HTML page, a truncated body, or a series with no points.
#[wasm_bindgen(js_name = parseMackerel)]
pub fn parse_mackerel(status: f64, body: &[u8]) -> Result<SeriesData, JsError> {
    let inner = crate::parse_mackerel_metrics(http_status(status)?, body).map_err(js_error)?;
    Ok(SeriesData {
        inner,
        name: String::new(),
    })
}

/// Parses a Mackerel metrics response for a loader: as `parseMackerel`,
/// but an answer with no points (a range without data) gives undefined
/// instead of an error.
#[wasm_bindgen(js_name = parseMackerelChunk)]
pub fn parse_mackerel_chunk(status: f64, body: &[u8]) -> Result<Option<SeriesData>, JsError> {
    match crate::parse_mackerel_metrics(http_status(status)?, body) {
        Ok(inner) => Ok(Some(SeriesData {
            inner,
            name: String::new(),
        })),
        Err(crate::SourceError::Series(crate::SeriesError::Empty)) => Ok(None),
        Err(e) => Err(js_error(e)),
    }
}

/// The metric names that match a Mackerel-style `pattern`, where `*` (or
/// `#`) stands for one whole dot-separated segment
/// (`custom.ecs.*.port.*`), in the order given.
#[wasm_bindgen(js_name = matchMetricNames)]
pub fn match_metric_names(pattern: &str, names: Vec<String>) -> Vec<String> {
    crate::select_metric_names(pattern, &names)
        .into_iter()
        .map(String::from)
        .collect()
}

/// Parses a Prometheus `query_range` response (the raw body bytes and HTTP
/// status) into its series, in the order the API sent them, each named from
/// its labels (`name`). No matching series gives an empty array. Throws an
/// Error with the API's own message, or saying the body is HTML, truncated
/// or not a matrix.
#[wasm_bindgen(js_name = parsePrometheus)]
pub fn parse_prometheus(status: f64, body: &[u8]) -> Result<Vec<SeriesData>, JsError> {
    named(crate::parse_prometheus_query_range(
        http_status(status)?,
        body,
    ))
}

/// Parses a VictoriaMetrics `/api/v1/export` answer (JSON lines, the raw
/// body bytes and HTTP status) into its series, in the order they first
/// appear, each named from its labels as `parsePrometheus` names them, the
/// samples at their own times. An empty answer gives an empty array.
/// Throws an Error with the engine's own message, or saying the body is
/// HTML, truncated or not export lines.
#[wasm_bindgen(js_name = parseVictoriaExport)]
pub fn parse_victoria_export(status: f64, body: &[u8]) -> Result<Vec<SeriesData>, JsError> {
    named(crate::parse_victoria_export(http_status(status)?, body))
}

/// Named series for JavaScript, or the parser's error.
fn named(
    list: Result<Vec<crate::NamedSeries>, crate::SourceError>,
) -> Result<Vec<SeriesData>, JsError> {
    let list = list.map_err(js_error)?;
    Ok(list
        .into_iter()
        .map(|named| SeriesData {
            inner: named.series,
            name: named.name,
        })
        .collect())
}

/// Parses a Mackerel graph-annotations response into annotations, earliest
/// first. Their titles are text from the API: put them in the page as text.
#[wasm_bindgen(
    js_name = parseMackerelAnnotations,
    unchecked_return_type = "GraphAnnotation[]"
)]
pub fn parse_mackerel_annotations(status: f64, body: &[u8]) -> Result<JsValue, JsError> {
    let list = crate::parse_mackerel_annotations(http_status(status)?, body).map_err(js_error)?;
    to_js(&list)
}

/// The requests that load `[from, to]` (epoch seconds) at 1-minute
/// resolution from `api` (see `Api`: "mackerel", "prometheus", "thanos",
/// "mimir", "victoriametrics" or `{ maxPoints, splitBy }`) for a plot `width`
/// pixel columns wide showing `[visibleFrom, visibleTo]`: the coarse picture
/// first, then 1-minute chunks within the API's limit, the visible ones
/// first, newest first. With `query` (any engine but Mackerel), each request
/// carries the PromQL to send.
#[wasm_bindgen(js_name = planRequests, unchecked_return_type = "PlannedRequest[]")]
pub fn plan_requests(
    #[wasm_bindgen(unchecked_param_type = "Api")] api: JsValue,
    from: f64,
    to: f64,
    visible_from: f64,
    visible_to: f64,
    width: f64,
    query: Option<String>,
) -> Result<JsValue, JsError> {
    let api = api_of(&api, query.as_deref())?;
    let plan = crate::plan_requests(
        api,
        (from, to),
        (visible_from, visible_to),
        pixels(width)? as usize,
    )
    .map_err(js_error)?;
    #[derive(Serialize)]
    struct Planned {
        #[serde(flatten)]
        request: crate::Request,
        #[serde(skip_serializing_if = "Option::is_none")]
        promql: Option<String>,
    }
    let planned: Vec<Planned> = plan
        .into_iter()
        .map(|request| Planned {
            promql: query.as_deref().map(|q| request.promql(q)),
            request,
        })
        .collect();
    to_js(&planned)
}

/// The API named by `api` (a name, or `{ maxPoints, splitBy }` for an
/// engine with other limits); VictoriaMetrics' detail comes from its export
/// when `query` is a plain selector, which is all export takes.
fn api_of(api: &JsValue, query: Option<&str>) -> Result<crate::Api, JsError> {
    use crate::Api;
    if let Some(name) = api.as_string() {
        return match name.as_str() {
            "mackerel" => Ok(Api::Mackerel),
            "prometheus" | "thanos" => Ok(Api::Prometheus),
            "mimir" | "cortex" => Ok(Api::Mimir),
            "victoriametrics" => Ok(Api::VictoriaMetrics {
                export: query.is_some_and(crate::source::plan::is_plain_selector),
            }),
            other => Err(JsError::new(&format!(
                "unknown API {other:?}: expected \"mackerel\", \"prometheus\", \"thanos\", \"mimir\", \"victoriametrics\" or {{ maxPoints, splitBy }}"
            ))),
        };
    }
    let field = |name: &str| {
        js_sys::Reflect::get(api, &name.into())
            .ok()
            .and_then(|v| v.as_f64())
            .ok_or_else(|| {
                JsError::new(&format!(
                    "a custom API needs {name} (a number): {{ maxPoints, splitBy }}"
                ))
            })
    };
    if !api.is_object() {
        return Err(JsError::new(
            "the API must be a name or { maxPoints, splitBy }",
        ));
    }
    Ok(Api::Custom {
        max_points: field("maxPoints")?,
        split_by: field("splitBy")?,
    })
}

/// An HTTP status from JavaScript, checked before it is narrowed (65736
/// must not become 200).
fn http_status(status: f64) -> Result<u16, JsError> {
    crate::limits::Limit::HttpStatus
        .check(status)
        .map(|s| s as u16)
        .map_err(js_error)
}
