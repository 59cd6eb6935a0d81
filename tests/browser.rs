//! In-browser tests (headless Chromium through wasm-bindgen-test): the JS
//! API on a real canvas, with the pixels read back, and the parts of the
//! engine that take a wasm-only path (the summary build uses 128-bit SIMD).
#![cfg(target_arch = "wasm32")]

use sabaplot::web::{parse_mackerel, Chart, SeriesData};
use sabaplot::{Extremes, Pyramid};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

const SERIES_BLUE: (u8, u8, u8) = (31, 119, 180);

fn canvas(css_width: u32, css_height: u32) -> HtmlCanvasElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    canvas
        .set_attribute(
            "style",
            &format!("width:{css_width}px;height:{css_height}px;display:block"),
        )
        .unwrap();
    document.body().unwrap().append_child(&canvas).unwrap();
    canvas
}

fn pixels(canvas: &HtmlCanvasElement) -> (Vec<u8>, u32) {
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let (w, h) = (canvas.width(), canvas.height());
    let data = ctx
        .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))
        .unwrap()
        .data();
    (data.0, w)
}

fn is_series_blue(px: &[u8]) -> bool {
    let (r, g, b) = SERIES_BLUE;
    px[0].abs_diff(r) < 40 && px[1].abs_diff(g) < 40 && px[2].abs_diff(b) < 40 && px[3] > 128
}

