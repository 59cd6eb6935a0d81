//! The chart's state and its changes, through the core API.

use super::draw::is_xml_char;
use super::*;
use crate::interaction::{Effect, Input, Key};
use crate::render::SeriesKind;
use crate::render::Theme;
use crate::units::Unit;
use plotters::backend::SVGBackend;

fn series(start: f64, n: usize) -> Series {
    let times: Vec<f64> = (0..n).map(|i| start + i as f64 * 60.0).collect();
    Series::from_points(&times, &vec![1.0; n]).unwrap()
}

#[test]
fn the_window_follows_the_data_until_a_range_is_set() {
    let mut chart = Chart::new(ChartOptions::default()).unwrap();
    assert_eq!(chart.range(), None);
    chart.set_series("a", series(0.0, 10)).unwrap();
    chart.set_series("b", series(300.0, 10)).unwrap();
    assert_eq!(chart.range(), Some((0.0, 840.0)));
    chart.set_range(60.0, 120.0).unwrap();
    assert_eq!(chart.range(), Some((60.0, 120.0)));
    chart.reset_range();
    assert_eq!(chart.range(), Some((0.0, 840.0)));
}

#[test]
fn a_stacked_chart_of_series_far_apart_draws_without_the_time_between() {
    let options = ChartOptions {
        kind: SeriesKind::Stacked,
        ..ChartOptions::default()
    };
    let mut chart = Chart::new(options).unwrap();
    let a = Series::from_arrays(&[1.7e9, 1.7e9 + 60.0], vec![1.0, 2.0]).unwrap();
    chart.set_series("a", a).unwrap();
    // A time past year 9999 is refused where it comes in.
    let err = Series::from_arrays(&[1e299], vec![1.0]).unwrap_err();
    assert!(err.to_string().contains("1e299"), "{err}");
    // 10^8 minutes later: stacked over the two spans, not the 190 years.
    let b = Series::from_arrays(&[1.7e9 + 6e9], vec![1.0]).unwrap();
    chart.set_series("b", b).unwrap();
    let svg = chart.to_svg(800, 300).unwrap();
    assert!(svg.contains("<path") || svg.contains("<polyline"));
    let stacked = chart.stacked.borrow();
    let layers = stacked.as_ref().unwrap().as_ref().unwrap();
    assert_eq!(layers[1].as_ref().unwrap().len(), 4);
}

#[test]
fn sizes_spans_and_ranges_outside_the_limits_are_refused() {
    let mut chart = Chart::new(ChartOptions::default()).unwrap();
    chart.set_series("a", series(0.0, 10)).unwrap();
    for (w, h) in [(0, 100), (100, 0), (16_385, 100), (u32::MAX, 100)] {
        let err = chart.to_svg(w, h).unwrap_err().to_string();
        assert!(err.contains("imageSide"), "{err}");
    }
    assert!(chart.to_svg(16_384, 10).is_ok());
    let span = |k: usize| NotLoaded {
        from: k as f64 * 60.0,
        to: k as f64 * 60.0 + 30.0,
        reason: "x".into(),
    };
    let err = chart
        .set_not_loaded((0..100_000).map(span).collect())
        .unwrap_err();
    assert!(err.to_string().contains("notLoadedSpans"), "{err}");
    assert!(chart
        .set_not_loaded((0..10_000).map(span).collect())
        .is_ok());
    for (from, to) in [(0.0, 1e300), (-1e300, 0.0), (0.0, f64::NAN)] {
        assert!(chart.set_range(from, to).is_err());
    }
    assert_eq!(chart.range(), Some((0.0, 540.0)), "the window is kept");
}

#[test]
fn a_chart_holds_at_most_its_limit_of_series() {
    let mut chart = Chart::new(ChartOptions::default()).unwrap();
    let table = (0..crate::limits::MAX_SERIES_PER_CHART).map(|k| (format!("s{k}"), series(0.0, 2)));
    chart.set_many(table).unwrap();
    let err = chart.set_series("one more", series(0.0, 2)).unwrap_err();
    assert!(err.to_string().contains("seriesPerChart"), "{err}");
    chart.set_series("s0", series(60.0, 2)).unwrap();
    let err = chart
        .set_many([
            ("s1".to_string(), series(0.0, 2)),
            ("new".to_string(), series(0.0, 2)),
        ])
        .unwrap_err();
    assert!(matches!(err, ChartError::Limit(_)));
    assert_eq!(
        chart.series_names().count(),
        crate::limits::MAX_SERIES_PER_CHART
    );
}

