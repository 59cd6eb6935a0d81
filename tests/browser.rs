//! In-browser tests (headless Chromium through wasm-bindgen-test): the JS
//! API on a real canvas, with the pixels read back.
#![cfg(target_arch = "wasm32")]

use sabaplot::web::{parse_mackerel, Chart, SeriesData};
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
    let mut chart = Chart::new(canvas.clone().into(), JsValue::UNDEFINED).unwrap();
    let series = parse_mackerel(200, day_with_spike().as_bytes()).unwrap();
    chart.set_series("load", series);
    chart.draw().unwrap();

    let ratio = web_sys::window().unwrap().device_pixel_ratio();
    assert_eq!(
        canvas.width(),
        (600.0 * ratio).round() as u32,
        "canvas sized in device pixels"
    );

    let f = frame(&chart);
    let plot: Vec<i64> = serde_json::from_value(f["plot"].clone()).unwrap();
    let (left, top, right, bottom) = (plot[0], plot[1], plot[2], plot[3]);
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
    let svg = chart.to_svg(Some(600), Some(300)).unwrap();
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
    let mut chart = Chart::new(canvas.clone().into(), JsValue::UNDEFINED).unwrap();
    chart.set_series(
        "load",
        parse_mackerel(200, day_with_spike().as_bytes()).unwrap(),
    );
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
        let message = match parse_mackerel(status, body) {
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
        serde_wasm_bindgen::to_value(&serde_json::json!({"titel": 1})).unwrap()
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
