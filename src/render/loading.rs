//! What a load still under way looks like: the coarse picture where
//! 1-minute data has not arrived (a faint band or step line, never mistaken
//! for the data), hatched *not loaded* stretches (never drawn like a gap),
//! and the progress over the plot.

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, DrawingBackend};

use super::text::fit_text;
use super::{theme, ChartText, RenderError, Stroke};
use crate::loading::{Coarse, NotLoaded, Progress};
use crate::render::{Palette, Theme};
use crate::transform::{PlotTransform, Side};

/// The coarse picture of one series over the window, in its colour: a band
/// from low to high, or a step line of averages. Says how many slots it drew.
pub(super) fn draw_coarse<DB: DrawingBackend>(
    db: &mut DB,
    coarse: &Coarse,
    place: &PlotTransform,
    side: Side,
    color: BackendColor,
    theme: Theme,
    line_width: u32,
) -> Result<usize, RenderError> {
    let (from, to) = place.view;
    let fill = theme::fill_of(color, theme);
    let line = Stroke {
        color: fill,
        width: line_width,
    };
    let mut drawn = 0;
    // Consecutive slots with data make one polygon or one path.
    let mut top: Vec<BackendCoord> = Vec::new();
    let mut floor: Vec<BackendCoord> = Vec::new();
    let flush = |db: &mut DB, top: &mut Vec<BackendCoord>, floor: &mut Vec<BackendCoord>| {
        if top.is_empty() {
            return Ok::<(), RenderError>(());
        }
        if coarse.is_band() {
            let mut band = std::mem::take(top);
            band.extend(floor.drain(..).rev());
            db.fill_polygon(band, &fill)?;
        } else {
            db.draw_path(std::mem::take(top), &line)?;
        }
        floor.clear();
        Ok(())
    };
    for i in coarse.slots_in(from, to) {
        let Some((lo, hi)) = coarse.slot(i) else {
            flush(db, &mut top, &mut floor)?;
            continue;
        };
        let x0 = place.edge_x(coarse.slot_start(i));
        let x1 = place
            .edge_x(coarse.slot_start(i) + coarse.step())
            .max(x0 + 1);
        let (y_hi, y_lo) = (place.y_of(side, hi), place.y_of(side, lo));
        top.extend([(x0, y_hi), (x1, y_hi)]);
        floor.extend([(x0, y_lo.max(y_hi + 1)), (x1, y_lo.max(y_hi + 1))]);
        drawn += 1;
    }
    flush(db, &mut top, &mut floor)?;
    Ok(drawn)
}

/// Hatched bands over the stretches a load finally failed to fetch, each
/// titled "not loaded" and why. Says how many it drew.
pub(super) fn draw_not_loaded<DB: DrawingBackend>(
    db: &mut DB,
    spans: &[NotLoaded],
    place: &PlotTransform,
    palette: &Palette,
    text: &ChartText,
    pixel_ratio: f64,
) -> Result<usize, RenderError> {
    let px = |css: f64| (css * pixel_ratio).round() as i32;
    let hatch = Stroke {
        color: palette.not_loaded,
        width: px(1.0).max(1) as u32,
    };
    let gap = px(7.0).max(3);
    let mut drawn = 0;
    for band in bands(spans, place, px(MIN_LABELLED)) {
        let (x0, x1) = (band.x0, band.x1);
        let [_, top, _, bottom] = place.plot;
        db.draw_rect((x0, top), (x1, bottom), &palette.not_loaded_fill, true)?;
        // 45° lines, each clipped to the band.
        let height = bottom - top;
        let mut start = x0 - height;
        while start < x1 {
            let (mut a, mut b) = ((start, bottom), (start + height, top));
            if a.0 < x0 {
                a = (x0, bottom - (x0 - a.0));
            }
            if b.0 > x1 {
                b = (x1, top + (b.0 - x1));
            }
            if a.0 <= b.0 {
                db.draw_line(a, b, &hatch)?;
            }
            start += gap;
        }
        // "not loaded" and, above it, why: each shortened to the band.
        let style = text.anchored(HPos::Left, VPos::Bottom);
        let width = (x1 - x0 - px(4.0)).max(0);
        let line_height = db.estimate_text_size("Hg", &style)?.1 as i32;
        let reason = match band.reason {
            Some(reason) => reason.to_string(),
            None => format!("{} stretches", band.count),
        };
        for (line, label) in ["not loaded", reason.as_str()].into_iter().enumerate() {
            let label = fit_text(db, label, &style, width)?;
            let y = bottom - px(3.0) - line as i32 * (line_height + px(2.0));
            db.draw_text(&label, &style, (x0 + px(3.0), y))?;
        }
        drawn += band.count;
    }
    Ok(drawn)
}

/// Bands narrower than this (CSS px) hold no label, so touching ones join.
const MIN_LABELLED: f64 = 8.0;

/// Not-loaded stretches as drawn: one band per run of stretches that
/// overlap on screen (or touch, where one is too narrow for its label), so
/// thousands of failed minutes cost a few bands, not thousands.
struct Band<'a> {
    x0: i32,
    x1: i32,
    count: usize,
    /// The stretches' reason when they share one.
    reason: Option<&'a str>,
}

fn bands<'a>(spans: &'a [NotLoaded], place: &PlotTransform, narrow: i32) -> Vec<Band<'a>> {
    let (from, to) = place.view;
    let mut visible: Vec<Band<'a>> = spans
        .iter()
        .filter(|s| s.to >= from && s.from <= to)
        .map(|s| {
            let x0 = place.edge_x(s.from);
            Band {
                x0,
                x1: place.edge_x(s.to).max(x0 + 1),
                count: 1,
                reason: Some(s.reason.as_str()),
            }
        })
        .collect();
    visible.sort_by_key(|b| b.x0);
    let mut out: Vec<Band<'a>> = Vec::new();
    for band in visible {
        match out.last_mut() {
            Some(last)
                if band.x0 < last.x1
                    || (band.x0 == last.x1
                        && (last.x1 - last.x0 < narrow || band.x1 - band.x0 < narrow)) =>
            {
                last.x1 = last.x1.max(band.x1);
                last.count += band.count;
                if last.reason != band.reason {
                    last.reason = None;
                }
            }
            _ => out.push(band),
        }
    }
    out
}

/// A thin bar along the top of the plot, filled as far as the load has
/// come, and what it has done in words. Gives the words.
pub(super) fn draw_progress<DB: DrawingBackend>(
    db: &mut DB,
    progress: &Progress,
    place: &PlotTransform,
    palette: &Palette,
    text: &ChartText,
    pixel_ratio: f64,
) -> Result<String, RenderError> {
    let height = ((3.0 * pixel_ratio).round() as i32).max(2);
    let [left, top, right, _] = place.plot;
    db.draw_rect((left, top), (right, top + height), &palette.grid, true)?;
    let done = left + (f64::from(right - left) * progress.fraction()).round() as i32;
    if done > left {
        db.draw_rect((left, top), (done, top + height), &palette.progress, true)?;
    }
    let label = progress.label();
    let style = text.anchored(HPos::Center, VPos::Top);
    db.draw_text(&label, &style, ((left + right) / 2, top + 2 * height))?;
    Ok(label)
}
