//! Thinning for drawing: the visible part of a series reduced to at most four
//! points per pixel column (first, min, max, last — M4), so the drawn line is
//! the same as the full-resolution line and no one-minute spike is lost.
//! Gaps (NaN) break the line; they are never bridged. In a long view the
//! edges between columns are rounded to whole blocks of the summary
//! (`Columns::snap_for`): a point that close to an edge is drawn in the
//! column beside it, at most a sixteenth of a pixel from where it falls.
//!
//! One idea over 400 lines (nearly half of them tests against brute force):
//! M4 over the summary and over raw points, which must give the same line.

use std::ops::Range;

use crate::pyramid::Stretch;
use crate::series::Series;
use crate::transform::column_x;

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
    m4_runs_in(series, from, to, width, strategy, 0..width)
}

/// `m4_runs_with` for the pixel columns `cols` of the window only: the same
/// columns, holding the same points, as the whole window's (a pan that
/// keeps the rest of its picture draws just the columns it reveals). The
/// line starts afresh at `cols.start`: the join from the column before it
/// is not there; zoomed in, where raw points are drawn, the points just
/// outside `cols` are, so that segments crossing its ends are whole.
pub fn m4_runs_in(
    series: &Series,
    from: f64,
    to: f64,
    width: usize,
    strategy: M4Strategy,
    cols: Range<usize>,
) -> Vec<Run> {
    let cols = cols.start.min(width)..cols.end.min(width);
    m4_runs_into(
        series,
        from,
        to,
        width,
        strategy,
        cols,
        RunBuilder::default(),
    )
}

fn m4_runs_into(
    series: &Series,
    from: f64,
    to: f64,
    width: usize,
    strategy: M4Strategy,
    cols: Range<usize>,
    mut runs: RunBuilder,
) -> Vec<Run> {
    let Some(columns) = Columns::new(series, from, to, width) else {
        return Vec::new();
    };
    let values = series.values();
    let in_view = columns.range.len();
    runs.current.points.reserve(4 * cols.len().min(in_view));
    if in_view <= RAW_POINTS_PER_COLUMN * width {
        // A part's segments reach to the points just outside it.
        let slots = if cols == (0..width) {
            columns.range.clone()
        } else {
            let Range { start, end } = columns.range;
            let first = columns.boundary(cols.start).saturating_sub(1).max(start);
            first..(columns.boundary(cols.end) + 1).min(end)
        };
        for i in slots {
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
    // Where each column begins, and where the last one ends.
    let bounds: Vec<usize> = (cols.start..=cols.end)
        .map(|col| columns.boundary(col))
        .collect();
    if use_summary && strategy == M4Strategy::AutoCold {
        series
            .summary()
            .warm(values, bounds[..cols.len()].iter().copied());
    }
    for (col, w) in (cols.start..).zip(bounds.windows(2)) {
        let (start, end) = (w[0], w[1]);
        if use_summary {
            summary_column(series, col, start..end, &mut runs);
        } else {
            scan_column(values, col, start..end, &mut runs);
        }
    }
    runs.finish()
}

/// The slots the columns of `[from, to]` hold, `width` columns wide: those
/// in the window, and those less than half a column beyond either end, in
/// the edge column there. A drawn window is moved to whole columns by less
/// than half a column (`crate::transform::snap_view`): what the window
/// asked for is drawn, to its ends.
pub fn slots_drawn(series: &Series, from: f64, to: f64, width: usize) -> Range<usize> {
    let half = (to - from) / width.max(1) as f64 / 2.0;
    series.index_range(from - half, to + half)
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
    /// Slots a column edge inside the window is rounded to (a power of two;
    /// 1 leaves edges exact). See `Columns::snap_for`.
    snap: usize,
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
            range: slots_drawn(series, from, to, width),
            snap: grid.map_or(1, |g| Columns::snap_for(g.guess_per)),
            grid,
        })
    }

    /// How far the edges between columns may move, for a grid with
    /// `per_column` slots a column: to the nearest multiple of the largest
    /// power of two that is at most an eighth of a column. A point at most
    /// half of that, a sixteenth of a column, from an edge may then be
    /// drawn in the neighbouring column: a sixteenth of a pixel off, on a
    /// line whose points are all drawn at column centres anyway. In return
    /// the columns of a long view cover whole nodes of the summary and are
    /// folded from its node arrays alone, never from the values at ragged
    /// edges; with dozens of long series out of cache, those reads were
    /// most of a frame.
    fn snap_for(per_column: f64) -> usize {
        let eighth = per_column / 8.0;
        if eighth >= 2.0 {
            1 << (eighth.log2().floor() as u32).min(usize::BITS - 2)
        } else {
            1
        }
    }

    /// The column slot `i` (in the window) is drawn in: where it falls,
    /// or a neighbour when a rounded edge (`snap_for`) moved it there.
    #[cfg(test)]
    pub fn column_of(&self, i: usize) -> usize {
        let col = self.exact_column_of(i);
        if col > 0 && i < self.boundary(col) {
            col - 1
        } else if col + 1 < self.width && i >= self.boundary(col + 1) {
            col + 1
        } else {
            col
        }
    }

    /// The column slot `i` falls in: truncation of its position, the end of
    /// the window clamped into the last column.
    #[inline]
    fn exact_column_of(&self, i: usize) -> usize {
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
        while i > start && self.exact_column_of(i - 1) >= col {
            i -= 1;
        }
        while i < end && self.exact_column_of(i) < col {
            i += 1;
        }
        if i == start || i == end {
            // Past the data's end, or before its start: columns there hold
            // no slot, and rounding would pull in slots from far away.
            return i;
        }
        ((i + self.snap / 2) & !(self.snap - 1)).clamp(start, end)
    }
}

