//! Time zones for the time axis and the tooltip: UTC, fixed offsets, and
//! IANA zones with their daylight-saving rules. Named zones come from the
//! platform: the browser's `Intl` in wasm (no time zone database in the
//! wasm file), chrono-tz natively (SVG export and tests).

#![warn(clippy::arithmetic_side_effects)]

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

/// Seconds east of UTC at an instant, for one named zone.
pub trait ZoneRules {
    fn offset_at(&self, utc: i64) -> i64;
}

/// A zone the chart reads times in.
#[derive(Clone)]
pub struct TimeZone {
    name: Rc<str>,
    rules: Rules,
}

#[derive(Clone)]
enum Rules {
    Fixed(i64),
    Named(Rc<dyn ZoneRules>),
}

impl fmt::Debug for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TimeZone({})", self.name)
    }
}

impl PartialEq for TimeZone {
    fn eq(&self, other: &TimeZone) -> bool {
        self.name == other.name
    }
}

impl Default for TimeZone {
    fn default() -> TimeZone {
        TimeZone::utc()
    }
}

/// A zone name that is not a known IANA zone or offset.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneError(pub String);

impl fmt::Display for ZoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown time zone {:?}: use an IANA name such as \"Europe/Berlin\" or \"Asia/Tokyo\", \"UTC\", or an offset such as \"+05:30\"",
            self.0
        )
    }
}

impl std::error::Error for ZoneError {}

/// Offsets are looked up once per quarter hour: every zone change since
/// 1972 falls on a quarter hour.
const CACHE_BUCKET: i64 = 900;
const CACHE_LIMIT: usize = 8_192;

/// Offsets of a named zone from `lookup`, remembered per quarter hour.
struct Cached<F: Fn(i64) -> i64> {
    lookup: F,
    seen: RefCell<HashMap<i64, i64>>,
}

impl<F: Fn(i64) -> i64> ZoneRules for Cached<F> {
    fn offset_at(&self, utc: i64) -> i64 {
        let bucket = utc.div_euclid(CACHE_BUCKET);
        if let Some(&offset) = self.seen.borrow().get(&bucket) {
            return offset;
        }
        let offset = (self.lookup)(bucket.saturating_mul(CACHE_BUCKET));
        let mut seen = self.seen.borrow_mut();
        if seen.len() >= CACHE_LIMIT {
            seen.clear();
        }
        seen.insert(bucket, offset);
        offset
    }
}

impl TimeZone {
    pub fn utc() -> TimeZone {
        TimeZone {
            name: "UTC".into(),
            rules: Rules::Fixed(0),
        }
    }

    /// A zone named `name`, whose offsets `lookup(utc)` gives (seconds east
    /// of UTC); they are cached per quarter hour.
    pub fn from_lookup(name: &str, lookup: impl Fn(i64) -> i64 + 'static) -> TimeZone {
        TimeZone {
            name: name.into(),
            rules: Rules::Named(Rc::new(Cached {
                lookup,
                seen: RefCell::default(),
            })),
        }
    }

