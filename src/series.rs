//! Columnar store of one metric series: values (f64, NaN = no data) on a
//! regular time grid (start + i × step, the 1-minute case) or at sorted
//! irregular timestamps, kept together with their level-of-detail summary.
//! Chunks may arrive in any order and overlap; the newest point wins.
//! Never panics on input: every way in returns a `SeriesError` instead.
//!
//! One idea over 400 lines (a third of them tests): the series and every
//! way points get into it (arrays, grids, chunks, merges), which share its
//! invariants and must not be read apart.

use std::fmt;
use std::ops::Range;

use crate::limits::{Limit, LimitError, MAX_POINTS_PER_SERIES as MAX_SLOTS};
use crate::pyramid::Pyramid;

/// Step used when a series holds a single timestamp and no spacing can be seen.
const DEFAULT_STEP: f64 = 60.0;

/// A grid may be this many times longer than the points it holds; sparser
/// data is kept at its own timestamps rather than padded with gaps.
const MAX_GRID_SPARSENESS: usize = 4;

/// How far (in steps) a timestamp may sit from a grid slot and still be on it.
const GRID_TOLERANCE: f64 = 1e-6;

/// Where the values sit in time.
#[derive(Clone, Debug, PartialEq)]
enum Times {
    /// Slot i is at `start + i × step`.
    Grid { start: f64, step: f64 },
    /// Value i is at `times[i]`; strictly ascending.
    Points(Vec<f64>),
}

/// A metric series with its summary; NaN values are gaps.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    times: Times,
    values: Vec<f64>,
    summary: Pyramid,
}

/// Why points could not be turned into a series.
#[derive(Clone, Debug, PartialEq)]
pub enum SeriesError {
    LengthMismatch { times: usize, values: usize },
    Empty,
    BadTime { index: usize, time: f64 },
    TooLong { slots: f64 },
}

impl fmt::Display for SeriesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeriesError::LengthMismatch { times, values } => write!(
                f,
                "series has {times} timestamps but {values} values; they must be the same length"
            ),
            SeriesError::Empty => write!(f, "series has no data points in the requested range"),
            SeriesError::BadTime { index, time } => write!(
                f,
                "point {index} has timestamp {time}: {}",
                LimitError {
                    limit: Limit::Time,
                    value: *time
                }
            ),
            SeriesError::TooLong { slots } => write!(
                f,
                "series would span {slots:.0} time steps: {}",
                LimitError {
                    limit: Limit::PointsPerSeries,
                    value: *slots
                }
            ),
        }
    }
}

impl std::error::Error for SeriesError {}

/// Whether times, seen a block at a time, are exactly `start + k × step`:
/// what a grid series asks of its times, for times that need never be held
/// whole (a long array of minutes is read through a small buffer).
#[derive(Clone, Debug)]
pub struct GridProbe {
    start: f64,
    step: f64,
    len: usize,
    seen: usize,
}

impl GridProbe {
    /// The grid the first times of `len` (at least the first two, when
    /// there are two) set, when it is one a series can have; None when they
    /// set none (empty, not increasing, out of range).
    pub fn new(first: &[f64], len: usize) -> Option<GridProbe> {
        let start = *first.first()?;
        if len == 0 {
            return None;
        }
        let step = match first.get(1) {
            Some(&second) if len > 1 => second - start,
            _ if len > 1 => return None,
            _ => DEFAULT_STEP,
        };
        let last = start + (len - 1) as f64 * step;
        let usable = step.is_finite()
            && step > 0.0
            && len <= MAX_SLOTS
            && Limit::Time.check(start).is_ok()
            && Limit::Time.check(last).is_ok();
        usable.then_some(GridProbe {
            start,
            step,
            len,
            seen: 0,
        })
    }

    /// The grid of the whole of `times`, when they lie on one.
    fn of(times: &[f64]) -> Option<GridProbe> {
        let mut probe = GridProbe::new(times, times.len())?;
        probe.holds(times).then_some(probe)
    }

    /// Whether `block`, the next times in order, lies on the grid.
    pub fn holds(&mut self, block: &[f64]) -> bool {
        let (start, step, seen) = (self.start, self.step, self.seen);
        self.seen += block.len();
        self.seen <= self.len
            && block
                .iter()
                .enumerate()
                .all(|(k, &t)| t == start + (seen + k) as f64 * step)
    }

