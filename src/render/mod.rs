//! Draws a chart through any plotters `DrawingBackend`: the browser canvas,
//! SVG natively, or a bitmap in tests. Work per frame is proportional to the
//! pixels: each series is thinned to at most four points per pixel column.

mod loading;
mod marks;
mod text;
mod theme;

use std::fmt;

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, DrawingBackend, DrawingErrorKind,
};
use serde::Serialize;

use crate::columns::{column_x, m4_runs_with, M4Strategy, Run};
use crate::envelope::{envelope, EnvelopeColumn};
use crate::loading::{Coarse, NotLoaded, Progress};
use crate::options::{Axis, Mark, Scale, SeriesStyle};

/// An axis with no ends set: the data's range.
static NO_AXIS_ENDS: Axis = Axis {
    min: None,
    max: None,
    soft_min: None,
    soft_max: None,
    scale: Scale::Linear,
};
use crate::series::Series;
use crate::ticks::time_ticks::{time_ticks_in, Labels};
use crate::ticks::value_ticks::{fixed_value_ticks, log_value_ticks, value_ticks};
use crate::units::Unit;
use crate::zone::TimeZone;

pub use marks::{check_marks, Annotation, Level, MarkError, SeriesKind, Threshold};
pub use text::ChartText;
pub use theme::{Palette, Theme};

/// What to draw: everything a frame depends on.
pub struct Scene<'a> {
    pub title: &'a str,
    pub unit: Unit,
    pub theme: Theme,
    pub series: &'a [(&'a str, &'a Series)],
    /// `hidden[i]` leaves series i out of the drawing and the value range
    /// (colours stay by position); shorter than `series` means shown.
    pub hidden: &'a [bool],
    /// Per series, its colour, line width and mark (`ChartOptions::
    /// style_of`); shorter than `series` means the palette by position,
    /// 1 px, the chart's kind.
    pub styles: &'a [SeriesStyle],
    /// The value axis' fixed and soft ends.
    pub axis: &'a Axis,
    /// The language of the time labels: None English, `Some(locale)` the
    /// locale source's in that locale (`Some(None)`: the platform's).
    pub locale: Option<Option<&'a str>>,
    pub kind: SeriesKind,
    /// The cumulative layer of each series in a stack (None where hidden
    /// or not stacked), summed at full resolution; without it, the series
    /// are drawn as they are.
    pub stacked: Option<&'a [Option<Series>]>,
    /// The stack each series is a layer of (its index among the chart's
    /// stacks), None for series drawn on their own; shorter means none.
    pub stack_groups: &'a [Option<usize>],
    pub thresholds: &'a [Threshold],
    pub annotations: &'a [Annotation],
    /// The zone of the time axis; None is UTC.
    pub zone: Option<&'a TimeZone>,
    /// A message over the plot (why the chart is not drawn as asked).
    pub note: Option<&'a str>,
    /// Per series, the coarse picture shown where its 1-minute data is not
    /// loaded yet (shorter than `series` means none).
    pub coarse: &'a [Option<&'a Coarse>],
    /// Stretches a load finally failed to fetch, and a load's progress.
    pub not_loaded: &'a [NotLoaded],
    pub progress: Option<Progress>,
    /// The time window, epoch seconds.
    pub view: (f64, f64),
    /// Device pixels per CSS pixel; all sizes below are in CSS pixels.
    pub pixel_ratio: f64,
}

