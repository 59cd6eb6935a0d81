//! A chart's state — options, named series, the visible window — and the
//! pipeline from that state to a drawn frame. The browser handle in `web`
//! only forwards to this; nothing here knows about the browser.

use std::fmt;

use plotters::backend::SVGBackend;
use plotters_backend::DrawingBackend;

use std::cell::RefCell;

use crate::interaction::{clamp_view, next_view, Drag, Effect, Input, PlotArea};
use crate::limits::{Limit, LimitError, Number};
use crate::loading::{Coarse, CoarseError, NotLoaded, Progress, Standin};
pub use crate::options::ChartOptions;
use crate::options::{SeriesRule, SeriesStyle};
use crate::readout::{legend_entry, readout, LegendEntry, Readout};
use crate::render::{
    check_marks, draw_chart, Frame, MarkError, RenderError, Scene, SeriesKind, Theme,
};
use crate::series::{Series, SeriesError};
use crate::stack::stack_with;
use crate::zone::{TimeZone, ZoneError};

/// Whether XML 1.0 allows `c` in a document.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

fn is_time(t: f64) -> bool {
    Limit::Time.check(t).is_ok()
}

/// A request the chart cannot carry out.
#[derive(Clone, Debug, PartialEq)]
pub enum ChartError {
    BadRange {
        from: f64,
        to: f64,
    },
    UnknownSeries(String),
    Series(SeriesError),
    Zone(ZoneError),
    Mark(MarkError),
    Coarse(CoarseError),
    Limit(LimitError),
    /// An option that cannot be honoured (an axis, a locale), and why.
    BadOption(String),
}

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChartError::BadRange { from, to } => write!(
                f,
                "time range {}..{} is not valid: both ends must be epoch seconds \
                 from year 1 to 9999, and from < to",
                Number(*from),
                Number(*to)
            ),
            ChartError::UnknownSeries(name) => {
                write!(f, "the chart has no series named {name:?}")
            }
            ChartError::Series(e) => e.fmt(f),
            ChartError::Zone(e) => e.fmt(f),
            ChartError::Mark(e) => e.fmt(f),
            ChartError::Coarse(e) => e.fmt(f),
            ChartError::Limit(e) => e.fmt(f),
            ChartError::BadOption(why) => write!(f, "chart options: {why}"),
        }
    }
}

impl std::error::Error for ChartError {}

/// One named series and whether it is shown.
#[derive(Clone, Debug)]
struct Entry {
    name: String,
    series: Series,
    hidden: bool,
    /// The coarse picture shown where 1-minute data is not loaded yet.
    standin: Standin,
}

/// The span a series' slots cover, from its first slot to the end of its
/// last.
fn span_of(series: &Series) -> (f64, f64) {
    (series.start(), series.end() + series.step())
}

/// Options, series, window and interaction state of one chart.
#[derive(Clone, Debug, Default)]
pub struct Chart {
    options: ChartOptions,
    series: Vec<Entry>,
    /// None follows the data: the window is always the full range.
    view: Option<(f64, f64)>,
    /// Where the last frame put the plot, for turning pointer positions
    /// into times.
    plot: Option<PlotArea>,
    drag: Option<Drag>,
    zone: TimeZone,
    /// The cumulative layers of a stacked chart (None per hidden series),
    /// or why the series cannot be stacked; made when first drawn after a
    /// change to the series.
    stacked: RefCell<Option<Result<Vec<Option<Series>>, String>>>,
    /// Stretches a load finally failed to fetch, and its progress.
    not_loaded: Vec<NotLoaded>,
    progress: Option<Progress>,
    /// Style set for one name (`set_series_options`), after the options'
    /// rules; kept for names whose data has not come yet.
    own: Vec<(String, SeriesRule)>,
    /// The reader prefers dark colours (for `theme: 'auto'`).
    prefers_dark: bool,
}

/// The narrowest window, in slots of the finest series: zoomed in that far,
/// single points stand well apart.
const MIN_SLOTS_IN_VIEW: f64 = 10.0;

impl Chart {
    /// A chart with `options`; fails on an unknown time zone or a threshold
    /// or annotation that cannot be drawn.
    pub fn new(options: ChartOptions) -> Result<Chart, ChartError> {
        let mut chart = Chart::default();
        chart.set_options(options)?;
        Ok(chart)
    }

    pub fn options(&self) -> &ChartOptions {
        &self.options
    }

