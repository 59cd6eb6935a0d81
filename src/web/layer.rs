//! The raster long paths are drawn into (`crate::raster`), and how it is
//! laid over a chart's canvas: put on a scratch canvas (`putImageData`
//! replaces pixels) and drawn from there (`drawImage` blends them). One for
//! every chart: charts draw one at a time, and a draw shows its raster
//! before it ends.

use std::cell::RefCell;
use std::ops::Range;

use plotters_backend::{BackendColor, BackendCoord};
use wasm_bindgen::{Clamped, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use super::host::detached_canvas;
use crate::raster::Raster;
use crate::{KeptLines, LinesKey};

struct Layer {
    raster: Raster,
    scratch: Option<(HtmlCanvasElement, CanvasRenderingContext2d)>,
    /// Whose lines the raster holds, and of what window.
    kept: Option<Kept>,
    /// Where this frame is with its lines.
    phase: Phase,
    /// The raster may hold the last frame's pixels: cleared before anything
    /// else is drawn into it.
    stale: bool,
}

/// The lines of one chart's last frame, held in the raster.
struct Kept {
    chart: u32,
    key: LinesKey,
    origin: f64,
}

#[derive(Clone, Copy, PartialEq)]
enum Phase {
    /// No lines to keep (yet) this frame.
    Open,
    /// The lines are being drawn: every path goes into the raster.
    Lines,
    /// They are drawn: nothing else goes into the raster this frame.
    Done,
}

thread_local! {
    static LAYER: RefCell<Layer> = RefCell::new(Layer {
        raster: Raster::new(),
        scratch: None,
        kept: None,
        phase: Phase::Open,
        stale: false,
    });
    /// The last chart number given out.
    static CHARTS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Opaque paths of this many vertices or more are rasterised: below it,
/// the canvas' own path is as fast, and grid lines and marks stay the
/// canvas' own. Once rasterising, shorter paths are too, until something
/// else is drawn.
const FROM_VERTICES: usize = 16;

/// Times a frame's raster is shown before the rest of the frame goes
/// through canvas paths: each time costs an image call over the lines'
/// extent, and a frame that mixes lines with fills (stacks, areas, coarse
/// pictures under a load, dots) would show it once a series. A frame that
/// reaches it has the next `REST_FRAMES` drawn with canvas paths only
/// (frames in a row look alike), then the raster is tried again.
const MOST_SHOWN: u32 = 4;
const REST_FRAMES: u32 = 30;

/// A backend's use of the raster: which paths go into it, and whether it
/// holds some not shown yet.
pub struct Use {
    /// Which chart's backend this is.
    chart: u32,
    holds: bool,
    shown: u32,
    rest: u32,
}

impl Default for Use {
    fn default() -> Use {
        let chart = CHARTS.with(|n| {
            n.set(n.get().wrapping_add(1));
            n.get()
        });
        Use {
            chart,
            holds: false,
            shown: 0,
            rest: 0,
        }
    }
}

impl Use {
    pub fn start_frame(&mut self) {
        if self.shown >= MOST_SHOWN {
            self.rest = REST_FRAMES;
        } else {
            self.rest = self.rest.saturating_sub(1);
        }
        self.holds = false;
        self.shown = 0;
    }

    /// Whether a path of `vertices` in a colour of `alpha` goes into the
    /// raster (and then it holds some). While a frame's lines are drawn to
    /// be kept, all of them do; after, nothing else does.
    pub fn takes(&mut self, vertices: usize, alpha: f64) -> bool {
        let takes = match LAYER.with(|layer| layer.borrow().phase) {
            Phase::Lines => true,
            Phase::Done => false,
            Phase::Open => {
                let long = vertices >= FROM_VERTICES || self.holds;
                long && alpha >= 1.0 && self.shown < MOST_SHOWN && self.rest == 0
            }
        };
        self.holds |= takes;
        takes
    }

    /// Whether the raster holds paths (or kept lines) to show before what
    /// comes next; a show is counted when paths were drawn.
    pub fn shown(&mut self) -> bool {
        let holds = std::mem::take(&mut self.holds);
        self.shown += u32::from(holds);
        holds || LAYER.with(|layer| layer.borrow().raster.dirty().is_some())
    }

    /// This backend's chart's memory of its lines, for `Chart::draw_keeping`.
    pub fn kept_lines(&self) -> Lines {
        Lines { chart: self.chart }
    }
}

/// One chart's lines kept in the raster between frames: a pan moves them
/// and draws only what it revealed. The raster is the page's, so a frame of
/// another chart (or of this one that cannot keep its lines) ends it.
pub struct Lines {
    chart: u32,
}

impl KeptLines for Lines {
    fn begin(&self, key: &LinesKey, origin: f64, columns: usize, margin: usize) -> Range<usize> {
        LAYER.with(|layer| {
            let mut layer = layer.borrow_mut();
            let layer = &mut *layer;
            layer.phase = Phase::Lines;
            layer.stale = false;
            let raster = &mut layer.raster;
            // Kept lines are drawn inside the plot's columns only, so that
            // what a move carries past its edge is cleared, not shown.
            let plot = (
                key.plot[0].max(0) as usize,
                key.plot[2].max(-1) as usize + 1,
            );
            let kept = layer
                .kept
                .as_mut()
                .filter(|k| k.chart == self.chart && k.key == *key && raster.holds());
            if let Some(kept) = kept {
                let moved = origin - kept.origin;
                let by = moved.round();
                if (moved - by).abs() <= 1e-6 && by.abs() + 2.0 * (margin as f64) < columns as f64 {
                    let by = by as i64;
                    let n = by.unsigned_abs() as usize;
                    let [left, _, right, _] = key.plot.map(|v| v.max(0) as usize);
                    // The window moved later: the picture moves left and
                    // the right end is drawn again; earlier, the other way.
                    let (pixels, cols) = match by.cmp(&0) {
                        std::cmp::Ordering::Greater => (
                            ((right + 1).saturating_sub(n + margin), raster.width()),
                            columns - n - 2 * margin..columns,
                        ),
                        std::cmp::Ordering::Less => ((0, left + n + margin), 0..n + 2 * margin),
                        std::cmp::Ordering::Equal => ((0, 0), 0..0),
                    };
                    raster.shift(-by, pixels, plot);
                    raster.clip((pixels.0.max(plot.0), pixels.1.min(plot.1)));
                    kept.origin = origin;
                    return cols;
                }
            }
            raster.clear_dirty();
            raster.clip(plot);
            layer.kept = Some(Kept {
                chart: self.chart,
                key: *key,
                origin,
            });
            0..columns
        })
    }

    fn end(&self) {
        LAYER.with(|layer| {
            let mut layer = layer.borrow_mut();
            if layer.phase == Phase::Lines {
                layer.phase = Phase::Done;
            }
        });
    }

    fn forget(&self) {
        LAYER.with(|layer| layer.borrow_mut().kept = None);
    }
}

/// Starts a frame of `size` device pixels: the raster is made that size
/// (and transparent) if it is not, else what it holds is kept until the
/// frame's lines say whether they move it (`Lines::begin`) or anything
/// else is drawn into it.
pub fn start_frame(size: (u32, u32)) {
    LAYER.with(|layer| {
        let mut layer = layer.borrow_mut();
        let raster = &mut layer.raster;
        if (raster.width(), raster.height()) != (size.0 as usize, size.1 as usize) {
            raster.reset(size.0, size.1);
            layer.kept = None;
        } else if raster.dirty().is_some() {
            // Left by a frame that failed half-way: not this frame's.
            raster.clear_dirty();
            layer.kept = None;
        }
        layer.raster.clip((0, size.0 as usize));
        layer.phase = Phase::Open;
        layer.stale = true;
    });
}

/// Strokes `path` (device pixels) into the raster.
pub fn stroke(path: &[BackendCoord], color: BackendColor, width: u32) {
    LAYER.with(|layer| {
        let mut layer = layer.borrow_mut();
        if std::mem::take(&mut layer.stale) {
            // Not lines to keep: whatever was held is gone.
            layer.raster.clear_dirty();
            layer.kept = None;
        }
        layer.raster.stroke(path, color.rgb, color.alpha, width)
    });
}

/// Lays what the raster holds over `ctx`; clears it, or holds it when it
/// is a frame's lines to keep.
pub fn show(ctx: &CanvasRenderingContext2d) -> Result<(), JsValue> {
    LAYER.with(|layer| {
        let mut layer = layer.borrow_mut();
        let Layer {
            raster,
            scratch,
            kept,
            phase,
            ..
        } = &mut *layer;
        let Some(dirty) = raster.dirty() else {
            return Ok(());
        };
        let (x, w) = (dirty.x.0 as f64, (dirty.x.1 - dirty.x.0) as f64);
        let rows = dirty.y.1 - dirty.y.0;
        let image = ImageData::new_with_u8_clamped_array_and_sh(
            Clamped(raster.rows(dirty.y)),
            raster.width() as u32,
            rows as u32,
        )?;
        let (canvas, scratch) = scratch_of(scratch, raster.width() as u32, rows as u32)?;
        let h = rows as f64;
        scratch.put_image_data_with_dirty_x_and_dirty_y_and_dirty_width_and_dirty_height(
            &image, 0.0, 0.0, x, 0.0, w, h,
        )?;
        ctx.draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
            canvas,
            x,
            0.0,
            w,
            h,
            x,
            dirty.y.0 as f64,
            w,
            h,
        )?;
        if *phase == Phase::Done && kept.is_some() {
            raster.hold();
        } else {
            // Shown before its lines were all drawn, or not lines: nothing
            // of it is kept.
            *kept = None;
            raster.clear_dirty();
        }
        Ok(())
    })
}

/// A canvas to put the raster on, at least `width` × `height`.
fn scratch_of(
    slot: &mut Option<(HtmlCanvasElement, CanvasRenderingContext2d)>,
    width: u32,
    height: u32,
) -> Result<&(HtmlCanvasElement, CanvasRenderingContext2d), JsValue> {
    let scratch = match slot {
        Some(scratch) => scratch,
        None => slot.insert(detached_canvas(width, height)?),
    };
    if scratch.0.width() < width || scratch.0.height() < height {
        scratch.0.set_width(scratch.0.width().max(width));
        scratch.0.set_height(scratch.0.height().max(height));
    }
    Ok(scratch)
}
