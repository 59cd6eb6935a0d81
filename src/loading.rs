//! What a chart knows of a load still under way: the coarse picture that
//! stands in for 1-minute data not yet loaded, which stretches of time are
//! loaded, which finally failed (*not loaded*, never drawn like a gap), and
//! the progress to show. Knows nothing of fetching; the loader says.

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::series::Series;

pub use crate::progress::Progress;

/// The most slots a coarse series may have: an envelope is about one slot
/// per pixel column, so this is generous.
const MAX_COARSE_SLOTS: usize = 1_000_000;

/// A coarse series could not be taken.
#[derive(Clone, Debug, PartialEq)]
pub enum CoarseError {
    /// The low and high series have different steps.
    Steps { low: f64, high: f64 },
    /// More slots than a coarse picture should ever need.
    TooLong { slots: f64 },
}

impl fmt::Display for CoarseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CoarseError::Steps { low, high } => write!(
                f,
                "the coarse low and high series must have the same step; got {low} s and {high} s"
            ),
            CoarseError::TooLong { slots } => write!(
                f,
                "a coarse series of {slots:.0} steps is too long (at most {MAX_COARSE_SLOTS}); \
                 ask for a coarser step"
            ),
        }
    }
}

impl std::error::Error for CoarseError {}

/// Which span of time each coarse point sums up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Covers {
    /// The step before its time, as Prometheus' `min_over_time(x[step])`.
    StepBefore,
    /// The step after its time, as Mackerel's coarse averages.
    StepAfter,
}

/// A coarse picture of one series on a grid: per slot a low and a high
/// value (equal for averages). Slots where 1-minute data has been loaded are
/// cleared, so the coarse picture shows only where nothing finer is known.
#[derive(Clone, Debug, PartialEq)]
pub struct Coarse {
    /// Start of slot 0's span (not its point's time).
    start: f64,
    step: f64,
    low: Vec<f64>,
    high: Vec<f64>,
    /// Low and high differ: drawn as a band, else as a step line.
    band: bool,
    /// The stretch a load covers: only the part of a slot inside it needs
    /// finer data for the slot to give way (None: the whole slot).
    within: Option<(f64, f64)>,
}

impl Coarse {
    /// The coarse picture from `low` (the averages, or the minima) and
    /// `high` (the maxima, for a band).
    pub fn new(low: &Series, high: Option<&Series>, covers: Covers) -> Result<Coarse, CoarseError> {
        let step = low.step();
        if let Some(high) = high {
            if (high.step() - step).abs() > 1e-9 * step {
                return Err(CoarseError::Steps {
                    low: step,
                    high: high.step(),
                });
            }
        }
        let first = high.map_or(low.start(), |h| h.start().min(low.start()));
        let last = high.map_or(low.end(), |h| h.end().max(low.end()));
        let slots = ((last - first) / step).round() + 1.0;
        if slots.is_nan() || slots > MAX_COARSE_SLOTS as f64 {
            return Err(CoarseError::TooLong { slots });
        }
        let slots = slots as usize;
        let place = |series: &Series| {
            let mut column = vec![f64::NAN; slots];
            for (i, &v) in series.values().iter().enumerate() {
                let slot = ((series.time_at(i) - first) / step).round();
                if !v.is_nan() && slot >= 0.0 && (slot as usize) < slots {
                    column[slot as usize] = v;
                }
            }
            column
        };
        let low_column = place(low);
        let high_column = high.map_or_else(|| low_column.clone(), place);
        let start = match covers {
            Covers::StepBefore => first - step,
            Covers::StepAfter => first,
        };
        Ok(Coarse {
            start,
            step,
            low: low_column,
            high: high_column,
            band: high.is_some(),
            within: None,
        })
    }

    /// Limits the picture to `[from, to)`, the stretch a load covers: slots
    /// outside it are dropped, and a slot at its edge gives way once its
    /// part inside is loaded.
    pub fn within(mut self, from: f64, to: f64) -> Coarse {
        if from.is_finite() && to.is_finite() && from < to {
            self.within = Some((from, to));
        }
        self
    }

    /// Seconds each slot spans.
    pub fn step(&self) -> f64 {
        self.step
    }

    /// Start of slot `i`'s span; it ends one step later.
    pub fn slot_start(&self, i: usize) -> f64 {
        self.start + i as f64 * self.step
    }