#[test]
fn control_characters_in_text_never_break_the_svg() {
    let options = ChartOptions {
        title: "cpu\u{1}\u{0}\u{FFFF}".into(),
        ..ChartOptions::default()
    };
    let mut chart = Chart::new(options).unwrap();
    chart.set_series("name\u{1b}[31m", series(0.0, 10)).unwrap();
    let svg = chart.to_svg(400, 200).unwrap();
    assert!(svg.chars().all(is_xml_char));
    assert!(svg.contains("cpu\u{FFFD}"));
}

#[test]
fn the_auto_theme_draws_as_the_reader_prefers() {
    let chart = |theme: Theme, prefers_dark: bool| {
        let options = ChartOptions {
            theme,
            ..ChartOptions::default()
        };
        let mut chart = Chart::new(options).unwrap();
        chart.set_series("a", series(0.0, 10)).unwrap();
        chart.set_prefers_dark(prefers_dark);
        chart.to_svg(300, 150).unwrap()
    };
    assert_eq!(chart(Theme::Auto, true), chart(Theme::Dark, false));
    assert_eq!(chart(Theme::Auto, false), chart(Theme::Light, true));
    assert_ne!(chart(Theme::Auto, true), chart(Theme::Auto, false));
}

#[test]
fn a_series_with_the_same_name_is_replaced() {
    let mut chart = Chart::new(ChartOptions::default()).unwrap();
    chart.set_series("a", series(0.0, 10)).unwrap();
    chart.set_series("a", series(600.0, 2)).unwrap();
    assert_eq!(chart.series_names().count(), 1);
    assert_eq!(chart.range(), Some((600.0, 660.0)));
}

#[test]
fn a_single_point_still_gets_a_window() {
    let mut chart = Chart::new(ChartOptions::default()).unwrap();
    chart.set_series("a", series(600.0, 1)).unwrap();
    assert_eq!(chart.range(), Some((540.0, 660.0)));
}

#[test]
fn bad_ranges_are_refused_and_the_old_one_kept() {
    let mut chart = Chart::new(ChartOptions::default()).unwrap();
    chart.set_range(0.0, 10.0).unwrap();
    for (from, to) in [
        (5.0, 5.0),
        (10.0, 0.0),
        (f64::NAN, 1.0),
        (0.0, f64::INFINITY),
    ] {
        assert!(chart.set_range(from, to).is_err());
    }
    assert_eq!(chart.range(), Some((0.0, 10.0)));
}

#[test]
fn the_chart_exports_as_an_svg_document() {
    let mut chart = Chart::new(ChartOptions {
        title: "db-01 · memory.used".into(),
        unit: Unit::Bytes,
        ..ChartOptions::default()
    })
    .unwrap();
    chart.set_series("memory.used", series(0.0, 100)).unwrap();
    let svg = chart.to_svg(640, 240).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("db-01 · memory.used"));
    assert!(svg.contains(" B\n</text>"), "byte labels");
    assert_eq!(svg.matches("<polyline").count(), 1);
    assert!(Chart::default()
        .to_svg(300, 150)
        .unwrap()
        .contains("No data loaded"));
    assert!(Chart::default().to_svg(1, 1).is_ok());
}

