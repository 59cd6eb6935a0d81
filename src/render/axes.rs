//! The chart's frame: title, the zone the times are in, each value axis'
//! grid, labels and name, the time axis, and the axis lines.

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::DrawingBackend;

use super::layout::{Layout, ValueAxis, LABEL_GAP, PAD};
use super::{Frame, RenderError, Scene, Stroke};
use crate::ticks::time_ticks::{time_ticks_in, Labels};
use crate::transform::Side;
use crate::zone::TimeZone;

/// CSS pixels between time labels, beyond the widest one.
const TIME_LABEL_GAP: f64 = 24.0;
/// The widest time label the axis writes ("Sep 30", "00:00", "2026").
const WIDEST_TIME_LABEL: &str = "Sep 30";

/// The title at the top left and the time zone at the top right.
pub(super) fn draw_heading<DB: DrawingBackend>(
    db: &mut DB,
    scene: &Scene,
    layout: &Layout,
) -> Result<(), RenderError> {
    db.draw_text(
        scene.title,
        &layout.title,
        (layout.px(PAD), layout.title_top),
    )?;
    let utc = TimeZone::utc();
    let zone = scene.zone.unwrap_or(&utc);
    let right = layout.transform.plot[2];
    let note = format!("times in {}", zone.name());
    db.draw_text(
        &note,
        &layout.label.anchored(HPos::Right, VPos::Top),
        (right, layout.title_top),
    )?;
    Ok(())
}

/// The value grid (the left axis') and every axis' labels and name, and
/// the time grid and labels; records the labels in `frame`.
pub(super) fn draw_grid<DB: DrawingBackend>(
    db: &mut DB,
    scene: &Scene,
    layout: &Layout,
    frame: &mut Frame,
) -> Result<(), RenderError> {
    let t = &layout.transform;
    let label = layout.label;
    let gap = layout.px(LABEL_GAP);
    let [left, top, right, bottom] = t.plot;
    let grid = Stroke {
        color: layout.palette.grid,
        width: layout.thin(),
    };
    for (value, text) in &layout.left.ticks.ticks {
        let y = t.y_of(Side::Left, *value);
        db.draw_line((left, y), (right, y), &grid)?;
        db.draw_text(
            text,
            &label.anchored(HPos::Right, VPos::Center),
            (left - gap, y),
        )?;
        frame.value_labels.push(text.clone());
    }
    // The right axis has labels only: a second grid would cross the first.
    if let Some(axis) = &layout.right {
        for (value, text) in &axis.ticks.ticks {
            let y = t.y_of(Side::Right, *value);
            db.draw_line((right, y), (right + gap / 2, y), &grid)?;
            db.draw_text(
                text,
                &label.anchored(HPos::Left, VPos::Center),
                (right + gap, y),
            )?;
            frame.right_labels.push(text.clone());
        }
    }
    let name_of = |axis: &ValueAxis| axis.label.clone();
    if let Some(name) = name_of(&layout.left) {
        let style = label.anchored(HPos::Left, VPos::Top);
        db.draw_text(&name, &style, (left, layout.axis_label_top))?;
    }
    if let Some(name) = layout.right.as_ref().and_then(name_of) {
        let style = label.anchored(HPos::Right, VPos::Top);
        db.draw_text(&name, &style, (right, layout.axis_label_top))?;
    }

    let spacing =
        db.estimate_text_size(WIDEST_TIME_LABEL, &label)?.0 as f64 + TIME_LABEL_GAP * t.ratio;
    let utc = TimeZone::utc();
    let zone = scene.zone.unwrap_or(&utc);
    let (from, to) = scene.view;
    let labels = scene.locale.map_or(Labels::English, Labels::Locale);
    let below = bottom + layout.px(4.0);
    let ticks = if scene.timeless {
        Vec::new()
    } else {
        time_ticks_in(from, to, t.columns() as f64, spacing, zone, labels)
    };
    for tick in ticks {
        let x = t.x_of(tick.time);
        db.draw_line((x, top), (x, bottom), &grid)?;
        db.draw_text(
            &tick.label,
            &label.anchored(HPos::Center, VPos::Top),
            (x, below),
        )?;
        frame.time_labels.push(tick.label);
    }
    Ok(())
}

/// The axis lines, over the data: bottom, left and (with a right axis)
/// right.
pub(super) fn draw_axis_lines<DB: DrawingBackend>(
    db: &mut DB,
    layout: &Layout,
) -> Result<(), RenderError> {
    let [left, top, right, bottom] = layout.transform.plot;
    let axis = Stroke {
        color: layout.palette.axis,
        width: layout.thin(),
    };
    db.draw_line((left, bottom), (right, bottom), &axis)?;
    db.draw_line((left, top), (left, bottom), &axis)?;
    if layout.right.is_some() {
        db.draw_line((right, top), (right, bottom), &axis)?;
    }
    Ok(())
}
