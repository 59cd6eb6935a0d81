//! The chart's theme and the colours series take by default.

use serde::{Deserialize, Serialize};

/// Light or dark colours for everything but the data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    Light,
    Dark,
    /// The reader's choice (`prefers-color-scheme`), and its changes; light
    /// where it cannot be known.
    Auto,
}

impl Theme {
    /// Light or dark: `Auto` as the reader prefers.
    pub fn resolve(self, prefers_dark: bool) -> Theme {
        match self {
            Theme::Auto if prefers_dark => Theme::Dark,
            Theme::Auto => Theme::Light,
            chosen => chosen,
        }
    }
}

/// Series colours: 20, readable on both backgrounds, neighbours far apart
/// in hue and lightness so that readers with a colour-vision deficiency
/// still tell adjacent series apart (the first eight are Tableau's, the
/// next twelve CARTO's Bold with a lighter lavender for the dark slate,
/// which vanishes on the dark background). A 16-host role gets 16
/// different colours.
pub const SERIES_COLORS: &[(u8, u8, u8)] = &[
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (23, 190, 207),
    (188, 189, 34),
    (127, 60, 141),
    (17, 165, 121),
    (57, 105, 172),
    (242, 183, 1),
    (231, 63, 116),
    (128, 186, 90),
    (230, 131, 16),
    (0, 134, 149),
    (207, 28, 144),
    (249, 123, 114),
    (158, 154, 200),
];