    /// "UTC", an offset ("+09:00", "-0330", "UTC+2"), or an IANA name
    /// (natively from chrono-tz; the browser binding asks `Intl`).
    pub fn named(name: &str) -> Result<TimeZone, ZoneError> {
        let trimmed = name.trim();
        if ["UTC", "Etc/UTC", "Z", "GMT", "Etc/GMT"].contains(&trimmed) {
            return Ok(TimeZone::utc());
        }
        if let Some(offset) = parse_offset(trimmed) {
            return Ok(TimeZone {
                name: trimmed.into(),
                rules: Rules::Fixed(offset),
            });
        }
        platform_zone(trimmed)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn is_utc(&self) -> bool {
        matches!(self.rules, Rules::Fixed(0))
    }

    /// Seconds east of UTC at the instant `utc`.
    pub fn offset_at(&self, utc: i64) -> i64 {
        match &self.rules {
            Rules::Fixed(offset) => *offset,
            Rules::Named(rules) => rules.offset_at(utc),
        }
    }

    /// Wall-clock seconds (epoch-based, as if the zone were UTC) at `utc`.
    pub fn local(&self, utc: i64) -> i64 {
        utc.saturating_add(self.offset_at(utc))
    }

    /// The instant the wall clock shows `local`: the earlier one when the
    /// clock shows it twice (autumn), the end of the gap when it skips it
    /// (spring).
    pub fn utc_of_local(&self, local: i64) -> i64 {
        const SPAN: i64 = 86_400;
        let before = local.saturating_sub(self.offset_at(local.saturating_sub(SPAN)));
        let after = local.saturating_sub(self.offset_at(local.saturating_add(SPAN)));
        let valid = |t: i64| self.local(t) == local;
        match (valid(before), valid(after)) {
            (true, true) => before.min(after),
            (true, false) => before,
            (false, true) => after,
            // In a gap: the first instant after it.
            (false, false) => {
                let (mut lo, mut hi) = (before.min(after), before.max(after));
                // lo ≤ hi, both within a day of `local`: no overflow.
                while hi.abs_diff(lo) > 1 {
                    let mid = lo.midpoint(hi);
                    if self.local(mid) >= local {
                        hi = mid;
                    } else {
                        lo = mid;
                    }
                }
                hi
            }
        }
    }
}

/// "+09:00", "-03:30", "+0530", "UTC+2", "GMT-5" as seconds east of UTC.
fn parse_offset(text: &str) -> Option<i64> {
    let rest = text
        .strip_prefix("UTC")
        .or_else(|| text.strip_prefix("GMT"))
        .unwrap_or(text);
    let (sign, digits): (i64, &str) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    // ASCII only, so the byte split below lands between characters.
    if !digits.is_ascii() {
        return None;
    }
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "0"),
    };
    let all_digits =
        |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(hours) || !all_digits(minutes) {
        return None;
    }
    let (hours, minutes): (i64, i64) = (hours.parse().ok()?, minutes.parse().ok()?);
    // At most two digits each: the products are small.
    (hours <= 18 && minutes < 60).then(|| {
        sign.saturating_mul(
            hours
                .saturating_mul(3_600)
                .saturating_add(minutes.saturating_mul(60)),
        )
    })
}

/// Where named zones and the reader's own zone come from when the core does
/// not carry them: the browser binding hands in `Intl` at start, so the
/// core never calls up into it and the wasm carries no zone database.
#[derive(Clone, Copy)]
pub struct ZoneSource {
    /// The zone `name`, or None when the platform does not know it.
    pub named: fn(&str) -> Option<TimeZone>,
    /// The name of the reader's own zone, if the platform says.
    pub local_name: fn() -> Option<String>,
}

thread_local! {
    static SOURCE: std::cell::Cell<Option<ZoneSource>> = const { std::cell::Cell::new(None) };
}

/// Makes `source` the one named zones and the local zone come from.
pub fn set_zone_source(source: ZoneSource) {
    SOURCE.with(|s| s.set(Some(source)));
}

