//! The JavaScript API: the only code that says `#[wasm_bindgen]`. It converts
//! arguments, forwards to the core and turns every error into a `JsError`
//! through one helper; the pipeline itself lives in the core.

mod canvas;
mod events;
mod guard;
mod locale;
mod overlay;
mod zone;

use std::cell::RefCell;
use std::fmt::Display;
use std::rc::{Rc, Weak};

use plotters_backend::DrawingBackend;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::limits::MAX_IMAGE_SIDE;
use crate::{ChartOptions, Frame, Series};
use canvas::CanvasBackend;
use events::Listener;
use overlay::Overlay;

/// The one door from a core error to JavaScript.
fn js_error(e: impl Display) -> JsError {
    JsError::new(&e.to_string())
}

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Unit of a chart's values: axis labels, tooltip and legend follow it. */
export type Unit = "float" | "integer" | "percentage" | "seconds" | "milliseconds"
  | "bytes" | "bytes/sec" | "bits/sec" | "iops";

/** A horizontal alert line. */
export interface Threshold {
  value: number;
  level?: "warning" | "critical";
  /** Written at the line's right end; by default the level and value. */
  label?: string | null;
}

/** A band over [from, to] (epoch seconds) with a title. */
export interface Annotation {
  from: number;
  to: number;
  title?: string;
}

/** A Mackerel graph annotation (`parseMackerelAnnotations`). */
export interface GraphAnnotation {
  from: number;
  to: number;
  title: string;
  description: string;
  service: string;
  roles: string[];
}

/**
 * One request of a load plan (`planRequests`): the points from `from` to `to`
 * (epoch seconds, both included) `step` seconds apart. "min"/"max" are the
 * two edges of Prometheus' coarse envelope, "coarse" Mackerel's answer for
 * the whole range, "minute" a 1-minute chunk. `promql` is the query to send
 * to Prometheus when the plan was made with one.
 */
export interface PlannedRequest {
  kind: "coarse" | "min" | "max" | "minute";
  from: number;
  to: number;
  step: number;
  visible: boolean;
  promql?: string;
}

/** Chart options; all optional. Unknown fields are refused. */
export interface ChartOptions {
  title?: string;
  unit?: Unit;
  /** "auto" follows the reader's prefers-color-scheme, and its changes. */
  theme?: "light" | "dark" | "auto";
  /** Charts with the same group share the crosshair (and the window with syncRange). */
  group?: string | null;
  syncRange?: boolean;
  /** Rows the tooltip shows at most (the largest values); default 10. */
  tooltipRows?: number;
  /** Show the legend; default true. */
  legend?: boolean;
  /** IANA zone ("Europe/Berlin"), "UTC" or an offset ("+09:00"); default: the browser's. */
  timeZone?: string | null;
  kind?: "line" | "area" | "stacked" | "envelope";
  thresholds?: Threshold[];
  annotations?: Annotation[];
  /** Per-series style, applied in order to the series each rule matches. */
  series?: SeriesRule[];
  /** "index" (default): the n-th series gets the n-th of 20 colours; "name":
   * each name gets the next colour the first time the page draws it and
   * keeps it on every chart. */
  colorBy?: "index" | "name";
  /** BCP 47 tag ("ja-JP") the time labels and the tooltip's time are written
   * in; by default the browser's. */
  locale?: string | null;
  /** The value axis' range; by default the data's in the window, and zero. */
  axes?: { left?: Axis };
}

/** A value axis' ends. */
export interface Axis {
  /** A fixed end; values beyond it are drawn at the edge. */
  min?: number;
  max?: number;
  /** Ends the axis always reaches, and passes only when the data does. */
  softMin?: number;
  softMax?: number;
  /** "log": powers of ten equally apart, zero and negative values as gaps. */
  scale?: "linear" | "log";
}

/** Style for the series a rule matches; fields left out keep what earlier
 * rules gave. */
export interface SeriesRule {
  /** An exact name, a Mackerel wildcard ("custom.ecs.*.port.8080") or a
   * "/regular expression/"; without it the rule applies to every series. */
  match?: string;
  /** A colour: #rgb or #rrggbb. */
  color?: string;
  /** Line width in CSS pixels, 0.5 to 10. */
  width?: number;
  /** Shown in the legend and tooltip instead of the name. */
  label?: string;
  /** Hidden when the series is added; a legend click shows it. */
  hidden?: boolean;
  /** How the series is drawn, over the chart's kind: a line, a line with
   * the area to zero filled, or a dot per point. */
  kind?: "line" | "area" | "points";
  /** The stack the series is a layer of: series with the same name stack on
   * one another (others stay lines), "percent" scales each minute to 100 %,
   * and negative values stack below zero. */
  stack?: string;
}

