//! Colours of a chart, one set per theme.

use plotters_backend::BackendColor;
use serde::{Deserialize, Serialize};

/// Light or dark colours for everything but the data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// The colours one theme draws with.
pub struct Palette {
    pub background: BackendColor,
    pub text: BackendColor,
    pub grid: BackendColor,
    pub axis: BackendColor,
    pub series: &'static [(u8, u8, u8)],
}

const fn rgb(r: u8, g: u8, b: u8) -> BackendColor {
    BackendColor {
        alpha: 1.0,
        rgb: (r, g, b),
    }
}

/// Series colours: distinct, and readable on both backgrounds.
const SERIES: &[(u8, u8, u8)] = &[
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (23, 190, 207),
];

impl Theme {
    pub fn palette(self) -> Palette {
        match self {
            Theme::Light => Palette {
                background: rgb(255, 255, 255),
                text: rgb(51, 51, 51),
                grid: rgb(230, 230, 230),
                axis: rgb(150, 150, 150),
                series: SERIES,
            },
            Theme::Dark => Palette {
                background: rgb(24, 26, 31),
                text: rgb(215, 218, 224),
                grid: rgb(52, 56, 64),
                axis: rgb(110, 115, 125),
                series: SERIES,
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
