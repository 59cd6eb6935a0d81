//! Dates in the reader's language. The core writes its own labels
//! ("Nov 25", "00:30", "2026"); where the platform can write them in a
//! locale — the browser's `Intl`, handed in at start as a `LocaleSource` —
//! charts use it, in their `locale` option or the platform's default, so
//! the wasm carries no locale data.

use std::cell::Cell;

/// What a label shows of an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DatePart {
    /// "2026", "2026年".
    Year,
    /// "Nov", "11月".
    Month,
    /// "Nov 25", "11月25日".
    MonthDay,
    /// "00:30", on a 24-hour clock.
    Time,
    /// The tooltip's date and time to the minute ("Nov 25, 2025, 00:02").
    DateTime,
    /// The same to the second.
    DateTimeSeconds,
}

/// Writes labels in a locale: `format(locale, part, local)` writes `part`
/// of the wall-clock time `local` (seconds since the epoch as if the zone
/// were UTC) in `locale` (None: the platform's default), or None when it
/// cannot; `decimal(locale)` gives the locale's decimal separator;
/// `supports(locale)` says whether a tag names a locale.
#[derive(Clone, Copy)]
pub struct LocaleSource {
    pub format: fn(Option<&str>, DatePart, i64) -> Option<String>,
    pub decimal: fn(Option<&str>) -> Option<char>,
    pub supports: fn(&str) -> bool,
}

thread_local! {
    static SOURCE: Cell<Option<LocaleSource>> = const { Cell::new(None) };
}

/// Makes `source` the one labels are written with.
pub fn set_locale_source(source: LocaleSource) {
    SOURCE.with(|s| s.set(Some(source)));
}

/// `part` of `local` in `locale`, when a source can write it.
pub fn format(locale: Option<&str>, part: DatePart, local: i64) -> Option<String> {
    SOURCE
        .with(Cell::get)
        .and_then(|s| (s.format)(locale, part, local))
}

/// `text`, a number the core wrote ("1.25 MiB/s", "12.5%"), with the
/// decimal separator of `locale` (None: as written; `Some(None)`: the
/// platform's default): "1,25 MiB/s" in German.
pub fn number(text: String, locale: Option<Option<&str>>) -> String {
    let decimal = locale.and_then(|l| SOURCE.with(Cell::get).and_then(|s| (s.decimal)(l)));
    match decimal {
        Some(c) if c != '.' => text.replace('.', c.encode_utf8(&mut [0; 4])),
        _ => text,
    }
}

/// The longest locale tag taken (BCP 47 tags in use are far shorter).
const MAX_TAG: usize = 64;

/// Why `locale` cannot be used, if it cannot: not a BCP 47 tag, or (with a
/// source) one the platform does not know.
pub fn check(locale: &str) -> Result<(), String> {
    let shaped = !locale.is_empty()
        && locale.len() <= MAX_TAG
        && locale.split('-').all(|part| {
            (1..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric())
        });
    let known = SOURCE.with(Cell::get).is_none_or(|s| (s.supports)(locale));
    if shaped && known {
        Ok(())
    } else {
        Err(format!(
            "{locale:?} is not a BCP 47 language tag this browser knows (like \"ja-JP\" or \"en-US\")"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_writes_the_labels_and_says_which_locales_it_knows() {
        std::thread::spawn(|| {
            assert_eq!(
                format(Some("ja-JP"), DatePart::Year, 0),
                None,
                "no source, no label"
            );
            assert!(check("ja-JP").is_ok() && check("ja_JP").is_err() && check("").is_err());
            assert_eq!(number("1.5%".into(), Some(Some("de-DE"))), "1.5%");
            set_locale_source(LocaleSource {
                format: |locale, part, _| Some(format!("{locale:?} {part:?}")),
                decimal: |locale| Some(if locale == Some("de-DE") { ',' } else { '.' }),
                supports: |tag| tag != "xx",
            });
            assert_eq!(number("1.5%".into(), Some(Some("de-DE"))), "1,5%");
            assert_eq!(number("1.5%".into(), Some(Some("ja-JP"))), "1.5%");
            assert_eq!(number("1.5%".into(), None), "1.5%", "no locale: as written");
            assert_eq!(
                format(Some("ja-JP"), DatePart::Year, 0).unwrap(),
                "Some(\"ja-JP\") Year"
            );
            let err = check("xx").unwrap_err();
            assert!(err.contains("BCP 47"), "{err}");
        })
        .join()
        .unwrap();
    }
}
