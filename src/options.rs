//! What an embedder sets: the chart's options and, per series, its style.
//! Options are plain data (serde, camelCase, unknown fields refused so a
//! typo is an error); `series` rules are applied in order, like Grafana's
//! overrides, to every series whose name they match, and `Chart::
//! set_series_options` adds one for a single name after them.

use std::cell::RefCell;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::render::{Annotation, SeriesKind, Theme, Threshold};
use crate::source::wildcard;
use crate::units::Unit;

/// Chart options; every field has a default, and unknown fields are refused
/// so a misspelt option is an error rather than silently ignored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ChartOptions {
    /// Drawn at the top left.
    pub title: String,
    /// Unit of the values, for the value axis, tooltip and legend.
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
}

/// The value axes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Axes {
    pub left: Axis,
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

/// The name of a stack (at most 100 bytes).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StackName(pub String);

impl TryFrom<String> for StackName {
    type Error = String;

    fn try_from(name: String) -> Result<StackName, String> {
        if name.len() <= 100 {
            Ok(StackName(name))
        } else {
            Err(format!(
                "a stack name is {} bytes long (at most 100)",
                name.len()
            ))
        }
    }
}

impl From<StackName> for String {
    fn from(name: StackName) -> String {
        name.0
    }
}

/// How one series is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    Line,
    /// A line with the area down to zero filled.
    Area,
    /// A dot at each point (each column's extremes at long ranges), no line.
    Points,
}

/// What a rule's `match` names.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Pattern {
    Exact(String),
    Wildcard(String),
    Regex(regex_lite::Regex),
}

impl Pattern {
    pub fn matches(&self, name: &str) -> bool {
        match self {
            Pattern::Exact(exact) => exact == name,
            Pattern::Wildcard(pattern) => wildcard::matches(pattern, name),
            Pattern::Regex(regex) => regex.is_match(name),
        }
    }

    fn text(&self) -> String {
        match self {
            Pattern::Exact(s) | Pattern::Wildcard(s) => s.clone(),
            Pattern::Regex(r) => format!("/{}/", r.as_str()),
        }
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.text() == other.text()
    }
}

/// Patterns (and regular expressions) longer than this are refused: a
/// pattern is a name, and a huge one only costs compile time.
const MAX_PATTERN: usize = 1_000;

impl TryFrom<String> for Pattern {
    type Error = String;

    fn try_from(s: String) -> Result<Pattern, String> {
        if s.len() > MAX_PATTERN {
            return Err(format!(
                "a series match is {} bytes long (at most {MAX_PATTERN})",
                s.len()
            ));
        }
        if let Some(body) = s.strip_prefix('/').and_then(|r| r.strip_suffix('/')) {
            let regex = regex_lite::RegexBuilder::new(body)
                .size_limit(1 << 20)
                .build()
                .map_err(|e| format!("series match {s}: {e}"))?;
            return Ok(Pattern::Regex(regex));
        }
        let wild = s.split('.').any(|part| part == "*" || part == "#");
        Ok(if wild {
            Pattern::Wildcard(s.to_string())
        } else {
            Pattern::Exact(s.to_string())
        })
    }
}

impl From<Pattern> for String {
    fn from(p: Pattern) -> String {
        p.text()
    }
}

/// An sRGB colour, written `#rgb` or `#rrggbb`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Color(pub u8, pub u8, pub u8);

