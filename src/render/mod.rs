//! Draws a chart through any plotters `DrawingBackend`: the browser canvas,
//! SVG natively, or a bitmap in tests. Work per frame is proportional to the
//! pixels: each series is thinned to at most four points per pixel column.
//! `draw_chart` is the sequence; each step is a file: `layout` (what goes
//! where), `axes`, `marks` (annotations, thresholds), `lines` (the
//! series, with `bars` and `dash`), `loading` (what a load still under way
//! looks like), `status`.

mod axes;
mod bars;
mod dash;
mod keep;
mod layout;
mod lines;
mod loading;
mod marks;
mod status;
mod text;
mod theme;

use std::fmt;

use plotters_backend::{BackendColor, BackendStyle, DrawingBackend, DrawingErrorKind};
use serde::Serialize;

use crate::loading::{Coarse, NotLoaded, Progress};
use crate::options::{Axes, SeriesStyle};
use crate::series::Series;
use crate::transform::PlotTransform;
use crate::units::Unit;
use crate::zone::TimeZone;

pub use crate::options::{check_marks, Annotation, Level, MarkError, SeriesKind, Theme, Threshold};
pub use keep::{KeptLines, LinesKey};
pub use text::ChartText;
pub use theme::Palette;

/// Axes with no ends set: the data's range, linear, in the chart's unit.
static NO_AXES: Axes = Axes::NONE;

/// What to draw: everything a frame depends on.
pub struct Scene<'a> {
    pub title: &'a str,
    /// The values' unit, where an axis gives none.
    pub unit: Unit,
    pub theme: Theme,
    pub series: &'a [(&'a str, &'a Series)],
    /// `hidden[i]` leaves series i out of the drawing and the value range
    /// (colours stay by position); shorter than `series` means shown.
    pub hidden: &'a [bool],
    /// Per series, its colour, line width, dash, mark and axis
    /// (`ChartOptions::style_of`); shorter than `series` means the palette
    /// by position, 1 px, the chart's kind, the left axis.
    pub styles: &'a [SeriesStyle],
    /// The value axes' ends, scales, units and names.
    pub axes: &'a Axes,
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
    /// There is no window yet (no data and no range set): `view` is a
    /// stand-in, and the time axis has no labels rather than 1970's.
    pub timeless: bool,
    /// Device pixels per CSS pixel; all sizes below are in CSS pixels.
    pub pixel_ratio: f64,
    /// Changes whenever the data or the styles do (a chart's count of its
    /// changes), for `keep`.
    pub revision: u64,
    /// Where the lines of the last frame are kept, if anywhere.
    pub keep: Option<&'a dyn KeptLines>,
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
            axes: &NO_AXES,
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
            timeless: false,
            pixel_ratio: 1.0,
            revision: 0,
            keep: None,
        }
    }
}

/// What a drawn frame shows, for tests, accessibility and hit-testing.
/// Sizes are in CSS pixels, with the device pixels per CSS pixel beside.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Frame {
    /// The canvas' size.
    pub width: f64,
    pub height: f64,
    /// Device pixels per CSS pixel.
    pub ratio: f64,
    /// The plot's edges from the canvas' top left: left, top, right,
    /// bottom (`right - left` is its width).
    pub plot: [f64; 4],
    /// Device-pixel columns across the plot: how many points per series a
    /// load needs at most to draw every pixel.
    pub columns: usize,
    pub view: (f64, f64),
    /// Value range of the left axis, and of the right one when drawn.
    pub value_range: (f64, f64),
    pub right_range: Option<(f64, f64)>,
    pub time_labels: Vec<String>,
    pub value_labels: Vec<String>,
    pub right_labels: Vec<String>,
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
    /// Plot columns whose lines were kept from the last frame (moved by a
    /// pan) rather than drawn again.
    pub columns_kept: usize,
    /// Slots of stacked layers the chart has added up since it was made
    /// (layers × slots): every slot each time a stack is made anew, only
    /// those merges changed when one is brought up to date.
    pub stacked_slots: usize,
    /// Where times and values landed (None when nothing could be laid out).
    #[serde(skip)]
    pub transform: Option<PlotTransform>,
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

/// Draws `scene` on `db`, filling the whole backend, and says what it drew.
pub fn draw_chart<DB: DrawingBackend>(db: &mut DB, scene: &Scene) -> Result<Frame, RenderError> {
    let (width, height) = db.get_size();
    let ratio = if scene.pixel_ratio.is_finite() && scene.pixel_ratio > 0.0 {
        scene.pixel_ratio
    } else {
        1.0
    };
    db.ensure_prepared()?;
    let background = scene.theme.palette().background;
    db.draw_rect((0, 0), (width as i32, height as i32), &background, true)?;

    let drawn = layout::drawn(scene);
    let layout = layout::lay_out(db, scene, &drawn, ratio)?;
    let t = &layout.transform;
    let mut frame = Frame {
        width: f64::from(width) / ratio,
        height: f64::from(height) / ratio,
        ratio,
        plot: t.css_plot(),
        columns: t.columns(),
        view: scene.view,
        value_range: (layout.left.ticks.min, layout.left.ticks.max),
        right_range: layout.right.as_ref().map(|a| (a.ticks.min, a.ticks.max)),
        points_in_view: layout.points_in_view,
        transform: Some(*t),
        ..Frame::default()
    };
    axes::draw_heading(db, scene, &layout)?;
    let [left, top, right, bottom] = t.plot;
    if right - left < 2 || bottom - top < 2 {
        db.present()?;
        return Ok(frame);
    }
    axes::draw_grid(db, scene, &layout, &mut frame)?;
    marks::draw_annotations(db, scene, &layout, &mut frame)?;
    frame.not_loaded_drawn = loading::draw_not_loaded(
        db,
        scene.not_loaded,
        t,
        &layout.palette,
        &layout.label,
        ratio,
    )?;
    lines::draw_series(db, scene, &drawn, &layout, &mut frame)?;
    marks::draw_thresholds(db, scene, &layout, &mut frame)?;
    axes::draw_axis_lines(db, &layout)?;
    status::draw_status(db, scene, &layout, &mut frame)?;
    db.present()?;
    Ok(frame)
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
