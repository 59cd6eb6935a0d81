//! Colours of a chart, one set per theme.

use plotters_backend::BackendColor;

use crate::options::{Theme, SERIES_COLORS};

/// The colours one theme draws with.
#[derive(Clone, Copy)]
pub struct Palette {
    pub background: BackendColor,
    pub text: BackendColor,
    pub grid: BackendColor,
    pub axis: BackendColor,
    pub series: &'static [(u8, u8, u8)],
    pub warning: BackendColor,
    pub critical: BackendColor,
    /// Annotation bands: a light fill behind the data, and their titles.
    pub annotation: BackendColor,
    pub annotation_text: BackendColor,
    /// Stretches a load could not fetch: hatch lines over a faint fill.
    pub not_loaded: BackendColor,
    pub not_loaded_fill: BackendColor,
    /// The bar of a load in progress.
    pub progress: BackendColor,
}

const fn rgb(r: u8, g: u8, b: u8) -> BackendColor {
    rgba(r, g, b, 1.0)
}

const fn rgba(r: u8, g: u8, b: u8, alpha: f64) -> BackendColor {
    BackendColor {
        alpha,
        rgb: (r, g, b),
    }
}

/// The fill under an area, over `color`.
pub fn fill_of(color: BackendColor, theme: Theme) -> BackendColor {
    let alpha = match theme {
        Theme::Light | Theme::Auto => 0.22,
        Theme::Dark => 0.32,
    };
    BackendColor { alpha, ..color }
}

/// The fill of an envelope band: stronger than an area's, so a one-minute
/// spike, one pixel wide, still stands out.
pub fn band_of(color: BackendColor, theme: Theme) -> BackendColor {
    let alpha = match theme {
        Theme::Light | Theme::Auto => 0.45,
        Theme::Dark => 0.55,
    };
    BackendColor { alpha, ..color }
}

impl Theme {
    pub fn palette(self) -> Palette {
        match self {
            Theme::Light | Theme::Auto => Palette {
                background: rgb(255, 255, 255),
                text: rgb(51, 51, 51),
                grid: rgb(230, 230, 230),
                axis: rgb(150, 150, 150),
                series: SERIES_COLORS,
                warning: rgb(214, 140, 0),
                critical: rgb(204, 30, 30),
                annotation: rgba(120, 80, 200, 0.12),
                annotation_text: rgb(95, 60, 170),
                not_loaded: rgba(110, 110, 110, 0.55),
                not_loaded_fill: rgba(110, 110, 110, 0.08),
                progress: rgb(31, 119, 180),
            },
            Theme::Dark => Palette {
                background: rgb(24, 26, 31),
                text: rgb(215, 218, 224),
                grid: rgb(52, 56, 64),
                axis: rgb(110, 115, 125),
                series: SERIES_COLORS,
                warning: rgb(240, 170, 40),
                critical: rgb(245, 80, 80),
                annotation: rgba(170, 140, 255, 0.16),
                annotation_text: rgb(190, 170, 255),
                not_loaded: rgba(170, 170, 170, 0.5),
                not_loaded_fill: rgba(170, 170, 170, 0.08),
                progress: rgb(90, 160, 230),
            },
        }
    }
}

impl Palette {
    /// The colour of the `index`-th series.
    pub fn series_color(&self, index: usize) -> BackendColor {
        let (r, g, b) = self.series[index % self.series.len()];
        rgb(r, g, b)
    }
}