    /// True when drawn as a min/max band rather than a line of averages.
    pub fn is_band(&self) -> bool {
        self.band
    }

    /// Low and high of slot `i`; None where it holds nothing.
    pub fn slot(&self, i: usize) -> Option<(f64, f64)> {
        let (lo, hi) = (*self.low.get(i)?, *self.high.get(i)?);
        (!lo.is_nan() && !hi.is_nan()).then_some((lo, hi))
    }

    /// The slots whose span meets `[from, to]`.
    pub fn slots_in(&self, from: f64, to: f64) -> Range<usize> {
        let len = self.low.len() as f64;
        let first = ((from - self.start) / self.step).floor().clamp(0.0, len);
        let last = (((to - self.start) / self.step).floor() + 1.0).clamp(first, len);
        first as usize..last as usize
    }

    /// Lowest low and highest high over the slots meeting `[from, to]`.
    pub fn extent(&self, from: f64, to: f64) -> Option<(f64, f64)> {
        self.slots_in(from, to)
            .filter_map(|i| self.slot(i))
            .fold(None, |acc, (lo, hi)| {
                Some(acc.map_or((lo, hi), |(a, b): (f64, f64)| (a.min(lo), b.max(hi))))
            })
    }

    /// Clears the slots whose whole span `loaded` covers.
    fn clear_where(&mut self, loaded: &Spans) {
        for i in 0..self.low.len() {
            let (mut from, mut to) = (self.slot_start(i), self.slot_start(i) + self.step);
            if let Some((a, b)) = self.within {
                (from, to) = (from.max(a), to.min(b));
            }
            if !self.low[i].is_nan() && (from >= to || loaded.covers(from, to)) {
                self.low[i] = f64::NAN;
                self.high[i] = f64::NAN;
            }
        }
    }

    /// True when no slot holds anything any more.
    pub fn is_spent(&self) -> bool {
        self.low.iter().all(|v| v.is_nan())
    }
}

/// Disjoint, sorted stretches of time `[from, to)`, merged where they touch.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Spans(Vec<(f64, f64)>);

impl Spans {
    /// Adds `[from, to)`; empty or non-finite spans are ignored.
    pub fn insert(&mut self, from: f64, to: f64) {
        if !(from.is_finite() && to.is_finite() && from < to) {
            return;
        }
        let (mut from, mut to) = (from, to);
        self.0.retain(|&(a, b)| {
            let touches = a <= to && b >= from;
            if touches {
                from = from.min(a);
                to = to.max(b);
            }
            !touches
        });
        let at = self.0.partition_point(|&(a, _)| a < from);
        self.0.insert(at, (from, to));
    }

    /// True when one stretch holds all of `[from, to)`.
    pub fn covers(&self, from: f64, to: f64) -> bool {
        let at = self.0.partition_point(|&(a, _)| a <= from);
        at > 0 && self.0[at - 1].1 >= to
    }

    pub fn as_slice(&self) -> &[(f64, f64)] {
        &self.0
    }
}

/// The coarse picture of one series and how much of it finer data has
/// replaced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Standin {
    coarse: Option<Coarse>,
    loaded: Spans,
}

impl Standin {
    /// Takes a new coarse picture, cleared where data is already loaded.
    pub fn set_coarse(&mut self, mut coarse: Coarse) {
        coarse.clear_where(&self.loaded);
        self.coarse = Some(coarse);
    }

    /// Notes that `[from, to)` is loaded at full resolution.
    pub fn loaded(&mut self, from: f64, to: f64) {
        self.loaded.insert(from, to);
        if let Some(coarse) = &mut self.coarse {
            coarse.clear_where(&self.loaded);
            if coarse.is_spent() {
                self.coarse = None;
            }
        }
    }

    /// What is left of the coarse picture.
    pub fn coarse(&self) -> Option<&Coarse> {
        self.coarse.as_ref()
    }
}

