//! What the tooltip and the legend say: values read from the raw 1-minute
//! points (never from thinned ones) and exact statistics over the window,
//! already formatted in each series' unit and the chart's locale. Plain data; the browser binding
//! only puts it on the page, as text.

use serde::Serialize;

use crate::locale::{number, DatePart};
use crate::options::{ChartOptions, SeriesStyle};
use crate::series::Series;
use crate::ticks::calendar::{civil_from_days, SECONDS_PER_DAY};
use crate::zone::{format_offset, TimeZone};

/// The tooltip at one time.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Readout {
    /// The time asked for, epoch seconds.
    pub time: f64,
    /// The slot time the rows show (the nearest slot of the first series
    /// that has one), as text.
    pub time_label: String,
    /// Largest value first; series without data at that time last; at most
    /// `tooltipRows` of them.
    pub rows: Vec<ReadoutRow>,
    /// Series left out because of `tooltipRows`.
    pub more: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadoutRow {
    /// The series' label (its name unless its options give another).
    pub name: String,
    /// CSS colour of the series.
    pub color: String,
    /// Epoch seconds of the slot shown.
    pub time: f64,
    /// The raw value there; None for a gap.
    pub value: Option<f64>,
    pub label: String,
}

/// One legend item.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LegendEntry {
    /// The series' name (what `setVisible` takes).
    pub name: String,
    /// What the legend shows: the name, or the label its options give.
    pub label: String,
    pub color: String,
    pub visible: bool,
    /// Points with a value in the window.
    pub count: usize,
    pub min: Option<f64>,
    pub avg: Option<f64>,
    pub max: Option<f64>,
    pub last: Option<f64>,
    /// "min 1.2 avg 3.4 max 9.9 last 5.0" in the chart's unit, or
    /// "no data in this window".
    pub summary: String,
}

/// The tooltip at time `t` for the shown series (`(colour index, name,
/// series)`): each series' raw value at its slot nearest to `t`, within one
/// step of it.
pub fn readout(
    shown: &[(&SeriesStyle, &Series)],
    t: f64,
    options: &ChartOptions,
    zone: &TimeZone,
) -> Readout {
    let locale = Some(options.locale.as_deref());
    let mut rows: Vec<ReadoutRow> = shown
        .iter()
        .filter_map(|&(style, series)| {
            let slot = nearest_slot(series, t)?;
            let value = series.values()[slot];
            let value = (!value.is_nan()).then_some(value);
            Some(ReadoutRow {
                name: style.label.clone(),
                color: style.color.css(),
                time: series.time_at(slot),
                value,
                label: value.map_or("no data".to_string(), |v| {
                    number(style.unit.format_value(v), locale)
                }),
            })
        })
        .collect();
    // Largest first, gaps last; the sort is stable, so ties keep their order.
    rows.sort_by(|a, b| match (a.value, b.value) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (a, b) => b.is_some().cmp(&a.is_some()),
    });
    let time_label = format_time_in(rows.first().map_or(t, |r| r.time), zone, locale);
    let keep = options.tooltip_rows.max(1);
    let more = rows.len().saturating_sub(keep);
    rows.truncate(keep);
    Readout {
        time: t,
        time_label,
        rows,
        more,
    }
}

/// The slot of `series` nearest to `t`, if one lies within a step of it.
fn nearest_slot(series: &Series, t: f64) -> Option<usize> {
    if series.is_empty() || !t.is_finite() {
        return None;
    }
    let after = series.index_at_or_after(t);
    let candidates = [
        after.checked_sub(1),
        (after < series.len()).then_some(after),
    ];
    let slot = candidates.into_iter().flatten().min_by(|&a, &b| {
        let d = |i: usize| (series.time_at(i) - t).abs();
        d(a).total_cmp(&d(b))
    })?;
    ((series.time_at(slot) - t).abs() <= series.step()).then_some(slot)
}

/// A legend item for series `index` over the window `view`.
pub fn legend_entry(
    style: &SeriesStyle,
    name: &str,
    series: &Series,
    visible: bool,
    (from, to): (f64, f64),
    options: &ChartOptions,
) -> LegendEntry {
    let stats = series.stats(from, to);
    let locale = Some(options.locale.as_deref());
    let write = |v: f64| number(style.unit.format_value(v), locale);
    let summary = stats.map_or("no data in this window".to_string(), |s| {
        format!(
            "min {} avg {} max {} last {}",
            write(s.min),
            write(s.avg),
            write(s.max),
            write(s.last.1)
        )
    });
    LegendEntry {
        name: name.to_string(),
        label: style.label.clone(),
        color: style.color.css(),
        visible,
        count: stats.map_or(0, |s| s.count),
        min: stats.map(|s| s.min),
        avg: stats.map(|s| s.avg),
        max: stats.map(|s| s.max),
        last: stats.map(|s| s.last.1),
        summary,
    }
}

