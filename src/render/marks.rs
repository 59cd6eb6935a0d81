//! What a chart draws besides its series: how the series are drawn, threshold
//! lines, and annotation bands (from–to with a title, like a monitoring
//! service's graph annotations).

use std::fmt;

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::DrawingBackend;
use serde::{Deserialize, Serialize};

use super::dash::draw_dashed;
use super::layout::{Layout, LABEL_SIZE};
use super::text::fit_text;
use super::{ChartText, Frame, RenderError, Scene, Stroke};
use crate::limits::Number;
use crate::transform::Side;

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

/// Annotation bands, behind the data. Each title runs from its band to
/// where the next band's title begins, shortened to fit, so close
/// annotations do not write over one another.
pub(super) fn draw_annotations<DB: DrawingBackend>(
    db: &mut DB,
    scene: &Scene,
    layout: &Layout,
    frame: &mut Frame,
) -> Result<(), RenderError> {
    let t = &layout.transform;
    let (from, to) = scene.view;
    let [_, top, right, bottom] = t.plot;
    let px = |css: f64| (css * t.ratio).round() as i32;
    let mut bands: Vec<(i32, i32, &str)> = scene
        .annotations
        .iter()
        .filter(|a| a.to >= from && a.from <= to)
        .map(|a| {
            (
                t.x_of(a.from.max(from)),
                t.x_of(a.to.min(to)),
                a.title.as_str(),
            )
        })
        .collect();
    bands.sort_by_key(|&(x0, _, _)| x0);
    let palette = scene.theme.palette();
    let title_style = ChartText::new(LABEL_SIZE * t.ratio, palette.annotation_text);
    for (k, &(x0, x1, title)) in bands.iter().enumerate() {
        db.draw_rect(
            (x0, top),
            (x1.max(x0 + 1), bottom),
            &palette.annotation,
            true,
        )?;
        let room_to = bands.get(k + 1).map_or(right, |next| next.0);
        let title = fit_text(db, title, &title_style, (room_to - x0 - px(6.0)).max(0))?;
        if !title.is_empty() {
            db.draw_text(&title, &title_style, (x0 + px(3.0), top + px(2.0)))?;
        }
        frame.annotations_drawn += 1;
    }
    Ok(())
}

/// Threshold lines on the left axis, dashed so they never read as a
/// series, each labelled at its right end.
pub(super) fn draw_thresholds<DB: DrawingBackend>(
    db: &mut DB,
    scene: &Scene,
    layout: &Layout,
    frame: &mut Frame,
) -> Result<(), RenderError> {
    let t = &layout.transform;
    let [left, _, right, _] = t.plot;
    let px = |css: f64| (css * t.ratio).round() as i32;
    let palette = scene.theme.palette();
    let (min, max) = (layout.left.ticks.min, layout.left.ticks.max);
    for threshold in scene.thresholds {
        let value = threshold.value;
        if value < min || value > max || (layout.left.log && value <= 0.0) {
            continue;
        }
        let color = match threshold.level {
            Level::Warning => palette.warning,
            Level::Critical => palette.critical,
        };
        let y = t.y_of(Side::Left, value);
        let line = Stroke {
            color,
            width: px(1.0).max(1) as u32,
        };
        let dash = f64::from(px(6.0).max(2));
        draw_dashed(db, &[(left, y), (right, y)], &[dash, dash], &line)?;
        let label = threshold.label.clone().unwrap_or_else(|| {
            let level = match threshold.level {
                Level::Warning => "warning",
                Level::Critical => "critical",
            };
            format!("{level} {}", layout.left.unit.format_value(value))
        });
        let style = ChartText::new(LABEL_SIZE * t.ratio, color).anchored(HPos::Right, VPos::Bottom);
        db.draw_text(&label, &style, (right - px(2.0), y - px(2.0)))?;
        frame.thresholds_drawn += 1;
    }
    Ok(())
}