impl<'a> Scene<'a> {
    /// Lines of `series` over `view` in UTC, light, at one device pixel per
    /// CSS pixel; change the fields that differ.
    pub fn new(series: &'a [(&'a str, &'a Series)], view: (f64, f64)) -> Scene<'a> {
        Scene {
            title: "",
            unit: Unit::Float,
            theme: Theme::Light,
            series,
            hidden: &[],
            styles: &[],
            axis: &NO_AXIS_ENDS,
            locale: None,
            kind: SeriesKind::Line,
            stacked: None,
            stack_groups: &[],
            thresholds: &[],
            annotations: &[],
            zone: None,
            note: None,
            coarse: &[],
            not_loaded: &[],
            progress: None,
            view,
            pixel_ratio: 1.0,
        }
    }
}

/// What a drawn frame shows, for tests, accessibility and hit-testing.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Frame {
    /// Canvas size in device pixels.
    pub width: u32,
    pub height: u32,
    /// Plot area in device pixels: left, top, right, bottom (inclusive).
    pub plot: [i32; 4],
    pub view: (f64, f64),
    /// Value range of the y axis.
    pub value_range: (f64, f64),
    pub time_labels: Vec<String>,
    pub value_labels: Vec<String>,
    /// Points with data inside the view, over all series.
    pub points_in_view: usize,
    /// Vertices handed to the backend after dropping those a straight
    /// segment already covers, over all series.
    pub vertices_drawn: usize,
    /// Unbroken stretches of line drawn (gaps separate them); M4 draws at
    /// most 4 × (plot columns + runs) vertices.
    pub runs_drawn: usize,
    /// Annotation bands and threshold lines inside the window.
    pub annotations_drawn: usize,
    pub thresholds_drawn: usize,
    /// Coarse slots drawn where 1-minute data is not loaded yet, and
    /// *not loaded* stretches in the window.
    pub coarse_drawn: usize,
    pub not_loaded_drawn: usize,
    /// The progress written over the plot, while a load runs.
    pub progress: Option<String>,
}

/// A backend failure while drawing.
#[derive(Clone, Debug, PartialEq)]
pub struct RenderError(pub String);

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "drawing failed: {}", self.0)
    }
}

impl std::error::Error for RenderError {}

impl<E: std::error::Error + Send + Sync> From<DrawingErrorKind<E>> for RenderError {
    fn from(e: DrawingErrorKind<E>) -> Self {
        RenderError(e.to_string())
    }
}

/// A solid stroke `width` device pixels wide.
#[derive(Clone, Copy)]
pub struct Stroke {
    pub color: BackendColor,
    pub width: u32,
}

impl BackendStyle for Stroke {
    fn color(&self) -> BackendColor {
        self.color
    }
    fn stroke_width(&self) -> u32 {
        self.width
    }
}

/// Sizes in CSS pixels, scaled by the pixel ratio when drawn.
const PAD: f64 = 8.0;
const TITLE_SIZE: f64 = 13.0;
const LABEL_SIZE: f64 = 11.0;
const VALUE_TICK_SPACING: f64 = 32.0;
const TIME_LABEL_GAP: f64 = 24.0;
/// From this many series on, thinning reads ahead (`M4Strategy::AutoCold`).
const COLD_FROM_SERIES: usize = 4;
/// Device pixels between points from which each point is drawn as a dot.
const MIN_DOT_SPACING: usize = 8;
/// The widest time label the axis writes ("Sep 30", "00:00", "2026").
const WIDEST_TIME_LABEL: &str = "Sep 30";

/// `runs` cut where a value is zero or negative, leaving those points out.
fn positive_runs(runs: Vec<Run>) -> Vec<Run> {
    let mut out = Vec::with_capacity(runs.len());
    for run in runs {
        for piece in run.points.split(|&(_, v)| v <= 0.0) {
            if !piece.is_empty() {
                out.push(Run {
                    points: piece.to_vec(),
                });
            }
        }
    }
    out
}

/// Whether most of the points of `runs` lie below zero.
fn below_zero(runs: &[Run]) -> bool {
    let (below, all) = runs
        .iter()
        .flat_map(|r| r.points.iter())
        .fold((0usize, 0usize), |(b, a), &(_, v)| {
            (b + usize::from(v < 0.0), a + 1)
        });
    below * 2 > all
}

