//! What the plot says about itself: a load's progress, that there is no
//! data to draw, and a note on why the chart is not drawn as asked.

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::DrawingBackend;

use super::layout::Layout;
use super::{loading, Frame, RenderError, Scene};

/// The progress bar and words, the empty-chart message and the note, over
/// the plot.
pub(super) fn draw_status<DB: DrawingBackend>(
    db: &mut DB,
    scene: &Scene,
    layout: &Layout,
    frame: &mut Frame,
) -> Result<(), RenderError> {
    let t = &layout.transform;
    let text = layout.label;
    let [left, top, right, bottom] = t.plot;
    if let Some(progress) = &scene.progress {
        frame.progress = Some(loading::draw_progress(
            db,
            progress,
            t,
            &layout.palette,
            &text,
            t.ratio,
        )?);
    }
    if frame.points_in_view == 0 && frame.coarse_drawn == 0 && scene.progress.is_none() {
        let message = if scene.series.is_empty() {
            "No data loaded"
        } else {
            "No data in this time range"
        };
        let style = text.anchored(HPos::Center, VPos::Center);
        db.draw_text(message, &style, ((left + right) / 2, (top + bottom) / 2))?;
    }
    if let Some(note) = scene.note {
        let style = text.anchored(HPos::Center, VPos::Top);
        let below_top = top + layout.px(4.0);
        db.draw_text(note, &style, ((left + right) / 2, below_top))?;
    }
    Ok(())
}
