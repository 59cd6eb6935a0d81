//! The engine kernels, on 460 days of 1-minute data (662,400 points), timed
//! natively by criterion (`benches/engine.rs`) and in wasm by Node
//! (`benches/wasm`), so both measure exactly the same work.

use std::hint::black_box;

use sabaplot::raster::Raster;
use sabaplot::{downsample, envelope, m4_runs, m4_runs_with, M4Strategy, Pyramid, Series};

/// Points in 460 days of 1-minute data.
pub const POINTS: usize = 460 * 1_440;
/// Plot width in pixel columns.
pub const WIDTH: usize = 1_200;
/// First timestamp (epoch seconds).
pub const START: f64 = 1.7e9;

/// Kernel names, in the order they are reported.
pub const KERNELS: [&str; 17] = [
    "build_summary",
    "m4_full_range",
    "m4_full_range_32_series",
    "m4_full_range_32_series_nowarm",
    "warm_32_series",
    "m4_90_days",
    "m4_30_days",
    "m4_7_days",
    "m4_1_day",
    "raster_30_days_32_series",
    "stats_full_range",
    "append_minute",
    "envelope_full_range",
    "downsample_m4",
    "downsample_minmax",
    "downsample_lttb",
    "downsample_minmax_lttb",
];

/// The data every kernel works on.
pub struct Data {
    pub times: Vec<f64>,
    pub values: Vec<f64>,
    pub series: Series,
    /// 32 series as a full dashboard graph holds them: the same kind of
    /// data, each rotated so their extremes fall elsewhere. Made on first use.
    many: Vec<Series>,
    /// The 32 series' lines over the last 30 days as device pixels of a
    /// WIDTH × ROWS plot (M4, one path a run), and the raster they are
    /// drawn into. Made on first use.
    lines: Vec<Vec<(i32, i32)>>,
    raster: Raster,
    next_minute: usize,
}

/// Plot height in device pixels.
pub const ROWS: u32 = 400;

/// Series in a full graph.
pub const MANY: usize = 32;

impl Data {
    fn many(&mut self) -> &[Series] {
        if self.many.is_empty() {
            self.many = (0..MANY)
                .map(|s| {
                    let mut values = self.values.clone();
                    values.rotate_left(s * 9_973);
                    Series::from_arrays(&self.times, values).expect("generated data is valid")
                })
                .collect();
        }
        &self.many
    }

    fn lines(&mut self) -> (&[Vec<(i32, i32)>], &mut Raster) {
        if self.lines.is_empty() {
            let to = self.series.end();
            let from = to - 30.0 * 86_400.0;
            let row = |v: f64| (f64::from(ROWS) - 1.0 - v.clamp(0.0, 399.0)) as i32;
            self.lines = self
                .many()
                .iter()
                .flat_map(|s| m4_runs(s, from, to, WIDTH))
                .map(|run| {
                    run.points
                        .iter()
                        .map(|&(x, v)| (x as i32, row(v)))
                        .collect()
                })
                .collect();
        }
        (&self.lines, &mut self.raster)
    }
}

/// Daily and weekly cycles, noise, one-minute spikes and missing minutes —
/// deterministic, so native and wasm runs see the same numbers.
pub fn data() -> Data {
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    let mut noise = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let day = std::f64::consts::TAU / 1_440.0;
    let times: Vec<f64> = (0..POINTS).map(|i| START + 60.0 * i as f64).collect();
    let values: Vec<f64> = (0..POINTS)
        .map(|i| {
            let r = noise();
            if r < 0.0002 {
                f64::NAN
            } else if r > 0.99995 {
                400.0 * r // a spike
            } else {
                40.0 + 15.0 * (i as f64 * day).sin() + 5.0 * (i as f64 * day / 7.0).cos() + 8.0 * r
            }
        })
        .collect();
    let series = Series::from_points(&times, &values).expect("generated data is valid");
    Data {
        times,
        values,
        series,
        many: Vec::new(),
        lines: Vec::new(),
        raster: Raster::new(),
        next_minute: POINTS,
    }
}

/// Runs kernel `name` once; returns a number derived from the result so
/// the work cannot be optimised away.
pub fn run(name: &str, data: &mut Data) -> f64 {
    let (from, to) = (data.series.start(), data.series.end());
    let days = |n: f64| to - n * 86_400.0;
    let checksum = |indices: Result<Vec<usize>, downsample::Error>| {
        indices.map_or(f64::NAN, |i| i.len() as f64)
    };
    match name {
        "build_summary" => Pyramid::build(black_box(&data.values)).len() as f64,
        "m4_full_range" => m4_runs(&data.series, from, to, WIDTH).len() as f64,
        "m4_full_range_32_series" => data
            .many()
            .iter()
            .map(|s| m4_runs_with(s, from, to, WIDTH, M4Strategy::AutoCold).len() as f64)
            .sum(),
        "m4_full_range_32_series_nowarm" => data
            .many()
            .iter()
            .map(|s| m4_runs_with(s, from, to, WIDTH, M4Strategy::Auto).len() as f64)
            .sum(),
        "warm_32_series" => {
            let bounds: Vec<usize> = (0..WIDTH).map(|c| c * POINTS / WIDTH).collect();
            data.many()
                .iter()
                .map(|s| {
                    s.summary().warm(s.values(), bounds.iter().copied());
                    1.0
                })
                .sum()
        }
        "raster_30_days_32_series" => {
            let (lines, raster) = data.lines();
            raster.reset(WIDTH as u32, ROWS);
            for (i, line) in lines.iter().enumerate() {
                raster.stroke(black_box(line), (i as u8, 100, 200), 1.0, 1);
            }
            let rows = raster.dirty().map_or(0, |d| d.y.1 - d.y.0);
            raster.clear_dirty();
            rows as f64
        }
        "m4_90_days" => m4_runs(&data.series, days(90.0), to, WIDTH).len() as f64,
        "m4_30_days" => m4_runs(&data.series, days(30.0), to, WIDTH).len() as f64,
        "m4_7_days" => m4_runs(&data.series, days(7.0), to, WIDTH).len() as f64,
        "m4_1_day" => m4_runs(&data.series, days(1.0), to, WIDTH).len() as f64,
        "stats_full_range" => data.series.stats(from, to).map_or(0.0, |s| s.avg),
        "append_minute" => {
            let t = START + 60.0 * data.next_minute as f64;
            data.next_minute += 1;
            let _ = data.series.push(t, 42.0);
            data.series.len() as f64
        }
        "envelope_full_range" => envelope(&data.series, from, to, WIDTH).len() as f64,
        "downsample_m4" => checksum(downsample::m4(&data.times, &data.values, 4 * WIDTH)),
        "downsample_minmax" => checksum(downsample::minmax(&data.times, &data.values, 2 * WIDTH)),
        "downsample_lttb" => checksum(downsample::lttb(&data.times, &data.values, WIDTH)),
        "downsample_minmax_lttb" => {
            checksum(downsample::minmax_lttb(&data.times, &data.values, WIDTH, 4))
        }
        _ => f64::NAN,
    }
}

/// Bytes a point takes: the value itself plus its share of the summary.
pub fn bytes_per_point(data: &Data) -> f64 {
    8.0 + data.series.summary().heap_bytes() as f64 / data.series.len() as f64
}
