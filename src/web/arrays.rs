//! Numbers from JavaScript as an embedder has them: a `Float64Array`
//! (copied into wasm memory in one go), or a plain array from `JSON.parse`
//! (`number[]`, `(number | null)[]`) or any other typed array, written
//! straight into wasm memory in one pass, `null` (and `undefined`) as a gap,
//! anything else as `Number()` converts it (a string of digits, as some APIs
//! send values), an error where that gives NaN.
//! Times in milliseconds are divided to seconds on the way (exactly: an
//! integer number of milliseconds stays exact); long times on a grid are
//! checked through a small buffer and never held.

use js_sys::{Array, ArrayBuffer, Float64Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::js_error;
use crate::limits::Limit;
use crate::series::{GridProbe, Series};

#[wasm_bindgen(inline_js = "
export function fill(target, source, offset) {
  const n = target.length;
  const part = offset === 0 && source.length === n ? source : source.slice(offset, offset + n);
  if (part.indexOf(null) === -1) {
    // The browser's own conversion: for an array of numbers, a copy.
    try {
      target.set(part);
      if (!target.includes(NaN)) return -1;
    } catch (e) {}
  }
  for (let i = 0; i < n; i++) {
    const v = part[i];
    if (typeof v === 'number') target[i] = v;
    else if (v === null || v === undefined) target[i] = NaN;
    else {
      let x = NaN;
      try { x = Number(v); } catch (e) {}
      if (x !== x) return offset + i;
      target[i] = x;
    }
  }
  return -1;
}")]
extern "C" {
    /// Writes `source[offset + i]` into `target[i]` (a view of wasm
    /// memory): numbers as they are, null and undefined as NaN, anything
    /// else as `Number()` converts it. The index in `source` of the first
    /// element that converts to NaN (or cannot be converted), or -1.
    ///
    /// An array without null goes through the browser's own conversion
    /// (`set`), which copies an array of numbers at memory speed; a loop
    /// in JavaScript runs at that speed only once the browser has
    /// optimised it, and on a fresh page, while it compiles the wasm, that
    /// took 40–140 ms for 662,400 times and values instead of ~10. An
    /// array with null (numbers boxed one by one, which `set` converts
    /// slowly) takes the loop.
    fn fill(target: &Float64Array, source: &JsValue, offset: u32) -> i32;
}

/// Times read this many at a time when they may be a grid.
const TIMES_BLOCK: usize = 8_192;

/// An array of numbers from JavaScript, and its length.
struct Source<'a> {
    array: &'a JsValue,
    /// Set when it is a `Float64Array` (copied rather than read).
    typed: Option<&'a Float64Array>,
    len: usize,
    /// Names it in errors.
    what: &'a str,
}

impl<'a> Source<'a> {
    fn of(array: &'a JsValue, what: &'a str) -> Result<Source<'a>, JsError> {
        let typed = array.dyn_ref::<Float64Array>();
        let length = if let Some(typed) = typed {
            typed.length()
        } else if Array::is_array(array) {
            array.unchecked_ref::<Array>().length()
        } else if ArrayBuffer::is_view(array) {
            js_sys::Reflect::get(array, &"length".into())
                .ok()
                .and_then(|l| l.as_f64())
                .ok_or_else(|| {
                    js_error(format!("{what} is an array buffer view without a length"))
                })? as u32
        } else {
            return Err(js_error(format!(
                "{what} must be an array of numbers (null for a gap) or a typed array"
            )));
        };
        let source = Source {
            array,
            typed,
            len: checked_len(length, what)?,
            what,
        };
        if length == 0 && ArrayBuffer::is_view(array) {
            // Empty, or a view whose buffer was detached (one of wasm
            // memory that an earlier allocation of this call moved).
            let buffer = js_sys::Reflect::get(array, &"buffer".into()).unwrap_or_default();
            let detached = js_sys::Reflect::get(&buffer, &"detached".into()).unwrap_or_default();
            if detached.is_truthy() {
                return Err(source.changed());
            }
        }
        Ok(source)
    }

    /// Appends elements `at..at + n` (in range), divided by `divisor`, to
    /// `out`, writing each once: not zeroed first, since on a fresh page
    /// the write is what first touches this memory, and a second pass over
    /// it costs as much again.
    fn read(&self, at: usize, n: usize, divisor: f64, out: &mut Vec<f64>) -> Result<(), JsError> {
        if n == 0 {
            // Nothing to read (and a part of a detached view would throw).
            return Ok(());
        }
        out.reserve_exact(n);
        let filled = out.len();
        if let Some(typed) = self.typed {
            if typed.length() as usize != self.len {
                // A view of wasm memory that this call's allocation moved
                // (detached, it reads as empty; a part of it would throw).
                return Err(self.changed());
            }
            let part = typed.subarray(at as u32, (at + n) as u32);
            let written = part
                .copy_to_uninit(&mut out.spare_capacity_mut()[..n])
                .len();
            // SAFETY: copy_to_uninit initialised the next `written` elements.
            unsafe { out.set_len(filled + written) };
            divide(&mut out[filled..], divisor);
            return Ok(());
        }
        // SAFETY: the view covers exactly the next `n` elements of `out`'s
        // allocation, which outlives it, and is dropped before they are
        // read. The fill allocates nothing in wasm; should a getter on the
        // array call back into wasm and grow its memory, the view detaches
        // and later writes are dropped, never put out of bounds (and the
        // detached view's length says so below).
        let view = unsafe { Float64Array::view_mut_raw(out.as_mut_ptr().add(filled), n) };
        let bad = fill(&view, self.array, at as u32);
        let whole = view.length() as usize == n;
        drop(view);
        if bad >= 0 {
            return Err(self.bad_element(bad as u32));
        }
        if !whole {
            return Err(self.changed());
        }
        // SAFETY: the fill wrote all `n` elements, through a view that
        // stayed attached (both checked above).
        unsafe { out.set_len(filled + n) };
        divide(&mut out[filled..], divisor);
        Ok(())
    }

    /// The error for an array that changed while it was read: a getter on
    /// it called sabaplot, or it views wasm memory that grew.
    fn changed(&self) -> JsError {
        js_error(format!(
            "{} changed while it was read (a getter on it called sabaplot, or it is a view of sabaplot's memory); pass plain numbers or a typed array of your own",
            self.what
        ))
    }

    /// The error for element `index`, which is not a number or null.
    fn bad_element(&self, index: u32) -> JsError {
        let element = js_sys::Reflect::get_u32(self.array, index).unwrap_or_default();
        let shown = js_sys::JSON::stringify(&element)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| format!("{element:?}"));
        let shown: String = shown.chars().take(40).collect();
        js_error(format!(
            "{}[{index}] is {shown}, not a number (or null for a gap)",
            self.what
        ))
    }

    fn all(&self, divisor: f64) -> Result<Vec<f64>, JsError> {
        let mut out = Vec::new();
        self.read(0, self.len, divisor, &mut out)?;
        Ok(out)
    }
}

