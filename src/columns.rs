//! Thinning for drawing: the visible part of a series reduced to at most four
//! points per pixel column (first, min, max, last — M4), so the drawn line is
//! the same as the full-resolution line and no one-minute spike is lost.
//! Gaps (NaN) break the line; they are never bridged.

use std::ops::Range;

use crate::series::Series;

/// One unbroken stretch of the line to draw: (x in pixel columns from the
/// left edge of the plot, value). Ascending in x.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Run {
    pub points: Vec<(f64, f64)>,
}

/// Below this many points per column, the raw points are drawn as they are.
const RAW_POINTS_PER_COLUMN: usize = 4;

/// Up to this many points per column, scanning them beats asking the
/// summary (measured by `cargo bench --bench engine`, m4 7-day window).
const SCAN_POINTS_PER_COLUMN: usize = 16;

/// Up to this many slots, a column's stretches are folded in one flat pass
/// over first-level nodes rather than from the coarsest nodes that fit.
const FLAT_SLOTS: usize = 2_048;

/// How the extremes of each column are found; the results are identical.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum M4Strategy {
    /// Whichever is faster for the density of the view.
    Auto,
    /// Look at every point in view.
    Scan,
    /// Ask the level-of-detail summary: O(log n) per column.
    Summary,
    /// As `Auto`, but when the summary is asked, what it will read is read
    /// ahead first (`Pyramid::warm`): slower for one series whose data is in
    /// cache, much faster for many series whose data is not — a chart of
    /// dozens of series.
    AutoCold,
}

/// The line of `series` over the window `[from, to]` for a plot `width`
/// columns wide, as runs separated by gaps: the raw points when there are
/// few, else first, min, max and last of every unbroken stretch in every
/// column. Costs about O(width × log n), whatever the window's length.
pub fn m4_runs(series: &Series, from: f64, to: f64, width: usize) -> Vec<Run> {
    m4_runs_with(series, from, to, width, M4Strategy::Auto)
}

/// `m4_runs` with the way of finding extremes chosen (for tests and benches).
pub fn m4_runs_with(
    series: &Series,
    from: f64,
    to: f64,
    width: usize,
    strategy: M4Strategy,
) -> Vec<Run> {
    let Some(columns) = Columns::new(series, from, to, width) else {
        return Vec::new();
    };
    let values = series.values();
    let mut runs = RunBuilder::default();
    let in_view = columns.range.len();
    runs.current.points.reserve(4 * width.min(in_view));
    if in_view <= RAW_POINTS_PER_COLUMN * width {
        for i in columns.range.clone() {
            let v = values[i];
            if v.is_nan() {
                runs.gap();
            } else {
                runs.push(column_x(series.time_at(i), from, to, width), v);
            }
        }
        return runs.finish();
    }
    let use_summary = match strategy {
        M4Strategy::Auto | M4Strategy::AutoCold => in_view > SCAN_POINTS_PER_COLUMN * width,
        M4Strategy::Scan => false,
        M4Strategy::Summary => true,
    };
    if use_summary && strategy == M4Strategy::AutoCold {
        let edges = (0..width).map(|col| columns.boundary(col));
        series.summary().warm(values, columns.range.clone(), edges);
    }
    let mut start = columns.range.start;
    for col in 0..width {
        let end = columns.boundary(col + 1);
        if use_summary {
            summary_column(series, col, start..end, &mut runs);
        } else {
            scan_column(values, col, start..end, &mut runs);
        }
        start = end;
    }
    runs.finish()
}

/// Where time `t` falls across a plot `width` columns wide showing
/// `[from, to]`: column `c` spans `[c, c + 1)` in time and is drawn at its
/// centre, so a raw point lands on the column M4 puts it in, and the ends
/// of the window land on the first and last column.
pub fn column_x(t: f64, from: f64, to: f64, width: usize) -> f64 {
    // The same arithmetic as `Columns::column_of`, so rounding this x gives
    // exactly the column M4 assigns.
    let x = (t - from) * (width as f64 / (to - from)) - 0.5;
    x.clamp(0.0, width.saturating_sub(1) as f64)
}

/// The pixel columns of a view and the slots that fall in each.
pub(crate) struct Columns<'a> {
    series: &'a Series,
    from: f64,
    scale: f64,
    width: usize,
    /// Slots in view.
    pub range: Range<usize>,
    /// On a grid: its start and step, so slot times need no lookup, and the
    /// slot where column c begins is about `guess_at + c × guess_per`.
    grid: Option<Grid>,
}

#[derive(Clone, Copy)]
struct Grid {
    start: f64,
    step: f64,
    guess_at: f64,
    guess_per: f64,
}

