//! Numbers from JavaScript as an embedder has them: a `Float64Array`
//! (copied into wasm memory in one go), or a plain array from `JSON.parse`
//! (`number[]`, `(number | null)[]`) or any other typed array, written
//! straight into wasm memory in one pass, `null` (and `undefined`) as a gap.
//! Times in milliseconds are divided to seconds on the way (exactly: an
//! integer number of milliseconds stays exact).

use js_sys::{Array, ArrayBuffer, Float64Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::js_error;
use crate::limits::Limit;

#[wasm_bindgen(inline_js = "
export function fill(target, source, divisor) {
  const n = target.length;
  for (let i = 0; i < n; i++) {
    const v = source[i];
    if (typeof v === 'number') target[i] = v;
    else if (v === null || v === undefined) target[i] = NaN;
    else return i;
  }
  if (divisor !== 1) for (let i = 0; i < n; i++) target[i] /= divisor;
  return -1;
}")]
extern "C" {
    /// Writes `source[i] / divisor` into `target` (a view of wasm memory),
    /// null as NaN; the index of the first element that is not a number or
    /// null, or -1.
    fn fill(target: &Float64Array, source: &JsValue, divisor: f64) -> i32;
}

/// The numbers of `source` (`what` names it in errors), divided by
/// `divisor`.
pub(super) fn numbers(source: &JsValue, divisor: f64, what: &str) -> Result<Vec<f64>, JsError> {
    if let Some(typed) = source.dyn_ref::<Float64Array>() {
        let mut out = vec![0.0; checked_len(typed.length(), what)?];
        typed.copy_to(&mut out);
        if divisor != 1.0 {
            out.iter_mut().for_each(|t| *t /= divisor);
        }
        return Ok(out);
    }
    let length = if Array::is_array(source) {
        source.unchecked_ref::<Array>().length()
    } else if ArrayBuffer::is_view(source) {
        js_sys::Reflect::get(source, &"length".into())
            .ok()
            .and_then(|l| l.as_f64())
            .ok_or_else(|| js_error(format!("{what} is an array buffer view without a length")))?
            as u32
    } else {
        return Err(js_error(format!(
            "{what} must be an array of numbers (null for a gap) or a typed array"
        )));
    };
    let mut out = vec![0.0; checked_len(length, what)?];
    // SAFETY: the view covers exactly `out`, which outlives it, and is
    // dropped before `out` is read. The fill allocates nothing in wasm; should
    // a getter on `source` call back into wasm and grow its memory, the view
    // detaches and later writes are dropped, never put out of bounds.
    let view = unsafe { Float64Array::view_mut_raw(out.as_mut_ptr(), out.len()) };
    let bad = fill(&view, source, divisor);
    drop(view);
    if bad >= 0 {
        let element = js_sys::Reflect::get_u32(source, bad as u32).unwrap_or_default();
        let shown = js_sys::JSON::stringify(&element)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| format!("{element:?}"));
        let shown: String = shown.chars().take(40).collect();
        return Err(js_error(format!(
            "{what}[{bad}] is {shown}, not a number (or null for a gap)"
        )));
    }
    Ok(out)
}

/// `length` elements, checked against the points a series may hold before
/// anything is allocated for them.
fn checked_len(length: u32, what: &str) -> Result<usize, JsError> {
    Limit::PointsPerSeries
        .check(f64::from(length))
        .map(|n| n as usize)
        .map_err(|e| js_error(format!("{what}: {e}")))
}