    /// How many times the grid holds.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Checks lengths and timestamps, and gives the order of the points in time
/// (None when they already are in order, the usual case: no permutation).
fn check_points(times: &[f64], values: &[f64]) -> Result<Option<Vec<usize>>, SeriesError> {
    if times.len() != values.len() {
        return Err(SeriesError::LengthMismatch {
            times: times.len(),
            values: values.len(),
        });
    }
    if times.is_empty() {
        return Err(SeriesError::Empty);
    }
    if times.len() > MAX_SLOTS {
        return Err(SeriesError::TooLong {
            slots: times.len() as f64,
        });
    }
    if let Some(index) = times.iter().position(|&t| Limit::Time.check(t).is_err()) {
        return Err(SeriesError::BadTime {
            index,
            time: times[index],
        });
    }
    if times.windows(2).all(|w| w[0] <= w[1]) {
        return Ok(None);
    }
    let mut p: Vec<usize> = (0..times.len()).collect();
    // Stable, so among equal timestamps the input order survives.
    p.sort_by(|&a, &b| times[a].total_cmp(&times[b]));
    Ok(Some(p))
}

/// Whether a grid may grow to `slots` slots for `held` slots of input:
/// a grid stays at most `MAX_GRID_SPARSENESS` times longer than what made
/// it, so two small chunks far apart never allocate the time between them
/// (they are kept at their own timestamps instead).
fn grid_may_span(slots: f64, held: usize) -> bool {
    slots <= MAX_SLOTS as f64 && slots <= held.saturating_mul(MAX_GRID_SPARSENESS).max(1024) as f64
}

/// A stored value: non-finite values are gaps.
fn sanitise(v: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        f64::NAN
    }
}

impl Series {
    /// A series from (time, value) points in any order. Non-finite values
    /// become gaps; on duplicate timestamps the point later in the input wins.
    /// Points on a regular grid are stored as a grid (the 1-minute case);
    /// others at their own timestamps.
    pub fn from_points(times: &[f64], values: &[f64]) -> Result<Series, SeriesError> {
        let order = check_points(times, values)?;
        if order.is_none() {
            if let Some(step) = Series::exact_step(times) {
                return Ok(Series::on_exact_grid(times[0], step, values.to_vec()));
            }
        }
        let at = |k: usize| order.as_ref().map_or(k, |p| p[k]);
        let n = times.len();
        let (start, end) = (times[at(0)], times[at(n - 1)]);
        let step = (1..n)
            .map(|k| times[at(k)] - times[at(k - 1)])
            .filter(|d| *d > 0.0)
            .fold(f64::INFINITY, f64::min);
        let step = if step.is_finite() { step } else { DEFAULT_STEP };
        let slots = ((end - start) / step).round() + 1.0;
        let on_grid = (0..n).all(|k| {
            let offset = (times[at(k)] - start) / step;
            (offset - offset.round()).abs() <= GRID_TOLERANCE
        });
        // `slots` is NaN or infinite only for absurd inputs; both fail here.
        let grid_fits = grid_may_span(slots, n);
        if on_grid && grid_fits {
            let mut grid = vec![f64::NAN; slots as usize];
            for i in (0..n).map(at) {
                let slot = ((times[i] - start) / step).round() as usize;
                grid[slot] = values[i];
            }
            return Ok(Series::new(Times::Grid { start, step }, grid));
        }
        if n > MAX_SLOTS {
            return Err(SeriesError::TooLong { slots: n as f64 });
        }
        let mut out_times: Vec<f64> = Vec::with_capacity(n);
        let mut out_values: Vec<f64> = Vec::with_capacity(n);
        for i in (0..n).map(at) {
            let v = values[i];
            if out_times.last() == Some(&times[i]) {
                *out_values.last_mut().expect("pushed with its time") = v;
            } else {
                out_times.push(times[i]);
                out_values.push(v);
            }
        }
        Ok(Series::new(Times::Points(out_times), out_values))
    }

    /// `from_points` taking the values it stores: the common case (times
    /// exactly `start + k × step`, as a typed array of minutes holds) is
    /// checked in one pass over the times and stores the values where they
    /// are, with no copy; anything else takes the general path.
    pub fn from_arrays(times: &[f64], values: Vec<f64>) -> Result<Series, SeriesError> {
        if times.len() == values.len() {
            if let Some(step) = Series::exact_step(times) {
                return Ok(Series::on_exact_grid(times[0], step, values));
            }
        }
        Series::from_points(times, &values)
    }

    /// The step of `times` when they are exactly `start + k × step`, finite
    /// and increasing (which this implies); None otherwise.
    fn exact_step(times: &[f64]) -> Option<f64> {
        GridProbe::of(times).map(|probe| probe.step)
    }