/// A stretch whose data finally could not be loaded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotLoaded {
    pub from: f64,
    pub to: f64,
    /// Why, in a few words (the API's message); shown on the band.
    #[serde(default)]
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(start: f64, step: f64, values: &[f64]) -> Series {
        let times: Vec<f64> = (0..values.len()).map(|i| start + i as f64 * step).collect();
        Series::from_points(&times, values).unwrap()
    }

    #[test]
    fn spans_merge_where_they_touch_and_cover_only_whole_stretches() {
        let mut s = Spans::default();
        s.insert(100.0, 200.0);
        s.insert(300.0, 400.0);
        assert!(!s.covers(150.0, 350.0));
        s.insert(200.0, 300.0);
        assert_eq!(s.as_slice(), &[(100.0, 400.0)]);
        assert!(s.covers(150.0, 350.0));
        assert!(!s.covers(50.0, 150.0));
        s.insert(0.0, 50.0);
        s.insert(f64::NAN, 1.0);
        s.insert(9.0, 9.0);
        assert_eq!(s.as_slice(), &[(0.0, 50.0), (100.0, 400.0)]);
    }

    #[test]
    fn an_envelope_point_covers_the_step_before_it_and_an_average_the_step_after() {
        let low = grid(3_600.0, 3_600.0, &[1.0, 2.0, 3.0]);
        let high = grid(3_600.0, 3_600.0, &[5.0, 6.0, 7.0]);
        let envelope = Coarse::new(&low, Some(&high), Covers::StepBefore).unwrap();
        assert_eq!(envelope.slot_start(0), 0.0);
        assert!(envelope.is_band());
        assert_eq!(envelope.slot(1), Some((2.0, 6.0)));
        let averages = Coarse::new(&low, None, Covers::StepAfter).unwrap();
        assert_eq!(averages.slot_start(0), 3_600.0);
        assert_eq!(averages.slot(2), Some((3.0, 3.0)));
        assert_eq!(averages.slots_in(3_600.0, 7_199.0), 0..1);
        assert_eq!(averages.slots_in(0.0, 1e9), 0..3);
        assert_eq!(averages.extent(7_200.0, 1e9), Some((2.0, 3.0)));
    }

    #[test]
    fn loaded_minutes_clear_the_coarse_slots_they_wholly_cover() {
        let low = grid(0.0, 3_600.0, &[1.0, 2.0, 3.0]);
        let mut standin = Standin::default();
        standin.set_coarse(Coarse::new(&low, None, Covers::StepAfter).unwrap());
        // Half of slot 1, then the other half: only then is it replaced.
        standin.loaded(3_600.0, 5_400.0);
        assert_eq!(standin.coarse().unwrap().slot(1), Some((2.0, 2.0)));
        standin.loaded(5_400.0, 7_200.0);
        assert_eq!(standin.coarse().unwrap().slot(1), None);
        assert_eq!(standin.coarse().unwrap().slot(0), Some((1.0, 1.0)));
        standin.loaded(0.0, 10_800.0);
        assert!(standin.coarse().is_none(), "spent");
        // A coarse picture that comes after the data is cleared at once.
        standin.set_coarse(Coarse::new(&low, None, Covers::StepAfter).unwrap());
        assert!(standin.coarse().unwrap().is_spent());
    }

    #[test]
    fn a_picture_within_a_load_gives_way_where_the_load_reaches() {
        let low = grid(0.0, 3_600.0, &[1.0, 2.0, 3.0]);
        let mut standin = Standin::default();
        // The load covers 00:30–02:30: the edge slots need only their half.
        let coarse = Coarse::new(&low, None, Covers::StepAfter).unwrap();
        standin.set_coarse(coarse.within(1_800.0, 9_000.0));
        standin.loaded(1_800.0, 3_600.0);
        assert_eq!(standin.coarse().unwrap().slot(0), None);
        standin.loaded(3_600.0, 9_000.0);
        assert!(standin.coarse().is_none());
    }

    #[test]
    fn mismatched_or_absurd_coarse_series_are_refused() {
        let low = grid(0.0, 60.0, &[1.0, 2.0]);
        let high = grid(0.0, 120.0, &[1.0, 2.0]);
        assert!(matches!(
            Coarse::new(&low, Some(&high), Covers::StepAfter),
            Err(CoarseError::Steps { .. })
        ));
        let far = grid(1e11, 60.0, &[1.0]);
        let mixed = Series::from_points(&[0.0, 60.0, 1e9], &[1.0, 2.0, 3.0]).unwrap();
        assert!(Coarse::new(&mixed, Some(&far), Covers::StepAfter).is_err());
    }
}
