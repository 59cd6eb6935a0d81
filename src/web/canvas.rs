//! A plotters `DrawingBackend` over a 2D canvas context, in device pixels.
//! It draws in few calls: consecutive lines and paths of one stroke style
//! share one canvas path and one `stroke()`, colours and fonts are set only
//! when they change, and text is measured once per (font, string). Long
//! paths (the series) are rasterised in wasm (`crate::raster`) and shown in
//! one image call before whatever is drawn next, so drawing order holds.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use super::layer;

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontStyle,
};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use web_sys::CanvasRenderingContext2d;

#[wasm_bindgen(inline_js = "
export function trace(ctx, xy, half) {
  ctx.beginPath();
  let move = true;
  for (let i = 0; i < xy.length; i += 2) {
    const x = xy[i];
    if (x === -2147483648) { move = true; i -= 1; continue; }
    if (move) { ctx.moveTo(x + half, xy[i + 1] + half); move = false; }
    else ctx.lineTo(x + half, xy[i + 1] + half);
  }
}")]
extern "C" {
    /// Builds the canvas path from flat (x, y) pairs in one call, a
    /// `SUBPATH` entry starting a new subpath: one crossing out of wasm per
    /// stroke instead of one per vertex.
    fn trace(ctx: &CanvasRenderingContext2d, xy: &[i32], half: f64);
}

/// Starts a new subpath in a traced path (no vertex is this far off the
/// canvas).
const SUBPATH: i32 = i32::MIN;

/// A canvas call that threw.
#[derive(Debug)]
pub struct CanvasError(String);

impl fmt::Display for CanvasError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "canvas: {}", self.0)
    }
}

impl std::error::Error for CanvasError {}

fn canvas_error(e: JsValue) -> DrawingErrorKind<CanvasError> {
    DrawingErrorKind::DrawingError(CanvasError(format!("{e:?}")))
}

/// Colour as compared and cached: rgb and alpha in 1/255 steps.
type ColorKey = (u8, u8, u8, u8);

fn color_key(c: BackendColor) -> ColorKey {
    (
        c.rgb.0,
        c.rgb.1,
        c.rgb.2,
        (c.alpha.clamp(0.0, 1.0) * 255.0).round() as u8,
    )
}

fn css_color((r, g, b, a): ColorKey) -> String {
    if a == 255 {
        format!("rgb({r},{g},{b})")
    } else {
        format!("rgba({r},{g},{b},{:.3})", f64::from(a) / 255.0)
    }
}

/// Font as compared and cached: size in 1/16 px and weight.
type FontKey = (u32, bool);

fn font_key<S: BackendTextStyle>(style: &S) -> FontKey {
    let size = (style.size().clamp(1.0, 4096.0) * 16.0).round() as u32;
    (size, matches!(style.style(), FontStyle::Bold))
}

fn css_font((size, bold): FontKey) -> String {
    let weight = if bold { "bold " } else { "" };
    format!("{weight}{}px sans-serif", f64::from(size) / 16.0)
}

/// The most measured strings kept; past this the cache starts afresh.
const MEASURE_CACHE_LIMIT: usize = 4_096;

/// Canvas state last set, so unchanged state is not set again.
#[derive(Default)]
struct CanvasState {
    stroke_color: Option<ColorKey>,
    line_width: Option<u32>,
    fill_color: Option<ColorKey>,
    font: Option<FontKey>,
    align: Option<&'static str>,
    baseline: Option<&'static str>,
}

pub struct CanvasBackend {
    ctx: CanvasRenderingContext2d,
    size: (u32, u32),
    /// Stroke style (colour, width) of the path being built, if any.
    open_path: Option<(ColorKey, u32)>,
    /// Vertices of the open path, flat, `SUBPATH` between subpaths.
    path: Vec<i32>,
    /// Whether the open path's vertices sit at pixel centres.
    half: bool,
    /// Which paths go into the raster, and whether it holds some.
    raster: layer::Use,
    /// Behind a RefCell because measuring text (a `&self` call) sets the font.
    state: RefCell<CanvasState>,
    measured: RefCell<HashMap<(FontKey, String), (u32, u32)>>,
}

impl CanvasBackend {
    pub fn new(ctx: CanvasRenderingContext2d, size: (u32, u32)) -> CanvasBackend {
        CanvasBackend {
            ctx,
            size,
            open_path: None,
            path: Vec::new(),
            half: false,
            raster: layer::Use::default(),
            state: RefCell::default(),
            measured: RefCell::default(),
        }
    }

    /// The chart's lines as this backend keeps them between frames.
    pub fn kept_lines(&self) -> layer::Lines {
        self.raster.kept_lines()
    }

    /// The canvas was resized, which resets every piece of context state.
    pub fn resized(&mut self, size: (u32, u32)) {
        self.size = size;
        self.open_path = None;
        self.path.clear();
        *self.state.get_mut() = CanvasState::default();
    }