impl<'a> Columns<'a> {
    /// None for an empty plot or a window that is empty, inverted or NaN.
    pub fn new(series: &'a Series, from: f64, to: f64, width: usize) -> Option<Columns<'a>> {
        // Written so that NaN bounds also return None.
        if width == 0 || to.partial_cmp(&from) != Some(std::cmp::Ordering::Greater) {
            return None;
        }
        let scale = width as f64 / (to - from);
        let grid = series.is_regular().then(|| {
            let (start, step) = (series.start(), series.step());
            Grid {
                start,
                step,
                guess_at: (from - start) / step,
                guess_per: 1.0 / (scale * step),
            }
        });
        Some(Columns {
            series,
            from,
            scale,
            width,
            range: series.index_range(from, to),
            grid,
        })
    }

    /// The column slot `i` falls in: truncation of its position, the end of
    /// the window clamped into the last column.
    #[inline]
    pub fn column_of(&self, i: usize) -> usize {
        let t = match self.grid {
            // The same arithmetic as `Series::time_at`.
            Some(g) => g.start + i as f64 * g.step,
            None => self.series.time_at(i),
        };
        (((t - self.from) * self.scale) as usize).min(self.width - 1)
    }

    /// The first slot in view whose column is `col` or later.
    pub fn boundary(&self, col: usize) -> usize {
        let Range { start, end } = self.range;
        if col == 0 {
            return start;
        }
        if col >= self.width {
            return end;
        }
        let guess = match self.grid {
            // Truncated, not rounded up: settling covers the difference.
            Some(g) => (g.guess_at + col as f64 * g.guess_per) as usize,
            None => self.series.index_guess(self.from + col as f64 / self.scale),
        };
        let mut i = guess.clamp(start, end);
        // The guess is off by rounding at most; settle on the exact rule.
        while i > start && self.column_of(i - 1) >= col {
            i -= 1;
        }
        while i < end && self.column_of(i) < col {
            i += 1;
        }
        i
    }
}

/// Emits one column's unbroken stretches using the summary.
fn summary_column(series: &Series, col: usize, slots: Range<usize>, runs: &mut RunBuilder) {
    let (values, summary) = (series.values(), series.summary());
    if slots.len() <= FLAT_SLOTS {
        summary.stretches_flat(values, slots, |first, lo, hi, last| {
            runs.column(values, col, first, lo, hi, last)
        });
        return;
    }
    let Some(whole) = summary.extremes(values, slots.clone()) else {
        return;
    };
    if whole.count == slots.len() {
        runs.column(
            values,
            col,
            slots.start,
            whole.min,
            whole.max,
            slots.end - 1,
        );
        return;
    }
    let mut pos = slots.start;
    while pos < slots.end {
        let first = summary.run_end(pos, slots.end, false);
        if first >= slots.end {
            break;
        }
        let end = summary.run_end(first, slots.end, true);
        if let Some(e) = summary.extremes(values, first..end) {
            runs.column(values, col, first, e.min, e.max, end - 1);
        }
        pos = end;
    }
}

/// Emits one column's unbroken stretches by looking at every point.
fn scan_column(values: &[f64], col: usize, slots: Range<usize>, runs: &mut RunBuilder) {
    let mut stretch: Option<(usize, usize, usize)> = None; // first, min, max
    for i in slots.clone() {
        let v = values[i];
        match (&mut stretch, v.is_nan()) {
            (None, false) => stretch = Some((i, i, i)),
            (Some((_, lo, hi)), false) => {
                if v < values[*lo] {
                    *lo = i;
                }
                if v > values[*hi] {
                    *hi = i;
                }
            }
            (Some((first, lo, hi)), true) => {
                runs.column(values, col, *first, *lo, *hi, i - 1);
                stretch = None;
            }
            (None, true) => {}
        }
    }
    if let Some((first, lo, hi)) = stretch {
        runs.column(values, col, first, lo, hi, slots.end - 1);
    }
}

#[derive(Default)]
struct RunBuilder {
    runs: Vec<Run>,
    current: Run,
    /// Slot of the last point of the last column stretch.
    last_slot: Option<usize>,
}

impl RunBuilder {
    /// One unbroken stretch `first..=last` inside column `col`: its first,
    /// min, max (in time order) and last value, drawn at the column. A slot
    /// without data since the previous stretch breaks the line.
    fn column(
        &mut self,
        values: &[f64],
        col: usize,
        first: usize,
        lo: usize,
        hi: usize,
        last: usize,
    ) {
        if self.last_slot.is_some_and(|prev| first != prev + 1) {
            self.gap();
        }
        let x = col as f64;
        let (a, b) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        for i in [first, a, b, last] {
            self.push(x, values[i]);
        }
        self.last_slot = Some(last);
    }

    fn push(&mut self, x: f64, v: f64) {
        if self.current.points.last() != Some(&(x, v)) {
            self.current.points.push((x, v));
        }
    }

