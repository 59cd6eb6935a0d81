//! Time-axis ticks in a time zone, from one minute to ten years apart. The
//! increment is the smallest one in the table whose ticks are at least the
//! minimum pixel spacing apart; labels carry context (the date at a day
//! boundary, the year at a year boundary) so every label reads without its
//! neighbours. Ticks fall on round wall-clock times of the zone, right
//! across daylight-saving changes: an hour repeated in autumn gets its
//! ticks twice, an hour skipped in spring gets none.
//!
//! One idea at about 400 lines (half of them tests across zones and DST
//! changes): choosing and labelling time ticks.

#![warn(clippy::arithmetic_side_effects)]

use super::calendar::{civil_from_days, days_from_civil, MONTH_NAMES, SECONDS_PER_DAY};
use crate::limits::{EARLIEST_TIME, LATEST_TIME};
use crate::locale::{self, DatePart};
use crate::zone::TimeZone;

/// One tick on the time axis.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeTick {
    /// Epoch seconds.
    pub time: f64,
    pub label: String,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Increment {
    Seconds(i64),
    Months(i64),
}

const DAY: i64 = SECONDS_PER_DAY;
const INCREMENTS: &[Increment] = &[
    Increment::Seconds(60),
    Increment::Seconds(2 * 60),
    Increment::Seconds(5 * 60),
    Increment::Seconds(10 * 60),
    Increment::Seconds(15 * 60),
    Increment::Seconds(30 * 60),
    Increment::Seconds(3_600),
    Increment::Seconds(2 * 3_600),
    Increment::Seconds(3 * 3_600),
    Increment::Seconds(6 * 3_600),
    Increment::Seconds(12 * 3_600),
    Increment::Seconds(DAY),
    Increment::Seconds(2 * DAY),
    Increment::Seconds(7 * DAY),
    Increment::Months(1),
    Increment::Months(2),
    Increment::Months(3),
    Increment::Months(6),
    Increment::Months(12),
    Increment::Months(24),
    Increment::Months(60),
    Increment::Months(120),
];

/// Day number of a Monday, so weekly ticks fall on Mondays.
const A_MONDAY: i64 = 4;

/// The most ticks one axis will ever produce, whatever it is asked.
const MAX_TICKS: usize = 1_000;

/// Ticks for the window `[from, to]` (epoch seconds) drawn `width_px` wide,
/// at least `min_spacing_px` apart, on the wall clock of `zone`, labelled
/// in English.
pub fn time_ticks(
    from: f64,
    to: f64,
    width_px: f64,
    min_spacing_px: f64,
    zone: &TimeZone,
) -> Vec<TimeTick> {
    time_ticks_in(from, to, width_px, min_spacing_px, zone, Labels::English)
}

/// The language of tick labels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Labels<'a> {
    English,
    /// The locale source's (see `locale`), in this locale or the
    /// platform's default; English where there is no source.
    Locale(Option<&'a str>),
}

/// `time_ticks` with labels in `labels`.
pub fn time_ticks_in(
    from: f64,
    to: f64,
    width_px: f64,
    min_spacing_px: f64,
    zone: &TimeZone,
    labels: Labels,
) -> Vec<TimeTick> {
    // Only times the core accepts: within them, seconds and days never
    // overflow an i64 (a window reaching past them is cut to them).
    if !(from.is_finite() && to.is_finite() && width_px > 0.0) {
        return Vec::new();
    }
    let (from, to) = (from.max(EARLIEST_TIME), to.min(LATEST_TIME));
    if to <= from {
        return Vec::new();
    }
    let seconds_per_px = (to - from) / width_px;
    let min_seconds = min_spacing_px.max(1.0) * seconds_per_px;
    let increment = INCREMENTS
        .iter()
        .copied()
        .find(|inc| approx_seconds(*inc) >= min_seconds)
        .unwrap_or(Increment::Months(120));
    let (from_s, to_s) = (from.ceil() as i64, to.floor() as i64);
    let times = match increment {
        Increment::Seconds(step) if step <= 3_600 => instant_ticks(from_s, to_s, step, zone),
        Increment::Seconds(step) => {
            wall_clock_ticks(from_s, to_s, zone, |a, b| seconds_ticks(a, b, step))
        }
        Increment::Months(step) => {
            wall_clock_ticks(from_s, to_s, zone, |a, b| month_ticks(a, b, step))
        }
    };
    times
        .into_iter()
        .map(|t| TimeTick {
            time: t as f64,
            label: label(zone.local(t), increment, labels),
        })
        .collect()
}

