//! Golden SVG output: fixed datasets drawn through the public `Chart` API to
//! SVG must equal the files in `tests/golden/`. They cover time ticks at
//! several ranges and zones (across daylight-saving changes), value units,
//! stacked areas, gaps, envelopes, thresholds and annotations. After a
//! deliberate change to the drawing, `UPDATE_GOLDEN=1 cargo test --test
//! golden` rewrites the files; look at them before committing.

#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use sabaplot::{Annotation, Chart, ChartOptions, Level, Series, SeriesKind, Threshold, Unit};

const MINUTE: f64 = 60.0;
const HOUR: f64 = 3_600.0;
const DAY: f64 = 86_400.0;
/// 2026-01-01 00:00 UTC.
const NEW_YEAR_2026: f64 = 1_767_225_600.0;

/// `n` one-minute points from `start`, value `f(i)` (NaN is a gap).
fn minutes(start: f64, n: usize, f: impl Fn(usize) -> f64) -> Series {
    let values: Vec<f64> = (0..n).map(f).collect();
    Series::from_grid(start, MINUTE, values).unwrap()
}

/// A smooth daily wave with a fixed wobble: the same on every machine.
fn wave(i: usize, base: f64, amplitude: f64) -> f64 {
    let day = (i % 1_440) as f64 / 1_440.0;
    let wobble = ((i * 7_919) % 97) as f64 / 97.0;
    base + amplitude * (4.0 * (day - 0.5) * (day - 0.5)) + amplitude * 0.2 * wobble
}

fn chart(options: ChartOptions, series: Vec<(&str, Series)>) -> Chart {
    let mut chart = Chart::new(options).unwrap();
    for (name, s) in series {
        chart.set_series(name, s).unwrap();
    }
    chart
}

/// Compares `chart` drawn at 640×260 with `tests/golden/<name>.svg`.
fn check(name: &str, chart: &Chart) {
    let svg = chart.to_svg(640, 260).unwrap();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/{name}.svg"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &svg).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run UPDATE_GOLDEN=1 cargo test --test golden",
            path.display()
        )
    });
    if svg != expected {
        let actual = path.with_extension("actual.svg");
        std::fs::write(&actual, &svg).unwrap();
        panic!(
            "{name}: the drawing changed; compare {} with {}",
            path.display(),
            actual.display()
        );
    }
}

fn options(title: &str, unit: Unit, zone: &str) -> ChartOptions {
    ChartOptions {
        title: title.into(),
        unit,
        time_zone: Some(zone.into()),
        ..ChartOptions::default()
    }
}

#[test]
fn one_hour_in_utc_ticks_every_five_minutes() {
    let load = minutes(NEW_YEAR_2026 - 30.0 * MINUTE, 60, |i| {
        wave(i * 17, 0.5, 2.0)
    });
    let c = chart(
        options("web-01 · loadavg5", Unit::Float, "UTC"),
        vec![("loadavg5", load)],
    );
    check("ticks-1h-utc", &c);
}

#[test]
fn a_day_in_berlin_across_the_autumn_change_has_two_two_oclocks() {
    // 2026-10-24 12:00 UTC to 2026-10-25 12:00 UTC.
    let start = 1_792_843_200.0;
    let memory = minutes(start, 1_440, |i| {
        6.0 * 1_073_741_824.0 + wave(i, 0.0, 1.5e9)
    });
    let mut c = chart(
        options("db-01 · memory.used", Unit::Bytes, "Europe/Berlin"),
        vec![("memory.used", memory)],
    );
    c.set_range(start + 8.0 * HOUR, start + 16.0 * HOUR)
        .unwrap();
    check("ticks-8h-berlin-autumn", &c);
}

#[test]
fn a_week_in_new_york_across_the_spring_change_ticks_at_local_midnight() {
    // 2026-03-05 05:00 UTC (midnight in New York) for seven days.
    let start = 1_772_686_800.0;
    let cpu = minutes(start, 7 * 1_440, |i| wave(i, 20.0, 60.0).min(100.0));
    let c = chart(
        options("app-01 · cpu.user", Unit::Percentage, "America/New_York"),
        vec![("cpu.user", cpu)],
    );
    check("ticks-7d-new-york", &c);
}

#[test]
fn a_year_and_a_quarter_in_tokyo_shows_months_and_the_year() {
    let start = NEW_YEAR_2026 - 60.0 * DAY;
    let rx = minutes(start, 460 * 1_440, |i| wave(i, 2e8, 6e8));
    let c = chart(
        options("web-01 · network rx", Unit::BitsPerSec, "Asia/Tokyo"),
        vec![("rx", rx)],
    );
    check("ticks-460d-tokyo", &c);
}

