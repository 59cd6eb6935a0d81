//! The raster long paths are drawn into (`crate::raster`), and how it is
//! laid over a chart's canvas: put on a canvas outside the page
//! (`putImageData` replaces pixels) and drawn from there (`drawImage`
//! blends them). One raster for every chart: charts draw one at a time,
//! and a draw shows its raster before it ends.
//!
//! A chart's frame of plain lines is put on a canvas of the chart's own and
//! kept there: the next frame, when its window is a whole number of
//! columns away, moves that picture (the browser copies it) and draws only
//! the columns the move revealed. Charts of a group pan together, each
//! with its own picture.
//!
//! One idea over 400 lines: a frame's phases (lines drawn, then shown once)
//! decide both which paths go into the raster and what of it is kept, so
//! the raster's use and the kept lines are only correct together.

use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;

use plotters_backend::{BackendColor, BackendCoord};
use wasm_bindgen::{Clamped, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use super::host::detached_canvas;
use crate::raster::{Dirty, Raster};
use crate::{KeptLines, LinesKey};

type Canvas = (HtmlCanvasElement, CanvasRenderingContext2d);

struct Layer {
    raster: Raster,
    /// Where a frame that keeps no lines puts its raster to draw it.
    scratch: Option<Canvas>,
    /// The canvas a chart's kept picture is drawn on, moved; it then holds
    /// the picture, and the chart's old one comes here (a canvas drawn on
    /// itself would first be copied whole). One for every chart.
    spare: Option<Canvas>,
}

thread_local! {
    static LAYER: RefCell<Layer> =
        RefCell::new(Layer { raster: Raster::new(), scratch: None, spare: None });
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

/// Where a frame is with its lines.
#[derive(Clone, Copy, PartialEq)]
enum Phase {
    /// No lines to keep (yet) this frame.
    Open,
    /// The lines are being drawn: every path goes into the raster.
    Lines,
    /// They are drawn: nothing else goes into the raster this frame.
    Done,
}

/// One chart's kept lines: its picture, and what it shows.
struct Keeper {
    picture: Option<Canvas>,
    /// The lines the picture holds, and where their window started (in
    /// pixel columns); None when it holds none worth keeping.
    kept: Option<(LinesKey, f64)>,
    phase: Phase,
    /// The pixels a move draws its lines in, its two stretches (the
    /// picture between them moved); None when every column is drawn and
    /// the picture is replaced.
    moved: Option<[(usize, usize); 2]>,
    /// The picture was just made: transparent, nothing to clear.
    blank: bool,
    /// A frame of plain lines was drawn before.
    seen: bool,
}

/// A backend's use of the raster: which paths go into it, and whether it
/// holds some not shown yet.
#[derive(Default)]
pub struct Use {
    holds: bool,
    shown: u32,
    rest: u32,
    keeper: Rc<RefCell<Keeper>>,
}

impl Default for Keeper {
    fn default() -> Keeper {
        Keeper {
            picture: None,
            kept: None,
            phase: Phase::Open,
            moved: None,
            blank: false,
            seen: false,
        }
    }
}

impl Use {
    /// Starts a frame of `size` device pixels with a transparent raster
    /// (whatever a draw that failed half-way left in it is not this frame's).
    pub fn start_frame(&mut self, size: (u32, u32)) {
        if self.shown >= MOST_SHOWN {
            self.rest = REST_FRAMES;
        } else {
            self.rest = self.rest.saturating_sub(1);
        }
        self.holds = false;
        self.shown = 0;
        let mut keeper = self.keeper.borrow_mut();
        if keeper.phase == Phase::Lines {
            // The last frame failed while drawing its lines.
            keeper.kept = None;
        }
        keeper.phase = Phase::Open;
        LAYER.with(|layer| layer.borrow_mut().raster.reset(size.0, size.1));
    }

    /// Whether a path of `vertices` in a colour of `alpha` goes into the
    /// raster (and then it holds some). While a frame's lines are drawn to
    /// be kept, all of them do; after, nothing else does.
    pub fn takes(&mut self, vertices: usize, alpha: f64) -> bool {
        let takes = match self.keeper.borrow().phase {
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

    /// This chart's memory of its lines, for `Chart::draw_keeping`.
    pub fn kept_lines(&self) -> Lines {
        Lines {
            keeper: Rc::clone(&self.keeper),
        }
    }

    /// Lays what the raster holds (and a moved picture of kept lines) over
    /// `ctx`, before what is drawn next; the raster is cleared.
    pub fn show(&mut self, ctx: &CanvasRenderingContext2d) -> Result<(), JsValue> {
        let holds = std::mem::take(&mut self.holds);
        self.shown += u32::from(holds);
        let mut keeper = self.keeper.borrow_mut();
        if keeper.phase == Phase::Done && keeper.kept.is_some() {
            // Shown once a frame, after its lines: the picture is kept.
            keeper.phase = Phase::Open;
            let blank = std::mem::take(&mut keeper.blank);
            let picture = keeper.picture.as_ref().ok_or("no picture")?;
            let (width, height) = (f64::from(picture.0.width()), f64::from(picture.0.height()));
            // A move's picture takes the raster's two stretches only (the
            // columns between them are the moved picture's); a whole frame's
            // replaces it.
            let parts = match keeper.moved {
                Some(stretches) => stretches,
                None => {
                    if !blank {
                        picture.1.clear_rect(0.0, 0.0, width, height);
                    }
                    [(0, usize::MAX), (0, 0)]
                }
            };
            LAYER.with(|layer| put(&mut layer.borrow_mut().raster, &picture.1, &parts))?;
            return ctx.draw_image_with_html_canvas_element(&picture.0, 0.0, 0.0);
        }
        if keeper.phase == Phase::Lines {
            // Shown before its lines were all drawn: nothing of them is kept.
            keeper.kept = None;
        }
        if !holds {
            return Ok(());
        }
        LAYER.with(|layer| {
            let mut layer = layer.borrow_mut();
            let Layer {
                raster, scratch, ..
            } = &mut *layer;
            let Some(dirty) = raster.dirty() else {
                return Ok(());
            };
            let (canvas, scratch) =
                canvas_of(scratch, raster.width() as u32, raster.height() as u32)?;
            put(raster, scratch, &[(0, usize::MAX)])?;
            let (x, y) = (dirty.x.0 as f64, dirty.y.0 as f64);
            let (w, h) = (
                (dirty.x.1 - dirty.x.0) as f64,
                (dirty.y.1 - dirty.y.0) as f64,
            );
            ctx.draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
                canvas, x, y, w, h, x, y, w, h,
            )
        })
    }
}

/// Puts what the raster holds in the columns `xs` of each of `parts` on
/// `ctx` where it lies (replacing the pixels there), then clears it. A
/// narrow stretch (the columns a pan revealed) is packed first, so the
/// image made of it is no bigger than it is.
fn put(
    raster: &mut Raster,
    ctx: &CanvasRenderingContext2d,
    parts: &[(usize, usize)],
) -> Result<(), JsValue> {
    let Some(dirty) = raster.dirty() else {
        return Ok(());
    };
    for xs in parts {
        let x = (dirty.x.0.max(xs.0), dirty.x.1.min(xs.1));
        if x.0 >= x.1 {
            continue;
        }
        let part = Dirty { x, y: dirty.y };
        let (width, rows) = (x.1 - x.0, dirty.y.1 - dirty.y.0);
        let packed;
        let (bytes, x0, image_width) = if 2 * width < raster.width() {
            packed = raster.pack(part);
            (packed.as_slice(), 0, width)
        } else {
            (raster.rows(dirty.y), x.0, raster.width())
        };
        let image = ImageData::new_with_u8_clamped_array_and_sh(
            Clamped(bytes),
            image_width as u32,
            rows as u32,
        )?;
        ctx.put_image_data_with_dirty_x_and_dirty_y_and_dirty_width_and_dirty_height(
            &image,
            (x.0 - x0) as f64,
            dirty.y.0 as f64,
            x0 as f64,
            0.0,
            width as f64,
            rows as f64,
        )?;
    }
    raster.clear_dirty();
    Ok(())
}

/// One chart's lines kept between frames on a canvas of its own: a pan
/// moves them and draws only what it revealed.
pub struct Lines {
    keeper: Rc<RefCell<Keeper>>,
}

impl Keeper {
    /// Moves the picture `by` columns (left when negative), leaving out the
    /// columns `redrawn` (to draw again) and those outside the plot's
    /// `within`.
    fn shift(
        &mut self,
        by: i64,
        redrawn: [(usize, usize); 2],
        within: (usize, usize),
    ) -> Result<(), JsValue> {
        let Some(from) = &self.picture else {
            return Err("no picture".into());
        };
        let (width, height) = (from.0.width(), from.0.height());
        let to = match LAYER.with(|layer| layer.borrow_mut().spare.take()) {
            Some(spare) => {
                if (spare.0.width(), spare.0.height()) != (width, height) {
                    spare.0.set_width(width);
                    spare.0.set_height(height);
                }
                spare
            }
            None => detached_canvas(width, height)?,
        };
        to.1.clear_rect(0.0, 0.0, f64::from(width), f64::from(height));
        // The columns kept: inside the plot, between the two redrawn.
        let (lo, hi) = if redrawn[0].0 <= redrawn[1].0 {
            (redrawn[0], redrawn[1])
        } else {
            (redrawn[1], redrawn[0])
        };
        let a = lo.1.max(within.0);
        let b = if hi.0 < hi.1 {
            hi.0.min(within.1)
        } else {
            within.1
        };
        if a < b {
            let (a, w, h) = (a as f64, (b - a) as f64, f64::from(height));
            to.1.draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
                &from.0,
                a - by as f64,
                0.0,
                w,
                h,
                a,
                0.0,
                w,
                h,
            )?;
        }
        let old = self.picture.replace(to);
        LAYER.with(|layer| layer.borrow_mut().spare = old);
        Ok(())
    }
}

impl KeptLines for Lines {
    fn begin(
        &self,
        key: &LinesKey,
        origin: f64,
        columns: usize,
        margin: usize,
    ) -> [Range<usize>; 2] {
        let mut keeper = self.keeper.borrow_mut();
        let keeper = &mut *keeper;
        keeper.phase = Phase::Lines;
        // Kept lines are drawn inside the plot's columns only, so that what
        // a move carries past its edge is cleared, not shown.
        let [left, _, right, _] = key.plot.map(|v| v.max(0) as usize);
        let plot = (left, right + 1);
        let fits = |p: &Canvas| (p.0.width(), p.0.height()) == key.size;
        let moved = keeper
            .kept
            .filter(|(kept, _)| kept == key && keeper.picture.as_ref().is_some_and(fits))
            .map(|(_, kept_origin)| origin - kept_origin);
        if let Some(moved) = moved {
            let by = moved.round();
            let whole = (moved - by).abs() <= 1e-6;
            if whole && by.abs() + 4.0 * (margin as f64) < columns as f64 {
                let by = by as i64;
                let n = by.unsigned_abs() as usize;
                // The window moved later: the picture moves left and the
                // right end is drawn again; earlier, the other way. The
                // other end too, where the line now ends at the plot's edge
                // and ran on to a neighbour before.
                let width = key.size.0 as usize;
                let right_end = |n: usize| {
                    let pixels = ((right + 1).saturating_sub(n + margin), width);
                    (pixels, columns - n - 2 * margin..columns)
                };
                let left_end = |n: usize| ((0, left + n + margin), 0..n + 2 * margin);
                let [(first, cols), (second, more)] = match by.cmp(&0) {
                    std::cmp::Ordering::Greater => [right_end(n), left_end(0)],
                    std::cmp::Ordering::Less => [left_end(n), right_end(0)],
                    std::cmp::Ordering::Equal => [((0, 0), 0..0), ((0, 0), 0..0)],
                };
                if keeper.shift(-by, [first, second], plot).is_ok() {
                    clip(first, plot);
                    keeper.moved = Some([first, second]);
                    keeper.kept = Some((*key, origin));
                    return [cols, more];
                }
            }
        }
        // Every column drawn, and the picture replaced when shown. A chart's
        // first frame of plain lines makes no picture (making a canvas costs
        // a first frame some milliseconds); the next one does.
        if !keeper.picture.as_ref().is_some_and(fits) {
            keeper.picture = None;
            if std::mem::replace(&mut keeper.seen, true) {
                keeper.picture = detached_canvas(key.size.0, key.size.1).ok();
                keeper.blank = true;
            }
        }
        keeper.kept = keeper.picture.is_some().then_some((*key, origin));
        keeper.moved = None;
        clip(plot, plot);
        [0..columns, 0..0]
    }

    fn next(&self) {
        let keeper = self.keeper.borrow();
        if let (Some([_, pixels]), Some((key, _))) = (keeper.moved, keeper.kept) {
            let [left, _, right, _] = key.plot.map(|v| v.max(0) as usize);
            clip(pixels, (left, right + 1));
        }
    }

    fn end(&self) {
        let mut keeper = self.keeper.borrow_mut();
        if keeper.phase == Phase::Lines {
            keeper.phase = Phase::Done;
        }
    }

    fn forget(&self) {
        self.keeper.borrow_mut().kept = None;
    }
}

/// Lets the raster's drawing change columns `xs` of the plot's `plot` only.
fn clip(xs: (usize, usize), plot: (usize, usize)) {
    LAYER.with(|layer| {
        layer
            .borrow_mut()
            .raster
            .clip((xs.0.max(plot.0), xs.1.min(plot.1)))
    });
}

/// Strokes `path` (device pixels) into the raster.
pub fn stroke(path: &[BackendCoord], color: BackendColor, width: u32) {
    LAYER.with(|layer| {
        layer
            .borrow_mut()
            .raster
            .stroke(path, color.rgb, color.alpha, width)
    });
}

/// A canvas to put the raster on, at least `width` × `height`.
fn canvas_of(slot: &mut Option<Canvas>, width: u32, height: u32) -> Result<&Canvas, JsValue> {
    let canvas = match slot {
        Some(canvas) => canvas,
        None => slot.insert(detached_canvas(width, height)?),
    };
    if canvas.0.width() < width || canvas.0.height() < height {
        canvas.0.set_width(canvas.0.width().max(width));
        canvas.0.set_height(canvas.0.height().max(height));
    }
    Ok(canvas)
}