/// Draws `scene` on `db`, filling the whole backend, and says what it drew.
pub fn draw_chart<DB: DrawingBackend>(db: &mut DB, scene: &Scene) -> Result<Frame, RenderError> {
    let (width, height) = db.get_size();
    let s = if scene.pixel_ratio.is_finite() && scene.pixel_ratio > 0.0 {
        scene.pixel_ratio
    } else {
        1.0
    };
    let px = |css: f64| (css * s).round() as i32;
    let palette = scene.theme.palette();
    let title_text = ChartText::new(TITLE_SIZE * s, palette.text).bold();
    let label_text = ChartText::new(LABEL_SIZE * s, palette.text);
    let (from, to) = scene.view;
    let utc = TimeZone::utc();
    let zone = scene.zone.unwrap_or(&utc);

    db.ensure_prepared()?;
    db.draw_rect(
        (0, 0),
        (width as i32, height as i32),
        &palette.background,
        true,
    )?;

    let title_height = db.estimate_text_size("Hg", &title_text)?.1 as i32;
    let label_height = db.estimate_text_size("Hg", &label_text)?.1 as i32;
    let top = px(PAD) + title_height + px(PAD);
    let bottom = height as i32 - px(PAD) - label_height - px(4.0);

    // What each shown series draws: its cumulative layer in a stack, else
    // itself; and the stack it is in (its floor is the layer below).
    let layer_of = |i: usize| {
        scene
            .stacked
            .and_then(|l| l.get(i))
            .and_then(Option::as_ref)
    };
    let stack_of = |i: usize| {
        let group = scene.stack_groups.get(i).copied().flatten();
        layer_of(i).map(|_| group.unwrap_or(0))
    };
    let drawn: Vec<(usize, &Series)> = scene
        .series
        .iter()
        .enumerate()
        .filter(|(i, _)| !scene.hidden.get(*i).copied().unwrap_or(false))
        .map(|(i, (_, series))| (i, layer_of(i).unwrap_or(series)))
        .collect();

    // The value range comes from the summary of the raw points in the
    // window: exact, O(log n), and known before the layout (which depends on
    // the width of its labels). Areas and stacks start at zero.
    let mut points_in_view = 0;
    let mut extent: Option<(f64, f64)> = None;
    for (i, series) in &drawn {
        let values = series.values();
        if let Some(e) = series
            .summary()
            .extremes(values, series.index_range(from, to))
        {
            let raw = &scene.series[*i].1;
            points_in_view += if layer_of(*i).is_some() {
                raw.stats(from, to).map_or(0, |st| st.count)
            } else {
                e.count
            };
            let (v_lo, v_hi) = (values[e.min], values[e.max]);
            extent = Some(extent.map_or((v_lo, v_hi), |(lo, hi)| (lo.min(v_lo), hi.max(v_hi))));
        }
    }
    // Where only the coarse picture is known yet, it sets the range too.
    let coarse_of = |i: usize| match layer_of(i) {
        Some(_) => None,
        None => scene.coarse.get(i).copied().flatten(),
    };
    for &(i, _) in &drawn {
        if let Some((c_lo, c_hi)) = coarse_of(i).and_then(|c| c.extent(from, to)) {
            extent = Some(extent.map_or((c_lo, c_hi), |(lo, hi)| (lo.min(c_lo), hi.max(c_hi))));
        }
    }
    let mark_of = |i: usize| scene.styles.get(i).and_then(|s| s.kind);
    let any_area = drawn.iter().any(|&(i, _)| mark_of(i) == Some(Mark::Area));
    let any_stack = drawn.iter().any(|&(i, _)| stack_of(i).is_some());
    let chart_area = matches!(scene.kind, SeriesKind::Area | SeriesKind::Stacked);
    if let (Some((lo, hi)), true) = (extent, chart_area || any_area || any_stack) {
        extent = Some((lo.min(0.0), hi.max(0.0)));
    }
    let (lo, hi) = extent.unwrap_or((0.0, 1.0));
    let max_ticks = ((bottom - top) as f64 / (VALUE_TICK_SPACING * s))
        .floor()
        .max(1.0) as usize;
    let ((lo, hi), fixed) = scene.axis.ends(lo, hi);
    let log = scene.axis.scale == Scale::Log;
    let mut values = if log {
        log_value_ticks(lo, hi, fixed, max_ticks, scene.unit)
    } else {
        value_ticks(lo, hi, max_ticks, scene.unit)
    };
    if fixed != (None, None) && !log {
        // A fixed end is where the user put it; the other rounds as usual
        // (and gives way if the data put it past the fixed one).
        let (mut min, mut max) = (fixed.0.unwrap_or(values.min), fixed.1.unwrap_or(values.max));
        if min >= max {
            let room = (min.abs().max(max.abs()) * 0.1).max(1.0);
            (min, max) = match fixed {
                (Some(_), None) => (min, min + room),
                _ => (max - room, max),
            };
        }
        values = fixed_value_ticks(min, max, max_ticks, scene.unit);
    }
    let mut value_label_width = 0;
    for (_, label) in &values.ticks {
        value_label_width =
            value_label_width.max(db.estimate_text_size(label, &label_text)?.0 as i32);
    }
    let left = px(PAD) + value_label_width + px(6.0);
    let right = width as i32 - px(PAD) - px(12.0);
    let mut frame = Frame {
        width,
        height,
        plot: [left, top, right, bottom],
        view: scene.view,
        value_range: (values.min, values.max),
        points_in_view,
        ..Frame::default()
    };
    db.draw_text(scene.title, &title_text, (px(PAD), px(PAD)))?;
    let zone_text = label_text.anchored(HPos::Right, VPos::Top);
    let zone_note = format!("times in {}", zone.name());
    db.draw_text(&zone_note, &zone_text, (right, px(PAD)))?;
    if right - left < 2 || bottom - top < 2 {
        db.present()?;
        return Ok(frame);
    }

    let plot_width = (right - left + 1) as usize;
    let (log_min, log_max) = (values.min.log10(), values.max.log10());
    let y_of = |v: f64| -> i32 {
        let t = if log {
            // Runs are split at values ≤ 0 first; a stray one sits at the
            // bottom edge.
            (v.max(f64::MIN_POSITIVE).log10() - log_min) / (log_max - log_min)
        } else {
            // Halves keep the arithmetic finite for values near ±f64::MAX.
            (v / 2.0 - values.min / 2.0) / (values.max / 2.0 - values.min / 2.0)
        };
        let y = bottom as f64 - t * (bottom - top) as f64;
        y.round().clamp(top as f64, bottom as f64) as i32
    };
    let x_of = |x: f64| left + x.round() as i32;
    let grid = Stroke {
        color: palette.grid,
        width: px(1.0).max(1) as u32,
    };
    let axis = Stroke {
        color: palette.axis,
        ..grid
    };

    for (value, label) in &values.ticks {
        let y = y_of(*value);
        db.draw_line((left, y), (right, y), &grid)?;
        let style = label_text.anchored(HPos::Right, VPos::Center);
        db.draw_text(label, &style, (left - px(6.0), y))?;
        frame.value_labels.push(label.clone());
    }
    let spacing =
        db.estimate_text_size(WIDEST_TIME_LABEL, &label_text)?.0 as f64 + TIME_LABEL_GAP * s;
    // Device-pixel x of a time, as the ticks, bands and data agree on it.
    let x_of_time = |t: f64| left + column_x(t, from, to, plot_width).round() as i32;
    let labels = scene.locale.map_or(Labels::English, Labels::Locale);
    for tick in time_ticks_in(from, to, plot_width as f64, spacing, zone, labels) {
        let x = x_of_time(tick.time);
        db.draw_line((x, top), (x, bottom), &grid)?;
        let style = label_text.anchored(HPos::Center, VPos::Top);
        db.draw_text(&tick.label, &style, (x, bottom + px(4.0)))?;
        frame.time_labels.push(tick.label);
    }

    // Annotation bands lie behind the data. Each title runs from its band
    // to where the next band's title begins, shortened to fit, so close
    // annotations do not write over one another.
    let mut bands: Vec<(i32, i32, &str)> = scene
        .annotations
        .iter()
        .filter(|a| a.to >= from && a.from <= to)
        .map(|a| {
            (
                x_of_time(a.from.max(from)),
                x_of_time(a.to.min(to)),
                a.title.as_str(),
            )
        })
        .collect();
    bands.sort_by_key(|&(x0, _, _)| x0);
    let title_style = ChartText::new(LABEL_SIZE * s, palette.annotation_text);
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

    let line_width = px(1.0).max(1) as u32;
    let place = loading::Place {
        left,
        top,
        right,
        bottom,
        view: scene.view,
        y_of: &y_of,
    };
    frame.not_loaded_drawn =
        loading::draw_not_loaded(db, scene.not_loaded, &place, &palette, &label_text, s)?;
    let baseline = y_of(0.0);
    // With many series, their data is no longer in cache by the time each
    // is thinned: read ahead.
    let strategy = if drawn.len() >= COLD_FROM_SERIES {
        M4Strategy::AutoCold
    } else {
        M4Strategy::Auto
    };
    // Per stack and side of zero, the runs of its last layer drawn there:
    // the floor of the next layer on that side. (A layer whose values
    // change sign in the window fills from the side its values are on at
    // the most; its line, the cumulative sum, is exact either way.)
    let mut floors: Vec<[Option<Vec<Run>>; 2]> = Vec::new();
    for &(index, series) in &drawn {
        let (color, width) = match scene.styles.get(index) {
            Some(style) => {
                let c = style.color;
                let color = BackendColor {
                    alpha: 1.0,
                    rgb: (c.0, c.1, c.2),
                };
                (color, px(style.width).max(1) as u32)
            }
            None => (palette.series_color(index), line_width),
        };
        let stroke = Stroke { color, width };
        if let Some(coarse) = coarse_of(index) {
            frame.coarse_drawn +=
                loading::draw_coarse(db, coarse, &place, color, scene.theme, line_width)?;
        }
        if scene.kind == SeriesKind::Envelope {
            draw_envelope(
                db, series, scene, plot_width, &stroke, x_of, y_of, &mut frame,
            )?;
            continue;
        }
        // Zoomed far in, each point also gets a dot so single minutes show.
        let in_view = series.index_range(from, to).len();
        let dots = in_view > 0 && in_view * MIN_DOT_SPACING <= plot_width;
        let runs = m4_runs_with(series, from, to, plot_width, strategy);
        // On a log scale zero and negative values are gaps, never a path
        // to minus infinity.
        let runs = if log { positive_runs(runs) } else { runs };
        let fill = theme::fill_of(color, scene.theme);
        // The series' own mark, else the chart's kind.
        let mark = mark_of(index);
        let stack = stack_of(index);
        let area = mark.map_or(scene.kind == SeriesKind::Area, |m| m == Mark::Area);
        let points = mark == Some(Mark::Points);
        // Which side of zero a stack's layer fills on (only layers need it).
        let side = usize::from(stack.is_some() && below_zero(&runs));
        for run in &runs {
            if let Some(group) = stack {
                let floor = floors.get(group).and_then(|f| f[side].as_deref());
                fill_between(db, run, floor, baseline, fill, x_of, y_of)?;
            } else if area {
                fill_between(db, run, None, baseline, fill, x_of, y_of)?;
            }
            frame.runs_drawn += 1;
            if !points {
                frame.vertices_drawn += draw_run(db, run, &stroke, x_of, y_of)?;
            }
            if dots || points {
                let r = px(2.0).max(1);
                for &(x, v) in &run.points {
                    let (x, y) = (x_of(x), y_of(v));
                    db.draw_rect((x - r, y - r), (x + r, y + r), &stroke.color, true)?;
                }
            }
        }
        if let Some(group) = stack {
            if floors.len() <= group {
                floors.resize(group + 1, [None, None]);
            }
            floors[group][side] = Some(runs);
        }
    }

    for threshold in scene.thresholds {
        if threshold.value < values.min || threshold.value > values.max {
            continue;
        }
        let color = match threshold.level {
            Level::Warning => palette.warning,
            Level::Critical => palette.critical,
        };
        if log && threshold.value <= 0.0 {
            continue;
        }
        let y = y_of(threshold.value);
        let line = Stroke {
            color,
            width: line_width,
        };
        // Dashed, so it never reads as a series.
        let dash = px(6.0).max(2);
        let mut x = left;
        while x <= right {
            db.draw_line((x, y), ((x + dash).min(right), y), &line)?;
            x += 2 * dash;
        }
        let label = threshold.label.clone().unwrap_or_else(|| {
            let level = match threshold.level {
                Level::Warning => "warning",
                Level::Critical => "critical",
            };
            format!("{level} {}", scene.unit.format_value(threshold.value))
        });
        let style = ChartText::new(LABEL_SIZE * s, color).anchored(HPos::Right, VPos::Bottom);
        db.draw_text(&label, &style, (right - px(2.0), y - px(2.0)))?;
        frame.thresholds_drawn += 1;
    }

    db.draw_line((left, bottom), (right, bottom), &axis)?;
    db.draw_line((left, top), (left, bottom), &axis)?;
    let centre = label_text.anchored(HPos::Center, VPos::Center);
    if let Some(progress) = &scene.progress {
        frame.progress = Some(loading::draw_progress(
            db,
            progress,
            &place,
            &palette,
            &label_text,
            s,
        )?);
    }
    if points_in_view == 0 && frame.coarse_drawn == 0 && scene.progress.is_none() {
        let message = if scene.series.is_empty() {
            "No data loaded"
        } else {
            "No data in this time range"
        };
        db.draw_text(message, &centre, ((left + right) / 2, (top + bottom) / 2))?;
    }
    if let Some(note) = scene.note {
        let style = label_text.anchored(HPos::Center, VPos::Top);
        db.draw_text(note, &style, ((left + right) / 2, top + px(4.0)))?;
    }
    db.present()?;
    Ok(frame)
}