/// Times in milliseconds to seconds (exact for whole milliseconds).
fn divide(numbers: &mut [f64], divisor: f64) {
    if divisor != 1.0 {
        numbers.iter_mut().for_each(|t| *t /= divisor);
    }
}

/// The numbers of `source` (`what` names it in errors), divided by
/// `divisor`.
pub(super) fn numbers(source: &JsValue, divisor: f64, what: &str) -> Result<Vec<f64>, JsError> {
    Source::of(source, what)?.all(divisor)
}

/// Times as read: a grid, never held in wasm memory, or the times.
pub(super) enum Times {
    Grid(GridProbe),
    Points(Vec<f64>),
}

/// The times of `source` (seconds after dividing by `divisor`). Long times
/// exactly `start + k × step` (minutes, as a table or an API gives them)
/// are read through a small buffer and come back as their grid: a copy of
/// them would take as much memory as one more series, for ever, as the
/// allocator keeps what it grew.
pub(super) fn times(source: &JsValue, divisor: f64) -> Result<Times, JsError> {
    let source = Source::of(source, "times")?;
    let n = source.len;
    if n >= 2 * TIMES_BLOCK {
        let mut block = Vec::new();
        source.read(0, TIMES_BLOCK, divisor, &mut block)?;
        if let Some(mut probe) = GridProbe::new(&block, n) {
            let mut at = 0;
            while probe.holds(&block) {
                at += block.len();
                if at == n {
                    return Ok(Times::Grid(probe));
                }
                block.clear();
                source.read(at, TIMES_BLOCK.min(n - at), divisor, &mut block)?;
            }
        }
    }
    source.all(divisor).map(Times::Points)
}

/// `length` elements, checked against the points a series may hold before
/// anything is allocated for them.
fn checked_len(length: u32, what: &str) -> Result<usize, JsError> {
    Limit::PointsPerSeries
        .check(f64::from(length))
        .map(|n| n as usize)
        .map_err(|e| js_error(format!("{what}: {e}")))
}

/// A series from times and values as `setSeriesArrays` takes them (times
/// divided by `divisor` to seconds).
pub(super) fn series_of(
    times: &JsValue,
    values: &JsValue,
    divisor: f64,
) -> Result<Series, JsError> {
    let values = numbers(values, 1.0, "values")?;
    match self::times(times, divisor)? {
        Times::Grid(grid) => Series::from_grid_columns(&grid, [values])
            .map_err(|(_, e)| js_error(e))?
            .pop()
            .ok_or_else(|| js_error("setSeriesArrays: no series was made")),
        Times::Points(times) => Series::from_arrays(&times, values).map_err(js_error),
    }
}

/// One series per column of values, all on `times`, as `setSeriesColumns`
/// takes them: `columns[k]` is the series `names[k]`.
pub(super) fn table_of(
    names: &[String],
    times: &JsValue,
    columns: &[JsValue],
    divisor: f64,
) -> Result<Vec<Series>, JsError> {
    if names.len() != columns.len() {
        return Err(js_error(format!(
            "setSeriesColumns: {} names for {} columns; give one name per column",
            names.len(),
            columns.len()
        )));
    }
    let times = self::times(times, divisor)?;
    let mut values = Vec::with_capacity(columns.len());
    for (name, column) in names.iter().zip(columns) {
        values.push(numbers(column, 1.0, &format!("the values of {name:?}"))?);
    }
    let table = match times {
        Times::Grid(grid) => Series::from_grid_columns(&grid, values),
        Times::Points(times) => Series::from_columns(&times, values),
    };
    table.map_err(|(k, e)| js_error(format!("series \"{}\": {e}", names[k])))
}

/// The stretch `mergeSeries` keeps: both ends, or neither.
pub(super) fn span_of(from: Option<f64>, to: Option<f64>) -> Result<Option<(f64, f64)>, JsError> {
    match (from, to) {
        (Some(from), Some(to)) => Ok(Some((from, to))),
        (None, None) => Ok(None),
        _ => Err(js_error("mergeSeries: give both from and to, or neither")),
    }
}

/// A window as JavaScript's `[from, to]`, or undefined.
pub(super) fn range_to_js(range: Option<(f64, f64)>) -> JsValue {
    match range {
        Some((from, to)) => js_sys::Array::of2(&from.into(), &to.into()).into(),
        None => JsValue::UNDEFINED,
    }
}