/// Emits one column's unbroken stretches using the summary.
fn summary_column(series: &Series, col: usize, slots: Range<usize>, runs: &mut RunBuilder) {
    let (values, summary) = (series.values(), series.summary());
    if slots.len() <= FLAT_SLOTS {
        if let Some(stretch) = summary.dense_stretch(values, slots.clone()) {
            runs.column(values, col, &stretch);
            return;
        }
        summary.stretches_flat(values, slots, |stretch| runs.column(values, col, stretch));
        return;
    }
    let Some(whole) = summary.extremes(values, slots.clone()) else {
        return;
    };
    if whole.count == slots.len() {
        runs.column(
            values,
            col,
            &stretch_at(values, slots.start, whole, slots.end - 1),
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
            runs.column(values, col, &stretch_at(values, first, e, end - 1));
        }
        pos = end;
    }
}

/// The stretch `first..=last` whose extremes are at `extremes`.
fn stretch_at(
    values: &[f64],
    first: usize,
    extremes: impl Into<(usize, usize)>,
    last: usize,
) -> Stretch {
    let (lo, hi) = extremes.into();
    Stretch {
        first,
        last,
        lo,
        lo_value: values[lo],
        hi,
        hi_value: values[hi],
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
                runs.column(values, col, &stretch_at(values, *first, (*lo, *hi), i - 1));
                stretch = None;
            }
            (None, true) => {}
        }
    }
    if let Some((first, lo, hi)) = stretch {
        runs.column(
            values,
            col,
            &stretch_at(values, first, (lo, hi), slots.end - 1),
        );
    }
}

#[derive(Default)]
struct RunBuilder {
    runs: Vec<Run>,
    current: Run,
    /// Slot of the last point of the last column stretch.
    last_slot: Option<usize>,
    /// The last column stretch, whose last value is drawn only if the join
    /// to the next one needs it.
    open: Option<Column>,
    /// Draw every join as it is, hidden or not (tests compare the two).
    keep_joins: bool,
}