/// `text`, shortened with an ellipsis to fit `max_width` device pixels.
fn fit_text<DB: DrawingBackend>(
    db: &DB,
    text: &str,
    style: &ChartText,
    max_width: i32,
) -> Result<String, RenderError> {
    let fits = |t: &str| -> Result<bool, RenderError> {
        Ok(db.estimate_text_size(t, style)?.0 as i32 <= max_width)
    };
    if fits(text)? {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().chain(['…'].iter()).collect();
        if fits(&candidate)? {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Ok(if lo == 0 {
        String::new()
    } else {
        chars[..lo].iter().chain(['…'].iter()).collect()
    })
}

/// Fills between a run and the layer below it in a stack (its points over
/// the same columns, walked back), or the zero line where there is none (an
/// area, or the bottom layer).
fn fill_between<DB: DrawingBackend>(
    db: &mut DB,
    run: &Run,
    floor: Option<&[Run]>,
    baseline: i32,
    color: BackendColor,
    x_of: impl Fn(f64) -> i32,
    y_of: impl Fn(f64) -> i32,
) -> Result<(), RenderError> {
    let (Some(first), Some(last)) = (run.points.first(), run.points.last()) else {
        return Ok(());
    };
    let mut polygon: Vec<BackendCoord> = run
        .points
        .iter()
        .map(|&(x, v)| (x_of(x), y_of(v)))
        .collect();
    let below: Vec<BackendCoord> = floor
        .unwrap_or(&[])
        .iter()
        .flat_map(|r| r.points.iter())
        .filter(|&&(x, _)| x >= first.0 && x <= last.0)
        .map(|&(x, v)| (x_of(x), y_of(v)))
        .collect();
    if below.is_empty() {
        polygon.push((x_of(last.0), baseline));
        polygon.push((x_of(first.0), baseline));
    } else {
        polygon.extend(below.into_iter().rev());
    }
    db.fill_polygon(polygon, &color)?;
    Ok(())
}

/// The envelope of one series: per column, a band from min to max (gaps in
/// the data break it) and the mean as a line.
#[allow(clippy::too_many_arguments)]
fn draw_envelope<DB: DrawingBackend>(
    db: &mut DB,
    series: &Series,
    scene: &Scene,
    plot_width: usize,
    stroke: &Stroke,
    x_of: impl Fn(f64) -> i32 + Copy,
    y_of: impl Fn(f64) -> i32 + Copy,
    frame: &mut Frame,
) -> Result<(), RenderError> {
    let (from, to) = scene.view;
    let columns = envelope(series, from, to, plot_width);
    let fill = theme::band_of(stroke.color, scene.theme);
    let mut stretch: Vec<EnvelopeColumn> = Vec::new();
    let flush = |db: &mut DB, stretch: &mut Vec<EnvelopeColumn>, frame: &mut Frame| {
        if stretch.is_empty() {
            return Ok::<(), RenderError>(());
        }
        let x = |c: &EnvelopeColumn| x_of(c.column as f64);
        // The band spans each column's pixel, so even one column shows.
        let mut band: Vec<BackendCoord> = Vec::with_capacity(4 * stretch.len());
        for c in stretch.iter() {
            band.push((x(c), y_of(c.max)));
            band.push((x(c) + 1, y_of(c.max)));
        }
        for c in stretch.iter().rev() {
            band.push((x(c) + 1, y_of(c.min)));
            band.push((x(c), y_of(c.min)));
        }
        db.fill_polygon(band, &fill)?;
        let mean = Run {
            points: stretch.iter().map(|c| (c.column as f64, c.mean)).collect(),
        };
        frame.runs_drawn += 1;
        frame.vertices_drawn += draw_run(db, &mean, stroke, x_of, y_of)?;
        stretch.clear();
        Ok(())
    };
    for column in columns {
        if stretch
            .last()
            .is_some_and(|c| c.column + 1 != column.column)
        {
            flush(db, &mut stretch, frame)?;
        }
        stretch.push(column);
    }
    flush(db, &mut stretch, frame)
}

/// One unbroken stretch of a line; a lone point (data on both sides missing)
/// is drawn as a dot so it does not vanish.
fn draw_run<DB: DrawingBackend>(
    db: &mut DB,
    run: &Run,
    stroke: &Stroke,
    x_of: impl Fn(f64) -> i32,
    y_of: impl Fn(f64) -> i32,
) -> Result<usize, RenderError> {
    let mut path: Vec<BackendCoord> = Vec::with_capacity(run.points.len());
    for &(x, v) in &run.points {
        push_vertex(&mut path, (x_of(x), y_of(v)));
    }
    if let [(x, y)] = path[..] {
        let half = stroke.width as i32;
        db.draw_rect(
            (x - half, y - half),
            (x + half, y + half),
            &stroke.color,
            true,
        )?;
        return Ok(1);
    }
    let vertices = path.len();
    db.draw_path(path, stroke)?;
    Ok(vertices)
}

/// Appends a device-pixel vertex, dropping repeats and vertices that lie
/// between their neighbours on one row or column. Fewer vertices draw faster,
/// and a straight run of many segments is rasterised less crisply by canvas
/// than the one segment it equals.
fn push_vertex(path: &mut Vec<BackendCoord>, p: BackendCoord) {
    let between = |a: i32, b: i32, c: i32| (a <= b && b <= c) || (a >= b && b >= c);
    match path[..] {
        [.., last] if last == p => {}
        [.., a, b]
            if (a.1 == b.1 && b.1 == p.1 && between(a.0, b.0, p.0))
                || (a.0 == b.0 && b.0 == p.0 && between(a.1, b.1, p.1)) =>
        {
            let end = path.len() - 1;
            path[end] = p;
        }
        _ => path.push(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::backend::SVGBackend;

    fn render_svg(scene: &Scene, size: (u32, u32)) -> (String, Frame) {
        let mut svg = String::new();
        let frame = {
            let mut db = SVGBackend::with_string(&mut svg, size);
            draw_chart(&mut db, scene).unwrap()
        };
        (svg, frame)
    }

    fn hours_of_minutes(hours: usize, f: impl Fn(usize) -> f64) -> Series {
        let times: Vec<f64> = (0..hours * 60)
            .map(|i| 1_767_225_600.0 + i as f64 * 60.0)
            .collect();
        let values: Vec<f64> = (0..hours * 60).map(f).collect();
        Series::from_points(&times, &values).unwrap()
    }

    /// A light, 1:1 scene of `series` over the first one's full range.
    fn scene_of<'a>(series: &'a [(&'a str, &'a Series)]) -> Scene<'a> {
        let first = series[0].1;
        Scene {
            title: "t",
            ..Scene::new(series, (first.start(), first.end()))
        }
    }

    #[test]
    fn an_svg_chart_has_title_axis_labels_and_one_path_per_run() {
        let series = hours_of_minutes(24, |i| {
            if i == 700 {
                50.0
            } else {
                (i % 60) as f64 / 10.0
            }
        });
        let list = [("loadavg5", &series)];
        let scene = Scene {
            title: "web-01 · loadavg5",
            ..scene_of(&list)
        };
        let (svg, frame) = render_svg(&scene, (800, 300));
        assert!(svg.contains("web-01 · loadavg5"));
        assert!(svg.contains("times in UTC"));
        assert!(svg.contains("\n50\n</text>"), "the spike sets the axis top");
        assert!(
            frame.time_labels.contains(&"12:00".to_string()),
            "{:?}",
            frame.time_labels
        );
        assert_eq!(frame.value_range, (0.0, 50.0));
        assert_eq!(frame.points_in_view, 24 * 60);
        assert!(frame.vertices_drawn <= 4 * 800);
        assert_eq!(svg.matches("<polyline").count(), 1);
    }

    #[test]
    fn straight_stretches_become_single_segments_but_extremes_stay() {
        let mut path = Vec::new();
        for p in [
            (0, 5),
            (1, 5),
            (1, 5),
            (2, 5),
            (3, 5),
            (3, 1),
            (3, 9),
            (3, 4),
            (4, 4),
        ] {
            push_vertex(&mut path, p);
        }
        assert_eq!(path, [(0, 5), (3, 5), (3, 1), (3, 9), (3, 4), (4, 4)]);
    }

    #[test]
    fn close_annotations_shorten_their_titles_instead_of_overlapping() {
        let series = hours_of_minutes(24, |i| (i % 60) as f64);
        let named = [("s", &series)];
        let start = series.start();
        let at = |hours: f64| start + hours * 3_600.0;
        let annotations = [
            Annotation {
                from: at(12.5),
                to: at(13.0),
                title: "Later deploy of the web role".into(),
            },
            Annotation {
                from: at(12.0),
                to: at(12.1),
                title: "Deploy web <v2> #6312 with a long title".into(),
            },
        ];
        let scene = Scene {
            annotations: &annotations,
            ..scene_of(&named)
        };
        let (svg, frame) = render_svg(&scene, (600, 300));
        assert_eq!(frame.annotations_drawn, 2);
        // Half an hour is 12 px here: the earlier title is cut to fit
        // before the later band, which keeps its whole title.
        assert!(!svg.contains("with a long title"), "{svg}");
        assert!(svg.contains("Later deploy of the web role"));
    }

    #[test]
    fn an_empty_window_says_so_instead_of_drawing_nothing() {
        let series = hours_of_minutes(1, |_| 1.0);
        let list = [("s", &series)];
        let scene = Scene {
            theme: Theme::Dark,
            view: (0.0, 3600.0),
            pixel_ratio: 2.0,
            ..scene_of(&list)
        };
        let (svg, frame) = render_svg(&scene, (400, 200));
        assert!(svg.contains("No data in this time range"));
        assert_eq!(frame.points_in_view, 0);
    }

    #[test]
    fn tiny_canvases_and_odd_pixel_ratios_do_not_panic() {
        let series = hours_of_minutes(2, |i| i as f64);
        for (size, ratio) in [
            ((1, 1), 1.0),
            ((30, 20), 3.0),
            ((300, 200), f64::NAN),
            ((300, 200), 0.0),
        ] {
            let list = [("s", &series)];
            let scene = Scene {
                unit: Unit::Bytes,
                pixel_ratio: ratio,
                ..scene_of(&list)
            };
            render_svg(&scene, size);
        }
    }

    #[test]
    fn huge_values_are_drawn_inside_the_plot() {
        let series = hours_of_minutes(1, |i| if i % 2 == 0 { 1.7e308 } else { -1.7e308 });
        let list = [("s", &series)];
        let (_, frame) = render_svg(&scene_of(&list), (400, 200));
        assert!(frame.value_range.0.is_finite() && frame.value_range.1.is_finite());
        assert!(frame.vertices_drawn > 0);
    }
}
