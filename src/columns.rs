//! Thinning for drawing: the visible part of a series reduced to at most four
//! points per pixel column (first, min, max, last — M4), so the drawn line is
//! the same as the full-resolution line and no one-minute spike is lost.
//! Gaps (NaN) break the line; they are never bridged.

use crate::series::Series;

/// One unbroken stretch of the line to draw: (x in pixel columns from the
/// left edge of the plot, value). Ascending in x.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Run {
    pub points: Vec<(f64, f64)>,
}

/// Below this many points per column, the raw points are drawn as they are.
const RAW_POINTS_PER_COLUMN: usize = 4;

/// The line of `series` over the window `[from, to]` for a plot `width` columns
/// wide, as runs separated by gaps. Costs one pass over the points in view.
pub fn m4_runs(series: &Series, from: f64, to: f64, width: usize) -> Vec<Run> {
    // Written so that NaN bounds also return early.
    if width == 0 || to.partial_cmp(&from) != Some(std::cmp::Ordering::Greater) {
        return Vec::new();
    }
    let range = series.index_range(from, to);
    let values = series.values();
    let mut runs = RunBuilder::default();
    if range.len() <= RAW_POINTS_PER_COLUMN * width {
        for i in range {
            let v = values[i];
            if v.is_nan() {
                runs.gap();
            } else {
                runs.push(column_x(series.time_at(i), from, to, width), v);
            }
        }
        return runs.finish();
    }
    let scale = width as f64 / (to - from);
    let x_of = |i: usize| (series.time_at(i) - from) * scale;
    let last_column = width - 1;
    let mut column: Option<ColumnStats> = None;
    let mut gap_since_last_value = false;
    for i in range {
        let v = values[i];
        if v.is_nan() {
            gap_since_last_value = true;
            continue;
        }
        // Truncation is the pixel column; the clamp keeps t == to inside the plot.
        let col = (x_of(i) as usize).min(last_column);
        match column.as_mut() {
            Some(stats) if stats.col == col => stats.add(i, v),
            _ => {
                if let Some(done) = column.take() {
                    done.emit(&mut runs);
                }
                if gap_since_last_value {
                    runs.gap();
                }
                column = Some(ColumnStats::new(col, i, v));
            }
        }
        gap_since_last_value = false;
    }
    if let Some(done) = column {
        done.emit(&mut runs);
    }
    runs.finish()
}

/// Where time `t` falls across a plot `width` columns wide showing
/// `[from, to]`: column `c` spans `[c, c + 1)` in time and is drawn at its
/// centre, so a raw point lands on the column M4 puts it in, and the ends
/// of the window land on the first and last column.
pub fn column_x(t: f64, from: f64, to: f64, width: usize) -> f64 {
    let x = (t - from) / (to - from) * width as f64 - 0.5;
    x.clamp(0.0, width.saturating_sub(1) as f64)
}

/// First, min, max and last value of one pixel column, with the slot index of
/// min and max so they are emitted in time order.
struct ColumnStats {
    col: usize,
    first: f64,
    min: (usize, f64),
    max: (usize, f64),
    last: f64,
}

impl ColumnStats {
    fn new(col: usize, i: usize, v: f64) -> ColumnStats {
        ColumnStats {
            col,
            first: v,
            min: (i, v),
            max: (i, v),
            last: v,
        }
    }

    fn add(&mut self, i: usize, v: f64) {
        if v < self.min.1 {
            self.min = (i, v);
        }
        if v > self.max.1 {
            self.max = (i, v);
        }
        self.last = v;
    }

    fn emit(&self, runs: &mut RunBuilder) {
        let x = self.col as f64;
        let (a, b) = if self.min.0 <= self.max.0 {
            (self.min.1, self.max.1)
        } else {
            (self.max.1, self.min.1)
        };
        for v in [self.first, a, b, self.last] {
            runs.push(x, v);
        }
    }
}

#[derive(Default)]
struct RunBuilder {
    runs: Vec<Run>,
    current: Run,
}

impl RunBuilder {
    fn push(&mut self, x: f64, v: f64) {
        if self.current.points.last() != Some(&(x, v)) {
            self.current.points.push((x, v));
        }
    }