/** One row of the tooltip: a raw value at the slot nearest the cursor. */
export interface ReadoutRow {
  /** The series' label (its name unless its options give another). */
  name: string;
  /** CSS colour of the series. */
  color: string;
  /** Epoch seconds of the slot shown. */
  time: number;
  /** The raw value; null for a gap. */
  value: number | null;
  label: string;
}

/** What the tooltip shows at one time. */
export interface Readout {
  time: number;
  timeLabel: string;
  /** Largest value first, gaps last, at most tooltipRows. */
  rows: ReadoutRow[];
  /** Rows left out because of tooltipRows. */
  more: number;
}

/** One legend item: exact statistics over the visible window. */
export interface LegendEntry {
  /** The series' name, as setVisible takes it. */
  name: string;
  /** What the legend shows: the name, or its options' label. */
  label: string;
  color: string;
  visible: boolean;
  count: number;
  min: number | null;
  avg: number | null;
  max: number | null;
  last: number | null;
  summary: string;
}

/** What the last frame shows (device pixels). */
export interface Frame {
  width: number;
  height: number;
  /** left, top, right, bottom */
  plot: [number, number, number, number];
  view: [number, number];
  valueRange: [number, number];
  timeLabels: string[];
  valueLabels: string[];
  pointsInView: number;
  verticesDrawn: number;
  runsDrawn: number;
  annotationsDrawn: number;
  thresholdsDrawn: number;
  /** Coarse slots drawn where 1-minute data is not loaded yet. */
  coarseDrawn: number;
  /** Not-loaded stretches in the window. */
  notLoadedDrawn: number;
  /** The progress written over the plot while a load runs. */
  progress: string | null;
}

/** A stretch a load finally failed to fetch, drawn hatched as "not loaded". */
export interface NotLoaded {
  from: number;
  to: number;
  /** Why, in a few words (the API's message). */
  reason?: string;
}

/** How far a load has come: requests answered of planned, points loaded. */
export interface Progress {
  done: number;
  total: number;
  points?: number;
}
"#;

#[wasm_bindgen(start)]
fn start() {
    // A panic would otherwise surface only as "unreachable executed", and
    // leave its chart locked with no word why.
    guard::install_panic_hook();
    // Named zones and the reader's own come from the browser's Intl.
    crate::zone::set_zone_source(crate::zone::ZoneSource {
        named: zone::intl_zone,
        local_name: zone::browser_zone_name,
    });
    // Labels in the reader's language, from Intl too.
    crate::locale::set_locale_source(crate::locale::LocaleSource {
        format: locale::format,
        supports: locale::supports,
    });
    // The browser loads its time-zone data the first time a page asks for
    // it (about 20 ms): ask while the module loads, which a page does while
    // its data is still on the way, not when the first chart is drawn.
    crate::zone::local_zone();
}

