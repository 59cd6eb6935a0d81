//! What a chart shows of its state: frames on any backend (the stack
//! layers summed first), the SVG export, the tooltip and the legend.

use plotters::backend::SVGBackend;
use plotters_backend::DrawingBackend;

use super::Chart;
use crate::limits::Limit;
use crate::loading::Coarse;
use crate::options::SeriesStyle;
use crate::readout::{legend_entry, readout, LegendEntry, Readout};
use crate::render::{draw_chart, Frame, KeptLines, RenderError, Scene, SeriesKind};
use crate::series::Series;
use crate::stack::{added_up, stack_with};

/// Whether XML 1.0 allows `c` in a document.
pub(super) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

impl Chart {
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
            self.render(&mut db, 1.0, None)?;
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
        self.draw_keeping(db, pixel_ratio, None)
    }

    /// `draw` on a backend that keeps the lines of its last frame in
    /// `keep`: a pan then draws only the columns it reveals.
    pub fn draw_keeping<DB: DrawingBackend>(
        &mut self,
        db: &mut DB,
        pixel_ratio: f64,
        keep: Option<&dyn KeptLines>,
    ) -> Result<Frame, RenderError> {
        let frame = self.render(db, pixel_ratio, keep)?;
        self.plot = frame.transform;
        Ok(frame)
    }

    fn render<DB: DrawingBackend>(
        &self,
        db: &mut DB,
        pixel_ratio: f64,
        keep: Option<&dyn KeptLines>,
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
        if stacking {
            let slots = self.bring_stack_up_to_date(&names);
            self.stacked_slots
                .set(self.stacked_slots.get().saturating_add(slots));
        }
        let stacked = self.stacked.borrow();
        let (layers, note) = match stacked.as_ref().filter(|_| stacking) {
            Some(Ok(layers)) => (Some(layers.as_slice()), None),
            Some(Err(why)) => (None, Some(why.as_str())),
            None => (None, None),
        };
        let range = self.range();
        let scene = Scene {
            title: &self.options.title,
            unit: self.options.unit,
            theme: self.theme(),
            hidden: &hidden,
            styles: &styles,
            axes: &self.options.axes,
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
            revision: self.revision,
            keep,
            timeless: range.is_none(),
            ..Scene::new(&series, range.unwrap_or((0.0, 1.0)))
        };
        let mut frame = draw_chart(db, &scene)?;
        frame.stacked_slots = self.stacked_slots.get();
        Ok(frame)
    }

    /// Makes the stack, or brings the one made before up to date over the
    /// times merges changed since; the slots it added up.
    fn bring_stack_up_to_date(&self, names: &[Option<String>]) -> usize {
        let span = self.restack.take();
        let mut stacked = self.stacked.borrow_mut();
        if let (Some(Ok(layers)), Some(span)) = (stacked.as_mut(), span) {
            match self.restack_span(names, layers, span) {
                Some(slots) => return slots,
                None => *stacked = None,
            }
        }
        if stacked.is_some() {
            return 0;
        }
        let made = self.stack_layers(names);
        let slots = made
            .as_ref()
            .map_or(0, |layers| layers.iter().flatten().map(Series::len).sum());
        *stacked = Some(made);
        slots
    }

    /// Adds up again the slots of `span` (epoch seconds) in each stack's
    /// cumulative `layers`, and the slots the series gained at the end:
    /// O(layers × changed slots), for a live tail's new minute. None when a
    /// stack is not one grid from one start (its series or its layers), so
    /// it must be made anew.
    fn restack_span(
        &self,
        names: &[Option<String>],
        layers: &mut [Option<Series>],
        span: (f64, f64),
    ) -> Option<usize> {
        let mut slots = 0;
        for (name, members) in self.stacks(names) {
            let first = members[0];
            let (start, step) = (
                self.series[first].series.start(),
                self.series[first].series.step(),
            );
            let one_grid = |s: &Series| s.is_regular() && s.start() == start && s.step() == step;
            let mut len = 0;
            let mut made = usize::MAX;
            for &i in &members {
                let layer = layers.get(i)?.as_ref()?;
                if !one_grid(&self.series[i].series) || !one_grid(layer) {
                    return None;
                }
                len = len.max(self.series[i].series.len());
                made = made.min(layer.len());
            }
            let slot = |t: f64| ((t - start) / step).clamp(0.0, len as f64);
            let first_slot = (slot(span.0).floor() as usize).min(made);
            let end_slot = if len > made {
                len
            } else {
                slot(span.1).ceil() as usize
            };
            if first_slot >= end_slot {
                continue;
            }
            let changed = members.iter().map(|&i| {
                let values = self.series[i].series.values();
                (
                    &values[first_slot.min(values.len())..end_slot.min(values.len())],
                    0,
                )
            });
            let sums = added_up(changed, end_slot - first_slot, name == "percent");
            let from = start + first_slot as f64 * step;
            for (&i, values) in members.iter().zip(sums) {
                let chunk = Series::from_grid(from, step, values).ok()?;
                layers[i].as_mut()?.merge(&chunk).ok()?;
            }
            slots += members.len() * (end_slot - first_slot);
        }
        Some(slots)
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

    /// Each stack named in `names` (a series' stack, or None) with the
    /// indices of its shown series, bottom first; stacks with none shown
    /// are left out.
    fn stacks<'a>(&self, names: &'a [Option<String>]) -> Vec<(&'a str, Vec<usize>)> {
        let mut out: Vec<(&str, Vec<usize>)> = Vec::new();
        for name in names.iter().flatten() {
            if out.iter().any(|(seen, _)| *seen == name.as_str()) {
                continue;
            }
            let members: Vec<usize> = (0..self.series.len())
                .filter(|&i| !self.series[i].hidden && names[i].as_deref() == Some(name))
                .collect();
            if !members.is_empty() {
                out.push((name, members));
            }
        }
        out
    }

    /// The cumulative layer of every shown series in a stack (None for the
    /// others), or why they cannot be stacked (then they are drawn as lines
    /// with that note). Each stack is added up on its own, `"percent"`
    /// scaled to 100 % per minute.
    fn stack_layers(&self, names: &[Option<String>]) -> Result<Vec<Option<Series>>, String> {
        let mut layers: Vec<Option<Series>> = vec![None; self.series.len()];
        for (name, members) in self.stacks(names) {
            let shown: Vec<&Series> = members.iter().map(|&i| &self.series[i].series).collect();
            let cumulative = stack_with(&shown, name == "percent")
                .map_err(|e| format!("Drawn as lines: {e}"))?;
            for (i, layer) in members.into_iter().zip(cumulative) {
                layers[i] = Some(layer);
            }
        }
        Ok(layers)
    }
}
