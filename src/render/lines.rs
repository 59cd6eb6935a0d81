//! The series: each thinned to at most four points per pixel column (M4)
//! and drawn as its mark says — a line (solid or dashed), an area or a
//! stack layer filled down to the layer below, points, bars — or, for an
//! envelope chart, a min–max band with the mean.

use std::ops::Range;

use plotters_backend::{BackendColor, BackendCoord, DrawingBackend};

use super::bars::{draw_bars, Bars};
use super::dash::draw_dashed;
use super::keep::columns_to_draw;
use super::layout::{Drawn, Layout};
use super::{loading, theme, Frame, RenderError, Scene, SeriesKind, Stroke};
use crate::columns::{m4_runs_in, M4Strategy, Run};
use crate::envelope::{envelope, EnvelopeColumn};
use crate::options::Mark;
use crate::series::Series;
use crate::transform::{PlotTransform, Side};

/// From this many series on, thinning reads ahead (`M4Strategy::AutoCold`).
const COLD_FROM_SERIES: usize = 4;
/// Device pixels between points from which each point is drawn as a dot.
const MIN_DOT_SPACING: usize = 8;

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

/// A series' colour and stroke.
pub(super) fn stroke_of(scene: &Scene, index: usize, layout: &Layout) -> Stroke {
    match scene.styles.get(index) {
        Some(style) => Stroke {
            color: BackendColor {
                alpha: 1.0,
                rgb: (style.color.0, style.color.1, style.color.2),
            },
            width: layout.px(style.width).max(1) as u32,
        },
        None => Stroke {
            color: layout.palette.series_color(index),
            width: layout.thin(),
        },
    }
}

/// Draws every shown series in order; stack layers fill down to the layer
/// drawn before them in their stack.
pub(super) fn draw_series<DB: DrawingBackend>(
    db: &mut DB,
    scene: &Scene,
    drawn: &[Drawn],
    layout: &Layout,
    frame: &mut Frame,
) -> Result<(), RenderError> {
    let t = &layout.transform;
    let columns = t.columns();
    let mut stacking = Stacking::default();
    // A frame of plain lines draws only the columns a pan revealed when the
    // backend kept the last frame's.
    let (stretches, keeping) = columns_to_draw(db, scene, drawn, layout);
    frame.columns_kept = columns - stretches.iter().map(|c| c.len()).sum::<usize>();
    let passes = stretches.iter().enumerate().filter(|(_, c)| !c.is_empty());
    for (pass, cols) in passes {
        if pass > 0 {
            if let Some(keep) = scene.keep {
                keep.next();
            }
        }
        draw_stretch(db, scene, drawn, layout, frame, cols, &mut stacking)?;
    }
    for bars in stacking.bars.iter().rev() {
        draw_bars(db, bars, t)?;
    }
    if let (Some(keep), true) = (scene.keep, keeping) {
        keep.end();
    }
    Ok(())
}

/// What the layers of stacks leave for those drawn after them.
#[derive(Default)]
struct Stacking {
    /// Per stack and side of zero, the runs of its last layer drawn there:
    /// the floor of the next layer on that side. (A layer whose values
    /// change sign in the window fills from the side its values are on at
    /// the most; its line, the cumulative sum, is exact either way.)
    floors: Vec<[Option<Vec<Run>>; 2]>,
    /// Bar layers of stacks, each bar from zero to its layer's sum: drawn
    /// top layer first, so each layer below covers the part that is its own.
    bars: Vec<Bars>,
}

