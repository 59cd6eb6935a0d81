//! A chart's state — options, named series, the visible window — and the
//! changes made to it; `draw` turns that state into what is seen (frames,
//! SVG, tooltip, legend). The browser handle in `web` only forwards to
//! this; nothing here knows about the browser.

mod draw;
mod error;
mod merge;
mod window;

pub use error::ChartError;

use std::cell::{Cell, RefCell};

use crate::interaction::Drag;
use crate::limits::Limit;
use crate::loading::{Coarse, NotLoaded, Progress, Standin};
pub use crate::options::ChartOptions;
use crate::options::{SeriesRule, SeriesStyle};
use crate::render::{check_marks, Theme};
use crate::series::Series;
use crate::transform::PlotTransform;
use crate::zone::TimeZone;

fn is_time(t: f64) -> bool {
    Limit::Time.check(t).is_ok()
}

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
    plot: Option<PlotTransform>,
    drag: Option<Drag>,
    zone: TimeZone,
    /// The cumulative layers of a stacked chart (None per hidden series),
    /// or why the series cannot be stacked; made when first drawn after a
    /// change to the series.
    stacked: RefCell<Option<Result<Vec<Option<Series>>, String>>>,
    /// The times whose values merges changed since the stack was made
    /// (the stack is brought up to date over them when next drawn).
    restack: Cell<Option<(f64, f64)>>,
    /// Slots of stacked layers added up since the chart was made.
    stacked_slots: Cell<usize>,
    /// Stretches a load finally failed to fetch, and its progress.
    not_loaded: Vec<NotLoaded>,
    progress: Option<Progress>,
    /// Style set for one name (`set_series_options`), after the options'
    /// rules; kept for names whose data has not come yet.
    own: Vec<(String, SeriesRule)>,
    /// The reader prefers dark colours (for `theme: 'auto'`).
    prefers_dark: bool,
    /// Counts the changes to the series and their styles: lines a backend
    /// kept are those of the same revision.
    revision: u64,
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
        for (name, axis) in [("left", &options.axes.left), ("right", &options.axes.right)] {
            axis.check()
                .map_err(|why| ChartError::BadOption(format!("axes.{name}: {why}")))?;
        }
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
        self.restack.set(None);
        self.revision = self.revision.wrapping_add(1);
    }

    /// The values of a series changed over `[from, to]` only (a chunk was
    /// merged): a stack made before is brought up to date over those times
    /// when next drawn, rather than added up again over every slot.
    fn values_changed(&mut self, from: f64, to: f64) {
        let span = match self.restack.get() {
            Some((a, b)) => (a.min(from), b.max(to)),
            None => (from, to),
        };
        self.restack.set(Some(span));
        self.revision = self.revision.wrapping_add(1);
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
}

#[cfg(test)]
mod restack_tests;
#[cfg(test)]
mod tests;