/// A column stretch as drawn: its column, value range, first and last
/// value, and where the drawing of its vertical bar ended.
#[derive(Clone, Copy)]
struct Column {
    x: f64,
    lo: f64,
    hi: f64,
    first: f64,
    last: f64,
    end: f64,
}

impl Column {
    /// Whether the segment from `a` in this column to `b` in the next
    /// adds nothing to the two vertical bars from min to max: its half in
    /// each column stays inside that column's bar, which holds exactly when
    /// its midpoint lies in both.
    fn join_hidden(&self, next: &Column, a: f64, b: f64) -> bool {
        let mid = (a + b) / 2.0;
        let inside = |c: &Column| c.lo <= mid && mid <= c.hi;
        next.x == self.x + 1.0 && inside(self) && inside(next)
    }
}

impl RunBuilder {
    /// One unbroken stretch inside column `col`: drawn as its first, min,
    /// max (in time order) and last value at the column. A slot without
    /// data since the previous stretch breaks the line.
    ///
    /// Between two neighbouring columns, the true line joins the last value
    /// of one to the first of the next. When that join hides inside the two
    /// columns' vertical bars, so that it adds no ink, the two values are
    /// left out and the bars are joined end to start instead, the next bar
    /// drawn upwards or downwards so that this join hides too: the pixels
    /// are the same, and a dense view draws two vertices a column, not four.
    fn column(&mut self, values: &[f64], col: usize, s: &Stretch) {
        if self.last_slot.is_some_and(|prev| s.first != prev + 1) {
            self.gap();
        }
        let extremes = if s.lo <= s.hi {
            [s.lo_value, s.hi_value]
        } else {
            [s.hi_value, s.lo_value]
        };
        let mut column = Column {
            x: col as f64,
            lo: s.lo_value,
            hi: s.hi_value,
            first: values[s.first],
            last: values[s.last],
            end: extremes[1],
        };
        let bar = match self.open.take() {
            Some(prev)
                if !self.keep_joins && prev.join_hidden(&column, prev.last, column.first) =>
            {
                let [a, b] = extremes;
                if prev.join_hidden(&column, prev.end, a) {
                    Some([a, b])
                } else if prev.join_hidden(&column, prev.end, b) {
                    Some([b, a])
                } else {
                    self.push(prev.x, prev.last);
                    None
                }
            }
            Some(prev) => {
                self.push(prev.x, prev.last);
                None
            }
            None => None,
        };
        let bar = bar.unwrap_or_else(|| {
            self.push(column.x, column.first);
            extremes
        });
        for v in bar {
            self.push(column.x, v);
        }
        column.end = bar[1];
        self.open = Some(column);
        self.last_slot = Some(s.last);
    }

    fn push(&mut self, x: f64, v: f64) {
        if self.current.points.last() != Some(&(x, v)) {
            self.current.points.push((x, v));
        }
    }

    /// Draws the open column's last value.
    fn close_column(&mut self) {
        if let Some(prev) = self.open.take() {
            self.push(prev.x, prev.last);
        }
    }

    /// Ends the current run. It is copied out at its exact size and the
    /// buffer, sized for the whole view, is kept for the next run.
    fn gap(&mut self) {
        self.close_column();
        if !self.current.points.is_empty() {
            self.runs.push(self.current.clone());
            self.current.points.clear();
        }
    }

