//! What a chart refuses, and why, in words an embedder can act on.

use std::fmt;

use crate::limits::{LimitError, Number};
use crate::loading::CoarseError;
use crate::render::MarkError;
use crate::series::SeriesError;
use crate::zone::ZoneError;

/// A request the chart cannot carry out.
#[derive(Clone, Debug, PartialEq)]
pub enum ChartError {
    BadRange {
        from: f64,
        to: f64,
    },
    UnknownSeries(String),
    Series(SeriesError),
    Zone(ZoneError),
    Mark(MarkError),
    Coarse(CoarseError),
    Limit(LimitError),
    /// An option that cannot be honoured (an axis, a locale), and why.
    BadOption(String),
}

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChartError::BadRange { from, to } => write!(
                f,
                "time range {}..{} is not valid: both ends must be epoch seconds \
                 from year 1 to 9999, and from < to",
                Number(*from),
                Number(*to)
            ),
            ChartError::UnknownSeries(name) => {
                write!(f, "the chart has no series named {name:?}")
            }
            ChartError::Series(e) => e.fmt(f),
            ChartError::Zone(e) => e.fmt(f),
            ChartError::Mark(e) => e.fmt(f),
            ChartError::Coarse(e) => e.fmt(f),
            ChartError::Limit(e) => e.fmt(f),
            ChartError::BadOption(why) => write!(f, "chart options: {why}"),
        }
    }
}

impl std::error::Error for ChartError {}
