//! The `Chart` handle JavaScript holds: each method converts its
//! arguments, forwards to the core chart through one helper (borrow,
//! forward, error, schedule a redraw) and converts what comes back.
//!
//! One idea over 400 lines: one short method per JavaScript method, each
//! with the doc comment the TypeScript declarations carry.

use std::cell::RefCell;
use std::convert::Infallible;
use std::fmt::Display;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::arrays::{numbers, range_to_js, series_of, span_of, table_of};
use super::data::SeriesData;
use super::events::{self, Listener};
use super::host::{Inner, CHARTS};
use super::{guard, js_error, js_value_error, pixels, to_js};
use crate::ChartOptions;

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
        self.change(|core| core.set_series(name, series.inner))
    }

    /// Adds or replaces the series `name` from times (epoch seconds, or
    /// milliseconds with `timeUnit: 'ms'`) and values of equal length: typed
    /// arrays or plain arrays as `JSON.parse` gives them, null (or NaN) a
    /// gap.
    #[wasm_bindgen(js_name = setSeriesArrays)]
    pub fn set_series_arrays(
        &self,
        name: &str,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | ArrayLike<number>")] times: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | ArrayLike<number | null>")]
        values: JsValue,
    ) -> Result<(), JsError> {
        let series = series_of(&times, &values, self.time_divisor()?)?;
        self.change(|core| core.set_series(name, series))
    }

    /// Adds or replaces one series per column, all sharing `times` (the
    /// shape of a table, or of a multi-series API answer): `columns[k]`
    /// holds the values of the series `names[k]`; each array typed or
    /// plain, as in `setSeriesArrays`. The times are checked once for all
    /// of them. On an error no series is changed.
    #[wasm_bindgen(js_name = setSeriesColumns)]
    pub fn set_series_columns(
        &self,
        names: Vec<String>,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | ArrayLike<number>")] times: JsValue,
        #[wasm_bindgen(unchecked_param_type = "(Float64Array | ArrayLike<number | null>)[]")]
        columns: Vec<JsValue>,
    ) -> Result<(), JsError> {
        let table = table_of(&names, &times, &columns, self.time_divisor()?)?;
        self.change(|core| core.set_many(names.into_iter().zip(table)))
    }

    /// Merges new points into the series `name` (the live tail, or a chunk
    /// of a longer load); newer points win on the same time. Arrays as in
    /// `setSeriesArrays`.
    #[wasm_bindgen(js_name = appendSeries)]
    pub fn append_series(
        &self,
        name: &str,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | ArrayLike<number>")] times: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | ArrayLike<number | null>")]
        values: JsValue,
    ) -> Result<(), JsError> {
        let (times, values) = self.points(&times, &values)?;
        self.change(|core| core.append(name, &times, &values))
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
        let span = span_of(from, to)?;
        self.change(|core| core.merge(name, data.inner, span))
    }

    /// Makes room in the series `name` (adding it, empty, if there is none)
    /// for data `step` seconds apart over `[from, to]`: a loader that knows
    /// its range calls this first, and chunks arriving newest first then
    /// merge in place.
    #[wasm_bindgen(js_name = reserveSeries)]
    pub fn reserve_series(&self, name: &str, from: f64, to: f64, step: f64) -> Result<(), JsError> {
        self.change(|core| core.reserve(name, from, to, step))
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
        self.change(|core| core.set_coarse(name, coarse))
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
        self.change(|core| core.set_not_loaded(spans))
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
        self.change(|core| {
            core.set_progress(progress);
            Ok::<(), Infallible>(())
        })
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
        self.change(|core| core.set_series_options(name, rule))
    }

    /// Shows or hides the series `name`, as a click on its legend item does.
    #[wasm_bindgen(js_name = setVisible)]
    pub fn set_visible(&self, name: &str, visible: bool) -> Result<(), JsError> {
        self.change(|core| core.set_visible(name, visible))
    }

    /// Removes every series.
    pub fn clear(&self) -> Result<(), JsError> {
        self.change(|core| {
            core.clear();
            Ok::<(), Infallible>(())
        })
    }

    /// Shows the window `[from, to]` (epoch seconds).
    #[wasm_bindgen(js_name = setRange)]
    pub fn set_range(&self, from: f64, to: f64) -> Result<(), JsError> {
        self.change(|core| core.set_range(from, to))
    }

    /// Shows the full range of the data again.
    #[wasm_bindgen(js_name = resetRange)]
    pub fn reset_range(&self) -> Result<(), JsError> {
        self.change(|core| {
            core.reset_range();
            Ok::<(), Infallible>(())
        })
    }

    /// The visible window as [from, to] epoch seconds, or undefined with no data.
    #[wasm_bindgen(js_name = getRange, unchecked_return_type = "[number, number] | undefined")]
    pub fn get_range(&self) -> Result<JsValue, JsError> {
        Ok(range_to_js(self.state_ref()?.core.range()))
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

    /// What the last frame shows, in CSS pixels with `ratio` beside: plot
    /// edges, `columns` (the width a load plans for), window, each axis'
    /// range and labels, point counts (see `Frame`); undefined before the
    /// first draw.
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
        let mut inner = guard::write(&self.inner)?;
        if inner.destroyed {
            return Ok(());
        }
        inner.destroyed = true;
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
    /// Borrows the core, forwards a change to it, turns its error into the
    /// JavaScript one and schedules a redraw.
    fn change<T, E: Display>(
        &self,
        forward: impl FnOnce(&mut crate::Chart) -> Result<T, E>,
    ) -> Result<T, JsError> {
        let done = forward(&mut self.state()?.core).map_err(js_error)?;
        events::schedule(&self.inner);
        Ok(done)
    }

    /// What the time arrays handed in are divided by to give seconds.
    fn time_divisor(&self) -> Result<f64, JsError> {
        Ok(self.state_ref()?.core.options().time_unit.per_second())
    }

    /// Times (in seconds) and values from the arrays JavaScript handed in.
    fn points(&self, times: &JsValue, values: &JsValue) -> Result<(Vec<f64>, Vec<f64>), JsError> {
        let times = numbers(times, self.time_divisor()?, "times")?;
        Ok((times, numbers(values, 1.0, "values")?))
    }

    /// The chart's state for a change, or why it cannot be reached.
    fn state(&self) -> Result<std::cell::RefMut<'_, Inner>, JsError> {
        let inner = guard::write(&self.inner)?;
        if inner.destroyed {
            return Err(destroyed());
        }
        Ok(inner)
    }

    /// The chart's state for a look, or why it cannot be reached.
    fn state_ref(&self) -> Result<std::cell::Ref<'_, Inner>, JsError> {
        let inner = guard::read(&self.inner)?;
        if inner.destroyed {
            return Err(destroyed());
        }
        Ok(inner)
    }
}

/// The error for a call on a destroyed chart.
fn destroyed() -> JsError {
    js_error(
        "this chart was destroyed (destroy(), free() or the end of a `using` block); \
         create a new Chart to draw again",
    )
}

/// `current` with the fields of the JS object `update` laid over it.
pub(super) fn read_options(
    current: &ChartOptions,
    update: JsValue,
) -> Result<ChartOptions, JsError> {
    if update.is_undefined() || update.is_null() {
        return Ok(current.clone());
    }
    let update: serde_json::Value = serde_wasm_bindgen::from_value(update)
        .map_err(|e| js_error(format!("chart options must be a plain object: {e}")))?;
    current.merged(update).map_err(js_error)
}
