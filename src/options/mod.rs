//! What an embedder sets: the chart's options and, per series, its style.
//! Options are plain data (serde, camelCase, unknown fields refused so a
//! typo is an error); `series` rules are applied in order, like Grafana's
//! overrides, to every series whose name they match, and `Chart::
//! set_series_options` adds one for a single name after them.

use std::cell::RefCell;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

mod marks;
mod theme;
mod values;

pub use marks::{check_marks, Annotation, Level, MarkError, SeriesKind, Threshold};
pub use theme::{Theme, SERIES_COLORS};
pub use values::{Color, Dash, LineWidth, Mark, Pattern, StackName};

use crate::transform::Side;
use crate::units::Unit;

/// Chart options; every field has a default, and unknown fields are refused
/// so a misspelt option is an error rather than silently ignored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ChartOptions {
    /// Drawn at the top left.
    pub title: String,
    /// Unit of the values (axis labels, tooltip, legend) where an axis or a
    /// series rule gives none.
    pub unit: Unit,
    pub theme: Theme,
    /// Charts with the same group share the crosshair (and the window, with
    /// `syncRange`).
    pub group: Option<String>,
    pub sync_range: bool,
    /// Rows the tooltip shows at most (the largest values).
    pub tooltip_rows: usize,
    /// Show the legend (name and min/avg/max/last over the window).
    pub legend: bool,
    /// IANA zone ("Europe/Berlin"), "UTC" or an offset ("+09:00") for the
    /// time axis and tooltip; by default the browser's zone (UTC natively).
    pub time_zone: Option<String>,
    /// line, area, stacked or envelope.
    pub kind: SeriesKind,
    pub thresholds: Vec<Threshold>,
    pub annotations: Vec<Annotation>,
    /// Per-series style, applied in order to the series each rule matches.
    pub series: Vec<SeriesRule>,
    /// How a series gets its palette colour: by its place in the chart, or
    /// by its name, so a host keeps its colour on every chart of the page.
    pub color_by: ColorBy,
    /// The value axes' ranges.
    pub axes: Axes,
    /// BCP 47 tag ("ja-JP") the time labels and the tooltip's time are
    /// written in; by default the browser's (English natively).
    pub locale: Option<String>,
    /// The unit of the time arrays handed to the chart (`setSeriesArrays`,
    /// `setSeriesColumns`, `appendSeries`): epoch seconds or milliseconds.
    /// Windows, annotations and readouts are in seconds either way.
    pub time_unit: TimeUnit,
}

/// Epoch seconds or milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimeUnit {
    #[default]
    #[serde(rename = "s")]
    Seconds,
    #[serde(rename = "ms")]
    Milliseconds,
}

impl TimeUnit {
    /// How many of the unit make a second.
    pub fn per_second(self) -> f64 {
        match self {
            TimeUnit::Seconds => 1.0,
            TimeUnit::Milliseconds => 1_000.0,
        }
    }
}

/// The value axes: series are read against the left one unless their
/// `axis` is `"right"`; the right one is drawn only for such series.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Axes {
    pub left: Axis,
    pub right: Axis,
}

impl Axes {
    /// Both axes with nothing set.
    pub const NONE: Axes = Axes {
        left: Axis::NONE,
        right: Axis::NONE,
    };

    pub fn get(&self, side: Side) -> &Axis {
        match side {
            Side::Left => &self.left,
            Side::Right => &self.right,
        }
    }
}

/// A value axis' range: by default from the data in the window (and zero).
/// `min`/`max` fix an end (values beyond it are drawn at the edge); `softMin`/
/// `softMax` are ends the axis always reaches, and passes only when the data
/// does (a CPU axis to at least 100 %, a latency axis to at least 1 s).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Axis {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub soft_min: Option<f64>,
    pub soft_max: Option<f64>,
    /// Linear (the default) or logarithmic.
    pub scale: Scale,
    /// The unit of the values read against this axis; by default the
    /// chart's `unit`.
    pub unit: Option<Unit>,
    /// The axis' name, written above it ("bytes/sec", "CPU %").
    pub label: Option<String>,
}

/// How values map to heights.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    #[default]
    Linear,
    /// Powers of ten equally apart; zero and negative values are gaps.
    Log,
}

