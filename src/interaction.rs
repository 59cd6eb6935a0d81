//! What the pointer, the wheel and the keys do to a chart's time window,
//! worked out in CSS pixels and epoch seconds. No DOM here: the browser
//! binding forwards raw events and applies the effects that come back.

use crate::transform::PlotTransform;

/// A user action on the chart, in CSS pixels relative to the canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Input {
    /// Button pressed; `shift` selects a window instead of panning.
    Down {
        x: f64,
        y: f64,
        shift: bool,
    },
    Move {
        x: f64,
        y: f64,
    },
    Up {
        x: f64,
        y: f64,
    },
    /// The pointer left the canvas.
    Leave,
    /// Wheel or pinch: `delta` > 0 zooms out, < 0 zooms in (pixels, as
    /// `WheelEvent.deltaY` in pixel mode).
    Wheel {
        x: f64,
        y: f64,
        delta: f64,
    },
    DoubleClick,
    Key(Key),
}

/// Keys the chart answers to when focused.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Key {
    PanLeft,
    PanRight,
    ZoomIn,
    ZoomOut,
}

/// What an input changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Effect {
    /// The window changed (to the chart's new range).
    pub range_changed: bool,
    /// Where the crosshair now is, if it moved.
    pub cursor: Option<Cursor>,
    /// The window being selected with shift-drag, as CSS x from..to; `Some`
    /// with an empty range ends the selection.
    pub selection: Option<(f64, f64)>,
}

/// The crosshair: at a time, or hidden.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cursor {
    At(f64),
    Hidden,
}

/// A drag in progress.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Drag {
    Pan { x: f64, view: (f64, f64) },
    Select { x: f64, to: f64 },
}

/// Pixels the pointer must move before a press counts as a drag.
pub const DRAG_THRESHOLD: f64 = 3.0;
/// Zoom factor per pixel of wheel delta: one notch (100 px) is about ×1.2.
const WHEEL_ZOOM_PER_PX: f64 = 0.0018;
/// Keys pan by this share of the window and zoom by this factor.
const KEY_PAN: f64 = 0.1;
const KEY_ZOOM: f64 = 0.5;

/// `view` scaled by `factor` around time `t`, which stays where it is.
pub fn zoom_around(view: (f64, f64), t: f64, factor: f64) -> (f64, f64) {
    let (from, to) = view;
    (t - (t - from) * factor, t + (to - t) * factor)
}

/// `view` made at least `min_span` wide and moved (then narrowed) to lie
/// within `bounds`.
pub fn clamp_view(view: (f64, f64), bounds: (f64, f64), min_span: f64) -> (f64, f64) {
    let (mut from, mut to) = view;
    let max_span = (bounds.1 - bounds.0).max(min_span);
    let span = (to - from).clamp(min_span, max_span);
    let middle = from / 2.0 + to / 2.0;
    from = middle - span / 2.0;
    to = middle + span / 2.0;
    if from < bounds.0 {
        (from, to) = (bounds.0, bounds.0 + span);
    }
    if to > bounds.1 {
        (from, to) = (bounds.1 - span, bounds.1);
    }
    (from, to)
}

