//! sabaplot's renderer off the browser: the same core and drawing code,
//! to PNG (plotters' bitmap backend, glyphs from the bundled DejaVu Sans)
//! or SVG, and the series a metrics API serves, asked through the same
//! planner and parsers as the browser's loader.

pub mod fetch;
pub mod picture;

use picture::{encode_png, Fonts, Picture};

/// `chart` as a PNG file `size.0 × size.1` pixels, with `ratio` pixels per
/// CSS pixel for text and line widths.
pub fn render_png(
    chart: &mut sabaplot::Chart,
    size: (u32, u32),
    ratio: f64,
) -> Result<Vec<u8>, String> {
    let fonts = Fonts::bundled()?;
    let mut rgb = vec![0u8; size.0 as usize * size.1 as usize * 3];
    {
        let mut picture = Picture::new(&mut rgb, size, &fonts);
        chart.draw(&mut picture, ratio).map_err(|e| e.to_string())?;
    }
    encode_png(&rgb, size).map_err(|e| format!("encoding the PNG: {e}"))
}