impl Color {
    pub fn css(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

impl TryFrom<String> for Color {
    type Error = String;

    fn try_from(s: String) -> Result<Color, String> {
        let bad = || format!("colour {s:?} is not #rgb or #rrggbb");
        let hex = s
            .strip_prefix('#')
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(bad)?;
        let digit = |i: usize| u8::from_str_radix(&hex[i..i + 1], 16).map_err(|_| bad());
        match hex.len() {
            3 => Ok(Color(digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
            6 => {
                let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
                Ok(Color(byte(0)?, byte(2)?, byte(4)?))
            }
            _ => Err(bad()),
        }
    }
}

impl From<Color> for String {
    fn from(c: Color) -> String {
        c.css()
    }
}

/// A line width in CSS pixels, 0.5 to 10.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct LineWidth(pub f64);

impl TryFrom<f64> for LineWidth {
    type Error = String;

    fn try_from(w: f64) -> Result<LineWidth, String> {
        if (0.5..=10.0).contains(&w) {
            Ok(LineWidth(w))
        } else {
            Err(format!("line width {w} is not from 0.5 to 10 CSS pixels"))
        }
    }
}

impl From<LineWidth> for f64 {
    fn from(w: LineWidth) -> f64 {
        w.0
    }
}

/// How one series is drawn and named, once every rule is applied.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesStyle {
    pub color: Color,
    /// CSS pixels.
    pub width: f64,
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
    /// The style of the series `name`, the `index`-th of its chart, after
    /// the rules and then `own` (set for that name alone).
    pub fn style_of(&self, index: usize, name: &str, own: Option<&SeriesRule>) -> SeriesStyle {
        let slot = match self.color_by {
            ColorBy::Index => index,
            ColorBy::Name => name_slot(name),
        };
        let (r, g, b) = self.theme.palette().series_color(slot).rgb;
        let mut style = SeriesStyle {
            color: Color(r, g, b),
            width: 1.0,
            label: name.to_string(),
            hidden: false,
            kind: None,
            stack: None,
        };
        let applies = |rule: &&SeriesRule| rule.pattern.as_ref().is_none_or(|p| p.matches(name));
        for rule in self.series.iter().filter(applies).chain(own) {
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
mod tests {
    use super::*;

    fn options(json: &str) -> ChartOptions {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn rules_apply_in_order_to_the_names_they_match() {
        let o = options(
            r##"{"series": [
                {"match": "custom.ecs.*.port.8080", "color": "#f00", "width": 2},
                {"match": "/^web-0[1-3]$/", "label": "front"},
                {"match": "web-02", "color": "#00ff00", "hidden": true},
                {"width": 3, "match": "web-03"}
            ]}"##,
        );
        let s = o.style_of(0, "custom.ecs.task-1.port.8080", None);
        assert_eq!((s.color, s.width), (Color(255, 0, 0), 2.0));
        let s = o.style_of(1, "custom.ecs.task-1.port.9090", None);
        assert_eq!((s.color.css().as_str(), s.width), ("#ff7f0e", 1.0));
        let s = o.style_of(2, "web-02", None);
        assert_eq!(
            (s.label.as_str(), s.color, s.hidden),
            ("front", Color(0, 255, 0), true)
        );
        let own = SeriesRule {
            color: Some(Color(1, 2, 3)),
            ..SeriesRule::default()
        };
        let s = o.style_of(3, "web-03", Some(&own));
        assert_eq!(
            (s.label.as_str(), s.width, s.color),
            ("front", 3.0, Color(1, 2, 3))
        );
        assert_eq!(o.style_of(4, "web-04", None).label, "web-04");
    }

    #[test]
    fn bad_rules_are_refused_with_what_is_wrong() {
        for (json, words) in [
            (r#"{"series": [{"color": "red"}]}"#, "not #rgb or #rrggbb"),
            (r##"{"series": [{"color": "#12345"}]}"##, "not #rgb"),
            (r#"{"series": [{"width": 0}]}"#, "from 0.5 to 10"),
            (r#"{"series": [{"match": "/(/"}]}"#, "series match /(/"),
            (r##"{"series": [{"colour": "#fff"}]}"##, "unknown field"),
            (r#"{"colorBy": "hue"}"#, "unknown variant"),
        ] {
            let err = serde_json::from_str::<ChartOptions>(json)
                .unwrap_err()
                .to_string();
            assert!(err.contains(words), "{json}: {err}");
        }
        let long = format!(r#"{{"series": [{{"match": "{}"}}]}}"#, "a".repeat(2_000));
        assert!(serde_json::from_str::<ChartOptions>(&long).is_err());
    }

    #[test]
    fn by_name_a_series_keeps_its_colour_on_every_chart() {
        let o = options(r#"{"colorBy": "name"}"#);
        let first = o.style_of(0, "options-test-web-07", None).color;
        let other = o.style_of(5, "options-test-web-08", None).color;
        assert_ne!(first, other);
        assert_eq!(o.style_of(9, "options-test-web-07", None).color, first);
    }
}
