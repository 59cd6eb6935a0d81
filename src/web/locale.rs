//! Labels in the reader's language from the browser's `Intl`: one
//! `Intl.DateTimeFormat` per locale and kind of label, kept for the page.

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::{Array, Date, Intl, Object, Reflect};
use wasm_bindgen::prelude::*;

use super::zone::date_time_format;
use crate::locale::DatePart;

#[wasm_bindgen]
extern "C" {
    /// `Intl.DateTimeFormat.supportedLocalesOf(locales)`, with its
    /// RangeError for a malformed tag caught.
    #[wasm_bindgen(catch, js_namespace = ["Intl", "DateTimeFormat"], js_name = supportedLocalesOf)]
    fn supported_locales_of(locales: &Array) -> Result<Array, JsValue>;
}

/// Formats kept at most; a page uses a few locales.
const MAX_FORMATS: usize = 64;

thread_local! {
    static FORMATS: RefCell<HashMap<(Option<String>, DatePart), Intl::DateTimeFormat>> =
        RefCell::new(HashMap::new());
}

/// The fields `part` shows, for `Intl.DateTimeFormat`.
fn fields(part: DatePart) -> &'static [(&'static str, &'static str)] {
    match part {
        DatePart::Year => &[("year", "numeric")],
        DatePart::Month => &[("month", "short")],
        DatePart::MonthDay => &[("month", "short"), ("day", "numeric")],
        DatePart::Time => &[("hour", "2-digit"), ("minute", "2-digit")],
        DatePart::DateTime => &[
            ("year", "numeric"),
            ("month", "2-digit"),
            ("day", "2-digit"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
        ],
        DatePart::DateTimeSeconds => &[
            ("year", "numeric"),
            ("month", "2-digit"),
            ("day", "2-digit"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("second", "2-digit"),
        ],
    }
}

/// A format for `part` in `locale` (the browser's default for None), on a
/// 24-hour clock in UTC: the wall-clock seconds it is given are already
/// in the chart's zone.
fn new_format(locale: Option<&str>, part: DatePart) -> Option<Intl::DateTimeFormat> {
    let options = Object::new();
    let set = |key: &str, value: &str| Reflect::set(&options, &key.into(), &value.into());
    set("timeZone", "UTC").ok()?;
    set("hourCycle", "h23").ok()?;
    for (key, value) in fields(part) {
        set(key, value).ok()?;
    }
    let locales = locale.map_or_else(Array::new, |l| Array::of1(&l.into()));
    date_time_format(&locales, &options).ok()
}

/// `part` of the wall-clock time `local` in `locale`.
pub fn format(locale: Option<&str>, part: DatePart, local: i64) -> Option<String> {
    FORMATS.with(|formats| {
        let mut formats = formats.borrow_mut();
        let key = (locale.map(str::to_string), part);
        if !formats.contains_key(&key) {
            if formats.len() >= MAX_FORMATS {
                formats.clear();
            }
            formats.insert(key.clone(), new_format(locale, part)?);
        }
        let date = Date::new(&JsValue::from_f64(local as f64 * 1_000.0));
        formats[&key]
            .format()
            .call1(&JsValue::NULL, &date)
            .ok()?
            .as_string()
    })
}

thread_local! {
    static DECIMALS: RefCell<HashMap<Option<String>, Option<char>>> = RefCell::new(HashMap::new());
}

/// The decimal separator of `locale` (the browser's default for None),
/// from `Intl.NumberFormat`.
pub fn decimal(locale: Option<&str>) -> Option<char> {
    DECIMALS.with(|decimals| {
        let mut decimals = decimals.borrow_mut();
        let key = locale.map(str::to_string);
        if let Some(known) = decimals.get(&key) {
            return *known;
        }
        if decimals.len() >= MAX_FORMATS {
            decimals.clear();
        }
        let locales = locale.map_or_else(Array::new, |l| Array::of1(&l.into()));
        let format = Intl::NumberFormat::new(&locales, &Object::new());
        let one_and_a_half = format
            .format()
            .call1(&JsValue::NULL, &JsValue::from_f64(1.5))
            .ok()
            .and_then(|s| s.as_string());
        // "1.5", "1,5", "١٫٥": the character after the first digit.
        let found = one_and_a_half.and_then(|s| s.chars().nth(1));
        decimals.insert(key, found);
        found
    })
}

/// Whether the browser has `tag` (a well-formed tag it does not know, like
/// "xx", is refused too, rather than quietly written in English).
pub fn supports(tag: &str) -> bool {
    supported_locales_of(&Array::of1(&tag.into())).is_ok_and(|known| known.length() > 0)
}