    /// Ends the current run. It is copied out at its exact size and the
    /// buffer, sized for the whole view, is kept for the next run.
    fn gap(&mut self) {
        if !self.current.points.is_empty() {
            self.runs.push(self.current.clone());
            self.current.points.clear();
        }
    }

    fn finish(mut self) -> Vec<Run> {
        if !self.current.points.is_empty() {
            self.runs.push(self.current);
        }
        self.runs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::minutes;
    use crate::testing::{values_with_gaps, Rng};

    /// Smallest and largest value drawn, or None when nothing is drawn.
    fn value_extent<'a>(runs: impl IntoIterator<Item = &'a Run>) -> Option<(f64, f64)> {
        runs.into_iter()
            .flat_map(|r| r.points.iter().map(|p| p.1))
            .fold(None, |acc, v| match acc {
                None => Some((v, v)),
                Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
            })
    }

    /// Per column, the smallest and largest value drawn in it.
    fn extents_of(runs: &[&Run], width: usize) -> Vec<Option<(f64, f64)>> {
        let mut seen = vec![None; width];
        for &(x, v) in runs.iter().flat_map(|r| r.points.iter()) {
            let col = x as usize;
            seen[col] = Some(match seen[col] {
                None => (v, v),
                Some((lo, hi)) => (f64::min(lo, v), f64::max(hi, v)),
            });
        }
        seen
    }

    /// Brute force: for every column, the min and max of the raw values in it.
    fn column_extents(s: &Series, from: f64, to: f64, width: usize) -> Vec<Option<(f64, f64)>> {
        let mut out = vec![None; width];
        for i in s.index_range(from, to) {
            let v = s.values()[i];
            if v.is_nan() {
                continue;
            }
            let scale = width as f64 / (to - from);
            let col = (((s.time_at(i) - from) * scale) as usize).min(width - 1);
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
        assert_eq!(
            extents_of(&[&runs[0]], 300),
            column_extents(&s, from, to, 300)
        );
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
        let scale = 1000.0 / 180.0;
        assert_eq!(
            xs,
            vec![0.0, 60.0 * scale - 0.5, 120.0 * scale - 0.5, 999.0]
        );
        // Each raw point rounds to the column M4 would put it in.
        for (k, x) in xs.iter().enumerate() {
            let m4_column = ((k as f64 * 60.0) / 180.0 * 1000.0).floor().min(999.0);
            assert_eq!(x.round(), m4_column);
        }
    }

    #[test]
    fn m4_from_the_summary_equals_m4_over_the_raw_points_for_random_views() {
        let mut rng = Rng(5);
        for case in 0..150 {
            let n = 100 + rng.below(if case % 10 == 0 { 200_000 } else { 20_000 });
            let s = minutes(&values_with_gaps(&mut rng, n));
            for _ in 0..8 {
                let width = 1 + rng.below(1_500);
                // Windows from a few minutes to beyond both ends of the data.
                let a = rng.below(n + 200) as f64 * 60.0 - 6_000.0;
                let span = (1 + rng.below(n)) as f64 * 60.0 * (0.5 + rng.below(100) as f64 / 100.0);
                let (from, to) = (a, a + span);
                let scan = m4_runs_with(&s, from, to, width, M4Strategy::Scan);
                let summary = m4_runs_with(&s, from, to, width, M4Strategy::Summary);
                let cold = m4_runs_with(&s, from, to, width, M4Strategy::AutoCold);
                let auto = m4_runs_with(&s, from, to, width, M4Strategy::Auto);
                assert_eq!(cold, auto);
                assert_eq!(summary, scan, "n={n} view {from}..{to} width {width}");
                let drawn: Vec<&Run> = scan.iter().collect();
                if s.index_range(from, to).len() > RAW_POINTS_PER_COLUMN * width {
                    assert_eq!(
                        extents_of(&drawn, width),
                        column_extents(&s, from, to, width)
                    );
                }
            }
        }
    }

    #[test]
    fn a_gap_inside_a_column_splits_it_into_two_stretches() {
        // 100 minutes in 10 columns; column 3 holds minutes 30..40 with 34 missing.
        let mut values: Vec<f64> = (0..100).map(|i| i as f64).collect();
        values[34] = f64::NAN;
        let s = minutes(&values);
        for strategy in [M4Strategy::Scan, M4Strategy::Summary] {
            let runs = m4_runs_with(&s, 0.0, 99.0 * 60.0 + 59.0, 10, strategy);
            assert_eq!(runs.len(), 2);
            assert_eq!(runs[0].points.last(), Some(&(3.0, 33.0)));
            assert_eq!(runs[1].points.first(), Some(&(3.0, 35.0)));
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
