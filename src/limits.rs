//! Every limit the core keeps, in one place. A number from outside (a time,
//! a count, a size, a status) is checked against these before it sizes
//! anything, and a refusal names the limit and the value, so the user knows
//! which input to fix. The limits sit far beyond any real monitoring data:
//! they exist so that no input, however wrong, can make the chart allocate
//! without bound, loop for minutes or wrap around.

use std::fmt;

use serde::Serialize;

/// A limit the core keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// Timestamps and range ends, in epoch seconds: years 1 to 9999.
    Time,
    /// Points or time steps in one series (20 M: 38 years of minutes, and
    /// 160 MB of values, a quarter of what a wasm page may hold).
    PointsPerSeries,
    /// Series in one chart.
    SeriesPerChart,
    /// Requests in one load plan (10,000 Mackerel chunks are 23 years).
    RequestsPerPlan,
    /// Width or height of a chart, an image export or a plan, in pixels.
    ImageSide,
    /// Stretches in one not-loaded list.
    NotLoadedSpans,
    /// An HTTP status code.
    HttpStatus,
}

/// 0001-01-01T00:00:00Z.
pub const EARLIEST_TIME: f64 = -62_135_596_800.0;
/// 9999-12-31T23:59:59Z.
pub const LATEST_TIME: f64 = 253_402_300_799.0;
pub const MAX_POINTS_PER_SERIES: usize = 20_000_000;
pub const MAX_SERIES_PER_CHART: usize = 1_000;
pub const MAX_REQUESTS_PER_PLAN: usize = 10_000;
/// Browsers refuse canvases much larger than this on a side.
pub const MAX_IMAGE_SIDE: u32 = 16_384;
pub const MAX_NOT_LOADED_SPANS: usize = 10_000;

/// Every limit, for the README's table and the binding's `limits()`.
pub const ALL: [Limit; 7] = [
    Limit::Time,
    Limit::PointsPerSeries,
    Limit::SeriesPerChart,
    Limit::RequestsPerPlan,
    Limit::ImageSide,
    Limit::NotLoadedSpans,
    Limit::HttpStatus,
];

impl Limit {
    /// The smallest and largest value allowed, both included.
    pub const fn bounds(self) -> (f64, f64) {
        match self {
            Limit::Time => (EARLIEST_TIME, LATEST_TIME),
            Limit::PointsPerSeries => (0.0, MAX_POINTS_PER_SERIES as f64),
            Limit::SeriesPerChart => (0.0, MAX_SERIES_PER_CHART as f64),
            Limit::RequestsPerPlan => (0.0, MAX_REQUESTS_PER_PLAN as f64),
            Limit::ImageSide => (1.0, MAX_IMAGE_SIDE as f64),
            Limit::NotLoadedSpans => (0.0, MAX_NOT_LOADED_SPANS as f64),
            Limit::HttpStatus => (100.0, 599.0),
        }
    }

    /// The limit's name, as `limits()` gives it to JavaScript.
    pub const fn name(self) -> &'static str {
        match self {
            Limit::Time => "time",
            Limit::PointsPerSeries => "pointsPerSeries",
            Limit::SeriesPerChart => "seriesPerChart",
            Limit::RequestsPerPlan => "requestsPerPlan",
            Limit::ImageSide => "imageSide",
            Limit::NotLoadedSpans => "notLoadedSpans",
            Limit::HttpStatus => "httpStatus",
        }
    }

    /// What the value is, and a hint at the usual cause.
    const fn meaning(self) -> (&'static str, &'static str) {
        match self {
            Limit::Time => (
                "a time in epoch seconds",
                "years 1 to 9999; are the times in milliseconds (then say timeUnit: 'ms')?",
            ),
            Limit::PointsPerSeries => (
                "the time steps one series spans",
                "a series this long is almost surely mis-scaled times",
            ),
            Limit::SeriesPerChart => (
                "the number of series in one chart",
                "split them over several charts",
            ),
            Limit::RequestsPerPlan => ("the requests one load needs", "load a shorter range"),
            Limit::ImageSide => ("a size in pixels", "a whole number of pixels"),
            Limit::NotLoadedSpans => (
                "the number of not-loaded stretches",
                "merge neighbouring stretches",
            ),
            Limit::HttpStatus => ("an HTTP status", "a whole number from 100 to 599"),
        }
    }

    /// `value` when it is a number within the bounds; whole where the
    /// limit counts things.
    pub fn check(self, value: f64) -> Result<f64, LimitError> {
        let (low, high) = self.bounds();
        let whole = matches!(self, Limit::Time) || value.fract() == 0.0;
        if low <= value && value <= high && whole {
            Ok(value)
        } else {
            Err(LimitError { limit: self, value })
        }
    }

    /// A count checked against the limit.
    pub fn check_count(self, count: usize) -> Result<usize, LimitError> {
        // Counts beyond 2^53 round, which only makes them more over.
        self.check(count as f64).map(|_| count)
    }
}

/// A value outside a limit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LimitError {
    pub limit: Limit,
    pub value: f64,
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (what, hint) = self.limit.meaning();
        let (low, high) = self.limit.bounds();
        write!(
            f,
            "{what} is {}, outside the limit {} (from {low} to {high}: {hint})",
            Number(self.value),
            self.limit.name()
        )
    }
}

impl std::error::Error for LimitError {}

/// A number as a message shows it: 1e299 rather than three hundred digits.
pub struct Number(pub f64);

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        if v.is_finite() && v != 0.0 && !(1e-4..1e15).contains(&v.abs()) {
            write!(f, "{v:e}")
        } else {
            write!(f, "{v}")
        }
    }
}

/// One limit as JavaScript sees it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bounds {
    pub name: &'static str,
    pub min: f64,
    pub max: f64,
}

/// Every limit with its bounds.
pub fn table() -> Vec<Bounds> {
    ALL.iter()
        .map(|&l| Bounds {
            name: l.name(),
            min: l.bounds().0,
            max: l.bounds().1,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_outside_a_limit_is_refused_with_the_limit_and_the_value() {
        assert_eq!(Limit::Time.check(1.7e9), Ok(1.7e9));
        let err = Limit::Time.check(1e299).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("1e299") && text.contains("time"), "{text}");
        assert!(text.contains("253402300799"), "{text}");
        for bad in [f64::NAN, f64::INFINITY, -1e300] {
            assert!(Limit::Time.check(bad).is_err());
        }
        assert!(Limit::ImageSide.check(0.0).is_err());
        assert!(Limit::ImageSide.check(100.5).is_err());
        assert!(Limit::ImageSide.check(-1.0).is_err());
        assert_eq!(Limit::ImageSide.check(16_384.0), Ok(16_384.0));
        assert!(Limit::HttpStatus.check(65_736.0).is_err());
        assert!(Limit::HttpStatus.check(99.0).is_err());
        assert_eq!(Limit::HttpStatus.check(200.0), Ok(200.0));
        assert!(Limit::NotLoadedSpans.check_count(100_000).is_err());
        assert_eq!(table().len(), ALL.len());
    }
}
