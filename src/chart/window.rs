//! The chart's time window: following the data or set, and moved by the
//! pointer, the wheel and the keys through the last frame's transform.

use super::{is_time, Chart, ChartError, MIN_SLOTS_IN_VIEW};
use crate::interaction::{clamp_view, next_view, Effect, Input};
use crate::transform::PlotTransform;

impl Chart {
    /// From the earliest to the latest time of any series; with none, the
    /// stretches a load could not fetch (a load that found nothing shows
    /// why over the range it asked for).
    pub fn full_range(&self) -> Option<(f64, f64)> {
        let series = self
            .series
            .iter()
            .map(|e| (e.series.start(), e.series.end()));
        let spans = self.not_loaded.iter().map(|s| (s.from, s.to));
        let widest = |a: (f64, f64), b: (f64, f64)| (a.0.min(b.0), a.1.max(b.1));
        if self.series.is_empty() {
            spans.reduce(widest)
        } else {
            series.reduce(widest)
        }
    }

    /// The visible window: the one set, else the full range. A single-point
    /// series gets a window of one step around it so it is still drawn.
    pub fn range(&self) -> Option<(f64, f64)> {
        let (from, to) = self.view.or_else(|| self.full_range())?;
        if to > from {
            return Some((from, to));
        }
        let step = self.series.first().map_or(60.0, |e| e.series.step());
        Some((from - step, to + step))
    }

    /// Shows `[from, to]` (epoch seconds).
    pub fn set_range(&mut self, from: f64, to: f64) -> Result<(), ChartError> {
        if !(is_time(from) && is_time(to) && from < to) {
            return Err(ChartError::BadRange { from, to });
        }
        self.view = Some((from, to));
        Ok(())
    }

    /// Follows the data again: the window is the full range.
    pub fn reset_range(&mut self) {
        self.view = None;
    }

    /// The plot area of the last frame drawn by `draw`, over the current
    /// window (which may have changed since that frame).
    pub fn plot_area(&self) -> Option<PlotTransform> {
        self.plot
            .map(|plot| plot.with_view(self.range().unwrap_or(plot.view)))
    }

    /// The time (epoch seconds) under CSS x of the canvas, in the current
    /// window; None before the first frame.
    pub fn time_at(&self, x: f64) -> Option<f64> {
        self.plot_area()
            .filter(|_| x.is_finite())
            .map(|p| p.time_at_css(x))
    }

    /// The CSS x of time `t` in the current window; None before the first
    /// frame.
    pub fn x_at(&self, t: f64) -> Option<f64> {
        self.plot_area()
            .filter(|_| t.is_finite())
            .map(|p| p.css_x(t))
    }

    /// Applies a user action: zoom, pan, select, reset, move the crosshair.
    /// The window stays within the data and at least a few slots wide.
    pub fn handle(&mut self, input: Input) -> Effect {
        let mut effect = Effect::default();
        let Some(plot) = self.plot_area() else {
            return effect;
        };
        if input == Input::DoubleClick {
            effect.range_changed = self.view.is_some();
            self.reset_range();
            return effect;
        }
        let Some(view) = next_view(input, &plot, &mut self.drag, &mut effect) else {
            return effect;
        };
        let (Some(bounds), Some(min_span)) = (self.full_range(), self.min_span()) else {
            return effect;
        };
        let (from, to) = clamp_view(view, bounds, min_span);
        if Some((from, to)) != self.range() && from.is_finite() && to.is_finite() && from < to {
            self.view = Some((from, to));
            effect.range_changed = true;
        }
        effect
    }

    /// The narrowest window allowed: a few slots of the finest series.
    fn min_span(&self) -> Option<f64> {
        self.series
            .iter()
            .map(|e| e.series.step())
            .reduce(f64::min)
            .map(|step| (step * MIN_SLOTS_IN_VIEW).max(1.0))
    }
}
