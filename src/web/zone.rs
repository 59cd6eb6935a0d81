//! Named time zones from the browser's `Intl`: the offset at an instant is
//! the wall clock `Intl.DateTimeFormat` shows for it, minus the instant.

use js_sys::{Array, Date, Intl, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::ticks::calendar::days_from_civil;
use crate::TimeZone;

#[wasm_bindgen]
extern "C" {
    /// `Intl.DateTimeFormat(locales, options)`, with its RangeError for an
    /// unknown zone caught rather than thrown through the wasm stack.
    #[wasm_bindgen(catch, js_namespace = Intl, js_name = DateTimeFormat)]
    pub(super) fn date_time_format(
        locales: &Array,
        options: &Object,
    ) -> Result<Intl::DateTimeFormat, JsValue>;
}

/// The zone `name` as the browser knows it, or None if it does not.
pub fn intl_zone(name: &str) -> Option<TimeZone> {
    let options = Object::new();
    let set = |key: &str, value: &str| Reflect::set(&options, &key.into(), &value.into());
    set("timeZone", name).ok()?;
    set("hourCycle", "h23").ok()?;
    for field in ["year", "month", "day", "hour", "minute", "second"] {
        set(field, "numeric").ok()?;
    }
    let format = date_time_format(&Array::of1(&"en-US".into()), &options).ok()?;
    let resolved = Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()?
        .as_string()?;
    Some(TimeZone::from_lookup(&resolved, move |utc| {
        wall_clock(&format, utc).map_or(0, |local| local - utc)
    }))
}

/// The browser's own zone ("Europe/Berlin"), if it says.
pub fn browser_zone_name() -> Option<String> {
    let format = Intl::DateTimeFormat::new(&Array::new(), &Object::new());
    Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()?
        .as_string()
}

/// Wall-clock seconds `format` shows for the instant `utc`.
fn wall_clock(format: &Intl::DateTimeFormat, utc: i64) -> Option<i64> {
    let date = Date::new(&JsValue::from_f64(utc as f64 * 1_000.0));
    let parts = format.format_to_parts(&date);
    let (mut y, mut mo, mut d, mut h, mut mi, mut s) = (0i64, 0u32, 0u32, 0i64, 0i64, 0i64);
    for part in parts.iter() {
        let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
        let value = Reflect::get(&part, &"value".into()).ok()?.as_string()?;
        let number = || value.parse::<i64>().ok();
        match kind.as_str() {
            "year" => y = number()?,
            "month" => mo = number()? as u32,
            "day" => d = number()? as u32,
            "hour" => h = number()?,
            "minute" => mi = number()?,
            "second" => s = number()?,
            _ => {}
        }
    }
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3_600 + mi * 60 + s)
}