/// The time `t` in `zone`: "2026-11-25 13:45 UTC" (with seconds when they
/// are not zero), or with `locale` the date and time as the locale source
/// writes them in that locale (`Some(None)`: the platform's default), with
/// the zone after ("2026/11/25 13:45 +09:00").
pub fn format_time_in(t: f64, zone: &TimeZone, locale: Option<Option<&str>>) -> String {
    if !t.is_finite() {
        return "—".to_string();
    }
    let utc = t.floor() as i64;
    let secs = zone.local(utc);
    let (days, rest) = (
        secs.div_euclid(SECONDS_PER_DAY),
        secs.rem_euclid(SECONDS_PER_DAY),
    );
    let (y, m, d) = civil_from_days(days);
    let (h, min, s) = (rest / 3_600, rest / 60 % 60, rest % 60);
    let zone = if zone.is_utc() {
        "UTC".to_string()
    } else {
        format_offset(zone.offset_at(utc))
    };
    let part = if s == 0 {
        DatePart::DateTime
    } else {
        DatePart::DateTimeSeconds
    };
    if let Some(text) = locale.and_then(|l| crate::locale::format(l, part, secs)) {
        return format!("{text} {zone}");
    }
    let seconds = if s == 0 {
        String::new()
    } else {
        format!(":{s:02}")
    };
    format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}{seconds} {zone}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::Unit;

    fn minutes(values: &[f64]) -> Series {
        let times: Vec<f64> = (0..values.len())
            .map(|i| 1_764_028_800.0 + 60.0 * i as f64)
            .collect();
        Series::from_points(&times, values).unwrap()
    }

    #[test]
    fn the_tooltip_shows_raw_values_at_the_nearest_minute_largest_first() {
        let a = minutes(&[1.0, 2.0, 3.0, f64::NAN]);
        let b = minutes(&[9.0, 8.0, 0.5, 4.0]);
        let options = ChartOptions {
            unit: Unit::Percentage,
            ..ChartOptions::default()
        };
        let start = 1_764_028_800.0;
        let (sa, sb) = (
            options.style_of(0, "a", None),
            options.style_of(1, "b", None),
        );
        let r = readout(
            &[(&sa, &a), (&sb, &b)],
            start + 125.0,
            &options,
            &TimeZone::utc(),
        );
        assert_eq!(r.time_label, "2025-11-25 00:02 UTC");
        let values: Vec<Option<f64>> = r.rows.iter().map(|row| row.value).collect();
        assert_eq!(values, [Some(3.0), Some(0.5)], "sorted by value");
        assert_eq!(r.rows[0].name, "a");
        assert_eq!(r.rows[0].color, "#1f77b4");
        let r = readout(
            &[(&sa, &a), (&sb, &b)],
            start + 180.0,
            &options,
            &TimeZone::utc(),
        );
        assert_eq!(r.rows[0].name, "b");
        assert_eq!(r.rows[1].value, None, "a gap is listed last");
        assert_eq!(r.rows[1].label, "no data");
        let far = readout(&[(&sa, &a)], start + 3_600.0, &options, &TimeZone::utc());
        assert!(far.rows.is_empty(), "nothing beyond a step from the data");
    }

    #[test]
    fn only_the_top_rows_are_kept() {
        let series: Vec<Series> = (0..5).map(|i| minutes(&[f64::from(i)])).collect();
        let options = ChartOptions {
            tooltip_rows: 2,
            ..ChartOptions::default()
        };
        let styles: Vec<_> = (0..5).map(|i| options.style_of(i, "s", None)).collect();
        let shown: Vec<(&SeriesStyle, &Series)> = styles.iter().zip(&series).collect();
        let r = readout(&shown, 1_764_028_800.0, &options, &TimeZone::utc());
        assert_eq!(r.rows.len(), 2);
        assert_eq!(r.rows[0].value, Some(4.0));
        assert_eq!(r.more, 3);
    }

    #[test]
    fn the_legend_gives_exact_window_statistics_in_the_unit() {
        let s = minutes(&[1.0, 5.0, f64::NAN, 3.0, 100.0]);
        let options = ChartOptions {
            unit: Unit::Percentage,
            ..ChartOptions::default()
        };
        let start = 1_764_028_800.0;
        let style = options.style_of(2, "cpu", None);
        let e = legend_entry(&style, "cpu", &s, true, (start, start + 180.0), &options);
        assert_eq!(
            (e.min, e.avg, e.max, e.last),
            (Some(1.0), Some(3.0), Some(5.0), Some(3.0))
        );
        assert_eq!(e.count, 3);
        assert!(e.summary.starts_with("min 1.000%"), "{}", e.summary);
        let empty = legend_entry(&style, "cpu", &s, false, (0.0, 10.0), &options);
        assert_eq!(empty.summary, "no data in this window");
        assert!(!empty.visible);
    }

    #[test]
    fn times_are_written_in_utc_with_seconds_only_when_needed() {
        let utc = TimeZone::utc();
        assert_eq!(format_time_in(0.0, &utc, None), "1970-01-01 00:00 UTC");
        assert_eq!(
            format_time_in(1_764_072_930.0, &utc, None),
            "2025-11-25 12:15:30 UTC"
        );
        assert_eq!(format_time_in(f64::NAN, &utc, None), "—");
        let berlin = TimeZone::named("Europe/Berlin").unwrap();
        // Summer and winter: the offset follows the instant.
        assert_eq!(
            format_time_in(1_782_864_000.0, &berlin, None),
            "2026-07-01 02:00 +02:00"
        );
        assert_eq!(
            format_time_in(1_767_225_600.0, &berlin, None),
            "2026-01-01 01:00 +01:00"
        );
    }
}
