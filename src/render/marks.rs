//! What a chart draws besides its series: threshold lines and annotation
//! bands (from–to with a title, like a monitoring service's graph
//! annotations).

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::DrawingBackend;

use super::dash::draw_dashed;
use super::layout::{Layout, LABEL_SIZE};
use super::text::fit_text;
use super::{ChartText, Frame, RenderError, Scene, Stroke};
use crate::options::Level;
use crate::transform::Side;

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
    let px = |css: f64| layout.px(css);
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
    let palette = &layout.palette;
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
    let px = |css: f64| layout.px(css);
    let palette = &layout.palette;
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
            width: layout.thin(),
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