#[test]
fn units_seconds_iops_and_byte_rates() {
    for (name, unit, scale) in [
        ("unit-seconds", Unit::Seconds, 0.002),
        ("unit-milliseconds", Unit::Milliseconds, 900.0),
        ("unit-iops", Unit::Iops, 4_000.0),
        ("unit-bytes-per-sec", Unit::BytesPerSec, 3e7),
        ("unit-integer", Unit::Integer, 40.0),
    ] {
        let s = minutes(NEW_YEAR_2026, 6 * 60, |i| wave(i * 4, scale * 0.1, scale));
        let c = chart(options(name, unit, "UTC"), vec![(name, s)]);
        check(name, &c);
    }
}

#[test]
fn stacked_cpu_sums_layers_and_fills_between_them() {
    let start = NEW_YEAR_2026;
    let n = 2 * 1_440;
    let mut user: Vec<f64> = (0..n).map(|i| wave(i, 10.0, 30.0)).collect();
    user[1_000] = 70.0; // a one-minute spike lifts the layers above it
    let system: Vec<f64> = (0..n).map(|i| wave(i + 300, 5.0, 10.0)).collect();
    let iowait: Vec<f64> = (0..n)
        .map(|i| {
            if (2_000..2_100).contains(&i) {
                f64::NAN
            } else {
                3.0
            }
        })
        .collect();
    let layers = [("user", user), ("system", system), ("iowait", iowait)];
    let c = chart(
        ChartOptions {
            kind: SeriesKind::Stacked,
            ..options("web-01 · cpu (stacked)", Unit::Percentage, "UTC")
        },
        layers
            .into_iter()
            .map(|(name, v)| (name, Series::from_grid(start, MINUTE, v).unwrap()))
            .collect(),
    );
    check("stacked-cpu", &c);
    // Hiding the bottom layer restacks the others on zero.
    let mut hidden = c.clone();
    hidden.set_visible("user", false).unwrap();
    check("stacked-cpu-user-hidden", &hidden);
}

#[test]
fn gaps_are_never_bridged_and_lone_points_show() {
    let s = minutes(NEW_YEAR_2026, 3 * 60, |i| match i {
        40..=69 => f64::NAN, // a 30-minute outage
        100 => 9.0,          // a lone point between gaps
        99 | 101 => f64::NAN,
        130..=179 if i % 2 == 0 => f64::NAN, // every other minute missing
        _ => wave(i * 11, 2.0, 4.0),
    });
    let c = chart(options("gaps", Unit::Float, "UTC"), vec![("with gaps", s)]);
    check("gaps", &c);
}

#[test]
fn an_envelope_shows_min_max_band_and_mean_with_gaps() {
    let s = minutes(NEW_YEAR_2026, 30 * 1_440, |i| {
        if (10 * 1_440..11 * 1_440).contains(&i) {
            f64::NAN // a day of outage breaks the band
        } else if i == 20 * 1_440 + 77 {
            95.0
        } else {
            wave(i, 20.0, 40.0)
        }
    });
    let c = chart(
        ChartOptions {
            kind: SeriesKind::Envelope,
            ..options("envelope · 30 days", Unit::Percentage, "UTC")
        },
        vec![("cpu", s)],
    );
    check("envelope-30d", &c);
}

#[test]
fn areas_with_thresholds_and_annotation_bands_in_the_dark_theme() {
    let start = NEW_YEAR_2026;
    let latency = minutes(start, 12 * 60, |i| wave(i * 2, 80.0, 200.0));
    let errors = minutes(start, 12 * 60, |i| wave(i * 3 + 200, 10.0, 60.0));
    let c = chart(
        ChartOptions {
            kind: SeriesKind::Area,
            theme: sabaplot::Theme::Dark,
            thresholds: vec![
                Threshold {
                    value: 250.0,
                    level: Level::Warning,
                    label: None,
                },
                Threshold {
                    value: 290.0,
                    level: Level::Critical,
                    label: Some("page the on-call".into()),
                },
                Threshold {
                    value: 5_000.0,
                    level: Level::Critical,
                    label: None,
                }, // off the axis
            ],
            annotations: vec![
                Annotation {
                    from: start + 2.0 * HOUR,
                    to: start + 3.5 * HOUR,
                    title: "deploy v2.3.1 <b>canary</b>".into(),
                },
                Annotation {
                    from: start + 9.0 * HOUR,
                    to: start + 9.0 * HOUR,
                    title: "restart".into(),
                },
                Annotation {
                    from: start - 5.0 * HOUR,
                    to: start - 4.0 * HOUR,
                    title: "before the window".into(),
                },
            ],
            ..options("api · latency p99", Unit::Milliseconds, "UTC")
        },
        vec![("p99", latency), ("p50", errors)],
    );
    check("area-thresholds-annotations", &c);
}

