//! What a chart holds in the page: its canvas (made in a container, or
//! the one given), sized to CSS and drawn in device pixels, the overlay
//! (crosshair, tooltip, legend) and the screen reader's description.

use std::cell::RefCell;
use std::rc::Weak;

use plotters_backend::DrawingBackend;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::canvas::CanvasBackend;
use super::events;
use super::overlay::Overlay;
use crate::limits::MAX_IMAGE_SIDE;
use crate::{ChartOptions, Frame};

thread_local! {
    /// Every live chart, for groups that share the cursor and window.
    pub(super) static CHARTS: RefCell<Vec<Weak<RefCell<Inner>>>> = const { RefCell::new(Vec::new()) };
}

/// The state behind a `Chart` handle, shared with its event listeners.
pub(crate) struct Inner {
    pub(super) canvas: HtmlCanvasElement,
    /// The element holding the canvas and the overlay.
    pub(super) host: web_sys::Element,
    /// The chart made the canvas (container mode) and removes it.
    pub(super) own_canvas: bool,
    pub(super) backend: CanvasBackend,
    pub(super) core: crate::Chart,
    pub(super) frame: Option<Frame>,
    pub(super) overlay: Overlay,
    pub(super) on_range: Option<js_sys::Function>,
    pub(super) on_cursor: Option<js_sys::Function>,
    /// A redraw is waiting for the next animation frame.
    pub(super) redraw_pending: bool,
    /// The crosshair's time, and the pointer's CSS position when it is this
    /// chart's own (not a synced one's).
    pub(super) cursor: Option<f64>,
    pub(super) pointer: Option<(f64, f64)>,
    /// `destroy()` ran: every later call is refused.
    pub(super) destroyed: bool,
}

impl Inner {
    pub(super) fn new(
        element: web_sys::HtmlElement,
        options: ChartOptions,
    ) -> Result<Inner, JsValue> {
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
            destroyed: false,
        })
    }

    /// The canvas' top left within the host, for placing the overlay.
    pub(super) fn offset(&self) -> (f64, f64) {
        let canvas: &web_sys::HtmlElement = self.canvas.unchecked_ref();
        (
            f64::from(canvas.offset_left()),
            f64::from(canvas.offset_top()),
        )
    }

    pub(super) fn document(&self) -> Option<web_sys::Document> {
        self.host.owner_document()
    }

    pub(super) fn draw(&mut self) -> Result<(), JsValue> {
        self.redraw_pending = false;
        if self.destroyed {
            return Ok(());
        }
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
        let lines = self.backend.kept_lines();
        let frame = self
            .core
            .draw_keeping(&mut self.backend, ratio, Some(&lines))
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
    pub(super) fn show_cursor(&mut self, t: Option<f64>) -> Result<(), JsValue> {
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

/// A canvas outside the page, `width` × `height`, and its 2D context.
pub(super) fn detached_canvas(
    width: u32,
    height: u32,
) -> Result<(HtmlCanvasElement, CanvasRenderingContext2d), JsValue> {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        // In a worker: an OffscreenCanvas, which answers every call made on
        // these (size, drawImage, and its context's drawing calls) by the
        // same names; the glue calls them by name, so it stands in for a
        // canvas element here.
        let canvas = web_sys::OffscreenCanvas::new(width, height)?;
        let ctx = canvas
            .get_context("2d")?
            .ok_or_else(|| JsValue::from_str("no 2d context"))?
            .unchecked_into::<CanvasRenderingContext2d>();
        return Ok((canvas.unchecked_into(), ctx));
    };
    let canvas: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    canvas.set_width(width);
    canvas.set_height(height);
    let ctx = canvas
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("no 2d context"))?
        .dyn_into::<CanvasRenderingContext2d>()?;
    Ok((canvas, ctx))
}

/// Draws a small chart on a canvas outside the page once, and reads a few
/// options, while the module loads: the browser compiles wasm functions on
/// their first call and builds its date formats on their first use
/// (together some 40 ms), which would otherwise fall into the first frame a
/// page draws, after its data came.
pub(super) fn warm_up() -> Result<(), JsValue> {
    let (width, height) = (160, 60);
    let (_canvas, ctx) = detached_canvas(width, height)?;
    let mut backend = CanvasBackend::new(ctx, (width, height));
    // Long enough for the summary's blocks and M4 from the summary.
    let times: Vec<f64> = (0..4_096).map(|i| 1.7e9 + 60.0 * f64::from(i)).collect();
    let values: Vec<f64> = (0..4_096).map(|i| f64::from(i % 97)).collect();
    let series = crate::Series::from_arrays(&times, values).map_err(|e| e.to_string())?;
    let mut chart = crate::Chart::default();
    chart
        .set_series("warm-up", series)
        .map_err(|e| e.to_string())?;
    chart.draw(&mut backend, 1.0).map_err(|e| e.to_string())?;
    let _ = chart.legend();
    // Plain arrays as JSON.parse gives them, read the way every call with
    // data reads them (`arrays::fill`): times in milliseconds (unboxed
    // doubles to the browser, which its own conversion copies) and values
    // with nulls (boxed ones, which take the loop the browser optimises
    // once it has run).
    let (times, values) = (js_sys::Array::new(), js_sys::Array::new());
    for i in 0..4_096 {
        let t = 1.7e12 + 60_000.0 * f64::from(i);
        times.push(&JsValue::from_f64(t));
        let v = if i % 97 == 0 {
            JsValue::NULL
        } else {
            JsValue::from_f64(f64::from(i) / 8.0)
        };
        values.push(&v);
    }
    for _ in 0..8 {
        let _ = super::arrays::numbers(&times, 1_000.0, "warm-up");
        let _ = super::arrays::numbers(&values, 1.0, "warm-up");
    }
    // And the way options come in, which every new chart takes.
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"legend".into(), &JsValue::FALSE)?;
    js_sys::Reflect::set(&options, &"timeUnit".into(), &"s".into())?;
    let _ = super::chart::read_options(&ChartOptions::default(), options.into());
    Ok(())
}