    fn finish(mut self) -> Vec<Run> {
        self.close_column();
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
        let columns = Columns::new(s, from, to, width).unwrap();
        let mut out = vec![None; width];
        for i in columns.range.clone() {
            let v = s.values()[i];
            if v.is_nan() {
                continue;
            }
            let col = columns.column_of(i);
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
                if slots_drawn(&s, from, to, width).len() > RAW_POINTS_PER_COLUMN * width {
                    assert_eq!(
                        extents_of(&drawn, width),
                        column_extents(&s, from, to, width)
                    );
                }
            }
        }
    }

    /// Per column, the lowest and highest value a 1-px line through the
    /// runs inks: a vertical segment inks its span, a sloped one inks each
    /// column it crosses from where it enters to where it leaves.
    fn ink(runs: &[Run], width: usize) -> Vec<Option<(f64, f64)>> {
        let mut ink = vec![None; width];
        let mut mark = |col: f64, a: f64, b: f64| {
            let c = &mut ink[col as usize];
            let (lo, hi) = (a.min(b), a.max(b));
            *c = Some(c.map_or((lo, hi), |(l, h): (f64, f64)| (l.min(lo), h.max(hi))));
        };
        for run in runs {
            if let [(x, v)] = run.points[..] {
                mark(x, v, v);
            }
            for w in run.points.windows(2) {
                let ((x1, v1), (x2, v2)) = (w[0], w[1]);
                if x1 == x2 {
                    mark(x1, v1, v2);
                    continue;
                }
                let at = |x: f64| v1 + (v2 - v1) * (x - x1) / (x2 - x1);
                let mut x = x1;
                while x <= x2 {
                    mark(x, at((x - 0.5).max(x1)), at((x + 0.5).min(x2)));
                    x += 1.0;
                }
            }
        }
        ink
    }

    #[test]
    fn leaving_out_hidden_joins_inks_the_same_pixels_with_fewer_vertices() {
        let mut rng = Rng(23);
        let (mut kept, mut thinned) = (0, 0);
        for case in 0..60 {
            let n = 2_000 + rng.below(60_000);
            // A daily cycle with noise, steps now and then, and gaps: many
            // in one case of four, a few long ones in the others.
            let mut values = if case % 4 == 0 {
                values_with_gaps(&mut rng, n)
            } else {
                let mut v: Vec<f64> = (0..n).map(|_| rng.below(1_000) as f64 - 500.0).collect();
                for _ in 0..rng.below(4) {
                    let a = rng.below(n);
                    v[a..(a + rng.below(3_000)).min(n)].fill(f64::NAN);
                }
                v
            };
            let step_every = 1 + rng.below(5_000);
            for (i, v) in values.iter_mut().enumerate() {
                let cycle = 300.0 * (i as f64 / 1_440.0 * std::f64::consts::TAU).sin();
                *v = *v / if case % 3 == 0 { 1.0 } else { 50.0 }
                    + cycle
                    + (i / step_every % 3) as f64 * 400.0;
            }
            let s = minutes(&values);
            for _ in 0..5 {
                let width = 50 + rng.below(1_200);
                let from = rng.below(n / 2) as f64 * 60.0;
                let to = from + (1 + rng.below(n)) as f64 * 60.0;
                let thin = m4_runs(&s, from, to, width);
                let keep = RunBuilder {
                    keep_joins: true,
                    ..RunBuilder::default()
                };
                let full = m4_runs_into(&s, from, to, width, M4Strategy::Auto, 0..width, keep);
                let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * (1.0 + a.abs());
                for (col, (t, f)) in ink(&thin, width).iter().zip(ink(&full, width)).enumerate() {
                    let same = match (t, f) {
                        (Some((a, b)), Some((c, d))) => close(*a, c) && close(*b, d),
                        (t, f) => *t == f,
                    };
                    assert!(
                        same,
                        "n={n} {from}..{to} width {width} column {col}: {t:?} vs {f:?}"
                    );
                }
                assert_eq!(thin.len(), full.len(), "the same gaps break the line");
                thinned += thin.iter().map(|r| r.points.len()).sum::<usize>();
                kept += full.iter().map(|r| r.points.len()).sum::<usize>();
            }
        }
        assert!(thinned < kept, "{thinned} vertices of {kept}");
        // A dense view of noisy data: about two vertices a column.
        let noisy: Vec<f64> = (0..200_000).map(|_| rng.below(1_000) as f64).collect();
        let s = minutes(&noisy);
        let runs = m4_runs(&s, s.start(), s.end(), 1_000);
        assert!(
            runs[0].points.len() < 2_100,
            "{} vertices",
            runs[0].points.len()
        );
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
    fn column_edges_move_by_at_most_a_sixteenth_of_a_column_and_only_in_long_views() {
        let mut rng = Rng(31);
        let mut moved = 0;
        for _ in 0..200 {
            let n = 100 + rng.below(100_000);
            let s = minutes(&vec![1.0; n]);
            let width = 1 + rng.below(1_500);
            let a = rng.below(n + 200) as f64 * 60.0 - 6_000.0;
            let span = (1 + rng.below(2 * n)) as f64 * 60.0;
            let (from, to) = (a, a + span);
            let columns = Columns::new(&s, from, to, width).unwrap();
            let per_column = span / 60.0 / width as f64;
            let mut last = 0;
            for i in columns.range.clone() {
                let (drawn, exact) = (columns.column_of(i), columns.exact_column_of(i));
                assert!(drawn >= last, "columns run left to right");
                last = drawn;
                if drawn == exact {
                    continue;
                }
                moved += 1;
                assert!(
                    per_column >= 16.0,
                    "{per_column} slots a column: exact edges"
                );
                assert_eq!(drawn.abs_diff(exact), 1);
                // How far, in columns, the slot is from the edge it crossed.
                let x = (s.time_at(i) - from) * width as f64 / span;
                let edge = drawn.max(exact) as f64;
                assert!(
                    (x - edge).abs() <= 1.0 / 16.0,
                    "slot {i} at {x} drawn in {drawn}"
                );
            }
            // Inside a long view the edges fall between whole summary nodes.
            if per_column >= 8.0 * 64.0 {
                for col in 1..width {
                    let edge = columns.boundary(col);
                    let inside = columns.range.start < edge && edge < columns.range.end;
                    assert!(
                        !inside || edge.is_multiple_of(64),
                        "edge {edge} of column {col}"
                    );
                }
            }
        }
        assert!(moved > 0, "some edges moved");
    }

    #[test]
    fn columns_of_a_part_of_the_window_hold_what_the_whole_windows_do() {
        let mut rng = Rng(11);
        let mut values: Vec<f64> = (0..50_000).map(|_| rng.below(1_000) as f64).collect();
        for i in (7_000..7_040).chain(30_001..30_002) {
            values[i] = f64::NAN;
        }
        let s = minutes(&values);
        // Dense (summary and scan) and sparse (raw points) views.
        for (from, to, width) in [(0.0, 3e6, 1_000), (6e4, 5e5, 700), (4e5, 4.2e5, 900)] {
            let whole = m4_runs(&s, from, to, width);
            let points = |runs: &[Run], cols: Range<usize>| -> Vec<(f64, f64)> {
                runs.iter()
                    .flat_map(|r| r.points.iter().copied())
                    .filter(|&(x, _)| cols.contains(&(x.round() as usize)))
                    .collect()
            };
            for cols in [0..width, 0..40, 300..341, width - 40..width, 5..5] {
                let part = m4_runs_in(&s, from, to, width, M4Strategy::Auto, cols.clone());
                // The part's first column starts the line afresh (no join
                // from the column before); inside, the same ink, and where
                // raw points are drawn, the same points.
                let inner = cols.start + 1..cols.end.saturating_sub(1);
                let (a, b) = (ink(&part, width), ink(&whole, width));
                for c in inner.clone() {
                    assert_eq!(
                        a[c], b[c],
                        "{from}..{to} width {width} columns {cols:?}: {c}"
                    );
                }
                if slots_drawn(&s, from, to, width).len() <= RAW_POINTS_PER_COLUMN * width {
                    assert_eq!(points(&part, inner.clone()), points(&whole, inner));
                    continue;
                }
                assert!(part.iter().flat_map(|r| &r.points).all(|&(x, _)| {
                    let c = x.round() as usize;
                    cols.contains(&c) || (c + 1 == cols.start) || c == cols.end
                }));
            }
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
