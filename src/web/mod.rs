//! The JavaScript API: the only code that says `#[wasm_bindgen]`. It only
//! converts and forwards — `data` (series, parsers, planner), `chart` (the
//! handle), `host` (the page: canvas and overlay) — and every error goes
//! to JavaScript through one door, `js_error`; the pipeline itself lives in
//! the core.

mod arrays;
mod canvas;
mod chart;
mod data;
mod events;
mod guard;
mod host;
mod image;
mod layer;
mod locale;
mod overlay;
mod zone;

use std::fmt::Display;

use serde::Serialize;
use wasm_bindgen::prelude::*;

pub use chart::Chart;
pub use data::{
    match_metric_names, parse_mackerel, parse_mackerel_annotations, parse_mackerel_chunk,
    parse_prometheus, parse_victoria_export, plan_requests, SeriesData,
};

/// The one door from a core error to JavaScript.
fn js_error(e: impl Display) -> JsError {
    JsError::new(&e.to_string())
}

/// The shapes the API takes and gives, as TypeScript (checked against
/// the Rust structs by tests/types.rs).
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");

#[wasm_bindgen(start)]
fn start() {
    // A panic would otherwise surface only as "unreachable executed", and
    // leave its chart locked with no word why.
    guard::install_panic_hook();
    // Named zones and the reader's own come from the browser's Intl.
    crate::zone::set_zone_source(crate::zone::ZoneSource {
        named: zone::intl_zone,
        local_name: zone::browser_zone_name,
    });
    // Labels in the reader's language, from Intl too.
    crate::locale::set_locale_source(crate::locale::LocaleSource {
        format: locale::format,
        decimal: locale::decimal,
        supports: locale::supports,
    });
    // The browser loads its time-zone data the first time a page asks for
    // it (about 20 ms): ask while the module loads, which a page does while
    // its data is still on the way, not when the first chart is drawn.
    crate::zone::local_zone();
    // Likewise the drawing code and the date formats (a failure here only
    // leaves that work to the first frame).
    let _ = host::warm_up();
}

/// The limits the core keeps ({name, min, max} each), as its errors name
/// them.
#[wasm_bindgen(unchecked_return_type = "{ name: string; min: number; max: number }[]")]
pub fn limits() -> Result<JsValue, JsError> {
    to_js(&crate::limits::table())
}

fn to_js(value: &impl Serialize) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).map_err(js_error)
}

fn js_value_error(e: JsValue) -> JsError {
    js_error(e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

/// A size in pixels from JavaScript, checked before it is narrowed (-1
/// must not become 4294967295).
fn pixels(size: f64) -> Result<u32, JsError> {
    crate::limits::Limit::ImageSide
        .check(size)
        .map(|s| s as u32)
        .map_err(js_error)
}
