//! A one-minute spike must survive thinning. Rasterised without
//! antialiasing, the full 1-minute series and its M4 reduction for the same
//! view must give identical pixels — at every zoom level, with planted
//! spikes and gaps.

#![cfg(not(target_arch = "wasm32"))]

use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, DrawingBackend, DrawingErrorKind,
};
use sabaplot::{column_x, m4_runs, slots_drawn, Series};

/// A 1-bit canvas: a pixel is either set or not, lines are Bresenham's.
struct Bitmap {
    width: u32,
    height: u32,
    pixels: Vec<bool>,
}

#[derive(Debug)]
struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("never")
    }
}

impl std::error::Error for Never {}

impl Bitmap {
    fn new(width: u32, height: u32) -> Bitmap {
        Bitmap {
            width,
            height,
            pixels: vec![false; (width * height) as usize],
        }
    }

    fn set(&mut self, (x, y): BackendCoord) {
        if (0..self.width as i32).contains(&x) && (0..self.height as i32).contains(&y) {
            self.pixels[(y as u32 * self.width + x as u32) as usize] = true;
        }
    }

    fn get(&self, x: usize, y: usize) -> bool {
        self.pixels[y * self.width as usize + x]
    }
}

impl DrawingBackend for Bitmap {
    type ErrorType = Never;

    fn get_size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        p: BackendCoord,
        _: BackendColor,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.set(p);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        _: &S,
    ) -> Result<(), DrawingErrorKind<Never>> {
        let (dx, dy) = ((to.0 - from.0).abs(), -(to.1 - from.1).abs());
        let (sx, sy) = ((to.0 - from.0).signum(), (to.1 - from.1).signum());
        let (mut x, mut y, mut err) = (from.0, from.1, dx + dy);
        loop {
            self.set((x, y));
            if (x, y) == to {
                return Ok(());
            }
            let e2 = 2 * err;
            if e2 >= dy {
                err += dy;
                x += sx;
            }
            if e2 <= dx {
                err += dx;
                y += sy;
            }
        }
    }
}

const WIDTH: usize = 1_200;
const HEIGHT: u32 = 400;
const MINUTES: usize = 460 * 1_440;

/// 460 days of 1-minute data: daily cycle and noise, one-minute spikes up
/// and down, single missing minutes and a few long outages.
fn planted_series() -> (Series, Vec<usize>) {
    let mut state = 0x5EED_u64;
    let mut noise = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 1_000) as f64 / 1_000.0
    };
    let mut values: Vec<f64> = (0..MINUTES)
        .map(|i| {
            50.0 + 20.0 * ((i % 1_440) as f64 / 1_440.0 * std::f64::consts::TAU).sin()
                + 5.0 * noise()
        })
        .collect();
    let spikes: Vec<usize> = (0..40).map(|k| 7_919 + k * 16_411).collect();
    for (k, &i) in spikes.iter().enumerate() {
        values[i] = if k % 2 == 0 {
            140.0 + k as f64
        } else {
            -60.0 - k as f64
        };
    }
    for i in (1_000..MINUTES).step_by(4_999) {
        values[i] = f64::NAN;
    }
    for start in [100_000, 333_333, 600_000] {
        values[start..start + 240].fill(f64::NAN);
    }
    let times: Vec<f64> = (0..MINUTES).map(|i| 1.6e9 + 60.0 * i as f64).collect();
    (Series::from_points(&times, &values).unwrap(), spikes)
}

/// Draws polylines (x in columns, value) on a fresh bitmap; a lone point is
/// a pixel.
fn rasterise(runs: &[Vec<(i32, f64)>], (lo, hi): (f64, f64)) -> Bitmap {
    let mut bitmap = Bitmap::new(WIDTH as u32, HEIGHT);
    let row = |v: f64| ((hi - v) / (hi - lo) * (HEIGHT - 1) as f64).round() as i32;
    let style = BackendColor {
        alpha: 1.0,
        rgb: (0, 0, 0),
    };
    for run in runs {
        let path: Vec<BackendCoord> = run.iter().map(|&(x, v)| (x, row(v))).collect();
        if let [p] = path[..] {
            bitmap.draw_pixel(p, style).unwrap();
        } else {
            bitmap.draw_path(path, &style).unwrap();
        }
    }
    bitmap
}