#[test]
fn options_read_from_json_with_defaults_and_refuse_typos() {
    let o: ChartOptions = serde_json::from_str(r#"{"title":"cpu","unit":"percentage"}"#).unwrap();
    assert_eq!(o.unit, Unit::Percentage);
    assert_eq!(o.theme, Theme::Light);
    let e = serde_json::from_str::<ChartOptions>(r#"{"titel":"cpu"}"#).unwrap_err();
    assert!(e.to_string().contains("titel"));
}

#[test]
fn time_at_and_x_at_are_the_pointers_conversion_in_the_current_window() {
    let mut chart = Chart::new(ChartOptions::default()).unwrap();
    chart.set_series("a", series(0.0, 1_000)).unwrap();
    assert_eq!(chart.time_at(100.0), None, "nothing drawn yet");
    let mut svg = String::new();
    chart
        .draw(&mut SVGBackend::with_string(&mut svg, (800, 300)), 1.0)
        .unwrap();
    let [left, _, right, _] = chart.plot_area().unwrap().css_plot();
    assert_eq!(chart.time_at(left), Some(0.0));
    assert_eq!(chart.time_at(right), Some(999.0 * 60.0));
    // A new window counts before the next frame, as it does for the pointer.
    chart.set_range(600.0, 1_200.0).unwrap();
    let middle = (left + right) / 2.0;
    assert_eq!(chart.time_at(middle), Some(900.0));
    assert_eq!(chart.x_at(900.0), Some(middle));
    assert_eq!(chart.time_at(f64::NAN), None);
    assert_eq!(chart.x_at(f64::INFINITY), None);
}

#[test]
fn pointer_input_zooms_pans_and_resets_within_the_data() {
    let mut chart = Chart::new(ChartOptions::default()).unwrap();
    chart.set_series("a", series(0.0, 1_000)).unwrap();
    assert_eq!(
        chart.handle(Input::DoubleClick),
        Effect::default(),
        "nothing drawn yet"
    );
    let mut svg = String::new();
    let mut db = SVGBackend::with_string(&mut svg, (800, 300));
    chart.draw(&mut db, 1.0).unwrap();
    let [left, top, right, bottom] = chart.plot_area().unwrap().css_plot();
    let middle = (left + right) / 2.0;
    let y = (top + bottom) / 2.0;
    let wheel = |delta| Input::Wheel {
        x: middle,
        y,
        delta,
    };
    assert!(chart.handle(wheel(-500.0)).range_changed);
    let (from, to) = chart.range().unwrap();
    assert!(to - from < 59_940.0 / 2.0);
    // Zooming in stops at ten slots; zooming out at the data's range.
    for _ in 0..50 {
        chart.handle(wheel(-500.0));
    }
    let (from, to) = chart.range().unwrap();
    assert!((to - from - 600.0).abs() < 1e-6, "{from}..{to}");
    for _ in 0..50 {
        chart.handle(wheel(500.0));
    }
    assert_eq!(chart.range(), Some((0.0, 59_940.0)));
    assert!(
        !chart.handle(Input::Key(Key::PanLeft)).range_changed,
        "already at the start"
    );
    chart.set_range(30_000.0, 40_000.0).unwrap();
    assert!(chart.handle(Input::DoubleClick).range_changed);
    assert_eq!(chart.range(), Some((0.0, 59_940.0)));
}

#[test]
fn a_hidden_series_is_left_out_of_the_drawing_tooltip_and_value_range() {
    let mut chart = Chart::new(ChartOptions::default()).unwrap();
    chart.set_series("small", series(0.0, 100)).unwrap();
    let big = Series::from_points(&[0.0, 60.0], &[1_000.0, 2_000.0]).unwrap();
    chart.set_series("big", big).unwrap();
    let mut svg = String::new();
    let frame = chart
        .draw(&mut SVGBackend::with_string(&mut svg, (400, 200)), 1.0)
        .unwrap();
    assert_eq!(frame.value_range.1, 2_000.0);
    chart.set_visible("big", false).unwrap();
    let mut svg = String::new();
    let frame = chart
        .draw(&mut SVGBackend::with_string(&mut svg, (400, 200)), 1.0)
        .unwrap();
    assert!(frame.value_range.1 < 10.0, "{:?}", frame.value_range);
    assert_eq!(chart.readout(30.0).rows.len(), 1);
    assert!(!chart.legend()[1].visible);
    assert_eq!(
        chart.set_visible("nope", true),
        Err(ChartError::UnknownSeries("nope".into()))
    );
}

#[test]
fn appending_merges_new_minutes_and_bad_chunks_are_refused() {
    let mut chart = Chart::new(ChartOptions::default()).unwrap();
    chart.set_series("a", series(0.0, 10)).unwrap();
    chart.append("a", &[600.0, 660.0], &[2.0, 3.0]).unwrap();
    assert_eq!(chart.range(), Some((0.0, 660.0)));
    assert!(chart.append("a", &[1.0], &[]).is_err());
    assert_eq!(chart.range(), Some((0.0, 660.0)), "kept");
    chart.append("b", &[0.0], &[1.0]).unwrap();
    assert_eq!(chart.series_names().count(), 2);
}

#[test]
fn a_reserved_series_takes_chunks_newest_first_and_the_coarse_picture_gives_way() {
    use crate::loading::{Coarse, Covers, NotLoaded};
    let mut chart = Chart::new(ChartOptions::default()).unwrap();
    let hourly = Series::from_grid(0.0, 3_600.0, vec![1.0, 2.0, 3.0, 4.0]).unwrap();
    let coarse = Coarse::new(&hourly, None, Covers::StepAfter).unwrap();
    assert_eq!(
        chart.set_coarse("a", coarse.clone()),
        Err(ChartError::UnknownSeries("a".into())),
        "reserve first"
    );
    chart.reserve("a", 0.0, 4.0 * 3_600.0 - 60.0, 60.0).unwrap();
    chart.set_coarse("a", coarse).unwrap();
    assert_eq!(chart.range(), Some((0.0, 4.0 * 3_600.0 - 60.0)));
    assert_eq!(frame_of(&mut chart).coarse_drawn, 4);
    // The newest hour, then the one before: merged in place.
    for hour in [3.0, 2.0] {
        let chunk = series(hour * 3_600.0, 60);
        let kept = chart
            .merge("a", chunk, Some((hour * 3_600.0, (hour + 1.0) * 3_600.0)))
            .unwrap();
        assert_eq!(kept, 60);
    }
    let frame = frame_of(&mut chart);
    assert_eq!(frame.coarse_drawn, 2, "hours 0 and 1 are still coarse");
    assert_eq!(frame.points_in_view, 120);
    assert_eq!(chart.range(), Some((0.0, 4.0 * 3_600.0 - 60.0)), "no move");
    assert!(chart
        .merge("a", series(0.0, 2), Some((f64::NAN, 60.0)))
        .is_err());
    let spilling = series(3_000.0, 30);
    assert_eq!(
        chart
            .merge("a", spilling, Some((3_000.0, 3_600.0)))
            .unwrap(),
        10,
        "only the minutes inside the span asked for are kept and counted"
    );
    assert!(chart
        .set_not_loaded(vec![NotLoaded {
            from: 5.0,
            to: f64::NAN,
            reason: String::new()
        }])
        .is_err());
    chart
        .set_not_loaded(vec![NotLoaded {
            from: 0.0,
            to: 3_600.0,
            reason: "HTTP 500".into(),
        }])
        .unwrap();
    assert_eq!(frame_of(&mut chart).not_loaded_drawn, 1);
    // Ten thousand failed minutes side by side are one band on screen.
    let minutes = (0..10_000).map(|k| NotLoaded {
        from: 60.0 * k as f64,
        to: 60.0 * (k + 1) as f64,
        reason: if k % 2 == 0 { "HTTP 500" } else { "HTTP 503" }.into(),
    });
    chart.set_not_loaded(minutes.collect()).unwrap();
    chart.set_range(0.0, 600_000.0).unwrap();
    let frame = frame_of(&mut chart);
    assert_eq!(frame.not_loaded_drawn, 10_000);
    let mut out = String::new();
    chart
        .draw(&mut SVGBackend::with_string(&mut out, (400, 200)), 1.0)
        .unwrap();
    assert_eq!(out.matches("not loaded").count(), 1);
    assert!(out.contains("10000 stretches"));
    chart.clear();
    assert_eq!(frame_of(&mut chart).not_loaded_drawn, 0);
}

#[test]
fn a_chart_without_data_has_no_1970_axis_and_a_load_that_found_nothing_shows_its_range() {
    let mut chart = Chart::default();
    let frame = frame_of(&mut chart);
    assert!(frame.time_labels.is_empty(), "{:?}", frame.time_labels);
    assert_eq!(chart.range(), None);
    // A load of a day that matched nothing says so over that day.
    let day = (1.7e9, 1.7e9 + 86_400.0);
    chart
        .set_not_loaded(vec![NotLoaded {
            from: day.0,
            to: day.1,
            reason: "query matched no series: up{job=\"none\"}".into(),
        }])
        .unwrap();
    assert_eq!(chart.range(), Some(day));
    let frame = frame_of(&mut chart);
    assert_eq!(frame.not_loaded_drawn, 1);
    assert!(
        frame.time_labels.iter().any(|l| l.contains("Nov")),
        "{:?}",
        frame.time_labels
    );
    // With a window set and still no data, the axis reads that window.
    chart.set_not_loaded(Vec::new()).unwrap();
    chart.set_range(day.0, day.1).unwrap();
    assert!(!frame_of(&mut chart).time_labels.is_empty());
}

/// A 400 × 200 SVG frame of `chart`.
fn frame_of(chart: &mut Chart) -> crate::render::Frame {
    let mut out = String::new();
    let mut db = SVGBackend::with_string(&mut out, (400, 200));
    chart.draw(&mut db, 1.0).unwrap()
}
