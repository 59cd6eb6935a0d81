//! Bars from zero, per slot when zoomed in and per pixel column further
//! out, so a one-minute spike is never lost; in a stack each stands on the
//! layers below.

use plotters_backend::{BackendColor, DrawingBackend};

use super::RenderError;
use crate::columns::Run;
use crate::transform::{PlotTransform, Side};

/// Device pixels per slot from which bars are drawn one per slot.
const MIN_BAR_SPACING: usize = 3;

/// One series' bars, thinned, and how to draw them.
pub(super) struct Bars {
    pub runs: Vec<Run>,
    pub side: Side,
    /// Slots of the series in the window.
    pub in_view: usize,
    pub color: BackendColor,
    pub fill: BackendColor,
}

/// Bars from zero: zoomed in (a few pixels per slot), one bar per slot;
/// at long ranges one bar per pixel column, in the fill colour from zero
/// to the column's extreme and solid as far as every slot in it reached
/// (its minimum, for positive values), so a one-minute spike still shows.
pub(super) fn draw_bars<DB: DrawingBackend>(
    db: &mut DB,
    bars: &Bars,
    t: &PlotTransform,
) -> Result<(), RenderError> {
    let Bars {
        runs,
        side,
        in_view,
        color,
        fill,
    } = bars;
    let (side, in_view, color, fill) = (*side, *in_view, *color, *fill);
    let baseline = t.y_of(side, 0.0);
    let x_of = |x: f64| t.x_of_column(x);
    let points = runs.iter().flat_map(|r| r.points.iter().copied());
    if in_view > 0 && in_view * MIN_BAR_SPACING <= t.columns() {
        let half = ((t.columns() / in_view) as i32 * 2 / 5).max(1);
        // Bars at the window's ends stay inside the plot.
        let (left, right) = (t.plot[0], t.plot[2] + 1);
        for (x, v) in points {
            let (x, y) = (x_of(x), t.y_of(side, v));
            let (x0, x1) = ((x - half).max(left), (x + half).min(right));
            db.draw_rect((x0, y.min(baseline)), (x1, y.max(baseline)), &color, true)?;
        }
        return Ok(());
    }
    // Per column, the extremes of its points (M4 gives each column's).
    let mut columns: Vec<(i32, f64, f64)> = Vec::new();
    for (x, v) in points {
        let x = x_of(x);
        match columns.last_mut() {
            Some((c, lo, hi)) if *c == x => {
                *lo = lo.min(v);
                *hi = hi.max(v);
            }
            _ => columns.push((x, v, v)),
        }
    }
    for (x, lo, hi) in columns {
        let (y_top, y_bottom) = (t.y_of(side, hi.max(0.0)), t.y_of(side, lo.min(0.0)));
        // One pixel wide: a rectangle's right edge is where it ends.
        db.draw_rect((x, y_top), (x + 1, y_bottom), &fill, true)?;
        let reached = if lo > 0.0 {
            Some(lo)
        } else if hi < 0.0 {
            Some(hi)
        } else {
            None
        };
        if let Some(v) = reached {
            let y = t.y_of(side, v);
            db.draw_rect((x, y.min(baseline)), (x + 1, y.max(baseline)), &color, true)?;
        }
    }
    Ok(())
}
