//! A chart without a page: the core and renderer of `Chart`, with its
//! options and data calls, drawn as an SVG document or on an
//! `OffscreenCanvas`. For Node (after
//! `initSync`), a worker or a server rendering the picture an alert
//! notification embeds: nothing here touches a DOM.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::arrays::{range_to_js, series_of, span_of, table_of};
use super::canvas::CanvasBackend;
use super::chart::read_options;
use super::data::SeriesData;
use super::{js_error, js_value_error, pixels, to_js};
use crate::ChartOptions;

/// A chart drawn as an image: the options, series and window of a `Chart`,
/// without an element, pointer, tooltip or legend elements.
#[wasm_bindgen]
pub struct ChartImage {
    core: crate::Chart,
}

#[wasm_bindgen]
impl ChartImage {
    /// A chart with `options` (those of `Chart`; all optional).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "ChartOptions")] options: Option<JsValue>,
    ) -> Result<ChartImage, JsError> {
        let options = read_options(&ChartOptions::default(), options.unwrap_or_default())?;
        let core = crate::Chart::new(options).map_err(js_error)?;
        Ok(ChartImage { core })
    }

    /// Changes the options given; the others keep their values.
    #[wasm_bindgen(js_name = setOptions)]
    pub fn set_options(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "ChartOptions")] options: JsValue,
    ) -> Result<(), JsError> {
        let options = read_options(self.core.options(), options)?;
        self.core.set_options(options).map_err(js_error)
    }

    /// As `Chart.setSeries`: consumes the SeriesData.
    #[wasm_bindgen(js_name = setSeries)]
    pub fn set_series(&mut self, name: &str, series: SeriesData) -> Result<(), JsError> {
        self.core.set_series(name, series.inner).map_err(js_error)
    }

    /// As `Chart.setSeriesArrays`.
    #[wasm_bindgen(js_name = setSeriesArrays)]
    pub fn set_series_arrays(
        &mut self,
        name: &str,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | ArrayLike<number>")] times: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | ArrayLike<number | null>")]
        values: JsValue,
    ) -> Result<(), JsError> {
        let series = series_of(&times, &values, self.time_divisor())?;
        self.core.set_series(name, series).map_err(js_error)
    }

    /// As `Chart.setSeriesColumns`.
    #[wasm_bindgen(js_name = setSeriesColumns)]
    pub fn set_series_columns(
        &mut self,
        names: Vec<String>,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | ArrayLike<number>")] times: JsValue,
        #[wasm_bindgen(unchecked_param_type = "(Float64Array | ArrayLike<number | null>)[]")]
        columns: Vec<JsValue>,
    ) -> Result<(), JsError> {
        let table = table_of(&names, &times, &columns, self.time_divisor())?;
        self.core
            .set_many(names.into_iter().zip(table))
            .map_err(js_error)
    }

    /// As `Chart.mergeSeries`: returns how many points with a value were kept.
    #[wasm_bindgen(js_name = mergeSeries)]
    pub fn merge_series(
        &mut self,
        name: &str,
        data: SeriesData,
        from: Option<f64>,
        to: Option<f64>,
    ) -> Result<usize, JsError> {
        let span = span_of(from, to)?;
        self.core.merge(name, data.inner, span).map_err(js_error)
    }

    /// Shows the window `[from, to]` (epoch seconds).
    #[wasm_bindgen(js_name = setRange)]
    pub fn set_range(&mut self, from: f64, to: f64) -> Result<(), JsError> {
        self.core.set_range(from, to).map_err(js_error)
    }

    /// The window drawn as [from, to] epoch seconds, or undefined with no data.
    #[wasm_bindgen(js_name = getRange, unchecked_return_type = "[number, number] | undefined")]
    pub fn get_range(&self) -> JsValue {
        range_to_js(self.core.range())
    }

    /// Every series with exact min/avg/max/last over the window.
    #[wasm_bindgen(unchecked_return_type = "LegendEntry[]")]
    pub fn legend(&self) -> Result<JsValue, JsError> {
        to_js(&self.core.legend())
    }

    /// Draws the chart on the whole of `canvas` (an `OffscreenCanvas`, in a
    /// worker or anywhere, or a canvas element) at its pixel size, with
    /// `ratio` (default 1) device pixels per CSS pixel for text and line
    /// widths; returns what the frame shows (as `Chart.describe()`).
    #[wasm_bindgen(js_name = drawOn, unchecked_return_type = "Frame")]
    pub fn draw_on(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "OffscreenCanvas | HTMLCanvasElement")]
        canvas: web_sys::OffscreenCanvas,
        ratio: Option<f64>,
    ) -> Result<JsValue, JsError> {
        let size = (
            pixels(f64::from(canvas.width()))?,
            pixels(f64::from(canvas.height()))?,
        );
        let ctx = canvas
            .get_context("2d")
            .map_err(js_value_error)?
            .ok_or_else(|| {
                js_error("this canvas has no 2d context (is it already used for WebGL?)")
            })?
            // An OffscreenCanvasRenderingContext2D answers every call the
            // backend makes, by the same names.
            .unchecked_into::<web_sys::CanvasRenderingContext2d>();
        let mut backend = CanvasBackend::new(ctx, size);
        let frame = self
            .core
            .draw(&mut backend, ratio.unwrap_or(1.0))
            .map_err(js_error)?;
        to_js(&frame)
    }

    /// The chart as an SVG document `width` × `height` pixels.
    #[wasm_bindgen(js_name = toSvg)]
    pub fn to_svg(&self, width: f64, height: f64) -> Result<String, JsError> {
        self.core
            .to_svg(pixels(width)?, pixels(height)?)
            .map_err(js_error)
    }
}

impl ChartImage {
    fn time_divisor(&self) -> f64 {
        self.core.options().time_unit.per_second()
    }
}