/// Ticks up to an hour apart: every `step` seconds of real time from the
/// first round wall-clock time, realigned if an offset change (of other
/// than whole steps) moves the wall clock off the round times.
fn instant_ticks(from: i64, to: i64, step: i64, zone: &TimeZone) -> Vec<i64> {
    let local = zone.local(from);
    let mut t = zone.utc_of_local(
        local.saturating_add(step.saturating_sub(local.rem_euclid(step)).rem_euclid(step)),
    );
    while t < from {
        t = t.saturating_add(step);
    }
    let mut out = Vec::new();
    while t <= to && out.len() < MAX_TICKS {
        let off_grid = zone.local(t).rem_euclid(step);
        if off_grid != 0 {
            t = t.saturating_add(step.saturating_sub(off_grid));
            continue;
        }
        out.push(t);
        t = t.saturating_add(step);
    }
    out
}

/// Longer ticks: round wall-clock times (`ticks` between two wall-clock
/// seconds) turned into instants; a wall time the clock skips becomes the
/// end of the gap.
fn wall_clock_ticks(
    from: i64,
    to: i64,
    zone: &TimeZone,
    ticks: impl Fn(i64, i64) -> Vec<i64>,
) -> Vec<i64> {
    // A day of margin each side: offsets differ along the window.
    let mut out: Vec<i64> = ticks(
        zone.local(from).saturating_sub(DAY),
        zone.local(to).saturating_add(DAY),
    )
    .into_iter()
    .map(|local| zone.utc_of_local(local))
    .filter(|t| (from..=to).contains(t))
    .collect();
    out.dedup();
    out
}

fn approx_seconds(inc: Increment) -> f64 {
    match inc {
        Increment::Seconds(s) => s as f64,
        Increment::Months(m) => m as f64 * 30.4 * DAY as f64,
    }
}

fn seconds_ticks(from: i64, to: i64, step: i64) -> Vec<i64> {
    // Weekly ticks align to Mondays; shorter ones to multiples of the step.
    let origin = if step == 7 * DAY { A_MONDAY * DAY } else { 0 };
    let first = origin.saturating_add(
        from.saturating_sub(origin)
            .div_euclid(step)
            .saturating_mul(step),
    );
    let first = if first < from {
        first.saturating_add(step)
    } else {
        first
    };
    (0..)
        .map(|k: i64| first.saturating_add(k.saturating_mul(step)))
        .take_while(|t| *t <= to)
        .take(MAX_TICKS)
        .collect()
}

fn month_ticks(from: i64, to: i64, step_months: i64) -> Vec<i64> {
    let (year, month, _) = civil_from_days(from.div_euclid(DAY));
    let index = year
        .saturating_mul(12)
        .saturating_add(i64::from(month).saturating_sub(1));
    let mut index = index.div_euclid(step_months).saturating_mul(step_months);
    let mut out = Vec::new();
    while out.len() < MAX_TICKS {
        let month = (index.rem_euclid(12) as u32).saturating_add(1);
        let t = days_from_civil(index.div_euclid(12), month, 1).saturating_mul(DAY);
        if t > to {
            break;
        }
        if t >= from {
            out.push(t);
        }
        index = index.saturating_add(step_months);
    }
    out
}