    /// The series of `values` from `start`, `step` apart.
    fn on_exact_grid(start: f64, step: f64, values: Vec<f64>) -> Series {
        Series::new(Times::Grid { start, step }, values)
    }

    /// Series that share times on the grid `probe` found (read a block at a
    /// time and never held), one column of values each; on an error, the
    /// index of the column at fault.
    pub fn from_grid_columns(
        probe: &GridProbe,
        columns: impl IntoIterator<Item = Vec<f64>>,
    ) -> Result<Vec<Series>, (usize, SeriesError)> {
        columns
            .into_iter()
            .enumerate()
            .map(|(k, values)| {
                if values.len() == probe.len {
                    Ok(Series::on_exact_grid(probe.start, probe.step, values))
                } else {
                    Err((
                        k,
                        SeriesError::LengthMismatch {
                            times: probe.len,
                            values: values.len(),
                        },
                    ))
                }
            })
            .collect()
    }

    /// Series that share one array of times, as the columns of a table do
    /// (one column of values per series): the times are checked once, and
    /// each column is stored where it is when they are an exact grid. On an
    /// error, the index of the column at fault.
    pub fn from_columns(
        times: &[f64],
        columns: impl IntoIterator<Item = Vec<f64>>,
    ) -> Result<Vec<Series>, (usize, SeriesError)> {
        match GridProbe::of(times) {
            Some(grid) => Series::from_grid_columns(&grid, columns),
            None => columns
                .into_iter()
                .enumerate()
                .map(|(k, values)| Series::from_points(times, &values).map_err(|e| (k, e)))
                .collect(),
        }
    }

    /// Checks that `slots` slots from `start`, `step` apart, make a grid a
    /// series can have.
    fn check_grid(start: f64, step: f64, slots: usize) -> Result<(), SeriesError> {
        if Limit::Time.check(start).is_err() {
            return Err(SeriesError::BadTime {
                index: 0,
                time: start,
            });
        }
        if !(step.is_finite() && step > 0.0) {
            return Err(SeriesError::BadTime {
                index: 1,
                time: step,
            });
        }
        if slots > MAX_SLOTS {
            return Err(SeriesError::TooLong {
                slots: slots as f64,
            });
        }
        let last = start + slots.saturating_sub(1) as f64 * step;
        if Limit::Time.check(last).is_err() {
            return Err(SeriesError::BadTime {
                index: slots.saturating_sub(1),
                time: last,
            });
        }
        Ok(())
    }

    /// A series of `slots` empty slots from `start`, `step` apart: a loader
    /// that knows the whole range up front sizes the series once and merges
    /// chunks into it without ever moving the data.
    pub fn empty_grid(start: f64, step: f64, slots: usize) -> Result<Series, SeriesError> {
        Series::check_grid(start, step, slots)?;
        let slots = slots.max(1);
        Ok(Series {
            times: Times::Grid { start, step },
            values: vec![f64::NAN; slots],
            summary: Pyramid::of_gaps(slots),
        })
    }

    /// A series from values already on a grid: slot i at `start + i × step`.
    /// Non-finite values become gaps.
    pub fn from_grid(start: f64, step: f64, values: Vec<f64>) -> Result<Series, SeriesError> {
        Series::check_grid(start, step, values.len())?;
        if values.is_empty() {
            return Err(SeriesError::Empty);
        }
        Ok(Series::new(Times::Grid { start, step }, values))
    }

    /// The series of `values` at `times`; infinite values become gaps.
    fn new(times: Times, mut values: Vec<f64>) -> Series {
        let mut summary = Pyramid::build(&values);
        if summary.holds_infinity() {
            // Infinities win the extremes, so the summary finds them and
            // clean input (nearly all of it) pays for no pass of its own.
            for v in &mut values {
                *v = sanitise(*v);
            }
            summary = Pyramid::build(&values);
        }
        Series {
            times,
            values,
            summary,
        }
    }

