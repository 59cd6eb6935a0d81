//! The JavaScript API: the only code that says `#[wasm_bindgen]`. It converts
//! arguments, forwards to the core and turns every error into a `JsError`
//! through one helper; the pipeline itself lives in the core.

mod canvas;

use std::fmt::Display;

use plotters_backend::DrawingBackend;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::{ChartOptions, Frame, Series};
use canvas::CanvasBackend;

/// The one door from a core error to JavaScript.
fn js_error(e: impl Display) -> JsError {
    JsError::new(&e.to_string())
}

#[wasm_bindgen(start)]
fn start() {
    // A panic would otherwise surface only as "unreachable executed".
    console_error_panic_hook::set_once();
}

/// One series in wasm memory, ready to hand to a chart.
#[wasm_bindgen]
pub struct SeriesData {
    inner: Series,
}

#[wasm_bindgen]
impl SeriesData {
    /// A series from epoch seconds and values (typed arrays of equal length,
    /// any order; NaN is a gap).
    #[wasm_bindgen(constructor)]
    pub fn new(times: &[f64], values: &[f64]) -> Result<SeriesData, JsError> {
        let inner = Series::from_points(times, values).map_err(js_error)?;
        Ok(SeriesData { inner })
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
pub fn parse_mackerel(status: u16, body: &[u8]) -> Result<SeriesData, JsError> {
    let inner = crate::parse_mackerel_metrics(status, body).map_err(js_error)?;
    Ok(SeriesData { inner })
}

/// A chart drawn on a canvas element, sized by CSS and drawn in device pixels.
#[wasm_bindgen]
pub struct Chart {
    canvas: HtmlCanvasElement,
    backend: CanvasBackend,
    core: crate::Chart,
    frame: Option<Frame>,
}

#[wasm_bindgen]
impl Chart {
    /// A chart on `canvas` with `options` ({title, unit, theme}; all optional).
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement, options: JsValue) -> Result<Chart, JsError> {
        let options = read_options(&ChartOptions::default(), options)?;
        let ctx = canvas
            .get_context("2d")
            .map_err(|e| js_error(format!("{e:?}")))?
            .ok_or_else(|| {
                js_error("this canvas has no 2d context (is it already used for WebGL?)")
            })?
            .dyn_into::<CanvasRenderingContext2d>()
            .map_err(|_| js_error("the canvas' 2d context is not a CanvasRenderingContext2D"))?;
        let backend = CanvasBackend::new(ctx, (canvas.width(), canvas.height()));
        canvas
            .set_attribute("role", "img")
            .map_err(|e| js_error(format!("{e:?}")))?;
        Ok(Chart {
            canvas,
            backend,
            core: crate::Chart::new(options),
            frame: None,
        })
    }

    /// Changes the options given; the others keep their values.
    #[wasm_bindgen(js_name = setOptions)]
    pub fn set_options(&mut self, options: JsValue) -> Result<(), JsError> {
        let options = read_options(self.core.options(), options)?;
        self.core.set_options(options);
        Ok(())
    }

    /// Adds `series` under `name`, or replaces the series of that name.
    /// The SeriesData is moved into the chart and cannot be used again.
    #[wasm_bindgen(js_name = setSeries)]
    pub fn set_series(&mut self, name: &str, series: SeriesData) {
        self.core.set_series(name, series.inner);
    }

    /// Removes every series.
    pub fn clear(&mut self) {
        self.core.clear();
    }

    /// Shows the window `[from, to]` (epoch seconds).
    #[wasm_bindgen(js_name = setRange)]
    pub fn set_range(&mut self, from: f64, to: f64) -> Result<(), JsError> {
        self.core.set_range(from, to).map_err(js_error)
    }

    /// Shows the full range of the data again.
    #[wasm_bindgen(js_name = resetRange)]
    pub fn reset_range(&mut self) {
        self.core.reset_range();
    }

    /// The visible window as [from, to] epoch seconds, or undefined with no data.
    #[wasm_bindgen(js_name = getRange)]
    pub fn get_range(&self) -> Option<Vec<f64>> {
        self.core.range().map(|(from, to)| vec![from, to])
    }

    /// Draws the chart now, first matching the canvas' device-pixel size to
    /// its CSS size times devicePixelRatio.
    pub fn draw(&mut self) -> Result<(), JsError> {
        let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
        let ratio = if ratio.is_finite() && ratio > 0.0 {
            ratio
        } else {
            1.0
        };
        let css = (self.canvas.client_width(), self.canvas.client_height());
        if css.0 > 0 && css.1 > 0 {
            let device = (
                (f64::from(css.0) * ratio).round() as u32,
                (f64::from(css.1) * ratio).round() as u32,
            );
            if (self.canvas.width(), self.canvas.height()) != device {
                self.canvas.set_width(device.0);
                self.canvas.set_height(device.1);
            }
        }
        let size = (self.canvas.width(), self.canvas.height());
        if self.backend.get_size() != size {
            self.backend.resized(size);
        }
        let frame = self.core.draw(&mut self.backend, ratio).map_err(js_error)?;
        let label = describe_for_screen_readers(&self.core, &frame);
        self.canvas
            .set_attribute("aria-label", &label)
            .map_err(|e| js_error(format!("{e:?}")))?;
        self.frame = Some(frame);
        Ok(())
    }

    /// The chart as an SVG document (image export), by default at the
    /// canvas' CSS size.
    #[wasm_bindgen(js_name = toSvg)]
    pub fn to_svg(&self, width: Option<u32>, height: Option<u32>) -> Result<String, JsError> {
        let width = width.unwrap_or(self.canvas.client_width().max(1) as u32);
        let height = height.unwrap_or(self.canvas.client_height().max(1) as u32);
        self.core.to_svg(width, height).map_err(js_error)
    }

    /// What the last frame shows: plot area, window, value range, axis labels
    /// and point counts (see `Frame`); undefined before the first draw.
    pub fn describe(&self) -> Result<JsValue, JsError> {
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        self.frame.serialize(&serializer).map_err(js_error)
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
    serde_json::from_value(merged).map_err(|e| js_error(format!("chart options: {e}")))
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