/// One series in wasm memory, ready to hand to a chart.
#[wasm_bindgen]
pub struct SeriesData {
    inner: Series,
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
    let list = crate::parse_prometheus_query_range(http_status(status)?, body).map_err(js_error)?;
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
/// resolution from `api` ("mackerel" or "prometheus") for a plot `width`
/// pixel columns wide showing `[visibleFrom, visibleTo]`: the coarse picture
/// first, then 1-minute chunks within the API's limit, the visible ones
/// first, newest first. With `query` (Prometheus), each request carries the
/// PromQL to send.
#[wasm_bindgen(js_name = planRequests, unchecked_return_type = "PlannedRequest[]")]
pub fn plan_requests(
    api: &str,
    from: f64,
    to: f64,
    visible_from: f64,
    visible_to: f64,
    width: f64,
    query: Option<String>,
) -> Result<JsValue, JsError> {
    let api = match api {
        "mackerel" => crate::Api::Mackerel,
        "prometheus" => crate::Api::Prometheus,
        other => {
            return Err(JsError::new(&format!(
                "unknown API {other:?}: expected \"mackerel\" or \"prometheus\""
            )))
        }
    };
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

/// A chart on a canvas (or in a container, where it makes its own canvas),
/// sized by CSS and drawn in device pixels, with zoom, pan, crosshair,
/// tooltip and legend.
#[wasm_bindgen]
pub struct Chart {
    inner: Rc<RefCell<Inner>>,
    /// Event listeners and the resize observer, removed by `destroy`.
    listeners: std::cell::Cell<Vec<Listener>>,
    observer: std::cell::Cell<Option<events::Observer>>,
}

#[wasm_bindgen]
impl Chart {
    /// A chart on `element` with `options` ({title, unit, theme, group,
    /// syncRange, tooltipRows, legend}; all optional). `element` is a canvas,
    /// or a container the chart fills with its own canvas.
    #[wasm_bindgen(constructor)]
    pub fn new(
        element: web_sys::HtmlElement,
        #[wasm_bindgen(unchecked_optional_param_type = "ChartOptions")] options: Option<JsValue>,
    ) -> Result<Chart, JsError> {
        let options = read_options(&ChartOptions::default(), options.unwrap_or_default())?;
        let inner = Inner::new(element, options).map_err(js_value_error)?;
        let inner = Rc::new(RefCell::new(inner));
        let listeners = events::listen(&inner).map_err(js_value_error)?;
        let observer = events::observe_resize(&inner).map_err(js_value_error)?;
        CHARTS.with(|charts| {
            let mut charts = charts.borrow_mut();
            charts.retain(|c| c.strong_count() > 0);
            charts.push(Rc::downgrade(&inner));
        });
        Ok(Chart {
            inner,
            listeners: listeners.into(),
            observer: Some(observer).into(),
        })
    }

    /// Changes the options given; the others keep their values.
    #[wasm_bindgen(js_name = setOptions)]
    pub fn set_options(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ChartOptions")] options: JsValue,
    ) -> Result<(), JsError> {
        let mut inner = self.state()?;
        let options = read_options(inner.core.options(), options)?;
        inner.core.set_options(options).map_err(js_error)?;
        let dark = inner.core.theme() == crate::Theme::Dark;
        inner.overlay.set_theme(dark).map_err(js_value_error)?;
        drop(inner);
        events::schedule(&self.inner);
        Ok(())
    }

    /// Adds `series` under `name`, or replaces the series of that name.
    /// The SeriesData is moved into the chart and cannot be used again.
    #[wasm_bindgen(js_name = setSeries)]
    pub fn set_series(&self, name: &str, series: SeriesData) -> Result<(), JsError> {
        self.state()?
            .core
            .set_series(name, series.inner)
            .map_err(js_error)?;
        events::schedule(&self.inner);
        Ok(())
    }

    /// Adds or replaces the series `name` from epoch seconds and values
    /// (typed arrays of equal length; NaN is a gap).
    #[wasm_bindgen(js_name = setSeriesArrays)]
    pub fn set_series_arrays(
        &self,
        name: &str,
        times: &[f64],
        values: Vec<f64>,
    ) -> Result<(), JsError> {
        let series = Series::from_arrays(times, values).map_err(js_error)?;
        self.state()?
            .core
            .set_series(name, series)
            .map_err(js_error)?;
        events::schedule(&self.inner);
        Ok(())
    }

    /// Adds or replaces one series per column, all sharing `times` (the
    /// shape of a table, or of a multi-series API answer): `columns[k]`
    /// holds the values of the series `names[k]`. The times are checked
    /// once for all of them. On an error no series is changed.
    #[wasm_bindgen(js_name = setSeriesColumns)]
    pub fn set_series_columns(
        &self,
        names: Vec<String>,
        times: &[f64],
        #[wasm_bindgen(unchecked_param_type = "Float64Array[]")] columns: Vec<JsValue>,
    ) -> Result<(), JsError> {
        if names.len() != columns.len() {
            return Err(JsError::new(&format!(
                "setSeriesColumns: {} names for {} columns; give one name per column",
                names.len(),
                columns.len()
            )));
        }
        let mut values = Vec::with_capacity(columns.len());
        for (name, column) in names.iter().zip(&columns) {
            let column = column.dyn_ref::<js_sys::Float64Array>().ok_or_else(|| {
                JsError::new(&format!(
                    "setSeriesColumns: the column of series {name:?} is not a Float64Array"
                ))
            })?;
            values.push(column.to_vec());
        }
        let table = Series::from_columns(times, values)
            .map_err(|(k, e)| JsError::new(&format!("series \"{}\": {e}", names[k])))?;
        self.state()?
            .core
            .set_many(names.into_iter().zip(table))
            .map_err(js_error)?;
        events::schedule(&self.inner);
        Ok(())
    }

    /// Merges new points into the series `name` (the live tail, or a chunk
    /// of a longer load); newer points win on the same time.
    #[wasm_bindgen(js_name = appendSeries)]
    pub fn append_series(&self, name: &str, times: &[f64], values: &[f64]) -> Result<(), JsError> {
        self.state()?
            .core
            .append(name, times, values)
            .map_err(js_error)?;
        events::schedule(&self.inner);
        Ok(())
    }

    /// Merges a parsed chunk (`parseMackerel`, `parsePrometheus`) into the
    /// series `name`, or adds it; newer points win on the same time. `from`
    /// and `to` are the stretch `[from, to)` the chunk was asked for (by
    /// default its own slots): only its points there are kept, and it counts
    /// as loaded at full resolution, so the coarse picture gives way there.
    /// The SeriesData is consumed. Returns how many points with a value
    /// were kept.
    #[wasm_bindgen(js_name = mergeSeries)]
    pub fn merge_series(
        &self,
        name: &str,
        data: SeriesData,
        from: Option<f64>,
        to: Option<f64>,
    ) -> Result<usize, JsError> {
        let span = match (from, to) {
            (Some(from), Some(to)) => Some((from, to)),
            (None, None) => None,
            _ => return Err(js_error("mergeSeries: give both from and to, or neither")),
        };
        let kept = self
            .state()?
            .core
            .merge(name, data.inner, span)
            .map_err(js_error)?;
        events::schedule(&self.inner);
        Ok(kept)
    }

    /// Makes room in the series `name` (adding it, empty, if there is none)
    /// for data `step` seconds apart over `[from, to]`: a loader that knows
    /// its range calls this first, and chunks arriving newest first then
    /// merge in place.
    #[wasm_bindgen(js_name = reserveSeries)]
    pub fn reserve_series(&self, name: &str, from: f64, to: f64, step: f64) -> Result<(), JsError> {
        self.state()?
            .core
            .reserve(name, from, to, step)
            .map_err(js_error)?;
        events::schedule(&self.inner);
        Ok(())
    }

    /// Shows a coarse picture under the series `name` wherever its 1-minute
    /// data is not loaded yet: a band from `low` to `high` (Prometheus'
    /// min/max envelope) or, without `high`, a step line of `low` (Mackerel's
    /// coarse averages). `stepBefore`: each point sums up the step before its
    /// time (`min_over_time(x[step])`); otherwise the step after. With
    /// `from` and `to` (the stretch a load covers), the picture stays inside
    /// it and gives way where the load's own data arrives. Consumes the
    /// SeriesData.
    #[wasm_bindgen(js_name = setCoarse)]
    pub fn set_coarse(
        &self,
        name: &str,
        low: SeriesData,
        high: Option<SeriesData>,
        #[wasm_bindgen(js_name = stepBefore)] step_before: bool,
        from: Option<f64>,
        to: Option<f64>,
    ) -> Result<(), JsError> {
        let covers = if step_before {
            crate::Covers::StepBefore
        } else {
            crate::Covers::StepAfter
        };
        let mut coarse = crate::Coarse::new(&low.inner, high.as_ref().map(|h| &h.inner), covers)
            .map_err(js_error)?;
        if let (Some(from), Some(to)) = (from, to) {
            coarse = coarse.within(from, to);
        }
        self.state()?
            .core
            .set_coarse(name, coarse)
            .map_err(js_error)?;
        events::schedule(&self.inner);
        Ok(())
    }

    /// The stretches to draw hatched as *not loaded* (a load finally failed
    /// there), replacing the previous ones; [] clears them.
    #[wasm_bindgen(js_name = setNotLoaded)]
    pub fn set_not_loaded(
        &self,
        #[wasm_bindgen(unchecked_param_type = "NotLoaded[]")] spans: JsValue,
    ) -> Result<(), JsError> {
        let spans: Vec<crate::NotLoaded> = serde_wasm_bindgen::from_value(spans)
            .map_err(|e| js_error(format!("setNotLoaded takes [{{from, to, reason}}]: {e}")))?;
        self.state()?.core.set_not_loaded(spans).map_err(js_error)?;
        events::schedule(&self.inner);
        Ok(())
    }

    /// The progress drawn over the plot (a bar and "Loading 12 of 61 ·
    /// 1.2 M points"); null removes it.
    #[wasm_bindgen(js_name = setProgress)]
    pub fn set_progress(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Progress | null")] progress: JsValue,
    ) -> Result<(), JsError> {
        let progress: Option<crate::Progress> = if progress.is_null() || progress.is_undefined() {
            None
        } else {
            Some(serde_wasm_bindgen::from_value(progress).map_err(|e| {
                js_error(format!(
                    "setProgress takes {{done, total, points}} or null: {e}"
                ))
            })?)
        };
        self.state()?.core.set_progress(progress);
        events::schedule(&self.inner);
        Ok(())
    }

    /// Sets the style of the series `name` alone ({color, width, label,
    /// hidden}), over the options' `series` rules; the series need not
    /// exist yet. `hidden` shows or hides it at once.
    #[wasm_bindgen(js_name = setSeriesOptions)]
    pub fn set_series_options(
        &self,
        name: &str,
        #[wasm_bindgen(unchecked_param_type = "Omit<SeriesRule, \"match\">")] options: JsValue,
    ) -> Result<(), JsError> {
        // Through JSON, so that an unknown field is refused (serde-wasm-bindgen
        // reads only the fields it knows).
        let refuse = |e: &dyn Display| js_error(format!("setSeriesOptions: {e}"));
        let value: serde_json::Value =
            serde_wasm_bindgen::from_value(options).map_err(|e| refuse(&e))?;
        let rule: crate::SeriesRule = serde_json::from_value(value).map_err(|e| refuse(&e))?;
        self.state()?
            .core
            .set_series_options(name, rule)
            .map_err(js_error)?;
        events::schedule(&self.inner);
        Ok(())
    }

    /// Shows or hides the series `name`, as a click on its legend item does.
    #[wasm_bindgen(js_name = setVisible)]
    pub fn set_visible(&self, name: &str, visible: bool) -> Result<(), JsError> {
        self.state()?
            .core
            .set_visible(name, visible)
            .map_err(js_error)?;
        events::schedule(&self.inner);
        Ok(())
    }

    /// Removes every series.
    pub fn clear(&self) -> Result<(), JsError> {
        self.state()?.core.clear();
        events::schedule(&self.inner);
        Ok(())
    }

    /// Shows the window `[from, to]` (epoch seconds).
    #[wasm_bindgen(js_name = setRange)]
    pub fn set_range(&self, from: f64, to: f64) -> Result<(), JsError> {
        self.state()?.core.set_range(from, to).map_err(js_error)?;
        events::schedule(&self.inner);
        Ok(())
    }

    /// Shows the full range of the data again.
    #[wasm_bindgen(js_name = resetRange)]
    pub fn reset_range(&self) -> Result<(), JsError> {
        self.state()?.core.reset_range();
        events::schedule(&self.inner);
        Ok(())
    }

    /// The visible window as [from, to] epoch seconds, or undefined with no data.
    #[wasm_bindgen(js_name = getRange, unchecked_return_type = "[number, number] | undefined")]
    pub fn get_range(&self) -> Result<JsValue, JsError> {
        Ok(match self.state_ref()?.core.range() {
            Some((from, to)) => js_sys::Array::of2(&from.into(), &to.into()).into(),
            None => JsValue::UNDEFINED,
        })
    }

    /// The time (epoch seconds) under x, in CSS pixels from the canvas'
    /// left edge, in the current window; undefined before the first frame.
    /// The same conversion the chart uses for the pointer.
    #[wasm_bindgen(js_name = timeAt)]
    pub fn time_at(&self, x: f64) -> Result<Option<f64>, JsError> {
        Ok(self.state_ref()?.core.time_at(x))
    }

    /// The x, in CSS pixels from the canvas' left edge, of time `t` (epoch
    /// seconds) in the current window; undefined before the first frame.
    #[wasm_bindgen(js_name = xAt)]
    pub fn x_at(&self, t: f64) -> Result<Option<f64>, JsError> {
        Ok(self.state_ref()?.core.x_at(t))
    }

    /// Calls `callback(from, to)` whenever the user (or a synced chart)
    /// changes the window; null stops it.
    #[wasm_bindgen(js_name = onRangeChange)]
    pub fn on_range_change(
        &self,
        #[wasm_bindgen(unchecked_param_type = "((from: number, to: number) => void) | null")]
        callback: Option<js_sys::Function>,
    ) -> Result<(), JsError> {
        self.state()?.on_range = callback;
        Ok(())
    }

    /// Calls `callback(time)` when the crosshair moves, by the user or with
    /// a chart of its group (`time` in epoch seconds, or null when it
    /// leaves the plot); null stops it.
    #[wasm_bindgen(js_name = onCursorMove)]
    pub fn on_cursor_move(
        &self,
        #[wasm_bindgen(unchecked_param_type = "((time: number | null) => void) | null")]
        callback: Option<js_sys::Function>,
    ) -> Result<(), JsError> {
        self.state()?.on_cursor = callback;
        Ok(())
    }

    /// The tooltip's content at time `t`: raw values at the nearest slot of
    /// every shown series, largest first.
    #[wasm_bindgen(unchecked_return_type = "Readout")]
    pub fn readout(&self, t: f64) -> Result<JsValue, JsError> {
        to_js(&self.state_ref()?.core.readout(t))
    }

    /// The legend's content: every series with exact min/avg/max/last over
    /// the visible window.
    #[wasm_bindgen(unchecked_return_type = "LegendEntry[]")]
    pub fn legend(&self) -> Result<JsValue, JsError> {
        to_js(&self.state_ref()?.core.legend())
    }

    /// Draws the chart now, first matching the canvas' device-pixel size to
    /// its CSS size times devicePixelRatio. Changes redraw by themselves at
    /// the next animation frame; call this to draw synchronously.
    pub fn draw(&self) -> Result<(), JsError> {
        self.state()?.draw().map_err(js_value_error)
    }

    /// Refits the canvas to its CSS size and redraws (the chart also does
    /// this by itself when its size changes).
    pub fn resize(&self) -> Result<(), JsError> {
        self.draw()
    }

    /// The chart as an SVG document (image export), by default at the
    /// canvas' CSS size.
    #[wasm_bindgen(js_name = toSvg)]
    pub fn to_svg(&self, width: Option<f64>, height: Option<f64>) -> Result<String, JsError> {
        let inner = self.state_ref()?;
        let width = pixels(width.unwrap_or(f64::from(inner.canvas.client_width().max(1))))?;
        let height = pixels(height.unwrap_or(f64::from(inner.canvas.client_height().max(1))))?;
        inner.core.to_svg(width, height).map_err(js_error)
    }

    /// What the last frame shows: plot area, window, value range, axis labels
    /// and point counts (see `Frame`); undefined before the first draw.
    #[wasm_bindgen(unchecked_return_type = "Frame | undefined")]
    pub fn describe(&self) -> Result<JsValue, JsError> {
        to_js(&self.state_ref()?.frame)
    }

    /// Removes the chart's listeners and page elements and frees its data;
    /// the chart draws nothing more. `free()` (and `[Symbol.dispose]`,
    /// so `using` works) does the same and also releases the handle.
    pub fn destroy(&self) -> Result<(), JsError> {
        for listener in self.listeners.take() {
            listener.remove();
        }
        if let Some((observer, _)) = self.observer.take() {
            observer.disconnect();
        }
        let mut inner = self.state()?;
        inner.overlay.remove();
        if inner.own_canvas {
            inner.canvas.remove();
        }
        inner.core = crate::Chart::default();
        inner.frame = None;
        inner.on_range = None;
        inner.on_cursor = None;
        Ok(())
    }
}

impl Drop for Chart {
    /// `free()`: what `destroy()` does, so that no listener outlives the
    /// closures it calls and no tooltip or legend stays in the page.
    fn drop(&mut self) {
        // A state an earlier panic locked keeps its elements; the
        // listeners still go.
        let _ = self.destroy();
    }
}

impl Chart {
    /// The chart's state for a change, or why it cannot be reached.
    fn state(&self) -> Result<std::cell::RefMut<'_, Inner>, JsError> {
        guard::write(&self.inner)
    }

    /// The chart's state for a look, or why it cannot be reached.
    fn state_ref(&self) -> Result<std::cell::Ref<'_, Inner>, JsError> {
        guard::read(&self.inner)
    }
}

