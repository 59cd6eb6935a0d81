//! The raster long paths are drawn into (`crate::raster`), and how it is
//! laid over a chart's canvas: put on a scratch canvas (`putImageData`
//! replaces pixels) and drawn from there (`drawImage` blends them). One for
//! every chart: charts draw one at a time, and a draw shows its raster
//! before it ends.

use std::cell::RefCell;

use plotters_backend::{BackendColor, BackendCoord};
use wasm_bindgen::{Clamped, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use super::host::detached_canvas;
use crate::raster::Raster;

struct Layer {
    raster: Raster,
    scratch: Option<(HtmlCanvasElement, CanvasRenderingContext2d)>,
}

thread_local! {
    static LAYER: RefCell<Layer> = RefCell::new(Layer { raster: Raster::new(), scratch: None });
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
#[derive(Default)]
pub struct Use {
    holds: bool,
    shown: u32,
    rest: u32,
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
    /// raster (and then it holds some).
    pub fn takes(&mut self, vertices: usize, alpha: f64) -> bool {
        let long = vertices >= FROM_VERTICES || self.holds;
        let takes = long && alpha >= 1.0 && self.shown < MOST_SHOWN && self.rest == 0;
        self.holds |= takes;
        takes
    }

    /// Whether the raster holds paths to show before what comes next (and
    /// then it is counted as shown).
    pub fn shown(&mut self) -> bool {
        let holds = std::mem::take(&mut self.holds);
        self.shown += u32::from(holds);
        holds
    }
}

/// Starts a frame of `size` device pixels with a transparent raster
/// (whatever a draw that failed half-way left in it is not this frame's).
pub fn reset(size: (u32, u32)) {
    LAYER.with(|layer| layer.borrow_mut().raster.reset(size.0, size.1));
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

/// Lays what the raster holds over `ctx` and clears it.
pub fn show(ctx: &CanvasRenderingContext2d) -> Result<(), JsValue> {
    LAYER.with(|layer| {
        let mut layer = layer.borrow_mut();
        let Layer { raster, scratch } = &mut *layer;
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
        raster.clear_dirty();
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