fn platform_zone(name: &str) -> Result<TimeZone, ZoneError> {
    match SOURCE.with(std::cell::Cell::get) {
        Some(source) => (source.named)(name).ok_or_else(|| ZoneError(name.to_string())),
        None => builtin_zone(name),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn builtin_zone(name: &str) -> Result<TimeZone, ZoneError> {
    use chrono::{Offset, TimeZone as _};
    let tz: chrono_tz::Tz = name.parse().map_err(|_| ZoneError(name.to_string()))?;
    Ok(TimeZone::from_lookup(tz.name(), move |utc| {
        chrono::DateTime::from_timestamp(utc, 0).map_or(0, |t| {
            i64::from(
                tz.offset_from_utc_datetime(&t.naive_utc())
                    .fix()
                    .local_minus_utc(),
            )
        })
    }))
}

/// The wasm build carries no zone data: named zones come from the source
/// the binding sets.
#[cfg(target_arch = "wasm32")]
fn builtin_zone(name: &str) -> Result<TimeZone, ZoneError> {
    Err(ZoneError(name.to_string()))
}

/// The zone charts use when none is named: the reader's, as the zone
/// source says (the browser's), else UTC (natively: a server's zone says
/// nothing about its reader's). Looked up once: every chart shares it,
/// with the offsets it has looked up.
pub fn local_zone() -> TimeZone {
    thread_local! {
        static LOCAL: TimeZone = SOURCE
            .with(std::cell::Cell::get)
            .and_then(|source| (source.local_name)())
            .and_then(|n| TimeZone::named(&n).ok())
            .unwrap_or_else(TimeZone::utc);
    }
    LOCAL.with(TimeZone::clone)
}

/// "+09:00" / "-03:30" for an offset in seconds.
pub fn format_offset(offset: i64) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    let minutes = offset.abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-03-29 01:00 UTC: Europe/Berlin moves from +01:00 to +02:00.
    const BERLIN_SPRING: i64 = 1_774_746_000;
    // 2026-10-25 01:00 UTC: back to +01:00.
    const BERLIN_AUTUMN: i64 = 1_792_890_000;

    #[test]
    fn a_zone_source_handed_in_names_the_zones_and_the_readers_own() {
        // Thread-local: the other tests keep the built-in zones.
        std::thread::spawn(|| {
            fn mars(name: &str) -> Option<TimeZone> {
                (name == "Mars/Olympus").then(|| TimeZone::from_lookup(name, |_| 37 * 60))
            }
            set_zone_source(ZoneSource {
                named: mars,
                local_name: || Some("Mars/Olympus".to_string()),
            });
            assert_eq!(
                TimeZone::named("Mars/Olympus").unwrap().offset_at(0),
                37 * 60
            );
            assert!(
                TimeZone::named("Europe/Berlin").is_err(),
                "only what the source knows"
            );
            assert_eq!(local_zone().offset_at(BERLIN_SPRING), 37 * 60);
        })
        .join()
        .unwrap();
        assert!(TimeZone::named("Europe/Berlin").is_ok());
    }

    #[test]
    fn berlin_changes_offset_at_the_published_instants() {
        let berlin = TimeZone::named("Europe/Berlin").unwrap();
        assert_eq!(berlin.offset_at(BERLIN_SPRING - 1), 3_600);
        assert_eq!(berlin.offset_at(BERLIN_SPRING), 7_200);
        assert_eq!(berlin.offset_at(BERLIN_AUTUMN - 1), 7_200);
        assert_eq!(berlin.offset_at(BERLIN_AUTUMN), 3_600);
        assert_eq!(berlin.name(), "Europe/Berlin");
    }

    #[test]
    fn wall_clock_times_map_back_across_gaps_and_repeats() {
        let berlin = TimeZone::named("Europe/Berlin").unwrap();
        for utc in (BERLIN_SPRING - 7_200..BERLIN_SPRING + 7_200).step_by(600) {
            assert_eq!(berlin.utc_of_local(berlin.local(utc)), utc);
        }
        // 02:30 local does not exist on the spring day: the end of the gap.
        let missing = berlin.local(BERLIN_SPRING - 1) + 1 + 1_800;
        assert_eq!(berlin.utc_of_local(missing), BERLIN_SPRING);
        // 02:30 local happens twice in autumn: the first one.
        let twice = berlin.local(BERLIN_AUTUMN) + 1_800;
        assert_eq!(berlin.utc_of_local(twice), BERLIN_AUTUMN - 1_800);
    }

    #[test]
    fn offsets_and_utc_names_parse() {
        assert_eq!(TimeZone::named("+09:00").unwrap().offset_at(0), 32_400);
        assert_eq!(TimeZone::named("-0330").unwrap().offset_at(0), -12_600);
        assert_eq!(TimeZone::named("UTC+2").unwrap().offset_at(0), 7_200);
        assert!(TimeZone::named("Etc/UTC").unwrap().is_utc());
        assert_eq!(
            TimeZone::named("Asia/Kolkata").unwrap().offset_at(0),
            19_800
        );
        for bad in [
            "Mars/Olympus",
            "+25:00",
            "+1:60",
            "",
            "UTC+",
            "+123",
            "+a€",
            "-€",
        ] {
            let e = TimeZone::named(bad).unwrap_err();
            assert!(e.to_string().contains("IANA"), "{bad}");
        }
        assert_eq!(format_offset(-12_600), "-03:30");
        assert_eq!(format_offset(20_700), "+05:45");
    }
}
