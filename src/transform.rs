//! Where a time and a value land on the canvas, and back: the one mapping
//! the renderer, the thinning (pixel columns), the pointer and the overlay
//! all use. The plot is a rectangle of device pixels; CSS pixels are device
//! pixels over `ratio`.
//!
//! Across, the plot is `columns` device pixels wide and column `c` holds the
//! times `[c, c + 1)` of the window's share per column; a point is drawn at
//! its column's centre. Down, each value axis maps its range (linearly, or
//! by powers of ten) onto the rows from `bottom` (its min) to `top`.

/// Where time `t` falls across a plot `columns` wide showing `[from, to]`,
/// as the x (from 0, the first column's centre) its point is drawn at:
/// rounding it gives the column M4 puts the point in, and the window's ends
/// land on the first and last column.
pub fn column_x(t: f64, from: f64, to: f64, columns: usize) -> f64 {
    // The same arithmetic as `Columns::column_of`, so rounding this x gives
    // exactly the column M4 assigns.
    let x = (t - from) * (columns as f64 / (to - from)) - 0.5;
    x.clamp(0.0, columns.saturating_sub(1) as f64)
}

/// `view` moved by less than half a column so that it starts on a whole
/// multiple of its columns' length (counted from 1970): the window a plot
/// `columns` wide draws. Any two windows of one length then hold their
/// points in the same columns, however far apart they start, so a pan of
/// any length moves the picture by whole pixels and a kept picture can be
/// moved rather than drawn again. Left as it is when not finite.
pub fn snap_view(view: (f64, f64), columns: usize) -> (f64, f64) {
    let (from, to) = view;
    let span = to - from;
    let per_column = span / columns.max(1) as f64;
    let start = (from / per_column).round() * per_column;
    if start.is_finite() && per_column > 0.0 {
        (start, start + span)
    } else {
        view
    }
}

/// A value axis' range and how values spread over it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ValueScale {
    pub min: f64,
    pub max: f64,
    /// Powers of ten equally apart (min and max above zero).
    pub log: bool,
}

impl ValueScale {
    /// Where `v` lies from `min` (0) to `max` (1). On a log scale a value
    /// ≤ 0 has no place: it lies at minus infinity, below the bottom.
    pub fn fraction(&self, v: f64) -> f64 {
        if self.log {
            if v <= 0.0 {
                return f64::NEG_INFINITY;
            }
            let (lo, hi) = (self.min.log10(), self.max.log10());
            (v.log10() - lo) / (hi - lo)
        } else {
            // Halves keep the arithmetic finite for values near ±f64::MAX.
            (v / 2.0 - self.min / 2.0) / (self.max / 2.0 - self.min / 2.0)
        }
    }

    /// The value at `fraction` of the way from `min` to `max`.
    pub fn value_at(&self, fraction: f64) -> f64 {
        if self.log {
            let (lo, hi) = (self.min.log10(), self.max.log10());
            10f64.powf(lo + fraction * (hi - lo))
        } else {
            2.0 * (self.min / 2.0 + fraction * (self.max / 2.0 - self.min / 2.0))
        }
    }
}

/// Which value axis a series is read against.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    #[default]
    Left,
    Right,
}

/// The plot's place on the canvas, its window and its value axes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlotTransform {
    /// Device pixels: left, top, right, bottom, all inside the plot.
    pub plot: [i32; 4],
    /// Device pixels per CSS pixel.
    pub ratio: f64,
    /// The window, epoch seconds.
    pub view: (f64, f64),
    pub left: ValueScale,
    /// The right axis, when a series is read against it.
    pub right: Option<ValueScale>,
}

impl PlotTransform {
    /// Device-pixel columns across the plot.
    pub fn columns(&self) -> usize {
        (self.plot[2] - self.plot[0] + 1).max(1) as usize
    }

    fn span(&self) -> f64 {
        self.view.1 - self.view.0
    }

    /// The column x of `t` (see `column_x`), clamped to the plot.
    pub fn column_of(&self, t: f64) -> f64 {
        column_x(t, self.view.0, self.view.1, self.columns())
    }

    /// The device x a point at time `t` is drawn at.
    pub fn x_of(&self, t: f64) -> i32 {
        self.x_of_column(self.column_of(t))
    }

    /// The device x of column x `column` (as M4's runs give it).
    pub fn x_of_column(&self, column: f64) -> i32 {
        self.plot[0] + column.round() as i32
    }

    /// The device x at which a span starting or ending at `t` lies: a slot
    /// from t to t + step fills the columns between, edge to edge.
    pub fn edge_x(&self, t: f64) -> i32 {
        let width = self.columns() as f64;
        let x = ((t - self.view.0) * width / self.span()).clamp(0.0, width);
        self.plot[0] + x.round() as i32
    }

    /// The scale of `side` (the left one where there is no right axis).
    pub fn scale(&self, side: Side) -> &ValueScale {
        match (side, &self.right) {
            (Side::Right, Some(right)) => right,
            _ => &self.left,
        }
    }

    /// The device y of `v` on `side`'s axis, kept inside the plot (a value
    /// beyond a fixed end is drawn at that end).
    pub fn y_of(&self, side: Side, v: f64) -> i32 {
        let [_, top, _, bottom] = self.plot;
        let f = self.scale(side).fraction(v);
        let y = f64::from(bottom) - f * f64::from(bottom - top);
        if y.is_nan() {
            return bottom;
        }
        y.round().clamp(f64::from(top), f64::from(bottom)) as i32
    }