    /// Merges `chunk` into this series; where both have a point at the same
    /// time, the chunk's wins (it is the newer). Gaps in the chunk keep what
    /// is already here. On the same grid this writes in place and updates
    /// the summary for the chunk's span only.
    pub fn merge(&mut self, chunk: &Series) -> Result<(), SeriesError> {
        if let (
            Times::Grid { start, step },
            Times::Grid {
                start: cs,
                step: c_step,
            },
        ) = (&self.times, &chunk.times)
        {
            let (start, step) = (*start, *step);
            let offset = (cs - start) / step;
            let same_grid = (c_step - step).abs() <= GRID_TOLERANCE * step
                && (offset - offset.round()).abs() <= GRID_TOLERANCE;
            let len = self.values.len() as f64;
            let extent = offset.min(0.0).abs() + (offset + chunk.values.len() as f64).max(len);
            if same_grid && grid_may_span(extent, self.values.len() + chunk.values.len()) {
                return self.merge_on_grid(chunk, offset.round());
            }
        }
        let (mut times, mut values) = self.valid_points();
        let (c_times, c_values) = chunk.valid_points();
        times.extend_from_slice(&c_times);
        values.extend_from_slice(&c_values);
        // Later in the input wins on equal timestamps: the chunk's points
        // come after this series' own.
        *self = Series::from_points(&times, &values)?;
        Ok(())
    }

    /// Merge of a chunk on this series' grid whose first slot is `offset`
    /// slots from this series' first.
    fn merge_on_grid(&mut self, chunk: &Series, offset: f64) -> Result<(), SeriesError> {
        let len = self.values.len() as f64;
        let first = offset.min(0.0);
        let last = (offset + chunk.values.len() as f64).max(len);
        if last - first > MAX_SLOTS as f64 {
            return Err(SeriesError::TooLong {
                slots: last - first,
            });
        }
        if first < 0.0 {
            // The chunk starts earlier: move the data once, summarise anew.
            let shift = (-first) as usize;
            let mut grid = vec![f64::NAN; (last - first) as usize];
            grid[shift..shift + self.values.len()].copy_from_slice(&self.values);
            let start = self.time_at(0) - shift as f64 * self.step();
            let step = self.step();
            *self = Series::new(Times::Grid { start, step }, grid);
            return self.merge_on_grid(chunk, 0.0);
        }
        let at = offset as usize;
        let end = at + chunk.values.len();
        if end > self.values.len() {
            self.values.resize(end, f64::NAN);
        }
        for (slot, &v) in self.values[at..end].iter_mut().zip(&chunk.values) {
            if !v.is_nan() {
                *slot = v;
            }
        }
        self.summary.update(&self.values, at..end);
        Ok(())
    }

    /// Adds one point at the end (the live tail) in amortised O(log n); a
    /// point at or before the last time is merged instead.
    pub fn push(&mut self, time: f64, value: f64) -> Result<(), SeriesError> {
        if Limit::Time.check(time).is_err() {
            return Err(SeriesError::BadTime {
                index: self.values.len(),
                time,
            });
        }
        let value = sanitise(value);
        match &mut self.times {
            Times::Grid { start, step } => {
                let offset = (time - *start) / *step;
                let slot = offset.round();
                let on_grid = (offset - slot).abs() <= GRID_TOLERANCE;
                let len = self.values.len();
                if on_grid && slot >= len as f64 && grid_may_span(slot + 1.0, len + 1) {
                    let slot = slot as usize;
                    self.values.resize(slot, f64::NAN);
                    self.values.push(value);
                    self.summary.update(&self.values, len..slot + 1);
                    return Ok(());
                }
            }
            Times::Points(times) => {
                if times.last().is_some_and(|&last| time > last) {
                    times.push(time);
                    self.values.push(value);
                    let len = self.values.len();
                    self.summary.update(&self.values, len - 1..len);
                    return Ok(());
                }
            }
        }
        self.merge(&Series::from_points(&[time], &[value])?)
    }

    /// The part of this series in `[from, to)`, or None when nothing of it
    /// lies there. A loader keeps a chunk to the stretch it asked for, so
    /// what an API adds around it cannot grow the series it merges into.
    pub fn clipped(&self, from: f64, to: f64) -> Option<Series> {
        let range = self.index_range(from, to);
        let range = range.start..range.end.min(self.index_at_or_after(to));
        if range.is_empty() {
            return None;
        }
        if range == (0..self.values.len()) {
            return Some(self.clone());
        }
        let values = self.values[range.clone()].to_vec();
        let times = match &self.times {
            Times::Grid { step, .. } => Times::Grid {
                start: self.time_at(range.start),
                step: *step,
            },
            Times::Points(t) => Times::Points(t[range].to_vec()),
        };
        Some(Series::new(times, values))
    }

