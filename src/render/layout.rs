//! Where everything goes: which series are drawn and how, the value range
//! and ticks of each axis (from the raw points in the window, exact and
//! O(log n) per series), and the plot rectangle the labels leave, as one
//! `PlotTransform`.

use plotters_backend::DrawingBackend;

use super::{ChartText, Palette, RenderError, Scene, SeriesKind};
use crate::loading::Coarse;
use crate::locale::number;
use crate::options::{Axis, Mark, Scale};
use crate::series::Series;
use crate::ticks::value_ticks::{fixed_value_ticks, log_value_ticks, value_ticks, ValueTicks};
use crate::transform::{PlotTransform, Side, ValueScale};
use crate::units::Unit;

/// Sizes in CSS pixels, scaled by the pixel ratio when drawn.
pub(super) const PAD: f64 = 8.0;
pub(super) const TITLE_SIZE: f64 = 13.0;
pub(super) const LABEL_SIZE: f64 = 11.0;
const VALUE_TICK_SPACING: f64 = 32.0;
/// Between a value label and the plot.
pub(super) const LABEL_GAP: f64 = 6.0;

/// One series as it is drawn.
pub(super) struct Drawn<'a> {
    /// Its place in the scene (colours and styles go by it).
    pub index: usize,
    /// What is drawn: its cumulative layer in a stack, else the series.
    pub series: &'a Series,
    /// The stack it is a layer of (its floor is the layer below).
    pub stack: Option<usize>,
    pub mark: Option<Mark>,
    pub side: Side,
    /// The coarse picture where its 1-minute data is not loaded yet.
    pub coarse: Option<&'a Coarse>,
}

/// The series of `scene` that are shown, in order.
pub(super) fn drawn<'a>(scene: &Scene<'a>) -> Vec<Drawn<'a>> {
    scene
        .series
        .iter()
        .enumerate()
        .filter(|(i, _)| !scene.hidden.get(*i).copied().unwrap_or(false))
        .map(|(index, &(_, series))| {
            let layer = scene
                .stacked
                .and_then(|l| l.get(index))
                .and_then(Option::as_ref);
            let style = scene.styles.get(index);
            Drawn {
                index,
                series: layer.unwrap_or(series),
                stack: layer.map(|_| {
                    scene
                        .stack_groups
                        .get(index)
                        .copied()
                        .flatten()
                        .unwrap_or(0)
                }),
                mark: style.and_then(|s| s.kind),
                side: style.map_or(Side::Left, |s| s.axis),
                coarse: match layer {
                    Some(_) => None,
                    None => scene.coarse.get(index).copied().flatten(),
                },
            }
        })
        .collect()
}

/// A value axis as laid out.
pub(super) struct ValueAxis {
    pub ticks: ValueTicks,
    pub log: bool,
    pub unit: Unit,
    pub label: Option<String>,
}

impl ValueAxis {
    fn scale(&self) -> ValueScale {
        ValueScale {
            min: self.ticks.min,
            max: self.ticks.max,
            log: self.log,
        }
    }
}

/// The frame's geometry, and the colours and text styles it is drawn with.
pub(super) struct Layout {
    pub transform: PlotTransform,
    pub palette: Palette,
    /// The title's style, and every label's.
    pub title: ChartText,
    pub label: ChartText,
    pub left: ValueAxis,
    pub right: Option<ValueAxis>,
    /// Points with data in the window, over the drawn series.
    pub points_in_view: usize,
    /// Rows above the plot: the title's and the axis labels'.
    pub title_top: i32,
    pub axis_label_top: i32,
}

impl Layout {
    /// `css` pixels in device pixels, rounded.
    pub fn px(&self, css: f64) -> i32 {
        (css * self.transform.ratio).round() as i32
    }

    /// The width of a one-pixel line, in device pixels.
    pub fn thin(&self) -> u32 {
        self.px(1.0).max(1) as u32
    }
}