    /// Replaces the options; on an error the old ones stay.
    pub fn set_options(&mut self, options: ChartOptions) -> Result<(), ChartError> {
        check_marks(&options.thresholds, &options.annotations).map_err(ChartError::Mark)?;
        options
            .axes
            .left
            .check()
            .map_err(|why| ChartError::BadOption(format!("axes.left: {why}")))?;
        if let Some(locale) = &options.locale {
            crate::locale::check(locale)
                .map_err(|why| ChartError::BadOption(format!("locale: {why}")))?;
        }
        let zone = match &options.time_zone {
            Some(name) => TimeZone::named(name).map_err(ChartError::Zone)?,
            None => crate::zone::local_zone(),
        };
        self.zone = zone;
        self.options = options;
        // Rules may move series between stacks.
        self.series_changed();
        Ok(())
    }

    /// The theme drawn: the one chosen, or with `auto` the reader's.
    pub fn theme(&self) -> Theme {
        self.options.theme.resolve(self.prefers_dark)
    }

    /// Whether the reader prefers dark colours (the browser's
    /// `prefers-color-scheme`), which `theme: 'auto'` follows.
    pub fn set_prefers_dark(&mut self, dark: bool) {
        self.prefers_dark = dark;
    }

    /// The zone the time axis and tooltip are in.
    pub fn time_zone(&self) -> &TimeZone {
        &self.zone
    }

    fn series_changed(&mut self) {
        *self.stacked.get_mut() = None;
    }

    /// Adds the series, or replaces the one with the same name (keeping
    /// whether it is hidden).
    pub fn set_series(&mut self, name: &str, series: Series) -> Result<(), ChartError> {
        self.check_room(name)?;
        self.series_changed();
        let (from, to) = span_of(&series);
        let entry = match self.series.iter().position(|e| e.name == name) {
            Some(i) => {
                self.series[i].series = series;
                &mut self.series[i]
            }
            None => {
                let hidden = self.style_of(self.series.len(), name).hidden;
                self.series.push(Entry {
                    name: name.to_string(),
                    series,
                    hidden,
                    standin: Standin::default(),
                });
                self.series.last_mut().expect("just pushed")
            }
        };
        entry.standin.loaded(from, to);
        Ok(())
    }

    /// Adds or replaces every series of `table`; when they would be more
    /// than a chart may hold, none is changed.
    pub fn set_many(
        &mut self,
        table: impl IntoIterator<Item = (String, Series)>,
    ) -> Result<(), ChartError> {
        let table: Vec<(String, Series)> = table.into_iter().collect();
        let mut new: Vec<&str> = table
            .iter()
            .map(|(name, _)| name.as_str())
            .filter(|name| !self.series.iter().any(|e| e.name == *name))
            .collect();
        new.sort_unstable();
        new.dedup();
        Limit::SeriesPerChart
            .check_count(self.series.len() + new.len())
            .map_err(ChartError::Limit)?;
        for (name, series) in table {
            self.set_series(&name, series)?;
        }
        Ok(())
    }

