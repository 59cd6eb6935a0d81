//! What a chart draws besides its series, as options: how the series are
//! drawn, threshold lines and annotation bands, and the check that they
//! can be drawn.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::limits::Number;

/// How the series of a chart are drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeriesKind {
    /// One line per series.
    #[default]
    Line,
    /// A line with the area down to zero filled.
    Area,
    /// Layers on top of each other, summed at full resolution.
    Stacked,
    /// Per pixel column, the band from min to max and the mean as a line.
    Envelope,
}

/// How serious crossing a threshold is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    #[default]
    Warning,
    Critical,
}

/// A horizontal line at `value` (an alert threshold).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Threshold {
    pub value: f64,
    #[serde(default)]
    pub level: Level,
    /// Written at the line's right end; by default the level and value.
    #[serde(default)]
    pub label: Option<String>,
}

/// A band over `[from, to]` (epoch seconds) with a title: a deploy, an
/// incident, maintenance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Annotation {
    pub from: f64,
    pub to: f64,
    #[serde(default)]
    pub title: String,
}

/// A threshold or annotation that cannot be drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum MarkError {
    Threshold { index: usize, value: f64 },
    Annotation { index: usize, from: f64, to: f64 },
}

impl fmt::Display for MarkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MarkError::Threshold { index, value } => write!(
                f,
                "threshold {index} has value {}; a threshold needs a finite value",
                Number(*value)
            ),
            MarkError::Annotation { index, from, to } => write!(
                f,
                "annotation {index} runs from {} to {}; it needs epoch seconds from year 1 to 9999 with from ≤ to",
                Number(*from),
                Number(*to)
            ),
        }
    }
}

impl std::error::Error for MarkError {}

/// Checks thresholds and annotations before they are kept.
pub fn check_marks(thresholds: &[Threshold], annotations: &[Annotation]) -> Result<(), MarkError> {
    for (index, t) in thresholds.iter().enumerate() {
        if !t.value.is_finite() {
            return Err(MarkError::Threshold {
                index,
                value: t.value,
            });
        }
    }
    for (index, a) in annotations.iter().enumerate() {
        let is_time = |t: f64| crate::limits::Limit::Time.check(t).is_ok();
        if !(is_time(a.from) && is_time(a.to) && a.from <= a.to) {
            return Err(MarkError::Annotation {
                index,
                from: a.from,
                to: a.to,
            });
        }
    }
    Ok(())
}
