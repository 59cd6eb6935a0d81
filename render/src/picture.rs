//! A chart as pixels: plotters' bitmap backend for lines, areas and bars,
//! with the labels drawn from the bundled DejaVu Sans by ab_glyph (the
//! chart's text style leaves glyphs to the backend), then encoded as PNG.

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont};
use plotters::prelude::BitMapBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontStyle,
};

type BitMapError = <BitMapBackend<'static> as DrawingBackend>::ErrorType;

/// The two faces the chart uses.
pub struct Fonts {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

impl Fonts {
    /// DejaVu Sans and DejaVu Sans Bold, built into the binary.
    pub fn bundled() -> Result<Fonts, String> {
        let load = |bytes: &'static [u8]| {
            FontRef::try_from_slice(bytes).map_err(|e| format!("the bundled font: {e}"))
        };
        Ok(Fonts {
            regular: load(include_bytes!("../fonts/DejaVuSans.ttf"))?,
            bold: load(include_bytes!("../fonts/DejaVuSans-Bold.ttf"))?,
        })
    }

    fn face(&self, style: FontStyle) -> &FontRef<'static> {
        match style {
            FontStyle::Bold => &self.bold,
            _ => &self.regular,
        }
    }
}

/// A bitmap backend that draws text with `Fonts`.
pub struct Picture<'a> {
    bitmap: BitMapBackend<'a>,
    fonts: &'a Fonts,
}

impl<'a> Picture<'a> {
    /// Draws into `rgb` (3 bytes a pixel, `size.0 × size.1`).
    pub fn new(rgb: &'a mut [u8], size: (u32, u32), fonts: &'a Fonts) -> Picture<'a> {
        Picture {
            bitmap: BitMapBackend::with_buffer(rgb, size),
            fonts,
        }
    }

    /// The glyphs of `text`, each with the kerning before it and its
    /// advance, and the text's width, ascent and descent, in pixels.
    fn lay_out<S: BackendTextStyle>(&self, text: &str, style: &S) -> Laid {
        let font = self
            .fonts
            .face(style.style())
            .as_scaled(PxScale::from(style.size() as f32));
        let mut glyphs = Vec::with_capacity(text.len());
        let mut width = 0.0;
        let mut last = None;
        for c in text.chars() {
            let id = font.glyph_id(c);
            let kern = last.map_or(0.0, |before| font.kern(before, id));
            let advance = font.h_advance(id);
            width += kern;
            width += advance;
            glyphs.push((id, kern, advance));
            last = Some(id);
        }
        Laid {
            glyphs,
            width,
            ascent: font.ascent(),
            descent: font.descent(),
        }
    }
}

/// A line of text laid out: see `Picture::lay_out`.
struct Laid {
    /// Each glyph, the kerning before it and its advance.
    glyphs: Vec<(GlyphId, f32, f32)>,
    width: f32,
    ascent: f32,
    descent: f32,
}

impl DrawingBackend for Picture<'_> {
    type ErrorType = BitMapError;

    fn get_size(&self) -> (u32, u32) {
        self.bitmap.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<BitMapError>> {
        self.bitmap.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<BitMapError>> {
        self.bitmap.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<BitMapError>> {
        self.bitmap.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<BitMapError>> {
        self.bitmap.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<BitMapError>> {
        self.bitmap.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<BitMapError>> {
        self.bitmap.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<BitMapError>> {
        self.bitmap.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<BitMapError>> {
        self.bitmap.fill_polygon(vert, style)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<BitMapError>> {
        let laid = self.lay_out(text, style);
        Ok((
            laid.width.ceil() as u32,
            (laid.ascent - laid.descent).ceil() as u32,
        ))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<BitMapError>> {
        let Laid {
            glyphs,
            width,
            ascent,
            descent,
        } = self.lay_out(text, style);
        let anchor = style.anchor();
        let left = pos.0 as f32
            - match anchor.h_pos {
                HPos::Left => 0.0,
                HPos::Center => width / 2.0,
                HPos::Right => width,
            };
        let baseline = pos.1 as f32
            + match anchor.v_pos {
                VPos::Top => ascent,
                VPos::Center => (ascent + descent) / 2.0,
                VPos::Bottom => descent,
            };
        let face = self.fonts.face(style.style());
        let font = face.as_scaled(PxScale::from(style.size() as f32));
        let color = style.color();
        let (w, h) = self.get_size();
        let mut caret = left;
        for (id, kern, advance) in glyphs {
            caret += kern;
            let glyph = id.with_scale_and_position(font.scale(), ab_glyph::point(caret, baseline));
            caret += advance;
            let Some(outline) = face.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            let mut pixels = Vec::new();
            outline.draw(|x, y, coverage| {
                let (x, y) = (
                    bounds.min.x as i32 + x as i32,
                    bounds.min.y as i32 + y as i32,
                );
                if coverage > 0.0 && x >= 0 && y >= 0 && (x as u32) < w && (y as u32) < h {
                    pixels.push(((x, y), coverage));
                }
            });
            for (point, coverage) in pixels {
                let alpha = color.alpha * f64::from(coverage.min(1.0));
                self.bitmap.draw_pixel(
                    point,
                    BackendColor {
                        alpha,
                        rgb: color.rgb,
                    },
                )?;
            }
        }
        Ok(())
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (iw, ih): (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<BitMapError>> {
        self.bitmap.blit_bitmap(pos, (iw, ih), src)
    }
}

/// `rgb` (`size.0 × size.1`, 3 bytes a pixel) as a PNG file.
pub fn encode_png(rgb: &[u8], size: (u32, u32)) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, size.0, size.1);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}