/// The column each minute in the window is drawn in: the column its time
/// falls in, except that in a long view (16 minutes a column or more) the
/// edges between columns move to the nearest multiple of the largest power
/// of two up to an eighth of a column, so a minute close to an edge may be
/// drawn beside it; and minutes less than half a column beyond the window's
/// ends are drawn in its edge columns.
fn drawn_columns(series: &Series, from: f64, to: f64) -> Vec<i32> {
    let range = slots_drawn(series, from, to, WIDTH);
    let exact: Vec<i32> = range
        .clone()
        .map(|i| column_x(series.time_at(i), from, to, WIDTH).round() as i32)
        .collect();
    let eighth = (to - from) / 60.0 / WIDTH as f64 / 8.0;
    if eighth < 2.0 {
        return exact;
    }
    let block = 1 << eighth.log2().floor() as u32;
    let mut drawn = exact.clone();
    for k in 1..exact.len() {
        if exact[k] == exact[k - 1] {
            continue;
        }
        let edge = range.start + k;
        let moved =
            ((edge + block / 2) / block * block).clamp(range.start, range.end) - range.start;
        let side = if moved > k { exact[k - 1] } else { exact[k] };
        drawn[moved.min(k)..moved.max(k)].fill(side);
    }
    drawn
}

/// Every point in the window, as runs broken at gaps, at its column.
fn full_resolution(series: &Series, from: f64, to: f64) -> Vec<Vec<(i32, f64)>> {
    let mut runs = vec![Vec::new()];
    let columns = drawn_columns(series, from, to);
    for (i, x) in slots_drawn(series, from, to, WIDTH).zip(columns) {
        let v = series.values()[i];
        if v.is_nan() {
            runs.push(Vec::new());
        } else {
            runs.last_mut().unwrap().push((x, v));
        }
    }
    runs.retain(|r| !r.is_empty());
    runs
}

#[test]
fn the_m4_reduction_draws_the_same_pixels_as_every_minute_at_every_zoom() {
    let (series, spikes) = planted_series();
    let stats = series.stats(series.start(), series.end()).unwrap();
    let range = (stats.min, stats.max);
    let day = 86_400.0;
    let end = series.end();
    let views = [
        ("460 days", series.start(), end),
        ("90 days", end - 90.0 * day, end),
        ("30 days", end - 30.0 * day, end),
        ("7 days", end - 7.0 * day, end),
        ("1 day", end - day, end),
        ("3 hours", end - day / 8.0, end),
        (
            "an odd window",
            series.start() + 12_345.6,
            series.start() + 3_333_333.3,
        ),
    ];
    for (name, from, to) in views {
        let every_minute = full_resolution(&series, from, to);
        let full = rasterise(&every_minute, range);
        let thinned: Vec<Vec<(i32, f64)>> = m4_runs(&series, from, to, WIDTH)
            .iter()
            .map(|run| {
                run.points
                    .iter()
                    .map(|&(x, v)| (x.round() as i32, v))
                    .collect()
            })
            .collect();
        let drawn_vertices: usize = thinned.iter().map(Vec::len).sum();
        // At most four points per column and unbroken stretch.
        let bound = 4 * (WIDTH + every_minute.len());
        assert!(drawn_vertices <= bound, "{name}: {drawn_vertices} vertices");
        let reduced = rasterise(&thinned, range);
        let differing = (0..full.pixels.len())
            .filter(|&i| full.pixels[i] != reduced.pixels[i])
            .count();
        assert_eq!(differing, 0, "{name}: pixels differ");
        // And every planted spike in view is there, at its own row.
        for &i in &spikes {
            let t = series.time_at(i);
            if t < from || t > to {
                continue;
            }
            let first = slots_drawn(&series, from, to, WIDTH).start;
            let col = drawn_columns(&series, from, to)[i - first] as usize;
            let v = series.values()[i];
            let row = ((range.1 - v) / (range.1 - range.0) * (HEIGHT - 1) as f64).round() as usize;
            assert!(reduced.get(col, row), "{name}: spike at minute {i} drawn");
        }
    }
}