    /// How the `index`-th series, `name`, is drawn and named.
    fn style_of(&self, index: usize, name: &str) -> SeriesStyle {
        let own = self
            .own
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, rule)| rule);
        self.options.style_of(index, name, own)
    }

    /// Every series' style, in drawing order.
    pub fn styles(&self) -> Vec<SeriesStyle> {
        self.series
            .iter()
            .enumerate()
            .map(|(i, e)| self.style_of(i, &e.name))
            .collect()
    }

    /// Sets the style of the series `name` alone, over the options' rules
    /// (its `match` is ignored); the series need not exist yet. `hidden`
    /// shows or hides it at once.
    pub fn set_series_options(&mut self, name: &str, rule: SeriesRule) -> Result<(), ChartError> {
        if !self.own.iter().any(|(n, _)| n == name) {
            Limit::SeriesPerChart
                .check_count(self.own.len() + 1)
                .map_err(ChartError::Limit)?;
        }
        if let (Some(hidden), Some(entry)) =
            (rule.hidden, self.series.iter_mut().find(|e| e.name == name))
        {
            entry.hidden = hidden;
            self.series_changed();
        }
        let rule = SeriesRule {
            pattern: None,
            ..rule
        };
        self.series_changed();
        match self.own.iter_mut().find(|(n, _)| n == name) {
            Some((_, own)) => *own = rule,
            None => self.own.push((name.to_string(), rule)),
        }
        Ok(())
    }

    /// Refuses a new series `name` when the chart holds as many as it may.
    fn check_room(&self, name: &str) -> Result<(), ChartError> {
        if self.series.iter().any(|e| e.name == name) {
            return Ok(());
        }
        Limit::SeriesPerChart
            .check_count(self.series.len() + 1)
            .map(drop)
            .map_err(ChartError::Limit)
    }

    /// Merges new points into the series `name` (newest wins on the same
    /// time), or adds it when there is none: the live tail, or a chunk.
    pub fn append(&mut self, name: &str, times: &[f64], values: &[f64]) -> Result<(), ChartError> {
        let chunk = Series::from_points(times, values).map_err(ChartError::Series)?;
        self.merge(name, chunk, None).map(drop)
    }

    /// Merges `chunk` into the series `name`, or adds it when there is none.
    /// `span` is the stretch `[from, to)` the chunk was asked for (its own
    /// slots when None): only its points there are kept, and it counts as
    /// loaded at full resolution, so the coarse picture gives way there even
    /// where the chunk has gaps. Returns how many points with a value were
    /// kept.
    pub fn merge(
        &mut self,
        name: &str,
        chunk: Series,
        span: Option<(f64, f64)>,
    ) -> Result<usize, ChartError> {
        if let Some((from, to)) = span {
            if !(is_time(from) && is_time(to) && from < to) {
                return Err(ChartError::BadRange { from, to });
            }
        }
        let (from, to) = span.unwrap_or_else(|| span_of(&chunk));
        // Only what was asked for: an API may answer a little around it
        // (Prometheus' lookback after the last sample).
        let chunk = match span {
            Some((from, to)) => match chunk.clipped(from, to) {
                Some(chunk) => chunk,
                None => {
                    if let Some(entry) = self.series.iter_mut().find(|e| e.name == name) {
                        entry.standin.loaded(from, to);
                    }
                    return Ok(0);
                }
            },
            None => chunk,
        };
        let kept = chunk.valid_count();
        let Some(entry) = self.series.iter_mut().find(|e| e.name == name) else {
            self.set_series(name, chunk)?;
            return Ok(kept);
        };
        entry.series.merge(&chunk).map_err(ChartError::Series)?;
        entry.standin.loaded(from, to);
        self.series_changed();
        Ok(kept)
    }

    /// Makes room in the series `name` for 1-minute (`step`) data over
    /// `[from, to]`, adding it empty when there is none, so chunks that
    /// arrive newest first merge in place instead of moving the data each
    /// time.
    pub fn reserve(&mut self, name: &str, from: f64, to: f64, step: f64) -> Result<(), ChartError> {
        if !(is_time(from) && is_time(to) && from <= to) {
            return Err(ChartError::BadRange { from, to });
        }
        let start = if step > 0.0 {
            (from / step).floor() * step
        } else {
            from
        };
        let slots = if step > 0.0 {
            ((to - start) / step).floor() + 1.0
        } else {
            1.0
        };
        let empty = Series::empty_grid(start, step, slots.min(usize::MAX as f64) as usize)
            .map_err(ChartError::Series)?;
        self.check_room(name)?;
        match self.series.iter_mut().find(|e| e.name == name) {
            Some(entry) => entry.series.merge(&empty).map_err(ChartError::Series)?,
            None => self.series.push(Entry {
                name: name.to_string(),
                series: empty,
                hidden: self.style_of(self.series.len(), name).hidden,
                standin: Standin::default(),
            }),
        }
        self.series_changed();
        Ok(())
    }

    /// Shows `coarse` under the series `name` wherever its 1-minute data is
    /// not loaded yet.
    pub fn set_coarse(&mut self, name: &str, coarse: Coarse) -> Result<(), ChartError> {
        let entry = self
            .series
            .iter_mut()
            .find(|e| e.name == name)
            .ok_or_else(|| ChartError::UnknownSeries(name.to_string()))?;
        entry.standin.set_coarse(coarse);
        Ok(())
    }

    /// The stretches drawn as *not loaded*: a load finally failed there.
    pub fn set_not_loaded(&mut self, spans: Vec<NotLoaded>) -> Result<(), ChartError> {
        Limit::NotLoadedSpans
            .check_count(spans.len())
            .map_err(ChartError::Limit)?;
        if let Some(bad) = spans
            .iter()
            .find(|s| !(is_time(s.from) && is_time(s.to) && s.from <= s.to))
        {
            return Err(ChartError::BadRange {
                from: bad.from,
                to: bad.to,
            });
        }
        self.not_loaded = spans;
        Ok(())
    }

    /// The progress drawn over the plot; None when no load runs.
    pub fn set_progress(&mut self, progress: Option<Progress>) {
        self.progress = progress;
    }

    /// Removes every series.
    pub fn clear(&mut self) {
        self.series_changed();
        self.series.clear();
        self.not_loaded.clear();
    }

    /// Names of the series, in drawing order.
    pub fn series_names(&self) -> impl Iterator<Item = &str> {
        self.series.iter().map(|e| e.name.as_str())
    }

    /// Whether the series `name` is shown; None when there is none.
    pub fn is_visible(&self, name: &str) -> Option<bool> {
        self.series
            .iter()
            .find(|e| e.name == name)
            .map(|e| !e.hidden)
    }

    /// Hides or shows the series `name`; the value range refits.
    pub fn set_visible(&mut self, name: &str, visible: bool) -> Result<(), ChartError> {
        let entry = self
            .series
            .iter_mut()
            .find(|e| e.name == name)
            .ok_or_else(|| ChartError::UnknownSeries(name.to_string()))?;
        entry.hidden = !visible;
        self.series_changed();
        Ok(())
    }

    /// From the earliest to the latest time of any series.
    pub fn full_range(&self) -> Option<(f64, f64)> {
        self.series
            .iter()
            .map(|e| (e.series.start(), e.series.end()))
            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
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
    pub fn plot_area(&self) -> Option<PlotArea> {
        self.plot.map(|plot| PlotArea {
            view: self.range().unwrap_or(plot.view),
            ..plot
        })
    }

    /// The time (epoch seconds) under CSS x of the canvas, in the current
    /// window; None before the first frame.
    pub fn time_at(&self, x: f64) -> Option<f64> {
        self.plot_area()
            .filter(|_| x.is_finite())
            .map(|p| p.time_at(x))
    }

    /// The CSS x of time `t` in the current window; None before the first
    /// frame.
    pub fn x_at(&self, t: f64) -> Option<f64> {
        self.plot_area()
            .filter(|_| t.is_finite())
            .map(|p| p.x_of(t))
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

    /// What the tooltip shows at time `t`: see `readout::readout`.
    pub fn readout(&self, t: f64) -> Readout {
        let styles = self.styles();
        let shown: Vec<(&SeriesStyle, &Series)> = self
            .series
            .iter()
            .zip(&styles)
            .filter(|(e, _)| !e.hidden)
            .map(|(e, style)| (style, &e.series))
            .collect();
        readout(&shown, t, &self.options, &self.zone)
    }

    /// The legend: every series with exact statistics over the window.
    pub fn legend(&self) -> Vec<LegendEntry> {
        let (from, to) = self.range().unwrap_or((0.0, 0.0));
        self.series
            .iter()
            .zip(self.styles())
            .map(|(e, style)| {
                legend_entry(
                    &style,
                    &e.name,
                    &e.series,
                    !e.hidden,
                    (from, to),
                    &self.options,
                )
            })
            .collect()
    }

    /// The chart as an SVG document `width` × `height` pixels (image export).
    pub fn to_svg(&self, width: u32, height: u32) -> Result<String, RenderError> {
        for side in [width, height] {
            Limit::ImageSide
                .check(f64::from(side))
                .map_err(|e| RenderError(e.to_string()))?;
        }
        let mut svg = String::new();
        {
            let mut db = SVGBackend::with_string(&mut svg, (width.max(1), height.max(1)));
            self.render(&mut db, 1.0)?;
        }
        // Text from the page or the API may hold characters XML cannot
        // (a title with U+0001): they become U+FFFD, so the document is
        // always well-formed.
        if svg.contains(|c| !is_xml_char(c)) {
            svg = svg
                .chars()
                .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' })
                .collect();
        }
        Ok(svg)
    }

    /// Draws the chart on the whole of `db` and remembers where the plot
    /// went, for pointer input.
    pub fn draw<DB: DrawingBackend>(
        &mut self,
        db: &mut DB,
        pixel_ratio: f64,
    ) -> Result<Frame, RenderError> {
        let frame = self.render(db, pixel_ratio)?;
        let ratio = if pixel_ratio.is_finite() && pixel_ratio > 0.0 {
            pixel_ratio
        } else {
            1.0
        };
        let [left, top, right, bottom] = frame.plot.map(|v| f64::from(v) / ratio);
        self.plot = Some(PlotArea {
            left,
            top,
            right,
            bottom,
            view: frame.view,
        });
        Ok(frame)
    }

    fn render<DB: DrawingBackend>(
        &self,
        db: &mut DB,
        pixel_ratio: f64,
    ) -> Result<Frame, RenderError> {
        let series: Vec<(&str, &Series)> = self
            .series
            .iter()
            .map(|e| (e.name.as_str(), &e.series))
            .collect();
        let hidden: Vec<bool> = self.series.iter().map(|e| e.hidden).collect();
        let styles = self.styles();
        let coarse: Vec<Option<&Coarse>> = self.series.iter().map(|e| e.standin.coarse()).collect();
        let names = self.stack_names(&styles);
        // Stack index of each series, for the renderer's floors.
        let mut stacks: Vec<&str> = Vec::new();
        let groups: Vec<Option<usize>> = names
            .iter()
            .map(|name| {
                let name = name.as_deref()?;
                Some(stacks.iter().position(|s| *s == name).unwrap_or_else(|| {
                    stacks.push(name);
                    stacks.len() - 1
                }))
            })
            .collect();
        let stacking = !stacks.is_empty();
        if stacking && self.stacked.borrow().is_none() {
            *self.stacked.borrow_mut() = Some(self.stack_layers(&names));
        }
        let stacked = self.stacked.borrow();
        let (layers, note) = match stacked.as_ref().filter(|_| stacking) {
            Some(Ok(layers)) => (Some(layers.as_slice()), None),
            Some(Err(why)) => (None, Some(why.as_str())),
            None => (None, None),
        };
        let scene = Scene {
            title: &self.options.title,
            unit: self.options.unit,
            theme: self.theme(),
            hidden: &hidden,
            styles: &styles,
            axis: &self.options.axes.left,
            locale: Some(self.options.locale.as_deref()),
            kind: self.options.kind,
            stacked: layers,
            stack_groups: &groups,
            thresholds: &self.options.thresholds,
            annotations: &self.options.annotations,
            zone: Some(&self.zone),
            note,
            coarse: &coarse,
            not_loaded: &self.not_loaded,
            progress: self.progress,
            pixel_ratio,
            ..Scene::new(&series, self.range().unwrap_or((0.0, 1.0)))
        };
        draw_chart(db, &scene)
    }

    /// The stack each series is a layer of: its own `stack`, else with a
    /// stacked chart the chart's one ("").
    fn stack_names(&self, styles: &[SeriesStyle]) -> Vec<Option<String>> {
        let chart_stack = self.options.kind == SeriesKind::Stacked;
        styles
            .iter()
            .map(|style| match &style.stack {
                Some(name) => Some(name.0.clone()),
                None => chart_stack.then(String::new),
            })
            .collect()
    }

    /// The cumulative layer of every shown series in a stack (None for the
    /// others), or why they cannot be stacked (then they are drawn as lines
    /// with that note). Each stack is added up on its own, `"percent"`
    /// scaled to 100 % per minute.
    fn stack_layers(&self, names: &[Option<String>]) -> Result<Vec<Option<Series>>, String> {
        let mut layers: Vec<Option<Series>> = vec![None; self.series.len()];
        let mut seen: Vec<&str> = Vec::new();
        for name in names.iter().flatten() {
            if seen.contains(&name.as_str()) {
                continue;
            }
            seen.push(name);
            let members: Vec<usize> = (0..self.series.len())
                .filter(|&i| !self.series[i].hidden && names[i].as_deref() == Some(name))
                .collect();
            let shown: Vec<&Series> = members.iter().map(|&i| &self.series[i].series).collect();
            if shown.is_empty() {
                continue;
            }
            let cumulative = stack_with(&shown, name == "percent")
                .map_err(|e| format!("Drawn as lines: {e}"))?;
            for (i, layer) in members.into_iter().zip(cumulative) {
                layers[i] = Some(layer);
            }
        }
        Ok(layers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interaction::Key;
    use crate::render::Theme;
    use crate::units::Unit;

    fn series(start: f64, n: usize) -> Series {
        let times: Vec<f64> = (0..n).map(|i| start + i as f64 * 60.0).collect();
        Series::from_points(&times, &vec![1.0; n]).unwrap()
    }

    #[test]
    fn the_window_follows_the_data_until_a_range_is_set() {
        let mut chart = Chart::new(ChartOptions::default()).unwrap();
        assert_eq!(chart.range(), None);
        chart.set_series("a", series(0.0, 10)).unwrap();
        chart.set_series("b", series(300.0, 10)).unwrap();
        assert_eq!(chart.range(), Some((0.0, 840.0)));
        chart.set_range(60.0, 120.0).unwrap();
        assert_eq!(chart.range(), Some((60.0, 120.0)));
        chart.reset_range();
        assert_eq!(chart.range(), Some((0.0, 840.0)));
    }

    #[test]
    fn a_stacked_chart_of_series_far_apart_draws_without_the_time_between() {
        let options = ChartOptions {
            kind: SeriesKind::Stacked,
            ..ChartOptions::default()
        };
        let mut chart = Chart::new(options).unwrap();
        let a = Series::from_arrays(&[1.7e9, 1.7e9 + 60.0], vec![1.0, 2.0]).unwrap();
        chart.set_series("a", a).unwrap();
        // A time past year 9999 is refused where it comes in.
        let err = Series::from_arrays(&[1e299], vec![1.0]).unwrap_err();
        assert!(err.to_string().contains("1e299"), "{err}");
        // 10^8 minutes later: stacked over the two spans, not the 190 years.
        let b = Series::from_arrays(&[1.7e9 + 6e9], vec![1.0]).unwrap();
        chart.set_series("b", b).unwrap();
        let svg = chart.to_svg(800, 300).unwrap();
        assert!(svg.contains("<path") || svg.contains("<polyline"));
        let stacked = chart.stacked.borrow();
        let layers = stacked.as_ref().unwrap().as_ref().unwrap();
        assert_eq!(layers[1].as_ref().unwrap().len(), 4);
    }

    #[test]
    fn sizes_spans_and_ranges_outside_the_limits_are_refused() {
        let mut chart = Chart::new(ChartOptions::default()).unwrap();
        chart.set_series("a", series(0.0, 10)).unwrap();
        for (w, h) in [(0, 100), (100, 0), (16_385, 100), (u32::MAX, 100)] {
            let err = chart.to_svg(w, h).unwrap_err().to_string();
            assert!(err.contains("imageSide"), "{err}");
        }
        assert!(chart.to_svg(16_384, 10).is_ok());
        let span = |k: usize| NotLoaded {
            from: k as f64 * 60.0,
            to: k as f64 * 60.0 + 30.0,
            reason: "x".into(),
        };
        let err = chart
            .set_not_loaded((0..100_000).map(span).collect())
            .unwrap_err();
        assert!(err.to_string().contains("notLoadedSpans"), "{err}");
        assert!(chart
            .set_not_loaded((0..10_000).map(span).collect())
            .is_ok());
        for (from, to) in [(0.0, 1e300), (-1e300, 0.0), (0.0, f64::NAN)] {
            assert!(chart.set_range(from, to).is_err());
        }
        assert_eq!(chart.range(), Some((0.0, 540.0)), "the window is kept");
    }

    #[test]
    fn a_chart_holds_at_most_its_limit_of_series() {
        let mut chart = Chart::new(ChartOptions::default()).unwrap();
        let table =
            (0..crate::limits::MAX_SERIES_PER_CHART).map(|k| (format!("s{k}"), series(0.0, 2)));
        chart.set_many(table).unwrap();
        let err = chart.set_series("one more", series(0.0, 2)).unwrap_err();
        assert!(err.to_string().contains("seriesPerChart"), "{err}");
        chart.set_series("s0", series(60.0, 2)).unwrap();
        let err = chart
            .set_many([
                ("s1".to_string(), series(0.0, 2)),
                ("new".to_string(), series(0.0, 2)),
            ])
            .unwrap_err();
        assert!(matches!(err, ChartError::Limit(_)));
        assert_eq!(
            chart.series_names().count(),
            crate::limits::MAX_SERIES_PER_CHART
        );
    }

    #[test]
    fn control_characters_in_text_never_break_the_svg() {
        let options = ChartOptions {
            title: "cpu\u{1}\u{0}\u{FFFF}".into(),
            ..ChartOptions::default()
        };
        let mut chart = Chart::new(options).unwrap();
        chart.set_series("name\u{1b}[31m", series(0.0, 10)).unwrap();
        let svg = chart.to_svg(400, 200).unwrap();
        assert!(svg.chars().all(is_xml_char));
        assert!(svg.contains("cpu\u{FFFD}"));
    }

    #[test]
    fn the_auto_theme_draws_as_the_reader_prefers() {
        let chart = |theme: Theme, prefers_dark: bool| {
            let options = ChartOptions {
                theme,
                ..ChartOptions::default()
            };
            let mut chart = Chart::new(options).unwrap();
            chart.set_series("a", series(0.0, 10)).unwrap();
            chart.set_prefers_dark(prefers_dark);
            chart.to_svg(300, 150).unwrap()
        };
        assert_eq!(chart(Theme::Auto, true), chart(Theme::Dark, false));
        assert_eq!(chart(Theme::Auto, false), chart(Theme::Light, true));
        assert_ne!(chart(Theme::Auto, true), chart(Theme::Auto, false));
    }

    #[test]
    fn a_series_with_the_same_name_is_replaced() {
        let mut chart = Chart::new(ChartOptions::default()).unwrap();
        chart.set_series("a", series(0.0, 10)).unwrap();
        chart.set_series("a", series(600.0, 2)).unwrap();
        assert_eq!(chart.series_names().count(), 1);
        assert_eq!(chart.range(), Some((600.0, 660.0)));
    }

    #[test]
    fn a_single_point_still_gets_a_window() {
        let mut chart = Chart::new(ChartOptions::default()).unwrap();
        chart.set_series("a", series(600.0, 1)).unwrap();
        assert_eq!(chart.range(), Some((540.0, 660.0)));
    }

    #[test]
    fn bad_ranges_are_refused_and_the_old_one_kept() {
        let mut chart = Chart::new(ChartOptions::default()).unwrap();
        chart.set_range(0.0, 10.0).unwrap();
        for (from, to) in [
            (5.0, 5.0),
            (10.0, 0.0),
            (f64::NAN, 1.0),
            (0.0, f64::INFINITY),
        ] {
            assert!(chart.set_range(from, to).is_err());
        }
        assert_eq!(chart.range(), Some((0.0, 10.0)));
    }

    #[test]
    fn the_chart_exports_as_an_svg_document() {
        let mut chart = Chart::new(ChartOptions {
            title: "db-01 · memory.used".into(),
            unit: Unit::Bytes,
            ..ChartOptions::default()
        })
        .unwrap();
        chart.set_series("memory.used", series(0.0, 100)).unwrap();
        let svg = chart.to_svg(640, 240).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("db-01 · memory.used"));
        assert!(svg.contains(" B\n</text>"), "byte labels");
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert!(Chart::default()
            .to_svg(300, 150)
            .unwrap()
            .contains("No data loaded"));
        assert!(Chart::default().to_svg(1, 1).is_ok());
    }

    #[test]
    fn options_read_from_json_with_defaults_and_refuse_typos() {
        let o: ChartOptions =
            serde_json::from_str(r#"{"title":"cpu","unit":"percentage"}"#).unwrap();
        assert_eq!(o.unit, Unit::Percentage);
        assert_eq!(o.theme, Theme::Light);
        let e = serde_json::from_str::<ChartOptions>(r#"{"titel":"cpu"}"#).unwrap_err();
        assert!(e.to_string().contains("titel"));
    }

    #[test]
    fn time_at_and_x_at_are_the_pointers_conversion_in_the_current_window() {
        let mut chart = Chart::new(ChartOptions::default()).unwrap();
        chart.set_series("a", series(0.0, 1_000)).unwrap();
        assert_eq!(chart.time_at(100.0), None, "nothing drawn yet");
        let mut svg = String::new();
        chart
            .draw(&mut SVGBackend::with_string(&mut svg, (800, 300)), 1.0)
            .unwrap();
        let plot = chart.plot_area().unwrap();
        assert_eq!(chart.time_at(plot.left), Some(0.0));
        assert_eq!(chart.time_at(plot.right), Some(999.0 * 60.0));
        // A new window counts before the next frame, as it does for the pointer.
        chart.set_range(600.0, 1_200.0).unwrap();
        let middle = (plot.left + plot.right) / 2.0;
        assert_eq!(chart.time_at(middle), Some(900.0));
        assert_eq!(chart.x_at(900.0), Some(middle));
        assert_eq!(chart.time_at(f64::NAN), None);
        assert_eq!(chart.x_at(f64::INFINITY), None);
    }

    #[test]
    fn pointer_input_zooms_pans_and_resets_within_the_data() {
        let mut chart = Chart::new(ChartOptions::default()).unwrap();
        chart.set_series("a", series(0.0, 1_000)).unwrap();
        assert_eq!(
            chart.handle(Input::DoubleClick),
            Effect::default(),
            "nothing drawn yet"
        );
        let mut svg = String::new();
        let mut db = SVGBackend::with_string(&mut svg, (800, 300));
        chart.draw(&mut db, 1.0).unwrap();
        let plot = chart.plot_area().unwrap();
        let middle = (plot.left + plot.right) / 2.0;
        let y = (plot.top + plot.bottom) / 2.0;
        let wheel = |delta| Input::Wheel {
            x: middle,
            y,
            delta,
        };
        assert!(chart.handle(wheel(-500.0)).range_changed);
        let (from, to) = chart.range().unwrap();
        assert!(to - from < 59_940.0 / 2.0);
        // Zooming in stops at ten slots; zooming out at the data's range.
        for _ in 0..50 {
            chart.handle(wheel(-500.0));
        }
        let (from, to) = chart.range().unwrap();
        assert!((to - from - 600.0).abs() < 1e-6, "{from}..{to}");
        for _ in 0..50 {
            chart.handle(wheel(500.0));
        }
        assert_eq!(chart.range(), Some((0.0, 59_940.0)));
        assert!(
            !chart.handle(Input::Key(Key::PanLeft)).range_changed,
            "already at the start"
        );
        chart.set_range(30_000.0, 40_000.0).unwrap();
        assert!(chart.handle(Input::DoubleClick).range_changed);
        assert_eq!(chart.range(), Some((0.0, 59_940.0)));
    }

    #[test]
    fn a_hidden_series_is_left_out_of_the_drawing_tooltip_and_value_range() {
        let mut chart = Chart::new(ChartOptions::default()).unwrap();
        chart.set_series("small", series(0.0, 100)).unwrap();
        let big = Series::from_points(&[0.0, 60.0], &[1_000.0, 2_000.0]).unwrap();
        chart.set_series("big", big).unwrap();
        let mut svg = String::new();
        let frame = chart
            .draw(&mut SVGBackend::with_string(&mut svg, (400, 200)), 1.0)
            .unwrap();
        assert_eq!(frame.value_range.1, 2_000.0);
        chart.set_visible("big", false).unwrap();
        let mut svg = String::new();
        let frame = chart
            .draw(&mut SVGBackend::with_string(&mut svg, (400, 200)), 1.0)
            .unwrap();
        assert!(frame.value_range.1 < 10.0, "{:?}", frame.value_range);
        assert_eq!(chart.readout(30.0).rows.len(), 1);
        assert!(!chart.legend()[1].visible);
        assert_eq!(
            chart.set_visible("nope", true),
            Err(ChartError::UnknownSeries("nope".into()))
        );
    }

    #[test]
    fn appending_merges_new_minutes_and_bad_chunks_are_refused() {
        let mut chart = Chart::new(ChartOptions::default()).unwrap();
        chart.set_series("a", series(0.0, 10)).unwrap();
        chart.append("a", &[600.0, 660.0], &[2.0, 3.0]).unwrap();
        assert_eq!(chart.range(), Some((0.0, 660.0)));
        assert!(chart.append("a", &[1.0], &[]).is_err());
        assert_eq!(chart.range(), Some((0.0, 660.0)), "kept");
        chart.append("b", &[0.0], &[1.0]).unwrap();
        assert_eq!(chart.series_names().count(), 2);
    }

    #[test]
    fn a_reserved_series_takes_chunks_newest_first_and_the_coarse_picture_gives_way() {
        use crate::loading::{Coarse, Covers, NotLoaded};
        let mut chart = Chart::new(ChartOptions::default()).unwrap();
        let hourly = Series::from_grid(0.0, 3_600.0, vec![1.0, 2.0, 3.0, 4.0]).unwrap();
        let coarse = Coarse::new(&hourly, None, Covers::StepAfter).unwrap();
        assert_eq!(
            chart.set_coarse("a", coarse.clone()),
            Err(ChartError::UnknownSeries("a".into())),
            "reserve first"
        );
        chart.reserve("a", 0.0, 4.0 * 3_600.0 - 60.0, 60.0).unwrap();
        chart.set_coarse("a", coarse).unwrap();
        assert_eq!(chart.range(), Some((0.0, 4.0 * 3_600.0 - 60.0)));
        let svg = |chart: &mut Chart| {
            let mut out = String::new();
            let mut db = SVGBackend::with_string(&mut out, (400, 200));
            let frame = chart.draw(&mut db, 1.0).unwrap();
            drop(db);
            frame
        };
        assert_eq!(svg(&mut chart).coarse_drawn, 4);
        // The newest hour, then the one before: merged in place.
        for hour in [3.0, 2.0] {
            let chunk = series(hour * 3_600.0, 60);
            let kept = chart
                .merge("a", chunk, Some((hour * 3_600.0, (hour + 1.0) * 3_600.0)))
                .unwrap();
            assert_eq!(kept, 60);
        }
        let frame = svg(&mut chart);
        assert_eq!(frame.coarse_drawn, 2, "hours 0 and 1 are still coarse");
        assert_eq!(frame.points_in_view, 120);
        assert_eq!(chart.range(), Some((0.0, 4.0 * 3_600.0 - 60.0)), "no move");
        assert!(chart
            .merge("a", series(0.0, 2), Some((f64::NAN, 60.0)))
            .is_err());
        let spilling = series(3_000.0, 30);
        assert_eq!(
            chart
                .merge("a", spilling, Some((3_000.0, 3_600.0)))
                .unwrap(),
            10,
            "only the minutes inside the span asked for are kept and counted"
        );
        assert!(chart
            .set_not_loaded(vec![NotLoaded {
                from: 5.0,
                to: f64::NAN,
                reason: String::new()
            }])
            .is_err());
        chart
            .set_not_loaded(vec![NotLoaded {
                from: 0.0,
                to: 3_600.0,
                reason: "HTTP 500".into(),
            }])
            .unwrap();
        assert_eq!(svg(&mut chart).not_loaded_drawn, 1);
        // Ten thousand failed minutes side by side are one band on screen.
        let minutes = (0..10_000).map(|k| NotLoaded {
            from: 60.0 * k as f64,
            to: 60.0 * (k + 1) as f64,
            reason: if k % 2 == 0 { "HTTP 500" } else { "HTTP 503" }.into(),
        });
        chart.set_not_loaded(minutes.collect()).unwrap();
        chart.set_range(0.0, 600_000.0).unwrap();
        let frame = svg(&mut chart);
        assert_eq!(frame.not_loaded_drawn, 10_000);
        let mut out = String::new();
        chart
            .draw(&mut SVGBackend::with_string(&mut out, (400, 200)), 1.0)
            .unwrap();
        assert_eq!(out.matches("not loaded").count(), 1);
        assert!(out.contains("10000 stretches"));
        chart.clear();
        assert_eq!(svg(&mut chart).not_loaded_drawn, 0);
    }
}