    /// The points holding a value, as (times, values) columns.
    fn valid_points(&self) -> (Vec<f64>, Vec<f64>) {
        let mut times = Vec::with_capacity(self.values.len());
        let mut values = Vec::with_capacity(self.values.len());
        for (i, &v) in self.values.iter().enumerate() {
            if !v.is_nan() {
                times.push(self.time_at(i));
                values.push(v);
            }
        }
        (times, values)
    }

    /// Time of the first slot, in epoch seconds.
    pub fn start(&self) -> f64 {
        self.time_at(0)
    }

    /// Seconds between slots; for irregular timestamps, the smallest spacing.
    pub fn step(&self) -> f64 {
        match &self.times {
            Times::Grid { step, .. } => *step,
            Times::Points(t) => {
                let step = t
                    .windows(2)
                    .map(|w| w[1] - w[0])
                    .fold(f64::INFINITY, f64::min);
                if step.is_finite() {
                    step
                } else {
                    DEFAULT_STEP
                }
            }
        }
    }

    /// True when the values sit on a regular grid.
    pub fn is_regular(&self) -> bool {
        matches!(self.times, Times::Grid { .. })
    }

    /// Time of the last slot, in epoch seconds.
    pub fn end(&self) -> f64 {
        self.time_at(self.values.len().saturating_sub(1))
    }

    /// Number of slots, gaps included.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when the series has no slots (never the case for a built series).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The values, one per slot; NaN is a gap.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The level-of-detail summary of the values.
    pub fn summary(&self) -> &Pyramid {
        &self.summary
    }

    /// Number of slots that hold data, from the summary.
    pub fn valid_count(&self) -> usize {
        self.summary.sum_count(&self.values, 0..self.values.len()).1
    }

    /// Time of slot `index`.
    pub fn time_at(&self, index: usize) -> f64 {
        match &self.times {
            Times::Grid { start, step } => start + index as f64 * step,
            Times::Points(t) => t.get(index).or(t.last()).copied().unwrap_or(f64::NAN),
        }
    }

    /// The first slot at or after time `t` (the length when there is none).
    pub fn index_at_or_after(&self, t: f64) -> usize {
        self.partition(t, |x| x < t)
    }

    /// A slot near the first at or after `t`: exact for irregular
    /// timestamps, within rounding of it on a grid. For callers that settle
    /// on their own rule anyway.
    pub fn index_guess(&self, t: f64) -> usize {
        let len = self.values.len();
        match &self.times {
            Times::Grid { start, step } => {
                ((t - start) / step).ceil().clamp(0.0, len as f64) as usize
            }
            Times::Points(times) => times.partition_point(|&x| x < t),
        }
    }

    /// The slots whose time lies in `[from, to]`.
    pub fn index_range(&self, from: f64, to: f64) -> Range<usize> {
        let first = self.index_at_or_after(from);
        first..self.partition(to, |x| x <= to).max(first)
    }