    /// Strokes the path being built, if there is one.
    fn flush(&mut self) {
        if self.open_path.take().is_some() {
            trace(&self.ctx, &self.path, if self.half { 0.5 } else { 0.0 });
            self.ctx.stroke();
            self.path.clear();
        }
    }

    /// Lays what was rasterised since it was last shown over the canvas, so
    /// that what is drawn next goes over it.
    fn show_raster(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.raster.show(&self.ctx).map_err(canvas_error)
    }

    /// Makes sure the open path has this stroke style, starting a new one if not.
    fn stroke_with<S: BackendStyle>(
        &mut self,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.show_raster()?;
        let key = (color_key(style.color()), style.stroke_width().max(1));
        if self.open_path != Some(key) {
            self.flush();
            let state = self.state.get_mut();
            if state.stroke_color != Some(key.0) {
                self.ctx.set_stroke_style_str(&css_color(key.0));
                state.stroke_color = Some(key.0);
            }
            if state.line_width != Some(key.1) {
                self.ctx.set_line_width(f64::from(key.1));
                state.line_width = Some(key.1);
            }
            self.open_path = Some(key);
            // Odd widths sit on pixel centres, so a 1-px line covers one row.
            self.half = key.1 % 2 == 1;
        }
        Ok(())
    }

    fn fill_with(&mut self, color: BackendColor) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.flush();
        self.show_raster()?;
        let key = color_key(color);
        let state = self.state.get_mut();
        if state.fill_color != Some(key) {
            self.ctx.set_fill_style_str(&css_color(key));
            state.fill_color = Some(key);
        }
        Ok(())
    }

    fn set_font(&self, key: FontKey) {
        let mut state = self.state.borrow_mut();
        if state.font != Some(key) {
            self.ctx.set_font(&css_font(key));
            state.font = Some(key);
        }
    }
}

impl DrawingBackend for CanvasBackend {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        // Whatever a draw that failed half-way left in the raster is not
        // this frame's.
        self.raster.start_frame(self.size);
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.flush();
        self.show_raster()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.fill_with(color)?;
        self.ctx
            .fill_rect(f64::from(point.0), f64::from(point.1), 1.0, 1.0);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.draw_path([from, to], style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        let (x0, y0) = (f64::from(upper_left.0), f64::from(upper_left.1));
        let (w, h) = (
            f64::from(bottom_right.0 - upper_left.0).max(1.0),
            f64::from(bottom_right.1 - upper_left.1).max(1.0),
        );
        if fill {
            self.fill_with(style.color())?;
            self.ctx.fill_rect(x0, y0, w, h);
        } else {
            self.stroke_with(style)?;
            let (x0, y0) = (upper_left.0, upper_left.1);
            let (w, h) = (w as i32, h as i32);
            self.path.push(SUBPATH);
            for (x, y) in [
                (x0, y0),
                (x0 + w, y0),
                (x0 + w, y0 + h),
                (x0, y0 + h),
                (x0, y0),
            ] {
                self.path.extend([x, y]);
            }
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let path: Vec<BackendCoord> = path.into_iter().collect();
        if self.raster.takes(path.len(), style.color().alpha) {
            // Over whatever the canvas path holds so far.
            self.flush();
            let color = style.color();
            let width = style.stroke_width().max(1);
            layer::stroke(&path, color, width);
            return Ok(());
        }
        self.stroke_with(style)?;
        self.path.push(SUBPATH);
        for (x, y) in path {
            self.path.extend([x, y]);
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vertices: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.fill_with(style.color())?;
        for (x, y) in vertices {
            self.path.extend([x, y]);
        }
        trace(&self.ctx, &self.path, 0.0);
        self.ctx.fill();
        self.path.clear();
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if text.is_empty() || style.color().alpha == 0.0 {
            return Ok(());
        }
        self.fill_with(style.color())?;
        self.set_font(font_key(style));
        let align = match style.anchor().h_pos {
            HPos::Left => "left",
            HPos::Center => "center",
            HPos::Right => "right",
        };
        let baseline = match style.anchor().v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        };
        let state = self.state.get_mut();
        if state.align != Some(align) {
            self.ctx.set_text_align(align);
            state.align = Some(align);
        }
        if state.baseline != Some(baseline) {
            self.ctx.set_text_baseline(baseline);
            state.baseline = Some(baseline);
        }
        self.ctx
            .fill_text(text, f64::from(pos.0), f64::from(pos.1))
            .map_err(canvas_error)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<CanvasError>> {
        let font = font_key(style);
        let key = (font, text.to_string());
        if let Some(size) = self.measured.borrow().get(&key) {
            return Ok(*size);
        }
        self.set_font(font);
        let metrics = self.ctx.measure_text(text).map_err(canvas_error)?;
        let size = (
            metrics.width().ceil() as u32,
            (f64::from(font.0) / 16.0).ceil() as u32,
        );
        let mut measured = self.measured.borrow_mut();
        if measured.len() >= MEASURE_CACHE_LIMIT {
            measured.clear();
        }
        measured.insert(key, size);
        Ok(size)
    }
}