#[test]
fn a_load_under_way_shows_the_coarse_picture_not_loaded_stretches_and_progress() {
    use sabaplot::{Coarse, Covers, NotLoaded, Progress};
    // Eight days: the newest three loaded at 1 minute, one day failed, the
    // rest known only from an hourly min/max envelope (points at the end of
    // their hour) and, for the second series, hourly averages.
    let start = NEW_YEAR_2026;
    let end = start + 8.0 * DAY;
    let hours = (8.0 * DAY / HOUR) as usize;
    let hourly = |f: &dyn Fn(usize) -> f64| {
        Series::from_grid(start + HOUR, HOUR, (0..hours).map(f).collect()).unwrap()
    };
    let low = hourly(&|h| wave(h * 60, 0.4, 1.0));
    let high = hourly(&|h| wave(h * 60, 0.4, 1.0) + 0.8 + if h == 40 { 6.0 } else { 0.0 });
    let averages = Series::from_grid(
        start,
        HOUR,
        (0..hours).map(|h| wave(h * 60 + 300, 2.0, 1.0)).collect(),
    )
    .unwrap();
    let mut c = Chart::new(options("web-01 · loadavg5", Unit::Float, "UTC")).unwrap();
    for name in ["loadavg5", "loadavg15"] {
        c.reserve(name, start, end, MINUTE).unwrap();
    }
    c.set_coarse(
        "loadavg5",
        Coarse::new(&low, Some(&high), Covers::StepBefore).unwrap(),
    )
    .unwrap();
    c.set_coarse(
        "loadavg15",
        Coarse::new(&averages, None, Covers::StepAfter).unwrap(),
    )
    .unwrap();
    let loaded_from = end - 3.0 * DAY;
    let n = (3.0 * DAY / MINUTE) as usize;
    let offset = ((loaded_from - start) / MINUTE) as usize;
    c.merge(
        "loadavg5",
        minutes(loaded_from, n, |i| wave(i + offset, 0.4, 1.0) + 0.4),
        Some((loaded_from, end)),
    )
    .unwrap();
    c.merge(
        "loadavg15",
        minutes(loaded_from, n, |i| wave(i + offset + 300, 2.0, 1.0)),
        Some((loaded_from, end)),
    )
    .unwrap();
    c.set_not_loaded(vec![NotLoaded {
        from: start + 2.0 * DAY,
        to: start + 3.0 * DAY,
        reason: "HTTP 502".into(),
    }])
    .unwrap();
    c.set_progress(Some(Progress {
        done: 9,
        total: 14,
        points: 8_640,
        ..Progress::default()
    }));
    check("loading", &c);
}

#[test]
fn per_series_rules_set_colour_width_label_and_visibility() {
    let series: Vec<(&str, Series)> = ["web-01", "web-02", "web-03", "custom.ecs.a.port.8080"]
        .into_iter()
        .enumerate()
        .map(|(k, name)| {
            let s = minutes(NEW_YEAR_2026, 240, |i| {
                wave(i * 6 + k * 40, 10.0 * k as f64, 20.0)
            });
            (name, s)
        })
        .collect();
    let rules = serde_json::json!([
        { "match": "/^web-0[12]$/", "width": 3 },
        { "match": "web-02", "color": "#d62728", "label": "web-02 (primary)" },
        { "match": "web-03", "hidden": true },
        { "match": "custom.ecs.*.port.8080", "color": "#000", "label": "port 8080" }
    ]);
    let options = ChartOptions {
        series: serde_json::from_value(rules).unwrap(),
        ..options("per-series style", Unit::Float, "UTC")
    };
    let c = chart(options, series);
    let legend: Vec<(String, String, bool)> = c
        .legend()
        .into_iter()
        .map(|e| (e.label, e.color, e.visible))
        .collect();
    assert_eq!(
        legend,
        [
            ("web-01".into(), "#1f77b4".into(), true),
            ("web-02 (primary)".into(), "#d62728".into(), true),
            ("web-03".into(), "#2ca02c".into(), false),
            ("port 8080".into(), "#000000".into(), true),
        ]
    );
    check("series-rules", &c);
}

