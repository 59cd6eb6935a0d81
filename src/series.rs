//! Columnar store of one metric series on a regular time grid: a start time,
//! a step and one f64 per slot, with NaN marking a slot that has no data.
//! Built from (time, value) points as an API returns them; never panics on input.

use std::fmt;
use std::ops::Range;

/// The most slots one series may span (460 days of 1-second data is ~40 M);
/// beyond this the input is almost surely mis-scaled timestamps.
const MAX_SLOTS: usize = 50_000_000;

/// Step used when a series holds a single timestamp and no spacing can be seen.
const DEFAULT_STEP: f64 = 60.0;

/// A metric series on a regular grid; NaN values are gaps.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    start: f64,
    step: f64,
    values: Vec<f64>,
}

/// Why points could not be turned into a series.
#[derive(Clone, Debug, PartialEq)]
pub enum SeriesError {
    LengthMismatch { times: usize, values: usize },
    Empty,
    BadTime { index: usize, time: f64 },
    NotRegular { time: f64, start: f64, step: f64 },
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
                "point {index} has timestamp {time}, which is not a finite number of epoch seconds"
            ),
            SeriesError::NotRegular { time, start, step } => write!(
                f,
                "timestamp {time} is not on the series' regular grid (start {start}, step {step} s)"
            ),
            SeriesError::TooLong { slots } => write!(
                f,
                "series would span {slots:.0} time steps (more than {MAX_SLOTS}); \
                 are the timestamps in seconds?"
            ),
        }
    }
}

impl std::error::Error for SeriesError {}

impl Series {
    /// A series from (time, value) points in any order. Non-finite values become
    /// gaps; on duplicate timestamps the point that comes later in the input wins.
    pub fn from_points(times: &[f64], values: &[f64]) -> Result<Series, SeriesError> {
        if times.len() != values.len() {
            return Err(SeriesError::LengthMismatch {
                times: times.len(),
                values: values.len(),
            });
        }
        if times.is_empty() {
            return Err(SeriesError::Empty);
        }
        if let Some(index) = times.iter().position(|t| !t.is_finite()) {
            return Err(SeriesError::BadTime {
                index,
                time: times[index],
            });
        }
        // Index of the k-th point in time order; no permutation is built
        // for input that is already sorted (the usual case).
        let sorted = times.windows(2).all(|w| w[0] <= w[1]);
        let permutation: Vec<usize> = if sorted {
            Vec::new()
        } else {
            let mut p: Vec<usize> = (0..times.len()).collect();
            // Stable, so among equal timestamps the input order survives.
            p.sort_by(|&a, &b| times[a].total_cmp(&times[b]));
            p
        };
        let in_order = |k: usize| if sorted { k } else { permutation[k] };
        let n = times.len();
        let start = times[in_order(0)];
        let end = times[in_order(n - 1)];
        let step = (1..n)
            .map(|k| times[in_order(k)] - times[in_order(k - 1)])
            .filter(|d| *d > 0.0)
            .fold(f64::INFINITY, f64::min);
        let step = if step.is_finite() { step } else { DEFAULT_STEP };
        let slots = ((end - start) / step).round() + 1.0;
        // `slots` is NaN or infinite only for absurd inputs; both fail this test.
        if slots.is_nan() || slots > MAX_SLOTS as f64 {
            return Err(SeriesError::TooLong { slots });
        }
        let mut grid = vec![f64::NAN; slots as usize];
        for i in (0..n).map(in_order) {
            let offset = (times[i] - start) / step;
            let slot = offset.round();
            if (offset - slot).abs() > 1e-6 {
                return Err(SeriesError::NotRegular {
                    time: times[i],
                    start,
                    step,
                });
            }
            let value = values[i];
            grid[slot as usize] = if value.is_finite() { value } else { f64::NAN };
        }
        Ok(Series {
            start,
            step,
            values: grid,
        })
    }

    /// Time of the first slot, in epoch seconds.
    pub fn start(&self) -> f64 {
        self.start
    }

    /// Seconds between slots.
    pub fn step(&self) -> f64 {
        self.step
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

    /// Number of slots that hold data.
    pub fn valid_count(&self) -> usize {
        self.values.iter().filter(|v| !v.is_nan()).count()
    }

    /// Time of slot `index`.
    pub fn time_at(&self, index: usize) -> f64 {
        self.start + index as f64 * self.step
    }

    /// The slots whose time lies in `[from, to]`.
    pub fn index_range(&self, from: f64, to: f64) -> Range<usize> {
        let len = self.values.len();
        let first = ((from - self.start) / self.step)
            .ceil()
            .clamp(0.0, len as f64);
        let last = ((to - self.start) / self.step).floor() + 1.0;
        let last = last.clamp(first, len as f64);
        first as usize..last as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_series_keeps_its_grid_and_marks_missing_minutes_as_gaps() {
        let s = Series::from_points(&[0.0, 60.0, 180.0], &[1.0, 2.0, 4.0]).unwrap();
        assert_eq!(s.start(), 0.0);
        assert_eq!(s.step(), 60.0);
        assert_eq!(s.len(), 4);
        assert!(s.values()[2].is_nan());
        assert_eq!(s.valid_count(), 3);
        assert_eq!(s.end(), 180.0);
    }

    #[test]
    fn unsorted_input_is_sorted_and_the_later_duplicate_wins() {
        let s = Series::from_points(&[120.0, 0.0, 60.0, 0.0], &[3.0, 1.0, 2.0, 9.0]).unwrap();
        assert_eq!(s.values(), &[9.0, 2.0, 3.0]);
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
        assert!(matches!(
            Series::from_points(&[0.0, 60.0, 90.0001], &[1.0, 2.0, 3.0]),
            Err(SeriesError::NotRegular { .. })
        ));
        assert!(matches!(
            Series::from_points(&[0.0, 1e-3, 1e9], &[1.0, 2.0, 3.0]),
            Err(SeriesError::TooLong { .. })
        ));
    }

    #[test]
    fn a_single_point_is_a_series_of_one_slot() {
        let s = Series::from_points(&[600.0], &[5.0]).unwrap();
        assert_eq!((s.len(), s.start(), s.end()), (1, 600.0, 600.0));
    }

    #[test]
    fn index_range_selects_the_slots_inside_the_window() {
        let s = Series::from_points(&[0.0, 60.0, 120.0, 180.0], &[1.0; 4]).unwrap();
        assert_eq!(s.index_range(0.0, 180.0), 0..4);
        assert_eq!(s.index_range(30.0, 130.0), 1..3);
        assert_eq!(s.index_range(-1e9, 1e9), 0..4);
        assert_eq!(s.index_range(500.0, 900.0), 4..4);
        assert_eq!(s.index_range(-900.0, -500.0), 0..0);
    }
}