/// The data's range on `side` in the window: raw extremes and, where only
/// the coarse picture is known, its extent; and the points in view.
fn extent(scene: &Scene, drawn: &[Drawn], side: Side) -> (Option<(f64, f64)>, usize) {
    let (from, to) = scene.view;
    let mut points = 0;
    let mut extent: Option<(f64, f64)> = None;
    let mut widen = |lo: f64, hi: f64| {
        extent = Some(extent.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
    };
    for d in drawn.iter().filter(|d| d.side == side) {
        let values = d.series.values();
        let range = d.series.index_range(from, to);
        if let Some(e) = d.series.summary().extremes(values, range) {
            // A layer counts the points of the series it adds.
            points += match d.stack {
                Some(_) => scene.series[d.index]
                    .1
                    .stats(from, to)
                    .map_or(0, |s| s.count),
                None => e.count,
            };
            widen(values[e.min], values[e.max]);
        }
        if let Some((lo, hi)) = d.coarse.and_then(|c| c.extent(from, to)) {
            widen(lo, hi);
        }
    }
    // Areas, bars and stacks are read against zero.
    let filled = |d: &&Drawn| {
        d.stack.is_some()
            || matches!(d.mark, Some(Mark::Area | Mark::Bars))
            || (d.mark.is_none() && matches!(scene.kind, SeriesKind::Area | SeriesKind::Stacked))
    };
    if drawn.iter().filter(|d| d.side == side).any(|d| filled(&d)) {
        extent = extent.map(|(lo, hi)| (lo.min(0.0), hi.max(0.0)));
    }
    (extent, points)
}

/// A value axis for data from `lo` to `hi` on `axis`, at most `max_ticks`
/// ticks, its labels in `unit` with the locale's decimal separator.
fn value_axis(
    axis: &Axis,
    extent: Option<(f64, f64)>,
    max_ticks: usize,
    unit: Unit,
    locale: Option<Option<&str>>,
) -> ValueAxis {
    let mut ticks = axis_ticks(axis, extent.unwrap_or((0.0, 1.0)), max_ticks, unit);
    for (_, label) in &mut ticks.ticks {
        *label = number(std::mem::take(label), locale);
    }
    ValueAxis {
        ticks,
        log: axis.scale == Scale::Log,
        unit,
        label: axis.label.clone(),
    }
}

/// Ticks for data from `lo` to `hi` on `axis`, at most `max_ticks` apart.
fn axis_ticks(axis: &Axis, (lo, hi): (f64, f64), max_ticks: usize, unit: Unit) -> ValueTicks {
    let ((lo, hi), fixed) = axis.ends(lo, hi);
    if axis.scale == Scale::Log {
        return log_value_ticks(lo, hi, fixed, max_ticks, unit);
    }
    let ticks = value_ticks(lo, hi, max_ticks, unit);
    if fixed == (None, None) {
        return ticks;
    }
    // A fixed end is where the user put it; the other rounds as usual (and
    // gives way if the data put it past the fixed one).
    let (mut min, mut max) = (fixed.0.unwrap_or(ticks.min), fixed.1.unwrap_or(ticks.max));
    if min >= max {
        let room = (min.abs().max(max.abs()) * 0.1).max(1.0);
        (min, max) = match fixed {
            (Some(_), None) => (min, min + room),
            _ => (max - room, max),
        };
    }
    fixed_value_ticks(min, max, max_ticks, unit)
}

/// Lays out `scene` on a `width` × `height` device-pixel canvas.
pub(super) fn lay_out<DB: DrawingBackend>(
    db: &DB,
    scene: &Scene,
    drawn: &[Drawn],
    ratio: f64,
) -> Result<Layout, RenderError> {
    let (width, height) = db.get_size();
    let px = |css: f64| (css * ratio).round() as i32;
    let palette = scene.theme.palette();
    let title = ChartText::new(TITLE_SIZE * ratio, palette.text).bold();
    let label = ChartText::new(LABEL_SIZE * ratio, palette.text);
    let title_height = db.estimate_text_size("Hg", &title)?.1 as i32;
    let label_height = db.estimate_text_size("Hg", &label)?.1 as i32;
    let title_top = px(PAD);
    let axis_label_top = title_top + title_height + px(PAD);
    let labelled = scene.axes.left.label.is_some()
        || drawn.iter().any(|d| d.side == Side::Right) && scene.axes.right.label.is_some();
    let top = axis_label_top + if labelled { label_height + px(4.0) } else { 0 };
    let bottom = height as i32 - px(PAD) - label_height - px(4.0);
    let max_ticks = ((bottom - top) as f64 / (VALUE_TICK_SPACING * ratio))
        .floor()
        .max(1.0) as usize;

    let (left_extent, left_points) = extent(scene, drawn, Side::Left);
    let (right_extent, right_points) = extent(scene, drawn, Side::Right);
    let unit_of = |axis: &Axis| axis.unit.unwrap_or(scene.unit);
    let left = value_axis(
        &scene.axes.left,
        left_extent,
        max_ticks,
        unit_of(&scene.axes.left),
        scene.locale,
    );
    let right = drawn.iter().any(|d| d.side == Side::Right).then(|| {
        let axis = &scene.axes.right;
        value_axis(axis, right_extent, max_ticks, unit_of(axis), scene.locale)
    });

    let widest = |axis: &ValueAxis| -> Result<i32, RenderError> {
        let mut widest = 0;
        for (_, text) in &axis.ticks.ticks {
            widest = widest.max(db.estimate_text_size(text, &label)?.0 as i32);
        }
        Ok(widest)
    };
    let plot_left = px(PAD) + widest(&left)? + px(LABEL_GAP);
    let plot_right = width as i32
        - px(PAD)
        - match &right {
            Some(axis) => widest(axis)? + px(LABEL_GAP),
            None => px(12.0),
        };
    let transform = PlotTransform {
        plot: [plot_left, top, plot_right, bottom],
        ratio,
        view: scene.view,
        left: left.scale(),
        right: right.as_ref().map(ValueAxis::scale),
    }
    .with_view(scene.view);
    Ok(Layout {
        transform,
        palette,
        title,
        label,
        left,
        right,
        points_in_view: left_points + right_points,
        title_top,
        axis_label_top,
    })
}