/// An HTTP status from JavaScript, checked before it is narrowed (65736
/// must not become 200).
fn http_status(status: f64) -> Result<u16, JsError> {
    crate::limits::Limit::HttpStatus
        .check(status)
        .map(|s| s as u16)
        .map_err(js_error)
}

/// A size in pixels from JavaScript, checked before it is narrowed (-1
/// must not become 4294967295).
fn pixels(size: f64) -> Result<u32, JsError> {
    crate::limits::Limit::ImageSide
        .check(size)
        .map(|s| s as u32)
        .map_err(js_error)
}

/// The limits the core keeps ({name, min, max} each), as its errors name
/// them.
#[wasm_bindgen(unchecked_return_type = "{ name: string; min: number; max: number }[]")]
pub fn limits() -> Result<JsValue, JsError> {
    to_js(&crate::limits::table())
}

fn to_js(value: &impl Serialize) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).map_err(js_error)
}

fn js_value_error(e: JsValue) -> JsError {
    js_error(e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

thread_local! {
    /// Every live chart, for groups that share the cursor and window.
    static CHARTS: RefCell<Vec<Weak<RefCell<Inner>>>> = const { RefCell::new(Vec::new()) };
}

/// The state behind a `Chart` handle, shared with its event listeners.
pub(crate) struct Inner {
    canvas: HtmlCanvasElement,
    /// The element holding the canvas and the overlay.
    host: web_sys::Element,
    /// The chart made the canvas (container mode) and removes it.
    own_canvas: bool,
    backend: CanvasBackend,
    core: crate::Chart,
    frame: Option<Frame>,
    overlay: Overlay,
    on_range: Option<js_sys::Function>,
    on_cursor: Option<js_sys::Function>,
    /// A redraw is waiting for the next animation frame.
    redraw_pending: bool,
    /// The crosshair's time, and the pointer's CSS position when it is this
    /// chart's own (not a synced one's).
    cursor: Option<f64>,
    pointer: Option<(f64, f64)>,
}

impl Inner {
    fn new(element: web_sys::HtmlElement, options: ChartOptions) -> Result<Inner, JsValue> {
        // Options are checked before the page is touched.
        let mut core = crate::Chart::new(options).map_err(|e| JsValue::from_str(&e.to_string()))?;
        core.set_prefers_dark(events::prefers_dark());
        let dark = core.theme() == crate::Theme::Dark;
        let document = element
            .owner_document()
            .ok_or_else(|| JsValue::from_str("the element is not in a document"))?;
        let (canvas, host, own_canvas) = match element.dyn_into::<HtmlCanvasElement>() {
            Ok(canvas) => {
                let host = canvas.parent_element().ok_or_else(|| {
                    JsValue::from_str("the canvas must be in the page (it needs a parent element for the tooltip and legend)")
                })?;
                (canvas, host, false)
            }
            Err(container) => {
                let canvas: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
                canvas
                    .style()
                    .set_css_text("display:block;width:100%;flex:1 1 auto;min-height:0");
                let style = container.style();
                style.set_property("display", "flex")?;
                style.set_property("flex-direction", "column")?;
                container.append_child(&canvas)?;
                let host: web_sys::Element = container.unchecked_into();
                (canvas, host, true)
            }
        };
        // The overlay is positioned against the host.
        let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
        if let Some(style) = window.get_computed_style(&host)? {
            if style.get_property_value("position")? == "static" {
                let host: &web_sys::HtmlElement = host.unchecked_ref();
                host.style().set_property("position", "relative")?;
            }
        }
        let ctx = canvas
            .get_context("2d")?
            .ok_or_else(|| {
                JsValue::from_str("this canvas has no 2d context (is it already used for WebGL?)")
            })?
            .dyn_into::<CanvasRenderingContext2d>()
            .map_err(|_| {
                JsValue::from_str("the canvas' 2d context is not a CanvasRenderingContext2D")
            })?;
        let backend = CanvasBackend::new(ctx, (canvas.width(), canvas.height()));
        canvas.set_attribute("role", "img")?;
        canvas.set_attribute("tabindex", "0")?;
        let style = canvas.style();
        style.set_property("touch-action", "none")?;
        style.set_property("cursor", "crosshair")?;
        let overlay = Overlay::new(&document, &host, dark)?;
        Ok(Inner {
            canvas,
            host,
            own_canvas,
            backend,
            core,
            frame: None,
            overlay,
            on_range: None,
            on_cursor: None,
            redraw_pending: false,
            cursor: None,
            pointer: None,
        })
    }

    /// The canvas' top left within the host, for placing the overlay.
    fn offset(&self) -> (f64, f64) {
        let canvas: &web_sys::HtmlElement = self.canvas.unchecked_ref();
        (
            f64::from(canvas.offset_left()),
            f64::from(canvas.offset_top()),
        )
    }

    fn document(&self) -> Option<web_sys::Document> {
        self.host.owner_document()
    }

    fn draw(&mut self) -> Result<(), JsValue> {
        self.redraw_pending = false;
        let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
        let ratio = if ratio.is_finite() && ratio > 0.0 {
            ratio
        } else {
            1.0
        };
        let css = (self.canvas.client_width(), self.canvas.client_height());
        if css.0 > 0 && css.1 > 0 {
            // Within what a canvas may be (an element tens of thousands of
            // pixels wide is stretched rather than refused).
            let side = |css: i32| {
                (f64::from(css) * ratio)
                    .round()
                    .min(f64::from(MAX_IMAGE_SIDE)) as u32
            };
            let device = (side(css.0), side(css.1));
            if (self.canvas.width(), self.canvas.height()) != device {
                self.canvas.set_width(device.0);
                self.canvas.set_height(device.1);
            }
        }
        let size = (self.canvas.width(), self.canvas.height());
        if self.backend.get_size() != size {
            self.backend.resized(size);
        }
        let frame = self
            .core
            .draw(&mut self.backend, ratio)
            .map_err(|e| JsValue::from_str(&e.to_string()))?;
        let label = describe_for_screen_readers(&self.core, &frame);
        self.canvas.set_attribute("aria-label", &label)?;
        self.frame = Some(frame);
        if let Some(document) = self.document() {
            let legend = self.core.legend();
            let shown = self.core.options().legend && !legend.is_empty();
            self.overlay.show_legend(&document, &legend, shown)?;
        }
        self.show_cursor(self.cursor)
    }

    /// The crosshair (and, for the chart under the pointer, the tooltip) at
    /// time `t`.
    fn show_cursor(&mut self, t: Option<f64>) -> Result<(), JsValue> {
        self.cursor = t;
        let Some(plot) = self.core.plot_area() else {
            return Ok(());
        };
        let offset = self.offset();
        self.overlay.show_crosshair(&plot, offset, t)?;
        let Some(document) = self.document() else {
            return Ok(());
        };
        let readout = match (t, self.pointer) {
            (Some(t), Some(_)) => Some(self.core.readout(t)),
            _ => None,
        };
        let pointer = self.pointer.unwrap_or_default();
        let width = f64::from(self.canvas.client_width());
        self.overlay
            .show_tooltip(&document, readout.as_ref(), offset, pointer, width)
    }
}

/// `current` with the fields of the JS object `update` laid over it.
fn read_options(current: &ChartOptions, update: JsValue) -> Result<ChartOptions, JsError> {
    if update.is_undefined() || update.is_null() {
        return Ok(current.clone());
    }
    let update: serde_json::Value = serde_wasm_bindgen::from_value(update)
        .map_err(|e| js_error(format!("chart options must be a plain object: {e}")))?;
    let serde_json::Value::Object(fields) = update else {
        return Err(js_error("chart options must be a plain object"));
    };
    let mut merged = serde_json::to_value(current).map_err(js_error)?;
    if let serde_json::Value::Object(base) = &mut merged {
        base.extend(fields);
    }
    // The error names the field: "thresholds[0].value: invalid type: null…".
    serde_path_to_error::deserialize(merged).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        js_error(if path == "." {
            format!("chart options: {inner}")
        } else {
            format!("chart options: {path}: {inner}")
        })
    })
}

fn describe_for_screen_readers(chart: &crate::Chart, frame: &Frame) -> String {
    let names: Vec<&str> = chart.series_names().collect();
    format!(
        "{}: {} from {} to {}; values {} to {}",
        chart.options().title,
        if names.is_empty() {
            "no data".to_string()
        } else {
            names.join(", ")
        },
        frame.time_labels.first().map_or("", String::as_str),
        frame.time_labels.last().map_or("", String::as_str),
        frame.value_labels.first().map_or("", String::as_str),
        frame.value_labels.last().map_or("", String::as_str),
    )
}
