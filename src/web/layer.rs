//! The raster long paths are drawn into (`crate::raster`), and how it is
//! laid over a chart's canvas: put on a scratch canvas (`putImageData`
//! replaces pixels) and drawn from there (`drawImage` blends them). One for
//! every chart: charts draw one at a time, and a draw shows its raster
//! before it ends.

use std::cell::RefCell;

use plotters_backend::{BackendColor, BackendCoord};
use wasm_bindgen::{Clamped, JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use crate::raster::Raster;

struct Layer {
    raster: Raster,
    scratch: Option<(HtmlCanvasElement, CanvasRenderingContext2d)>,
}

thread_local! {
    static LAYER: RefCell<Layer> = RefCell::new(Layer { raster: Raster::new(), scratch: None });
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
    if slot.is_none() {
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or_else(|| JsValue::from_str("no document"))?;
        let canvas: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
        let ctx = canvas
            .get_context("2d")?
            .ok_or_else(|| JsValue::from_str("no 2d context"))?
            .dyn_into::<CanvasRenderingContext2d>()?;
        *slot = Some((canvas, ctx));
    }
    let scratch = slot
        .as_ref()
        .ok_or_else(|| JsValue::from_str("no scratch canvas"))?;
    if scratch.0.width() < width || scratch.0.height() < height {
        scratch.0.set_width(scratch.0.width().max(width));
        scratch.0.set_height(scratch.0.height().max(height));
    }
    Ok(scratch)
}
