//! The seam through which a backend keeps a frame's lines for the next:
//! what they depend on, and what a backend that keeps them answers.

use std::ops::Range;

use plotters_backend::DrawingBackend;

use super::layout::{Drawn, Layout};
use super::lines::stroke_of;
use super::{Scene, SeriesKind, Theme};
use crate::options::Mark;
use crate::transform::ValueScale;

/// What a frame's lines depend on besides where its window starts: two
/// frames with the same key whose windows are a whole number of pixel
/// columns apart draw the same line pixels, moved by that many columns.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinesKey {
    /// The chart's data and styles (`Scene::revision`).
    pub revision: u64,
    pub size: (u32, u32),
    pub plot: [i32; 4],
    /// The window's length, seconds.
    pub span: f64,
    pub left: ValueScale,
    pub right: Option<ValueScale>,
    pub theme: Theme,
    /// Device pixels per CSS pixel (line widths follow it).
    pub ratio: f64,
}

/// A backend's memory of the lines of its last frame as pixels (the
/// browser's canvas keeps them in its raster), so that a pan draws only the
/// columns it reveals.
pub trait KeptLines {
    /// Before a frame's lines, when they can be kept. `origin` is where the
    /// window starts in pixel columns (its start in seconds times columns
    /// per second), `columns` the plot's width, `margin` the columns beside
    /// a drawn stretch whose pixels a line through it may change.
    /// Returns the plot columns to draw lines in, in two stretches drawn one
    /// after the other: all of them (and none), or, when the last frame's
    /// lines had this key and a window a whole number of columns away,
    /// those the move revealed and those at the plot's other edge (each with
    /// margins: a line ends at the plot's edges, where it ran on before the
    /// move; the backend has moved the rest into place).
    fn begin(
        &self,
        key: &LinesKey,
        origin: f64,
        columns: usize,
        margin: usize,
    ) -> [Range<usize>; 2];

    /// Between the two stretches `begin` asked for.
    fn next(&self);

    /// After the lines `begin` was asked for are drawn.
    fn end(&self);

    /// A frame whose lines cannot be kept: forget the last ones.
    fn forget(&self);
}

/// Points a column from which every column of a line is drawn from its
/// own points (M4), not from segments between points columns apart.
const DENSE_POINTS_PER_COLUMN: usize = 4;

/// The plot columns whose lines this frame draws, in two stretches (all of
/// them and none, unless the backend kept the last frame's lines and moved
/// them), and whether the backend is keeping these.
pub(super) fn columns_to_draw<DB: DrawingBackend>(
    db: &DB,
    scene: &Scene,
    drawn: &[Drawn],
    layout: &Layout,
) -> ([Range<usize>; 2], bool) {
    let t = &layout.transform;
    let (from, to) = t.view;
    let columns = t.columns();
    let Some(keep) = scene.keep else {
        return ([0..columns, 0..0], false);
    };
    let Some(key) = lines_key(db, scene, drawn, layout) else {
        keep.forget();
        return ([0..columns, 0..0], false);
    };
    let margin = drawn
        .iter()
        .map(|d| stroke_of(scene, d.index, layout).width as usize)
        .max()
        .unwrap_or(1)
        + 3;
    let origin = from * columns as f64 / (to - from);
    let within = |r: Range<usize>| r.start.min(columns)..r.end.min(columns);
    (keep.begin(&key, origin, columns, margin).map(within), true)
}

/// The key of this frame's lines when they can be kept and moved by a pan:
/// opaque, solid lines of series on a grid at least four points a column
/// (so that each column's pixels come from its own points and its
/// neighbours'), and nothing else drawn with them.
fn lines_key<DB: DrawingBackend>(
    db: &DB,
    scene: &Scene,
    drawn: &[Drawn],
    layout: &Layout,
) -> Option<LinesKey> {
    let t = &layout.transform;
    let (from, to) = t.view;
    let columns = t.columns();
    let plain = |d: &Drawn| {
        let solid = scene.styles.get(d.index).is_none_or(|s| s.dash.is_none());
        let in_view = d.series.index_range(from, to).len();
        d.coarse.is_none()
            && d.stack.is_none()
            && matches!(d.mark, None | Some(Mark::Line))
            && solid
            && d.series.is_regular()
            && in_view > DENSE_POINTS_PER_COLUMN * columns
    };
    let lines = scene.kind == SeriesKind::Line && !drawn.is_empty() && drawn.iter().all(plain);
    lines.then(|| LinesKey {
        revision: scene.revision,
        size: db.get_size(),
        plot: t.plot,
        // The length asked for: the drawn window's, start + length - start,
        // may differ from it in the last bit from one start to the next.
        span: scene.view.1 - scene.view.0,
        left: t.left,
        right: t.right,
        theme: scene.theme,
        ratio: t.ratio,
    })
}