/// The label of the tick at wall-clock time `t`: the year at a new year,
/// else the time of day, the date at midnight, the month for month ticks.
fn label(t: i64, increment: Increment, labels: Labels) -> String {
    let days = t.div_euclid(DAY);
    let second_of_day = t.rem_euclid(DAY);
    let (year, month, day) = civil_from_days(days);
    let new_year = month == 1 && day == 1 && second_of_day == 0;
    let part = match increment {
        _ if new_year => DatePart::Year,
        Increment::Seconds(_) if second_of_day != 0 => DatePart::Time,
        Increment::Seconds(_) => DatePart::MonthDay,
        Increment::Months(_) => DatePart::Month,
    };
    if let Labels::Locale(locale) = labels {
        if let Some(text) = locale::format(locale, part, t) {
            return text;
        }
    }
    let month_name = MONTH_NAMES[(month as usize).saturating_sub(1) % 12];
    match part {
        DatePart::Year => year.to_string(),
        DatePart::Time => format!(
            "{:02}:{:02}",
            second_of_day / 3_600,
            second_of_day % 3_600 / 60
        ),
        DatePart::MonthDay => format!("{month_name} {day}"),
        _ => month_name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> TimeZone {
        TimeZone::utc()
    }

    fn labels(ticks: &[TimeTick]) -> Vec<&str> {
        ticks.iter().map(|t| t.label.as_str()).collect()
    }

    // 2025-12-31 18:00:00 UTC
    const NEW_YEARS_EVE: f64 = 1_767_204_000.0;

    #[test]
    fn an_evening_shows_hours_and_the_new_year() {
        let ticks = time_ticks(
            NEW_YEARS_EVE,
            NEW_YEARS_EVE + 12.0 * 3600.0,
            1200.0,
            80.0,
            &utc(),
        );
        assert_eq!(
            labels(&ticks),
            [
                "18:00", "19:00", "20:00", "21:00", "22:00", "23:00", "2026", "01:00", "02:00",
                "03:00", "04:00", "05:00", "06:00"
            ]
        );
    }

    #[test]
    fn a_week_shows_dates_at_midnight() {
        let from = NEW_YEARS_EVE + 6.0 * 3600.0 + 86_400.0; // 2026-01-02 00:00
        let ticks = time_ticks(from, from + 7.0 * 86_400.0, 1200.0, 80.0, &utc());
        let l = labels(&ticks);
        assert_eq!(l[0], "Jan 2");
        assert!(l.contains(&"12:00"));
        assert!(l.contains(&"Jan 8"));
    }

    #[test]
    fn four_hundred_sixty_days_show_months_and_years() {
        let to = NEW_YEARS_EVE;
        let ticks = time_ticks(to - 460.0 * 86_400.0, to, 1200.0, 70.0, &utc());
        let l = labels(&ticks);
        assert!(l.contains(&"2025"), "{l:?}");
        assert!(l.contains(&"Dec"), "{l:?}");
        assert!(ticks.len() >= 6 && ticks.len() <= 17, "{l:?}");
        // Ticks are at least the minimum spacing apart.
        let px_per_s = 1200.0 / (460.0 * 86_400.0);
        for w in ticks.windows(2) {
            assert!((w[1].time - w[0].time) * px_per_s >= 70.0);
        }
    }

    #[test]
    fn one_minute_ticks_when_zoomed_to_a_few_minutes() {
        let ticks = time_ticks(NEW_YEARS_EVE, NEW_YEARS_EVE + 600.0, 1200.0, 80.0, &utc());
        assert_eq!(labels(&ticks)[..3], ["18:00", "18:01", "18:02"]);
    }

    #[test]
    fn weekly_ticks_fall_on_mondays() {
        let ticks = time_ticks(
            NEW_YEARS_EVE,
            NEW_YEARS_EVE + 60.0 * 86_400.0,
            900.0,
            80.0,
            &utc(),
        );
        for t in &ticks {
            let days = (t.time as i64).div_euclid(DAY);
            assert_eq!((days - A_MONDAY).rem_euclid(7), 0, "{}", t.label);
        }
    }

    #[test]
    fn degenerate_windows_give_no_ticks_and_huge_ones_a_bounded_number() {
        assert!(time_ticks(10.0, 10.0, 100.0, 50.0, &utc()).is_empty());
        assert!(time_ticks(f64::NAN, 10.0, 100.0, 50.0, &utc()).is_empty());
        // Ends past the times a chart takes: ticks up to year 9999, no wrap.
        let far = time_ticks(1.7e9, 9.3e18, 800.0, 50.0, &utc());
        assert!(
            !far.is_empty() && far.len() <= MAX_TICKS,
            "{} ticks",
            far.len()
        );
        assert!(far.last().unwrap().time <= LATEST_TIME);
        assert!(far.windows(2).all(|w| w[0].time < w[1].time));
        assert!(time_ticks(-9.3e18, -1e18, 800.0, 50.0, &utc()).is_empty());
        assert!(time_ticks(0.0, 10.0, 0.0, 50.0, &utc()).is_empty());
        assert!(time_ticks(0.0, 1e12, 100.0, 1.0, &utc()).len() <= MAX_TICKS);
    }

    fn ticks_in(zone: &str, from: f64, hours: f64, width: f64) -> Vec<TimeTick> {
        let zone = TimeZone::named(zone).unwrap();
        time_ticks(from, from + hours * 3_600.0, width, 80.0, &zone)
    }

    #[test]
    fn hours_in_berlin_repeat_two_oclock_in_autumn_and_skip_it_in_spring() {
        // 2026-10-24 22:00 UTC = 00:00 CEST; the clock goes 03:00 → 02:00.
        let autumn = ticks_in("Europe/Berlin", 1_792_879_200.0, 6.0, 600.0);
        assert_eq!(
            labels(&autumn),
            ["Oct 25", "01:00", "02:00", "02:00", "03:00", "04:00", "05:00"]
        );
        assert!(autumn.windows(2).all(|w| w[1].time - w[0].time == 3_600.0));
        // 2026-03-28 23:00 UTC = 00:00 CET; the clock goes 02:00 → 03:00.
        let spring = ticks_in("Europe/Berlin", 1_774_738_800.0, 5.0, 500.0);
        assert_eq!(
            labels(&spring),
            ["Mar 29", "01:00", "03:00", "04:00", "05:00", "06:00"]
        );
    }

    #[test]
    fn days_start_at_local_midnight_whatever_the_offset() {
        // A week in New York over the spring change (2026-03-08).
        let week = ticks_in("America/New_York", 1_772_668_800.0, 7.0 * 24.0, 900.0);
        let zone = TimeZone::named("America/New_York").unwrap();
        assert_eq!(
            labels(&week),
            ["Mar 5", "Mar 6", "Mar 7", "Mar 8", "Mar 9", "Mar 10", "Mar 11"]
        );
        for tick in &week {
            assert_eq!(
                zone.local(tick.time as i64).rem_euclid(86_400),
                0,
                "{tick:?}"
            );
        }
        // The day of the change is 23 hours long.
        assert_eq!(week[4].time - week[3].time, 23.0 * 3_600.0);
    }

    #[test]
    fn half_hour_zones_tick_on_their_own_round_hours() {
        // Asia/Kolkata is UTC+05:30: its hours fall on UTC half hours.
        let day = ticks_in("Asia/Kolkata", 1_767_225_600.0, 12.0, 1200.0);
        assert!(day.iter().all(|t| (t.time as i64 + 19_800) % 3_600 == 0));
        assert!(labels(&day).contains(&"12:00"));
        // Month ticks fall on the first of the month at local midnight.
        let months = ticks_in("Australia/Sydney", 1_735_689_600.0, 400.0 * 24.0, 1200.0);
        let zone = TimeZone::named("Australia/Sydney").unwrap();
        for tick in &months {
            let local = zone.local(tick.time as i64);
            assert_eq!(local.rem_euclid(86_400), 0, "{tick:?}");
            assert_eq!(civil_from_days(local.div_euclid(86_400)).2, 1, "{tick:?}");
        }
        assert!(labels(&months).contains(&"2026"));
    }
}