/// A day of minutes, flat at 1.0 but for a one-minute spike to 100 at minute 700.
fn day_with_spike() -> String {
    let points: Vec<String> = (0..1440)
        .map(|i| {
            let v = if i == 700 { 100.0 } else { 1.0 };
            format!(r#"{{"time":{},"value":{v}}}"#, 1_767_225_600 + i * 60)
        })
        .collect();
    format!(r#"{{"metrics":[{}]}}"#, points.join(","))
}

fn frame(chart: &Chart) -> serde_json::Value {
    serde_wasm_bindgen::from_value(chart.describe().unwrap()).unwrap()
}

#[wasm_bindgen_test]
fn a_one_minute_spike_is_drawn_up_to_the_top_of_the_plot_on_a_real_canvas() {
    let canvas = canvas(600, 300);
    let chart = Chart::new(canvas.clone().into(), None).unwrap();
    let series = parse_mackerel(200.0, day_with_spike().as_bytes()).unwrap();
    chart.set_series("load", series).unwrap();
    chart.draw().unwrap();

    let ratio = web_sys::window().unwrap().device_pixel_ratio();
    assert_eq!(
        canvas.width(),
        (600.0 * ratio).round() as u32,
        "canvas sized in device pixels"
    );

    let f = frame(&chart);
    // The plot's CSS edges, as device pixels (edges included).
    let plot: Vec<f64> = serde_json::from_value(f["plot"].clone()).unwrap();
    let device = |css: f64| (css * ratio).round() as i64;
    let (left, top) = (device(plot[0]), device(plot[1]));
    let (right, bottom) = (device(plot[2]) - 1, device(plot[3]) - 1);
    assert_eq!(f["valueRange"][1], 100.0);
    let (data, width) = pixels(&canvas);
    let at = |x: i64, y: i64| &data[((y as u32 * width + x as u32) * 4) as usize..][..4];
    let blue_in_row = |y: i64| (left..=right).filter(|&x| is_series_blue(at(x, y))).count();
    // The spike reaches the top row of the plot; the flat line lies near the bottom.
    assert!(
        blue_in_row(top) + blue_in_row(top + 1) > 0,
        "the spike is drawn at the top"
    );
    let baseline = bottom - ((bottom - top) as f64 / 100.0).round() as i64;
    let near_baseline: usize = (baseline - 2..=baseline + 2).map(blue_in_row).sum();
    assert!(
        near_baseline as i64 > (right - left) * 9 / 10,
        "the flat line spans the plot, crisp"
    );
    // Nothing of the series is drawn outside the plot area.
    for y in [top - 3, bottom + 3] {
        assert_eq!(blue_in_row(y), 0, "row {y}");
    }
    // The same chart exports as SVG.
    let svg = chart.to_svg(Some(600.0), Some(300.0)).unwrap();
    assert!(svg.contains("<polyline") && svg.contains("\n100\n</text>"));
    // Axis labels were written (dark text left of the plot).
    let dark_left = (0..left)
        .flat_map(|x| (top..bottom).map(move |y| (x, y)))
        .filter(|&(x, y)| at(x, y)[0] < 120 && at(x, y)[3] > 0)
        .count();
    assert!(dark_left > 20, "value labels drawn");
}

#[wasm_bindgen_test]
fn bad_responses_throw_readable_errors_and_the_chart_keeps_its_data() {
    let canvas = canvas(400, 200);
    let chart = Chart::new(canvas.clone().into(), None).unwrap();
    chart
        .set_series(
            "load",
            parse_mackerel(200.0, day_with_spike().as_bytes()).unwrap(),
        )
        .unwrap();
    chart.draw().unwrap();
    let before = pixels(&canvas).0;

    let cases: [(u16, &[u8], &str); 4] = [
        (
            404,
            br#"{"error":{"message":"Host Not Found."}}"#,
            "Host Not Found.",
        ),
        (502, b"<html><body>Bad Gateway</body></html>", "HTML page"),
        (200, br#"{"metrics":[{"time":1,"#, "truncated"),
        (200, br#"{"metrics":[]}"#, "no data points"),
    ];
    for (status, body, expected) in cases {
        let message = match parse_mackerel(f64::from(status), body) {
            Ok(_) => panic!("{expected}: parsed"),
            Err(e) => JsValue::from(e)
                .dyn_into::<js_sys::Error>()
                .unwrap()
                .message(),
        };
        assert!(
            String::from(message.clone()).contains(expected),
            "{message:?}"
        );
    }
    assert!(chart.set_range(10.0, 5.0).is_err());
    assert!(Chart::new(
        canvas.clone().into(),
        Some(serde_wasm_bindgen::to_value(&serde_json::json!({"titel": 1})).unwrap())
    )
    .is_err());
    chart.draw().unwrap();
    assert_eq!(
        pixels(&canvas).0,
        before,
        "the chart still shows the same data"
    );
}

#[wasm_bindgen_test]
fn series_from_typed_arrays_sort_their_points_and_mark_gaps() {
    let s = SeriesData::new(&[120.0, 0.0, 180.0], &[3.0, 1.0, f64::NAN]).unwrap();
    assert_eq!(
        (s.start(), s.step(), s.length(), s.valid_count()),
        (0.0, 60.0, 4, 2)
    );
    assert!(SeriesData::new(&[0.0], &[]).is_err());
}

#[wasm_bindgen_test]
fn the_summary_and_the_thinning_with_simd_answer_like_brute_force() {
    // A small linear congruential generator: the same cases every run.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut below = move |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        ((state >> 33) % n as u64) as usize
    };
    let mut dense_seen = 0;
    for case in 0..60 {
        let n = 1 + below(20_000);
        // Few distinct values, so equal extremes are everywhere and the
        // first of them must be the one reported.
        let levels = if case % 2 == 0 { 3 } else { 1_000 };
        let mut values: Vec<f64> = (0..n).map(|_| below(levels) as f64 - 1.0).collect();
        // Gaps of every length in half the cases; none in the others, so
        // that columns of full nodes come up.
        if case % 4 < 2 {
            for _ in 0..below(n / 8 + 1) {
                values[below(n)] = f64::NAN;
            }
            let a = below(n);
            let b = (a + below(200)).min(n);
            values[a..b].fill(f64::NAN);
        }
        let p = Pyramid::build(&values);
        for _ in 0..40 {
            let a = below(n + 1);
            let b = a + below(n + 1 - a);
            let valid: Vec<(usize, f64)> = (a..b)
                .map(|i| (i, values[i]))
                .filter(|(_, v)| !v.is_nan())
                .collect();
            let first = |better: fn(f64, f64) -> bool| {
                valid
                    .iter()
                    .fold(None, |best: Option<(usize, f64)>, &(i, v)| match best {
                        Some((_, w)) if !better(v, w) => best,
                        _ => Some((i, v)),
                    })
            };
            let brute = first(|v, w| v < w)
                .zip(first(|v, w| v > w))
                .map(|(lo, hi)| Extremes {
                    count: valid.len(),
                    min: lo.0,
                    max: hi.0,
                });
            assert_eq!(
                p.extremes(&values, a..b),
                brute,
                "case {case}: {a}..{b} of {n}"
            );
            let sum: f64 = valid.iter().map(|(_, v)| v).sum();
            assert_eq!(
                p.sum_count(&values, a..b),
                (sum, valid.len()),
                "case {case}: {a}..{b}"
            );
            // A column of full nodes folds its ragged edges with vectors; it
            // must equal the point-by-point fold.
            if let Some(dense) = p.dense_stretch(&values, a..b) {
                let mut flat = Vec::new();
                p.stretches_flat(&values, a..b, |s| flat.push((s.lo, s.hi)));
                assert_eq!(flat, [(dense.lo, dense.hi)], "case {case}: {a}..{b}");
                dense_seen += 1;
            }
        }
    }
    assert!(dense_seen > 200, "only {dense_seen} dense ranges");
}

#[wasm_bindgen_test]
fn series_sharing_one_times_array_are_set_together_or_not_at_all() {
    let canvas = canvas(400, 200);
    let chart = Chart::new(canvas.into(), None).unwrap();
    let times: Vec<f64> = (0..3_000).map(|i| 1.7e9 + 60.0 * f64::from(i)).collect();
    let column = |f: &dyn Fn(usize) -> f64| {
        js_sys::Float64Array::from(&(0..3_000).map(f).collect::<Vec<f64>>()[..])
    };
    let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let bad = column(&|i| match i {
        1_000 => f64::INFINITY,
        1_001 => f64::NAN,
        _ => (i % 50) as f64,
    });
    chart
        .set_series_columns(
            names(&["a", "b"]),
            js_sys::Float64Array::from(&times[..]).into(),
            vec![column(&|i| i as f64).into(), bad.into()],
        )
        .unwrap();
    let legend: serde_json::Value =
        serde_wasm_bindgen::from_value(chart.legend().unwrap()).unwrap();
    let stat = |k: usize, key: &str| legend[k][key].as_f64();
    assert_eq!(legend[0]["name"], "a");
    assert_eq!((stat(0, "min"), stat(0, "max")), (Some(0.0), Some(2_999.0)));
    assert_eq!(legend[1]["name"], "b");
    // The infinity and the NaN are gaps, not values.
    assert_eq!(
        (stat(1, "max"), stat(1, "count")),
        (Some(49.0), Some(2_998.0))
    );

    let error = |names: Vec<String>, columns: Vec<js_sys::Float64Array>| {
        let e = chart_error(&chart, names, &times, columns);
        assert!(e.is_some(), "accepted");
        e.unwrap()
    };
    let short = js_sys::Float64Array::new_with_length(10);
    let message = error(names(&["c", "d"]), vec![column(&|_| 1.0), short]);
    assert!(
        message.contains("series \"d\"") && message.contains("3000"),
        "{message}"
    );
    let message = error(names(&["c"]), vec![]);
    assert!(message.contains("one name per column"), "{message}");
    let legend: serde_json::Value =
        serde_wasm_bindgen::from_value(chart.legend().unwrap()).unwrap();
    assert_eq!(
        legend.as_array().unwrap().len(),
        2,
        "no series was added: {legend}"
    );
}

fn chart_error(
    chart: &Chart,
    names: Vec<String>,
    times: &[f64],
    columns: Vec<js_sys::Float64Array>,
) -> Option<String> {
    let columns = columns.into_iter().map(JsValue::from).collect();
    let times = js_sys::Float64Array::from(times).into();
    let e = chart.set_series_columns(names, times, columns).err()?;
    Some(
        JsValue::from(e)
            .dyn_into::<js_sys::Error>()
            .unwrap()
            .message()
            .into(),
    )
}