#[test]
fn a_fixed_axis_keeps_its_ends_and_a_soft_one_reaches_its_own() {
    let cpu = minutes(NEW_YEAR_2026, 240, |i| wave(i * 6, 20.0, 110.0));
    let axes = |axis: serde_json::Value| -> ChartOptions {
        ChartOptions {
            axes: serde_json::from_value(serde_json::json!({ "left": axis })).unwrap(),
            ..options("cpu.user", Unit::Percentage, "UTC")
        }
    };
    let fixed = chart(
        axes(serde_json::json!({ "min": 0, "max": 100 })),
        vec![("cpu.user", cpu)],
    );
    check("axis-fixed-0-100", &fixed);
    let quiet = minutes(NEW_YEAR_2026, 240, |i| wave(i * 6, 5.0, 30.0));
    let soft = chart(
        axes(serde_json::json!({ "softMax": 100 })),
        vec![("cpu.user", quiet)],
    );
    check("axis-soft-max-100", &soft);
}

#[test]
fn per_series_kinds_mix_a_line_an_area_and_points_in_one_chart() {
    let series: Vec<(&str, Series)> = ["requests", "errors", "p99"]
        .into_iter()
        .enumerate()
        .map(|(k, name)| {
            (
                name,
                minutes(NEW_YEAR_2026, 120, |i| {
                    wave(i * 12 + k * 50, 10.0 + 15.0 * k as f64, 12.0)
                }),
            )
        })
        .collect();
    let rules = serde_json::json!([
        { "match": "requests", "kind": "area" },
        { "match": "p99", "kind": "points" }
    ]);
    let options = ChartOptions {
        series: serde_json::from_value(rules).unwrap(),
        ..options("per-series kinds", Unit::Float, "UTC")
    };
    check("series-kinds", &chart(options, series));
}

#[test]
fn stacks_by_name_mix_with_lines_scale_to_percent_and_go_below_zero() {
    let layer = |k: usize, base: f64| {
        minutes(NEW_YEAR_2026, 180, move |i| {
            wave(i * 8 + k * 30, base, 10.0)
        })
    };
    let styled = |rules: serde_json::Value, unit: Unit| ChartOptions {
        series: serde_json::from_value(rules).unwrap(),
        ..options("stacks", unit, "UTC")
    };
    // user and system stacked as "cpu", the load average a line over them.
    let mixed = chart(
        styled(
            serde_json::json!([{ "match": "/^cpu\\./", "stack": "cpu" }, { "match": "limit", "width": 2 }]),
            Unit::Float,
        ),
        vec![
            ("cpu.user", layer(0, 20.0)),
            ("cpu.system", layer(1, 10.0)),
            ("limit", layer(2, 35.0)),
        ],
    );
    check("stack-mixed-with-a-line", &mixed);
    let percent = chart(
        styled(
            serde_json::json!([{ "stack": "percent" }]),
            Unit::Percentage,
        ),
        vec![
            ("a", layer(0, 30.0)),
            ("b", layer(1, 20.0)),
            ("c", layer(2, 10.0)),
        ],
    );
    check("stack-percent", &percent);
    // Received above zero, sent below it: each side stacks on its own.
    let minus = |s: Series| {
        let times: Vec<f64> = (0..s.len()).map(|i| s.time_at(i)).collect();
        Series::from_points(&times, &s.values().iter().map(|v| -v).collect::<Vec<_>>()).unwrap()
    };
    let negative = chart(
        styled(serde_json::json!([{ "stack": "net" }]), Unit::BytesPerSec),
        vec![
            ("eth0 rx", layer(0, 20.0)),
            ("eth0 tx", minus(layer(1, 15.0))),
            ("eth1 rx", layer(2, 10.0)),
            ("eth1 tx", minus(layer(3, 5.0))),
        ],
    );
    check("stack-negative", &negative);
}

#[test]
fn a_log_axis_shows_decades_and_leaves_zeros_as_gaps() {
    // Latency from about 1 ms to 5 s, with zeros and missing minutes.
    let latency = minutes(NEW_YEAR_2026, 240, |i| match i % 60 {
        10..=14 => 0.0,
        30..=32 => f64::NAN,
        _ => 10f64.powf(0.2 + 3.4 * wave(i * 6, 0.0, 1.0) / 1.2),
    });
    let options = ChartOptions {
        axes: serde_json::from_value(serde_json::json!({ "left": { "scale": "log" } })).unwrap(),
        ..options("latency.p99 (log)", Unit::Milliseconds, "UTC")
    };
    check("axis-log", &chart(options, vec![("latency.p99", latency)]));
}