    /// The value on `side`'s axis at device row `y` (not kept inside).
    pub fn value_at(&self, side: Side, y: f64) -> f64 {
        let [_, top, _, bottom] = self.plot;
        let height = f64::from((bottom - top).max(1));
        self.scale(side).value_at((f64::from(bottom) - y) / height)
    }

    /// The plot in CSS pixels: left and top edges, right and bottom edges
    /// (past the last pixel), so `right - left` is its CSS width.
    pub fn css_plot(&self) -> [f64; 4] {
        let [left, top, right, bottom] = self.plot;
        [left, top, right + 1, bottom + 1].map(|v| f64::from(v) / self.ratio)
    }

    /// The CSS x at which time `t` lies (not kept inside the plot).
    pub fn css_x(&self, t: f64) -> f64 {
        let device =
            f64::from(self.plot[0]) + (t - self.view.0) * self.columns() as f64 / self.span();
        device / self.ratio
    }

    /// The time at CSS x (outside the plot: beyond the window's ends).
    pub fn time_at_css(&self, x: f64) -> f64 {
        let device = x * self.ratio - f64::from(self.plot[0]);
        self.view.0 + device * self.span() / self.columns() as f64
    }

    /// The CSS width of the plot.
    pub fn css_width(&self) -> f64 {
        self.columns() as f64 / self.ratio
    }

    /// Whether CSS point (x, y) is over the plot.
    pub fn contains_css(&self, x: f64, y: f64) -> bool {
        let [left, top, right, bottom] = self.css_plot();
        (left..=right).contains(&x) && (top..=bottom).contains(&y)
    }

    /// The same plot over another window, moved to whole columns (see
    /// `snap_view`).
    pub fn with_view(&self, view: (f64, f64)) -> PlotTransform {
        PlotTransform {
            view: snap_view(view, self.columns()),
            ..*self
        }
    }
}

// proptest is a native dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn transform(plot: [i32; 4], ratio: f64, view: (f64, f64), left: ValueScale) -> PlotTransform {
        PlotTransform {
            plot,
            ratio,
            view,
            left,
            right: None,
        }
    }

    proptest! {
        #[test]
        fn time_and_css_x_round_trip_for_any_plot_ratio_and_window(
            left in 0i32..400, top in 0i32..200, width in 1i32..4_000, height in 1i32..2_000,
            ratio in 0.5f64..4.0, from in 0.0f64..4e9, span in 60.0f64..4e7, at in 0.0f64..1.0,
        ) {
            let t = transform([left, top, left + width - 1, top + height - 1], ratio,
                (from, from + span), ValueScale { min: 0.0, max: 1.0, log: false });
            let time = from + at * span;
            let back = t.time_at_css(t.css_x(time));
            prop_assert!((back - time).abs() <= span * 1e-9, "{time} → {back}");
            // The column a time is drawn in holds it.
            let column = t.column_of(time).round();
            let (c0, c1) = (t.time_at_css((f64::from(left) + column) / ratio),
                t.time_at_css((f64::from(left) + column + 1.0) / ratio));
            prop_assert!(c0 - span * 1e-9 <= time && time <= c1 + span * 1e-9,
                "{time} drawn in column {column}: {c0}..{c1}");
            let [l, _, r, _] = t.css_plot();
            prop_assert!(((r - l) - t.css_width()).abs() < 1e-9);
        }

        #[test]
        fn value_and_row_round_trip_on_linear_and_log_axes(
            top in 0i32..200, height in 10i32..2_000, lo in -1e6f64..1e6, range in 1e-3f64..1e9,
            decades in 1i32..30, low_power in -10i32..10, at in 0.0f64..1.0,
        ) {
            let plot = [0, top, 100, top + height];
            let linear = ValueScale { min: lo, max: lo + range, log: false };
            let log = ValueScale {
                min: 10f64.powi(low_power), max: 10f64.powi(low_power + decades), log: true,
            };
            for scale in [linear, log] {
                let t = transform(plot, 1.0, (0.0, 1.0), scale);
                let v = scale.value_at(at);
                let y = f64::from(top + height) - at * f64::from(height);
                let back = t.value_at(Side::Left, y);
                prop_assert!((back - v).abs() <= v.abs().max(range) * 1e-9, "{v} → {back}");
                let row = t.y_of(Side::Left, v);
                prop_assert!((f64::from(row) - y).abs() <= 0.5 + 1e-6, "{v}: row {row}, y {y}");
            }
        }
    }

    #[test]
    fn log_axes_put_zero_and_negatives_below_the_plot_and_ends_at_the_edges() {
        let t = transform(
            [10, 10, 110, 110],
            1.0,
            (0.0, 100.0),
            ValueScale {
                min: 1.0,
                max: 1000.0,
                log: true,
            },
        );
        assert_eq!(t.y_of(Side::Left, 1.0), 110);
        assert_eq!(t.y_of(Side::Left, 1000.0), 10);
        assert_eq!(t.y_of(Side::Left, 10.0), 77);
        assert_eq!(t.y_of(Side::Left, 0.0), 110);
        assert_eq!(t.y_of(Side::Left, -5.0), 110);
        assert_eq!(t.y_of(Side::Left, f64::NAN), 110);
        assert_eq!(t.scale(Side::Right), &t.left, "no right axis: the left");
        assert_eq!((t.x_of(0.0), t.x_of(100.0)), (10, 110));
        assert_eq!((t.edge_x(0.0), t.edge_x(100.0)), (10, 111));
    }
}