/// The series' lines (and fills, bars, dots) in the plot columns `cols`.
fn draw_stretch<DB: DrawingBackend>(
    db: &mut DB,
    scene: &Scene,
    drawn: &[Drawn],
    layout: &Layout,
    frame: &mut Frame,
    cols: &Range<usize>,
    stacking: &mut Stacking,
) -> Result<(), RenderError> {
    let t = &layout.transform;
    let (from, to) = t.view;
    let columns = t.columns();
    // With many series, their data is no longer in cache by the time each
    // is thinned: read ahead.
    let strategy = if drawn.len() >= COLD_FROM_SERIES {
        M4Strategy::AutoCold
    } else {
        M4Strategy::Auto
    };
    for d in drawn {
        let stroke = stroke_of(scene, d.index, layout);
        if let Some(coarse) = d.coarse {
            let thin = layout.thin();
            frame.coarse_drawn +=
                loading::draw_coarse(db, coarse, t, d.side, stroke.color, scene.theme, thin)?;
        }
        if scene.kind == SeriesKind::Envelope && d.mark.is_none() && d.stack.is_none() {
            draw_envelope(db, d.series, scene, t, d.side, &stroke, frame)?;
            continue;
        }
        let in_view = d.series.index_range(from, to).len();
        let runs = m4_runs_in(d.series, from, to, columns, strategy, cols.clone());
        // On a log scale zero and negative values are gaps, never a path
        // to minus infinity.
        let log = t.scale(d.side).log;
        let runs = if log { positive_runs(runs) } else { runs };
        let fill = theme::fill_of(stroke.color, scene.theme);
        let mark = d.mark.unwrap_or(match scene.kind {
            SeriesKind::Area => Mark::Area,
            _ => Mark::Line,
        });
        let y_of = |v: f64| t.y_of(d.side, v);
        let x_of = |x: f64| t.x_of_column(x);
        let baseline = y_of(0.0);
        if mark == Mark::Bars {
            frame.runs_drawn += runs.len();
            let bars = Bars {
                runs,
                side: d.side,
                in_view,
                color: stroke.color,
                fill,
            };
            if d.stack.is_some() {
                stacking.bars.push(bars);
            } else {
                draw_bars(db, &bars, t)?;
            }
            continue;
        }
        // Which side of zero a stack's layer fills on (only layers need it).
        let side = usize::from(d.stack.is_some() && below_zero(&runs));
        // Zoomed far in, each point also gets a dot so single minutes show.
        let dots = mark == Mark::Points || (in_view > 0 && in_view * MIN_DOT_SPACING <= columns);
        let dash: Vec<f64> = scene
            .styles
            .get(d.index)
            .and_then(|s| s.dash.as_ref())
            .map(|dash| dash.0.iter().map(|l| l * t.ratio).collect())
            .unwrap_or_default();
        for run in &runs {
            if let Some(group) = d.stack {
                let floor = stacking.floors.get(group).and_then(|f| f[side].as_deref());
                fill_between(db, run, floor, baseline, fill, x_of, y_of)?;
            } else if mark == Mark::Area {
                fill_between(db, run, None, baseline, fill, x_of, y_of)?;
            }
            frame.runs_drawn += 1;
            if mark != Mark::Points {
                frame.vertices_drawn += draw_run(db, run, &stroke, &dash, x_of, y_of)?;
            }
            if dots {
                let r = ((2.0 * t.ratio).round() as i32).max(1);
                for &(x, v) in &run.points {
                    let (x, y) = (x_of(x), y_of(v));
                    db.draw_rect((x - r, y - r), (x + r, y + r), &stroke.color, true)?;
                }
            }
        }
        if let Some(group) = d.stack {
            if stacking.floors.len() <= group {
                stacking.floors.resize(group + 1, [None, None]);
            }
            stacking.floors[group][side] = Some(runs);
        }
    }
    Ok(())
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
fn draw_envelope<DB: DrawingBackend>(
    db: &mut DB,
    series: &Series,
    scene: &Scene,
    t: &PlotTransform,
    side: Side,
    stroke: &Stroke,
    frame: &mut Frame,
) -> Result<(), RenderError> {
    let (from, to) = t.view;
    let columns = envelope(series, from, to, t.columns());
    let fill = theme::band_of(stroke.color, scene.theme);
    let x_of = |x: f64| t.x_of_column(x);
    let y_of = |v: f64| t.y_of(side, v);
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
        frame.vertices_drawn += draw_run(db, &mean, stroke, &[], x_of, y_of)?;
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

/// One unbroken stretch of a line, solid or with `dash` (device pixels on,
/// off, …); a lone point (data on both sides missing) is drawn as a dot
/// so it does not vanish.
fn draw_run<DB: DrawingBackend>(
    db: &mut DB,
    run: &Run,
    stroke: &Stroke,
    dash: &[f64],
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
    if dash.is_empty() {
        db.draw_path(path, stroke)?;
    } else {
        draw_dashed(db, &path, dash, stroke)?;
    }
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
}
