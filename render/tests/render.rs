//! sabaplot-render's pictures: PNG goldens of fixed data (exact bytes: the
//! glyphs come from the bundled font, so every machine draws the same
//! pixels; `UPDATE_GOLDEN=1 cargo test -p sabaplot-render` rewrites them
//! after a deliberate change), and the command itself on a JSON file.

use std::path::PathBuf;
use std::process::Command;

use sabaplot::{Chart, ChartOptions, Series};
use sabaplot_render::render_png;

/// A series' name, times and values (None a gap).
type Column = (&'static str, Vec<f64>, Vec<Option<f64>>);

/// A day of two series: a one-minute spike, and gaps of five minutes.
fn day() -> Vec<Column> {
    let times: Vec<f64> = (0..1_440).map(|k| 1.7e9 + 60.0 * f64::from(k)).collect();
    let a = (0..1_440)
        .map(|k| {
            Some(if k == 700 {
                9.0
            } else {
                2.0 + (f64::from(k) / 90.0).sin()
            })
        })
        .collect();
    let b = (0..1_440)
        .map(|k| (k % 200 >= 5).then(|| 1.0 + (f64::from(k) / 70.0).cos()))
        .collect();
    vec![("web-01", times.clone(), a), ("web-02", times, b)]
}

fn chart(theme: &str) -> Chart {
    let options = ChartOptions::default()
        .merged(serde_json::json!({ "title": "web · loadavg5", "theme": theme, "timeZone": "UTC", "legend": false }))
        .unwrap();
    let mut chart = Chart::new(options).unwrap();
    for (name, times, values) in day() {
        let values = values.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect();
        chart
            .set_series(name, Series::from_arrays(&times, values).unwrap())
            .unwrap();
    }
    chart
}

fn golden(name: &str, png: &[u8]) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/{name}.png"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, png).unwrap();
        return;
    }
    let want = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run UPDATE_GOLDEN=1 cargo test -p sabaplot-render",
            path.display()
        )
    });
    assert!(
        want == png,
        "{name}: the PNG differs from {}",
        path.display()
    );
}

#[test]
fn a_day_in_light_and_dark_and_at_twice_the_pixels_matches_its_golden_png() {
    golden(
        "day-light",
        &render_png(&mut chart("light"), (800, 300), 1.0).unwrap(),
    );
    golden(
        "day-dark",
        &render_png(&mut chart("dark"), (800, 300), 1.0).unwrap(),
    );
    golden(
        "day-light-2x",
        &render_png(&mut chart("light"), (1600, 600), 2.0).unwrap(),
    );
}

#[test]
fn the_command_draws_a_json_file_as_the_library_does_and_explains_bad_calls() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("render-cli");
    std::fs::create_dir_all(&dir).unwrap();
    let series: Vec<serde_json::Value> = day()
        .into_iter()
        .map(|(name, times, values)| serde_json::json!({ "name": name, "times": times, "values": values }))
        .collect();
    let json = dir.join("day.json");
    std::fs::write(&json, serde_json::json!({ "series": series }).to_string()).unwrap();
    let render = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_sabaplot-render"))
            .args(args)
            .output()
            .unwrap()
    };
    let png = dir.join("day.png");
    let out = render(&[
        "--json",
        json.to_str().unwrap(),
        "--out",
        png.to_str().unwrap(),
        "--title",
        "web · loadavg5",
        "--width",
        "800",
        "--height",
        "300",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("2840 points"));
    assert!(
        std::fs::read(&png).unwrap() == render_png(&mut chart("light"), (800, 300), 1.0).unwrap()
    );
    let svg = dir.join("day.svg");
    let out = render(&[
        "--json",
        json.to_str().unwrap(),
        "--out",
        svg.to_str().unwrap(),
        "--theme",
        "dark",
    ]);
    assert!(out.status.success());
    assert!(std::fs::read_to_string(&svg)
        .unwrap()
        .starts_with("<svg width=\"1200\" height=\"400\""));
    for (args, says) in [
        (
            vec!["--json", json.to_str().unwrap(), "--out", "x.gif"],
            "must end in .png or .svg",
        ),
        (
            vec!["--json", "/nonexistent.json", "--out", "x.png"],
            "/nonexistent.json",
        ),
        (vec!["--out", "x.png"], "give --json FILE"),
        (
            vec![
                "--api",
                "mackerel",
                "--base-url",
                "http://127.0.0.1:9",
                "--metric",
                "loadavg5",
                "--out",
                "x.png",
            ],
            "needs --host",
        ),
        (
            vec![
                "--api",
                "prometheus",
                "--base-url",
                "http://127.0.0.1:9",
                "--query",
                "up",
                "--range",
                "forever",
                "--out",
                "x.png",
            ],
            "is not a length",
        ),
        (
            vec![
                "--api",
                "prometheus",
                "--base-url",
                "http://127.0.0.1:9",
                "--query",
                "up",
                "--to",
                "1.7e9",
                "--out",
                "x.png",
            ],
            "could not reach the metrics API",
        ),
        (
            vec![
                "--json",
                json.to_str().unwrap(),
                "--out",
                "x.png",
                "--unit",
                "furlongs",
            ],
            "unit",
        ),
        (
            vec![
                "--api",
                "mackerel",
                "--base-url",
                "http://127.0.0.1:9",
                "--host",
                "..",
                "--metric",
                "m",
                "--out",
                "x.png",
            ],
            "is not a host id",
        ),
        (
            vec![
                "--json",
                json.to_str().unwrap(),
                "--out",
                "x.png",
                "--width",
                "0",
            ],
            "width",
        ),
    ] {
        let out = render(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && stderr.contains(says),
            "{args:?}: {stderr}"
        );
    }
}
