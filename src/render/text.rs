//! The text style the chart draws labels with. Backends that draw text
//! themselves (canvas, SVG) read size, weight and anchor from it; the size
//! estimate here is only the fallback for backends that cannot measure.

use std::convert::Infallible;

use plotters_backend::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendTextStyle, DrawingBackend, FontFamily, FontStyle,
};

use super::RenderError;

/// Font size, weight, colour and anchor of one label.
#[derive(Clone, Copy)]
pub struct ChartText {
    /// Font size in device pixels.
    pub size: f64,
    pub bold: bool,
    pub color: BackendColor,
    pub anchor: Pos,
}

/// Average advance of a sans-serif glyph, as a fraction of the font size.
const AVERAGE_ADVANCE: f64 = 0.56;

impl ChartText {
    pub fn new(size: f64, color: BackendColor) -> ChartText {
        ChartText {
            size,
            bold: false,
            color,
            anchor: Pos::new(HPos::Left, VPos::Top),
        }
    }

    pub fn bold(self) -> ChartText {
        ChartText { bold: true, ..self }
    }

    pub fn anchored(self, h: HPos, v: VPos) -> ChartText {
        ChartText {
            anchor: Pos::new(h, v),
            ..self
        }
    }
}

impl BackendTextStyle for ChartText {
    type FontError = Infallible;

    fn color(&self) -> BackendColor {
        self.color
    }

    fn size(&self) -> f64 {
        self.size
    }

    fn style(&self) -> FontStyle {
        if self.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        }
    }

    fn anchor(&self) -> Pos {
        self.anchor
    }

    fn family(&self) -> FontFamily<'_> {
        FontFamily::SansSerif
    }

    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), Infallible> {
        let width = (text.chars().count() as f64 * self.size * AVERAGE_ADVANCE).ceil() as i32;
        Ok(((0, 0), (width, self.size.ceil() as i32)))
    }

    /// Pixel-only backends get no glyphs: the chart's text is drawn by
    /// backends with fonts, and pixel tests look at the data, not the labels.
    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        _text: &str,
        _pos: BackendCoord,
        _draw: F,
    ) -> Result<Result<(), E>, Infallible> {
        Ok(Ok(()))
    }
}

/// `text`, shortened with an ellipsis to fit `max_width` device pixels.
pub(super) fn fit_text<DB: DrawingBackend>(
    db: &DB,
    text: &str,
    style: &ChartText,
    max_width: i32,
) -> Result<String, RenderError> {
    let fits = |t: &str| -> Result<bool, RenderError> {
        Ok(db.estimate_text_size(t, style)?.0 as i32 <= max_width)
    };
    if fits(text)? {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().chain(['…'].iter()).collect();
        if fits(&candidate)? {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Ok(if lo == 0 {
        String::new()
    } else {
        chars[..lo].iter().chain(['…'].iter()).collect()
    })
}
