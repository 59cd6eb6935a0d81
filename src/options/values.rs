//! The values a series rule holds, each checked as it is read: a stack's
//! name, a mark, a dash pattern, a name pattern (exact, Mackerel wildcard
//! or `/regex/`), a colour and a line width.

use serde::{Deserialize, Serialize};

use crate::source::wildcard;

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
    /// A bar from zero per slot when zoomed in; at long ranges one per
    /// pixel column, reaching the column's extreme.
    Bars,
}

/// A dash pattern: 1 to 8 lengths in CSS pixels (each 0 to 100, not all 0).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Vec<f64>", into = "Vec<f64>")]
pub struct Dash(pub Vec<f64>);

impl TryFrom<Vec<f64>> for Dash {
    type Error = String;

    fn try_from(lengths: Vec<f64>) -> Result<Dash, String> {
        let each = lengths.iter().all(|l| (0.0..=100.0).contains(l));
        let some = lengths.is_empty() || lengths.iter().any(|l| *l > 0.0);
        if lengths.len() <= 8 && each && some {
            Ok(Dash(lengths))
        } else {
            Err(format!(
                "dash {lengths:?} is not 0 to 8 lengths from 0 to 100 CSS pixels (not all 0)"
            ))
        }
    }
}

impl From<Dash> for Vec<f64> {
    fn from(dash: Dash) -> Vec<f64> {
        dash.0
    }
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