impl Axis {
    /// Nothing set: the data's range, linear, in the chart's unit.
    pub const NONE: Axis = Axis {
        min: None,
        max: None,
        soft_min: None,
        soft_max: None,
        scale: Scale::Linear,
        unit: None,
        label: None,
    };

    /// The axis' ends for data from `lo` to `hi`: the soft ends reached,
    /// and the fixed ones (None: round them to ticks).
    pub fn ends(&self, lo: f64, hi: f64) -> ((f64, f64), (Option<f64>, Option<f64>)) {
        let lo = self.soft_min.map_or(lo, |s| lo.min(s));
        let hi = self.soft_max.map_or(hi, |s| hi.max(s));
        ((lo, hi), (self.min, self.max))
    }

    /// Why the axis cannot be drawn as set, if it cannot.
    pub fn check(&self) -> Result<(), String> {
        let named = [
            ("min", self.min),
            ("max", self.max),
            ("softMin", self.soft_min),
            ("softMax", self.soft_max),
        ];
        for (name, value) in named {
            if let Some(v) = value.filter(|v| !v.is_finite() || v.abs() > 1e300) {
                return Err(format!(
                    "{name} is {v}; an axis end must be a finite number"
                ));
            }
        }
        if let (Some(min), Some(max)) = (self.min, self.max) {
            if min >= max {
                return Err(format!("min {min} is not below max {max}"));
            }
        }
        if let Some(label) = self.label.as_ref().filter(|l| l.len() > MAX_LABEL) {
            return Err(format!(
                "label is {} bytes long (at most {MAX_LABEL})",
                label.len()
            ));
        }
        if self.scale == Scale::Log {
            if let Some(min) = self.min.filter(|m| *m <= 0.0) {
                return Err(format!(
                    "min {min} on a log scale: its ends must be above zero"
                ));
            }
        }
        Ok(())
    }
}

impl Default for ChartOptions {
    fn default() -> ChartOptions {
        ChartOptions {
            title: String::new(),
            unit: Unit::default(),
            theme: Theme::default(),
            group: None,
            sync_range: false,
            tooltip_rows: 10,
            legend: true,
            time_zone: None,
            kind: SeriesKind::default(),
            thresholds: Vec::new(),
            annotations: Vec::new(),
            series: Vec::new(),
            color_by: ColorBy::default(),
            axes: Axes::default(),
            locale: None,
            time_unit: TimeUnit::default(),
        }
    }
}

/// How series get their palette colour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorBy {
    /// The n-th series of the chart gets the n-th colour.
    #[default]
    Index,
    /// Each name gets the next colour the first time the page sees it, and
    /// keeps it on every chart.
    Name,
}

/// Style for the series a pattern matches; fields left out keep what
/// earlier rules (or the defaults) gave.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct SeriesRule {
    /// An exact name, a Mackerel wildcard (`custom.ecs.*.port.8080`: `*`
    /// is one dot-separated segment) or a `/regular expression/`; a rule
    /// without one applies to every series.
    #[serde(rename = "match")]
    pub pattern: Option<Pattern>,
    /// `#rgb` or `#rrggbb`.
    pub color: Option<Color>,
    /// Line width in CSS pixels (0.5 to 10).
    pub width: Option<LineWidth>,
    /// A dashed line: lengths in CSS pixels of dash, gap, dash, … (`[]`
    /// for a solid line again).
    pub dash: Option<Dash>,
    /// The value axis the series is read against: `"left"` or `"right"`.
    pub axis: Option<Side>,
    /// The unit of its values in the tooltip and legend; by default its
    /// axis' unit.
    pub unit: Option<Unit>,
    /// Shown in the legend and tooltip instead of the name.
    pub label: Option<String>,
    /// Hidden when the series is added (a legend click shows it).
    pub hidden: Option<bool>,
    /// How the series is drawn, over the chart's `kind`.
    pub kind: Option<Mark>,
    /// The stack the series is a layer of: series with the same name stack
    /// on one another, and `"percent"` scales each minute to 100 %.
    pub stack: Option<StackName>,
}

/// Axis names longer than this are refused.
const MAX_LABEL: usize = 1_000;