    /// The first slot whose time is not `before`, for a `before` that holds
    /// for slots up to about time `t` and fails after.
    fn partition(&self, t: f64, before: impl Fn(f64) -> bool) -> usize {
        let len = self.values.len();
        match &self.times {
            Times::Grid { start, step } => {
                let mut i = ((t - start) / step).ceil().clamp(0.0, len as f64) as usize;
                // Grid arithmetic may be one off near a slot; settle exactly.
                while i > 0 && !before(self.time_at(i - 1)) {
                    i -= 1;
                }
                while i < len && before(self.time_at(i)) {
                    i += 1;
                }
                i
            }
            Times::Points(times) => times.partition_point(|&x| before(x)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::minutes;

    fn valid(s: &Series) -> Vec<(f64, f64)> {
        let (t, v) = s.valid_points();
        t.into_iter().zip(v).collect()
    }

    #[test]
    fn a_regular_series_keeps_its_grid_and_marks_missing_minutes_as_gaps() {
        let s = Series::from_points(&[0.0, 60.0, 180.0], &[1.0, 2.0, 4.0]).unwrap();
        assert!(s.is_regular());
        assert_eq!(
            (s.start(), s.step(), s.len(), s.end()),
            (0.0, 60.0, 4, 180.0)
        );
        assert!(s.values()[2].is_nan());
        assert_eq!(s.valid_count(), 3);
    }

    #[test]
    fn unsorted_input_is_sorted_and_the_later_duplicate_wins() {
        let s = Series::from_points(&[120.0, 0.0, 60.0, 0.0], &[3.0, 1.0, 2.0, 9.0]).unwrap();
        assert_eq!(s.values(), &[9.0, 2.0, 3.0]);
        let s = Series::from_points(&[5.0, 1.0, 2.5, 1.0], &[3.0, 1.0, 2.0, 9.0]).unwrap();
        assert!(!s.is_regular());
        assert_eq!(valid(&s), vec![(1.0, 9.0), (2.5, 2.0), (5.0, 3.0)]);
    }

    #[test]
    fn irregular_timestamps_are_kept_as_they_are() {
        let s = Series::from_points(&[0.0, 60.0, 90.0001, 1e9], &[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert!(!s.is_regular());
        assert_eq!((s.len(), s.start(), s.end()), (4, 0.0, 1e9));
        assert_eq!(s.index_range(50.0, 1e8), 1..3);
        assert_eq!(s.index_at_or_after(90.0), 2);
    }

    #[test]
    fn non_finite_values_become_gaps() {
        let s = Series::from_points(&[0.0, 60.0, 120.0], &[f64::INFINITY, 1.0, f64::NAN]).unwrap();
        assert!(s.values()[0].is_nan());
        assert!(s.values()[2].is_nan());
    }

    #[test]
    fn bad_input_gives_errors_not_panics() {
        assert_eq!(Series::from_points(&[], &[]), Err(SeriesError::Empty));
        assert!(matches!(
            Series::from_points(&[0.0], &[]),
            Err(SeriesError::LengthMismatch { .. })
        ));
        assert!(matches!(
            Series::from_points(&[0.0, f64::NAN], &[1.0, 2.0]),
            Err(SeriesError::BadTime { index: 1, .. })
        ));
        assert!(Series::empty_grid(0.0, 0.0, 10).is_err());
        assert!(Series::empty_grid(f64::NAN, 60.0, 10).is_err());
        assert!(matches!(
            Series::empty_grid(0.0, 60.0, usize::MAX),
            Err(SeriesError::TooLong { .. })
        ));
        let mut s = minutes(&[1.0]);
        assert!(s.push(f64::INFINITY, 1.0).is_err());
        let mut before = s.clone();
        assert!(matches!(
            Series::from_points(&[60.0, 1e299], &[1.0, 2.0]),
            Err(SeriesError::BadTime { index: 1, .. })
        ));
        let far = Series::from_points(&[60.0 * 1e9], &[1.0]).unwrap();
        assert!(before.push(1e299, 1.0).is_err());
        assert_eq!(s, before, "a failed push leaves the series as it was");
        // A point a billion minutes away is kept at its own time: the time
        // between is never allocated.
        s.merge(&far).unwrap();
        assert_eq!((s.len(), s.valid_count()), (2, 2));
        assert_eq!(s.time_at(1), 60.0 * 1e9);
    }

    #[test]
    fn a_single_point_is_a_series_of_one_slot() {
        let s = Series::from_points(&[600.0], &[5.0]).unwrap();
        assert_eq!((s.len(), s.start(), s.end()), (1, 600.0, 600.0));
    }

    #[test]
    fn index_range_selects_the_slots_inside_the_window() {
        let s = minutes(&[1.0; 4]);
        assert_eq!(s.index_range(0.0, 180.0), 0..4);
        assert_eq!(s.index_range(30.0, 130.0), 1..3);
        assert_eq!(s.index_range(-1e9, 1e9), 0..4);
        assert_eq!(s.index_range(500.0, 900.0), 4..4);
        assert_eq!(s.index_range(-900.0, -500.0), 0..0);
        assert_eq!(s.index_range(60.0, 60.0), 1..2);
    }

    #[test]
    fn series_from_owned_values_equal_series_from_points_in_every_case() {
        let minutes: Vec<f64> = (0..1_000).map(|k| 1.7e9 + 60.0 * k as f64).collect();
        let mut values: Vec<f64> = (0..1_000).map(|k| (k % 17) as f64).collect();
        values[3] = f64::INFINITY;
        values[4] = f64::NAN;
        let mut shuffled = minutes.clone();
        shuffled.swap(10, 20);
        let mut nan_time = minutes.clone();
        nan_time[7] = f64::NAN;
        let cases: [(&[f64], &[f64]); 6] = [
            (&minutes, &values),
            (&shuffled, &values),
            (&nan_time, &values),
            (&minutes[..999], &values),
            (&[], &[]),
            (&minutes[..1], &values[..1]),
        ];
        for (times, vals) in cases {
            let owned = Series::from_arrays(times, vals.to_vec());
            let borrowed = Series::from_points(times, vals);
            assert_eq!(format!("{owned:?}"), format!("{borrowed:?}"));
        }
        let s = Series::from_arrays(&minutes, values).unwrap();
        assert!(s.is_regular());
        assert!(s.values()[3].is_nan(), "infinity is a gap");
    }

    #[test]
    fn columns_sharing_times_equal_series_built_one_by_one() {
        let minutes: Vec<f64> = (0..1_000).map(|k| 1.7e9 + 60.0 * k as f64).collect();
        let column =
            |s: usize| -> Vec<f64> { (0..1_000).map(|k| ((k * (s + 3)) % 23) as f64).collect() };
        let mut with_gaps = column(2);
        with_gaps[500] = f64::NEG_INFINITY;
        with_gaps[501] = f64::NAN;
        let mut shuffled = minutes.clone();
        shuffled.swap(10, 20);
        for times in [&minutes, &shuffled] {
            let columns = vec![column(0), column(1), with_gaps.clone()];
            let table = Series::from_columns(times, columns.clone()).unwrap();
            assert_eq!(table.len(), 3);
            for (series, values) in table.iter().zip(columns) {
                let alone = Series::from_points(times, &values).unwrap();
                assert_eq!(format!("{series:?}"), format!("{alone:?}"));
            }
        }
        let short = vec![column(0), column(1)[..999].to_vec()];
        assert_eq!(
            Series::from_columns(&minutes, short).unwrap_err(),
            (
                1,
                SeriesError::LengthMismatch {
                    times: 1_000,
                    values: 999
                }
            )
        );
        assert!(Series::from_columns(&minutes, vec![]).unwrap().is_empty());
    }

    #[test]
    fn times_checked_a_block_at_a_time_find_the_grid_the_whole_array_has() {
        let minutes: Vec<f64> = (0..1_000).map(|k| 1.7e9 + 60.0 * k as f64).collect();
        let blocks = |times: &[f64], size: usize| -> Option<GridProbe> {
            let mut probe = GridProbe::new(&times[..size.min(times.len())], times.len())?;
            times.chunks(size).all(|b| probe.holds(b)).then_some(probe)
        };
        let values: Vec<f64> = (0..1_000).map(|k| (k % 7) as f64).collect();
        for size in [2, 7, 64, 1_000] {
            let probe = blocks(&minutes, size).unwrap();
            assert_eq!(probe.len(), 1_000);
            let table = Series::from_grid_columns(&probe, [values.clone()]).unwrap();
            let whole = Series::from_columns(&minutes, [values.clone()]).unwrap();
            assert_eq!(format!("{table:?}"), format!("{whole:?}"));
            // One time off the grid in the last block, a repeated time, a
            // step that is not positive: no grid, as for the whole array.
            for (at, t) in [
                (999, minutes[999] + 1.0),
                (500, minutes[499]),
                (1, minutes[0]),
            ] {
                let mut off = minutes.clone();
                off[at] = t;
                assert!(blocks(&off, size).is_none(), "time {at} set to {t}");
                assert_eq!(Series::exact_step(&off), None);
            }
        }
        let short = Series::from_grid_columns(&blocks(&minutes, 64).unwrap(), [vec![1.0; 999]]);
        assert_eq!(
            short.unwrap_err(),
            (
                0,
                SeriesError::LengthMismatch {
                    times: 1_000,
                    values: 999
                }
            )
        );
        // Fewer than two times seen cannot set the step of a longer grid.
        assert!(GridProbe::new(&minutes[..1], 1_000).is_none());
        assert!(GridProbe::new(&minutes[..1], 0).is_none());
        assert_eq!(GridProbe::new(&minutes[..1], 1).unwrap().len(), 1);
        // More times than the grid was made for.
        let mut probe = GridProbe::new(&minutes, 10).unwrap();
        assert!(!probe.holds(&minutes[..11]));
    }

    #[test]
    fn an_infinity_anywhere_in_a_long_series_becomes_a_gap() {
        for at in [0, 63, 64, 5_000, 9_999] {
            for inf in [f64::INFINITY, f64::NEG_INFINITY] {
                let mut values: Vec<f64> = (0..10_000).map(|k| (k % 7) as f64).collect();
                values[at] = inf;
                let s = Series::from_grid(0.0, 60.0, values).unwrap();
                assert!(s.values()[at].is_nan(), "{inf} at {at}");
                assert_eq!(s.values().iter().filter(|v| v.is_nan()).count(), 1);
                let stats = s.stats(-1e9, 1e9).unwrap();
                assert_eq!((stats.min, stats.max, stats.count), (0.0, 6.0, 9_999));
            }
        }
    }

    #[test]
    fn chunks_arriving_out_of_order_and_overlapping_merge_with_the_newest_winning() {
        // Three chunks of one day's minutes, newest range first (as a loader
        // fetching the visible window first would), overlapping by an hour.
        let day = 1_440;
        let chunk = |from: usize, to: usize, value: f64| {
            let times: Vec<f64> = (from..to).map(|i| i as f64 * 60.0).collect();
            Series::from_points(&times, &vec![value; to - from]).unwrap()
        };
        let mut s = chunk(2 * day, 3 * day, 3.0);
        s.merge(&chunk(day - 60, 2 * day + 60, 2.0)).unwrap();
        s.merge(&chunk(0, day, 1.0)).unwrap();
        assert!(s.is_regular());
        assert_eq!((s.start(), s.len()), (0.0, 3 * day));
        assert_eq!(s.values()[day - 61], 1.0);
        assert_eq!(s.values()[day - 60], 1.0, "the chunk merged last wins");
        assert_eq!(s.values()[2 * day + 59], 2.0);
        assert_eq!(s.values()[2 * day + 60], 3.0);
        assert_eq!(s.summary(), &Pyramid::build(s.values()));
    }

    #[test]
    fn a_chunk_with_gaps_does_not_erase_what_is_already_there() {
        let mut s = minutes(&[1.0, 2.0, 3.0]);
        s.merge(&minutes(&[9.0, f64::NAN, 9.0])).unwrap();
        assert_eq!(s.values(), &[9.0, 2.0, 9.0]);
    }

    #[test]
    fn chunks_on_other_grids_merge_at_their_own_timestamps() {
        let mut s = minutes(&[1.0, 2.0, 3.0]);
        s.merge(&Series::from_points(&[90.0, 120.0], &[7.0, 8.0]).unwrap())
            .unwrap();
        assert_eq!(
            valid(&s),
            vec![(0.0, 1.0), (60.0, 2.0), (90.0, 7.0), (120.0, 8.0)]
        );
        assert_eq!(s.summary(), &Pyramid::build(s.values()));
    }

    #[test]
    fn appending_minutes_extends_the_grid_and_keeps_the_summary_exact() {
        let mut s = minutes(&[1.0, 2.0]);
        for i in 2..1_000 {
            s.push(i as f64 * 60.0, (i % 17) as f64).unwrap();
        }
        s.push(1_005.0 * 60.0, 99.0).unwrap(); // five minutes missing
        s.push(30.0 * 60.0, -1.0).unwrap(); // a late correction
        assert!(s.is_regular());
        assert_eq!(s.len(), 1_006);
        assert!(s.values()[1_002].is_nan());
        assert_eq!((s.values()[30], s.values()[1_005]), (-1.0, 99.0));
        assert_eq!(s.summary(), &Pyramid::build(s.values()));
        let mut irregular = Series::from_points(&[0.0, 1.5, 10.1], &[1.0, 2.0, 3.0]).unwrap();
        assert!(!irregular.is_regular());
        irregular.push(11.0, 4.0).unwrap();
        assert_eq!(irregular.len(), 4);
        assert_eq!(irregular.summary(), &Pyramid::build(irregular.values()));
    }

    #[test]
    fn an_empty_grid_fills_as_chunks_arrive() {
        let mut s = Series::empty_grid(0.0, 60.0, 10).unwrap();
        assert_eq!(s.valid_count(), 0);
        s.merge(&Series::from_points(&[120.0, 180.0], &[1.0, 2.0]).unwrap())
            .unwrap();
        assert_eq!((s.len(), s.valid_count()), (10, 2));
    }

    #[test]
    fn a_clipped_series_keeps_only_the_stretch_asked_for() {
        let s = Series::from_grid(0.0, 60.0, (0..10).map(f64::from).collect()).unwrap();
        let c = s.clipped(120.0, 300.0).unwrap();
        assert_eq!(
            (c.start(), c.step(), c.values()),
            (120.0, 60.0, &[2.0, 3.0, 4.0][..])
        );
        assert!(c.is_regular());
        assert_eq!(s.clipped(-1e9, 1e9).unwrap(), s);
        assert!(s.clipped(600.0, 700.0).is_none());
        let p = Series::from_points(&[0.0, 7.0, 100.0], &[1.0, 2.0, 3.0]).unwrap();
        assert_eq!(p.clipped(5.0, 100.0).unwrap().values(), &[2.0]);
    }
}