/// The window after `input`, if it changes: pure arithmetic on the plot
/// area, the drag state and the data's bounds. Updates `drag`.
pub fn next_view(
    input: Input,
    plot: &PlotTransform,
    drag: &mut Option<Drag>,
    effect: &mut Effect,
) -> Option<(f64, f64)> {
    let (from, to) = plot.view;
    let span = to - from;
    let [left, _, right, _] = plot.css_plot();
    match input {
        Input::Down { x, y, shift } if plot.contains_css(x, y) => {
            *drag = Some(if shift {
                Drag::Select { x, to: x }
            } else {
                Drag::Pan { x, view: plot.view }
            });
            None
        }
        Input::Move { x, y } => match drag {
            Some(Drag::Pan { x: x0, view }) => {
                if (x - *x0).abs() < DRAG_THRESHOLD {
                    return None;
                }
                // By whole device-pixel columns: the picture then moves as
                // it is, and only the columns it reveals are drawn anew.
                let columns = plot.columns() as f64;
                let moved = ((x - *x0) / plot.css_width() * columns).round();
                let dt = moved / columns * (view.1 - view.0);
                Some((view.0 - dt, view.1 - dt))
            }
            Some(Drag::Select { x: x0, to }) => {
                *to = x.clamp(left, right);
                effect.selection = Some((x0.min(*to), x0.max(*to)));
                None
            }
            None => {
                effect.cursor = Some(if plot.contains_css(x, y) {
                    Cursor::At(plot.time_at_css(x))
                } else {
                    Cursor::Hidden
                });
                None
            }
        },
        Input::Up { x, .. } => match drag.take() {
            Some(Drag::Select { x: x0, .. }) => {
                effect.selection = Some((0.0, 0.0));
                let x = x.clamp(left, right);
                ((x - x0).abs() >= DRAG_THRESHOLD)
                    .then(|| (plot.time_at_css(x0.min(x)), plot.time_at_css(x0.max(x))))
            }
            _ => None,
        },
        Input::Leave => {
            effect.cursor = Some(Cursor::Hidden);
            None
        }
        Input::Wheel { x, y, delta } if plot.contains_css(x, y) && delta != 0.0 => {
            let factor = (delta.clamp(-1_000.0, 1_000.0) * WHEEL_ZOOM_PER_PX).exp();
            Some(zoom_around(plot.view, plot.time_at_css(x), factor))
        }
        Input::Key(Key::PanLeft | Key::PanRight) => {
            // A tenth of the window, in whole columns as a drag moves.
            let columns = plot.columns() as f64;
            let dt = (columns * KEY_PAN).round() / columns * span;
            let dt = if input == Input::Key(Key::PanLeft) {
                -dt
            } else {
                dt
            };
            Some((from + dt, to + dt))
        }
        Input::Key(Key::ZoomIn) => Some(zoom_around(plot.view, from / 2.0 + to / 2.0, KEY_ZOOM)),
        Input::Key(Key::ZoomOut) => Some(zoom_around(
            plot.view,
            from / 2.0 + to / 2.0,
            1.0 / KEY_ZOOM,
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::transform::ValueScale;

    /// A plot 1000 px wide from CSS x 100 to 1100, over 1000 s.
    const PLOT: PlotTransform = PlotTransform {
        plot: [100, 10, 1099, 309],
        ratio: 1.0,
        view: (0.0, 1000.0),
        left: ValueScale {
            min: 0.0,
            max: 1.0,
            log: false,
        },
        right: None,
    };

    /// Press at x0, move to x1 and release, at mid-height.
    fn drag(x0: f64, x1: f64, shift: bool) -> [Input; 3] {
        let y = 100.0;
        [
            Input::Down { x: x0, y, shift },
            Input::Move { x: x1, y },
            Input::Up { x: x1, y },
        ]
    }

    fn run(inputs: &[Input]) -> (Option<(f64, f64)>, Effect) {
        let mut drag = None;
        let mut last = None;
        let mut effect = Effect::default();
        for &input in inputs {
            effect = Effect::default();
            last = next_view(input, &PLOT, &mut drag, &mut effect).or(last);
        }
        (last, effect)
    }

    #[test]
    fn the_wheel_zooms_around_the_time_under_the_pointer() {
        let (view, _) = run(&[Input::Wheel {
            x: 300.0,
            y: 50.0,
            delta: -100.0,
        }]);
        let (from, to) = view.unwrap();
        assert!(to - from < 1000.0, "wheel up zooms in");
        // The time under the pointer (200 s) stays under it: in the window
        // asked for exactly, in the one drawn (moved to whole columns) to
        // within half a column.
        let asked = PlotTransform {
            view: (from, to),
            ..PLOT
        };
        assert!((asked.time_at_css(300.0) - 200.0).abs() < 1e-9);
        let drawn = PLOT.with_view((from, to));
        let half_column = (to - from) / PLOT.columns() as f64 / 2.0;
        assert!((drawn.time_at_css(300.0) - 200.0).abs() <= half_column);
        let (out, _) = run(&[Input::Wheel {
            x: 300.0,
            y: 50.0,
            delta: 100.0,
        }]);
        assert!(out.unwrap().1 - out.unwrap().0 > 1000.0);
    }

    #[test]
    fn dragging_pans_by_the_distance_moved_and_a_click_does_nothing() {
        let (view, _) = run(&drag(600.0, 700.0, false));
        assert_eq!(view, Some((-100.0, 900.0)), "dragged right: earlier times");
        let (view, _) = run(&drag(600.0, 601.0, false));
        assert_eq!(view, None);
    }

    #[test]
    fn shift_drag_selects_a_window_and_zooms_to_it_on_release() {
        let (view, effect) = run(&drag(600.0, 300.0, true)[..2]);
        assert_eq!(view, None);
        assert_eq!(effect.selection, Some((300.0, 600.0)));
        let (view, effect) = run(&drag(600.0, 300.0, true));
        assert_eq!(view, Some((200.0, 500.0)));
        assert_eq!(effect.selection, Some((0.0, 0.0)), "the selection ends");
    }

    #[test]
    fn hovering_moves_the_cursor_and_leaving_hides_it() {
        let (_, effect) = run(&[Input::Move { x: 350.0, y: 100.0 }]);
        assert_eq!(effect.cursor, Some(Cursor::At(250.0)));
        let (_, effect) = run(&[Input::Move { x: 50.0, y: 100.0 }]);
        assert_eq!(effect.cursor, Some(Cursor::Hidden), "outside the plot");
        let (_, effect) = run(&[Input::Leave]);
        assert_eq!(effect.cursor, Some(Cursor::Hidden));
    }

    #[test]
    fn keys_pan_by_a_tenth_and_zoom_by_two_around_the_middle() {
        assert_eq!(run(&[Input::Key(Key::PanLeft)]).0, Some((-100.0, 900.0)));
        assert_eq!(run(&[Input::Key(Key::PanRight)]).0, Some((100.0, 1100.0)));
        assert_eq!(run(&[Input::Key(Key::ZoomIn)]).0, Some((250.0, 750.0)));
        assert_eq!(run(&[Input::Key(Key::ZoomOut)]).0, Some((-500.0, 1500.0)));
    }

    #[test]
    fn a_window_is_kept_within_the_data_and_never_narrower_than_the_minimum() {
        let bounds = (0.0, 1000.0);
        assert_eq!(clamp_view((-100.0, 900.0), bounds, 10.0), (0.0, 1000.0));
        assert_eq!(clamp_view((-100.0, 100.0), bounds, 10.0), (0.0, 200.0));
        assert_eq!(clamp_view((950.0, 1050.0), bounds, 10.0), (900.0, 1000.0));
        assert_eq!(clamp_view((500.0, 501.0), bounds, 10.0), (495.5, 505.5));
        assert_eq!(clamp_view((-5e3, 5e3), bounds, 10.0), (0.0, 1000.0));
    }
}