/// How one series is drawn and named, once every rule is applied.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesStyle {
    pub color: Color,
    /// CSS pixels.
    pub width: f64,
    /// Dash lengths in CSS pixels; None for a solid line.
    pub dash: Option<Dash>,
    /// The axis it is read against.
    pub axis: Side,
    /// The unit its values are written in (its own, else its axis').
    pub unit: Unit,
    /// The name the legend and tooltip show.
    pub label: String,
    /// Whether the series starts hidden.
    pub hidden: bool,
    /// How it is drawn; None as the chart's `kind` says.
    pub kind: Option<Mark>,
    /// The stack it is a layer of.
    pub stack: Option<StackName>,
}

impl ChartOptions {
    /// These options with the fields of `update` (a JSON object) laid over
    /// them; the error names the field ("chart options: thresholds[0].
    /// value: invalid type: null…").
    pub fn merged(&self, update: serde_json::Value) -> Result<ChartOptions, String> {
        let serde_json::Value::Object(fields) = update else {
            return Err("chart options must be a plain object".to_string());
        };
        let mut merged = serde_json::to_value(self).map_err(|e| e.to_string())?;
        if let serde_json::Value::Object(base) = &mut merged {
            base.extend(fields);
        }
        serde_path_to_error::deserialize(merged).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if path == "." {
                format!("chart options: {inner}")
            } else {
                format!("chart options: {path}: {inner}")
            }
        })
    }

    /// The style of the series `name`, the `index`-th of its chart, after
    /// the rules and then `own` (set for that name alone).
    pub fn style_of(&self, index: usize, name: &str, own: Option<&SeriesRule>) -> SeriesStyle {
        let slot = match self.color_by {
            ColorBy::Index => index,
            ColorBy::Name => name_slot(name),
        };
        let (r, g, b) = SERIES_COLORS[slot % SERIES_COLORS.len()];
        let mut style = SeriesStyle {
            color: Color(r, g, b),
            width: 1.0,
            dash: None,
            axis: Side::Left,
            unit: self.unit,
            label: name.to_string(),
            hidden: false,
            kind: None,
            stack: None,
        };
        let applies = |rule: &&SeriesRule| rule.pattern.as_ref().is_none_or(|p| p.matches(name));
        let mut own_unit = None;
        for rule in self.series.iter().filter(applies).chain(own) {
            if let Some(dash) = &rule.dash {
                style.dash = Some(dash.clone()).filter(|d| !d.0.is_empty());
            }
            if let Some(axis) = rule.axis {
                style.axis = axis;
            }
            if let Some(unit) = rule.unit {
                own_unit = Some(unit);
            }
            if let Some(color) = rule.color {
                style.color = color;
            }
            if let Some(width) = rule.width {
                style.width = width.0;
            }
            if let Some(label) = &rule.label {
                style.label = label.clone();
            }
            if let Some(hidden) = rule.hidden {
                style.hidden = hidden;
            }
            if let Some(kind) = rule.kind {
                style.kind = Some(kind);
            }
            if let Some(stack) = &rule.stack {
                style.stack = Some(stack.clone());
            }
        }
        style.unit = own_unit
            .or(self.axes.get(style.axis).unit)
            .unwrap_or(self.unit);
        style
    }
}

thread_local! {
    /// The palette slot of every name seen with `colorBy: 'name'`, in the
    /// order the page first drew them: one page, one colour per name.
    static NAME_SLOTS: RefCell<HashMap<String, usize>> = RefCell::new(HashMap::new());
}

/// Names remembered for their colour at most; past this, names get a slot
/// from a hash of the name (stable, but no longer distinct).
const MAX_NAMED: usize = 10_000;

fn name_slot(name: &str) -> usize {
    NAME_SLOTS.with(|slots| {
        let mut slots = slots.borrow_mut();
        if let Some(&slot) = slots.get(name) {
            return slot;
        }
        if slots.len() >= MAX_NAMED {
            // FNV-1a: the same slot for the same name on every chart.
            let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
            return (hash % 1_000_003) as usize;
        }
        let slot = slots.len();
        slots.insert(name.to_string(), slot);
        slot
    })
}

#[cfg(test)]
mod tests;