    fn gap(&mut self) {
        if !self.current.points.is_empty() {
            self.runs.push(std::mem::take(&mut self.current));
        }
    }

    fn finish(mut self) -> Vec<Run> {
        self.gap();
        self.runs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Smallest and largest value drawn, or None when nothing is drawn.
    fn value_extent<'a>(runs: impl IntoIterator<Item = &'a Run>) -> Option<(f64, f64)> {
        runs.into_iter()
            .flat_map(|r| r.points.iter().map(|p| p.1))
            .fold(None, |acc, v| match acc {
                None => Some((v, v)),
                Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
            })
    }

    fn minutes(values: &[f64]) -> Series {
        let times: Vec<f64> = (0..values.len()).map(|i| i as f64 * 60.0).collect();
        Series::from_points(&times, values).unwrap()
    }

    /// Brute force: for every column, the min and max of the raw values in it.
    fn column_extents(s: &Series, from: f64, to: f64, width: usize) -> Vec<Option<(f64, f64)>> {
        let mut out = vec![None; width];
        for i in s.index_range(from, to) {
            let v = s.values()[i];
            if v.is_nan() {
                continue;
            }
            let col =
                (((s.time_at(i) - from) * width as f64 / (to - from)) as usize).min(width - 1);
            out[col] = Some(match out[col] {
                None => (v, v),
                Some((lo, hi)) => (f64::min(lo, v), f64::max(hi, v)),
            });
        }
        out
    }

    #[test]
    fn every_column_keeps_its_min_and_max_so_a_one_minute_spike_survives() {
        let mut values: Vec<f64> = (0..100_000).map(|i| (i as f64 * 0.01).sin()).collect();
        values[77_777] = 50.0;
        values[12_345] = -50.0;
        let s = minutes(&values);
        let (from, to) = (s.start(), s.end());
        let runs = m4_runs(&s, from, to, 300);
        assert_eq!(runs.len(), 1, "no gaps in the data, so one run");
        let mut seen = vec![None; 300];
        for &(x, v) in &runs[0].points {
            let col = x as usize;
            seen[col] = Some(match seen[col] {
                None => (v, v),
                Some((lo, hi)) => (f64::min(lo, v), f64::max(hi, v)),
            });
        }
        assert_eq!(seen, column_extents(&s, from, to, 300));
        assert_eq!(value_extent(&runs), Some((-50.0, 50.0)));
        assert!(runs[0].points.len() <= 4 * 300);
    }

    #[test]
    fn a_gap_in_the_data_breaks_the_line_at_every_density() {
        let mut values = vec![1.0; 10_000];
        for v in &mut values[4_000..4_100] {
            *v = f64::NAN;
        }
        let s = minutes(&values);
        for width in [50, 1_000, 20_000] {
            let runs = m4_runs(&s, s.start(), s.end(), width);
            assert_eq!(runs.len(), 2, "width {width}");
        }
    }

    #[test]
    fn zoomed_in_the_raw_points_are_drawn_at_their_own_x() {
        let s = minutes(&[1.0, 2.0, 3.0, 4.0]);
        let runs = m4_runs(&s, 0.0, 180.0, 1_000);
        let xs: Vec<f64> = runs[0].points.iter().map(|p| p.0).collect();
        assert_eq!(xs, vec![0.0, 1000.0 / 3.0 - 0.5, 2000.0 / 3.0 - 0.5, 999.0]);
        // Each raw point rounds to the column M4 would put it in.
        for (k, x) in xs.iter().enumerate() {
            let m4_column = ((k as f64 * 60.0) / 180.0 * 1000.0).floor().min(999.0);
            assert_eq!(x.round(), m4_column);
        }
    }

    #[test]
    fn an_empty_or_inverted_window_draws_nothing() {
        let s = minutes(&[1.0, 2.0]);
        assert!(m4_runs(&s, 60.0, 0.0, 100).is_empty());
        assert!(m4_runs(&s, 0.0, 60.0, 0).is_empty());
        assert!(m4_runs(&s, 1e6, 2e6, 100).is_empty());
        assert_eq!(value_extent(&[]), None);
    }
}