#[test]
fn dashed_lines_of_their_own_widths() {
    let series: Vec<(&str, Series)> = ["p50", "p90", "p99"]
        .into_iter()
        .enumerate()
        .map(|(k, name)| {
            let s = minutes(NEW_YEAR_2026, 180, |i| {
                wave(i * 8 + k * 40, 20.0 + 25.0 * k as f64, 15.0)
            });
            (name, s)
        })
        .collect();
    let rules = serde_json::json!([
        { "match": "p90", "dash": [8, 4], "width": 2 },
        { "match": "p99", "dash": [2, 3], "color": "#d62728" }
    ]);
    let options = ChartOptions {
        series: serde_json::from_value(rules).unwrap(),
        ..options("dashes", Unit::Milliseconds, "UTC")
    };
    check("series-dash", &chart(options, series));
}

#[test]
fn bars_per_slot_zoomed_in_and_per_column_over_two_weeks() {
    let bars = |title: &str| ChartOptions {
        series: serde_json::from_value(serde_json::json!([{ "kind": "bars" }])).unwrap(),
        ..options(title, Unit::Integer, "UTC")
    };
    // An hour of minutes: a bar each, with the errors of one minute.
    let errors = minutes(NEW_YEAR_2026, 60, |i| match i {
        17 => 42.0,
        30..=32 => f64::NAN,
        _ => ((i * 7) % 11) as f64,
    });
    check(
        "bars-one-hour",
        &chart(bars("errors per minute"), vec![("errors", errors)]),
    );
    // Two kinds of error stacked as bars: each bar of a minute in two parts.
    let stacked = ChartOptions {
        series: serde_json::from_value(serde_json::json!([{ "kind": "bars", "stack": "errors" }]))
            .unwrap(),
        ..options("errors per minute, stacked", Unit::Integer, "UTC")
    };
    let kind = |k: usize| minutes(NEW_YEAR_2026, 60, move |i| ((i * (5 + 2 * k)) % 9) as f64);
    check(
        "bars-stacked",
        &chart(stacked, vec![("5xx", kind(0)), ("timeouts", kind(1))]),
    );
    // Two weeks: a bar per pixel column reaching its busiest minute, solid
    // up to its quietest; one minute's spike still stands out.
    let requests = minutes(NEW_YEAR_2026, 14 * 1_440, |i| {
        if i == 9_000 {
            400.0
        } else {
            wave(i, 40.0, 80.0)
        }
    });
    check(
        "bars-14d",
        &chart(bars("requests per minute"), vec![("requests", requests)]),
    );
}

#[test]
fn two_axes_in_their_own_units() {
    let rx = minutes(NEW_YEAR_2026, 240, |i| wave(i * 6, 2e6, 6e6));
    let tx = minutes(NEW_YEAR_2026, 240, |i| wave(i * 6 + 300, 1e6, 2e6));
    let cpu = minutes(NEW_YEAR_2026, 240, |i| wave(i * 6 + 100, 5.0, 40.0));
    let options = ChartOptions {
        series: serde_json::from_value(serde_json::json!([
            { "match": "system CPU", "axis": "right", "dash": [6, 3] }
        ]))
        .unwrap(),
        axes: serde_json::from_value(serde_json::json!({
            "left": { "label": "bytes/sec" },
            "right": { "unit": "percentage", "min": 0, "max": 100, "label": "system CPU %" }
        }))
        .unwrap(),
        ..options("network · system CPU", Unit::BytesPerSec, "UTC")
    };
    let c = chart(options, vec![("rx", rx), ("tx", tx), ("system CPU", cpu)]);
    let styles = c.styles();
    assert_eq!(styles[2].unit, Unit::Percentage, "the right axis' unit");
    assert_eq!(styles[0].unit, Unit::BytesPerSec);
    check("axes-two-units", &c);
}

#[test]
fn the_auto_theme_draws_light_or_dark_as_the_reader_prefers() {
    let load = minutes(NEW_YEAR_2026, 180, |i| wave(i * 8, 0.5, 3.0));
    for (dark, name) in [(false, "theme-auto-light"), (true, "theme-auto-dark")] {
        let mut c = chart(
            ChartOptions {
                theme: sabaplot::Theme::Auto,
                ..options("theme auto", Unit::Float, "UTC")
            },
            vec![("loadavg5", load.clone())],
        );
        c.set_prefers_dark(dark);
        check(name, &c);
    }
}
