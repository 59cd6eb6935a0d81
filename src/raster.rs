//! Lines rasterised into an RGBA pixel buffer, for a backend to show in
//! one image call instead of building and stroking a path of thousands of
//! vertices (the browser's rasterising of 32 such paths costs more than
//! everything else in a pan frame).
//!
//! Vertices are device pixels, placed as the canvas backend strokes them:
//! a line of odd width runs through pixel centres, one of even width along
//! pixel edges, so a vertical or horizontal line covers whole pixels. An
//! opaque line is drawn as such spans: each pixel column's vertical span
//! (M4's first, least, greatest and last value there), and between
//! neighbouring columns a step half-way each side, crisp as the spans are.
//! Longer segments (a line zoomed in, between points pixels apart) and
//! translucent lines are shaded by how much of each pixel they cover.
//! Work is bounded by the buffer, never by the coordinates: a segment is
//! clipped to the buffer before it is walked.
//!
//! One idea over 400 lines (a third of them tests): how a line's pixels are
//! found, from the spans to the shading, and the buffer they go into.

/// The part of the buffer drawn since it was last cleared: columns and
/// rows, ends exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dirty {
    pub x: (usize, usize),
    pub y: (usize, usize),
}

/// An RGBA buffer (not premultiplied, as `ImageData` holds it) that is
/// transparent outside the dirty rectangle. A pixel is one word, its bytes
/// R, G, B, A in memory order (`u32::from_le_bytes`), so `rows` hands the
/// bytes as they are on a little-endian machine, which wasm is.
#[derive(Default)]
pub struct Raster {
    width: usize,
    height: usize,
    pixels: Vec<u32>,
    dirty: Option<Dirty>,
    /// The columns drawing may change, ends exclusive (all after `reset`).
    clip: (usize, usize),
}

/// Coverage below which a pixel is left alone (under one step of 255).
const FAINT: f32 = 0.5 / 255.0;

impl Raster {
    pub fn new() -> Raster {
        Raster::default()
    }

    /// Makes the buffer `width` × `height` and transparent; the allocation
    /// is kept for the next size that fits in it.
    pub fn reset(&mut self, width: u32, height: u32) {
        self.clear_dirty();
        let (width, height) = (width as usize, height as usize);
        let len = width.saturating_mul(height);
        if self.pixels.len() < len {
            self.pixels.resize(len, 0);
        }
        self.width = width;
        self.height = height;
        self.clip = (0, width);
    }

    pub fn height(&self) -> usize {
        self.height
    }

    /// Lets drawing change only columns `xs.0..xs.1` (clamped to the
    /// buffer) until the next call or `reset`.
    pub fn clip(&mut self, xs: (usize, usize)) {
        let end = xs.1.min(self.width);
        self.clip = (xs.0.min(end), end);
    }

    pub fn width(&self) -> usize {
        self.width
    }

    /// The RGBA bytes of rows `y.0..y.1`, `width` pixels each.
    pub fn rows(&self, y: (usize, usize)) -> &[u8] {
        let row = self.width;
        let end = y.1.min(self.height);
        bytemuck::cast_slice(&self.pixels[y.0.min(end) * row..end * row])
    }

    /// The RGBA bytes of `d`'s pixels, row by row (`d.x.1 - d.x.0` a row).
    pub fn pack(&self, d: Dirty) -> Vec<u8> {
        let row = self.width;
        let (x0, x1) = (d.x.0.min(row), d.x.1.min(row));
        let (y0, y1) = (d.y.0.min(self.height), d.y.1.min(self.height));
        let mut out = Vec::with_capacity((x1.saturating_sub(x0)) * (y1.saturating_sub(y0)) * 4);
        for y in y0..y1 {
            out.extend_from_slice(bytemuck::cast_slice(
                &self.pixels[y * row + x0..y * row + x1.max(x0)],
            ));
        }
        out
    }

    pub fn dirty(&self) -> Option<Dirty> {
        self.dirty
    }

    /// Makes the dirty rectangle transparent again.
    pub fn clear_dirty(&mut self) {
        if let Some(d) = self.dirty.take() {
            let row = self.width;
            for y in d.y.0..d.y.1 {
                self.pixels[y * row + d.x.0..y * row + d.x.1].fill(0);
            }
        }
    }

    /// Strokes the polyline through `path` in `rgb`, `alpha` opaque,
    /// `width` device pixels wide.
    pub fn stroke(&mut self, path: &[(i32, i32)], rgb: (u8, u8, u8), alpha: f64, width: u32) {
        let alpha = alpha.clamp(0.0, 1.0) as f32;
        if alpha <= FAINT || self.width == 0 || self.height == 0 {
            return;
        }
        let width = width.clamp(1, 1 << 12);
        let mut pen = Pen {
            raster: self,
            rgb,
            alpha,
            solid: alpha >= 1.0 - FAINT,
            width,
            half: f64::from(width) / 2.0,
            // Odd widths sit on pixel centres, even ones on pixel edges.
            offset: if width % 2 == 1 { 0.5 } else { 0.0 },
        };
        // The vertices that follow each other in one pixel column draw one
        // vertical span: what their segments cover together, each pixel
        // once; with an opaque pen, the step half-way to a neighbouring
        // column is part of the span. (Where a span meets a shaded segment,
        // a pixel may be drawn twice: the same for an opaque colour, a
        // shade darker for a translucent one.)
        let lone = path.windows(2).all(|p| p[0].0 == p[1].0);
        let mut rest = path;
        // The last column, its span not drawn yet.
        let mut open: Option<Column> = None;
        while let Some(&(x, y)) = rest.first() {
            let same = rest.iter().take_while(|p| p.0 == x).count();
            let (vertices, after) = rest.split_at(same);
            let mut column = Column::of(x, vertices, lone);
            if let Some(mut previous) = open.take() {
                let neighbours = (i64::from(x) - i64::from(previous.x)).abs() == 1;
                let end = (previous.x, previous.end);
                if neighbours && pen.solid {
                    let middle = ((i64::from(previous.end) + i64::from(y)) / 2) as i32;
                    previous.reach(middle);
                    column.reach(middle);
                } else if neighbours {
                    // The rows both spans fill are this colour already.
                    let both = (previous.lo.max(column.lo), previous.hi.min(column.hi));
                    pen.segment_outside(end, (x, y), both);
                } else {
                    pen.segment_outside(end, (x, y), (1, 0));
                }
                if previous.drawn {
                    pen.span(previous.x, (previous.lo, previous.hi));
                }
            }
            open = Some(column);
            rest = after;
        }
        if let Some(last) = open.filter(|c| c.drawn) {
            pen.span(last.x, (last.lo, last.hi));
        }
    }

    fn touch(&mut self, x: (usize, usize), y: (usize, usize)) {
        self.dirty = union(self.dirty, Some(Dirty { x, y }));
    }
}

/// The rectangle around both.
fn union(a: Option<Dirty>, b: Option<Dirty>) -> Option<Dirty> {
    match (a, b) {
        (Some(a), Some(b)) => Some(Dirty {
            x: (a.x.0.min(b.x.0), a.x.1.max(b.x.1)),
            y: (a.y.0.min(b.y.0), a.y.1.max(b.y.1)),
        }),
        (a, b) => a.or(b),
    }
}

/// `v` (0 to 255) rounded to a byte. (`f32::round` is a library call in
/// wasm, where no instruction rounds halves away from zero.)
fn to_byte(v: f32) -> u8 {
    (v + 0.5) as u8
}

/// `rgb` at `cover` opacity over the pixel `px`.
fn over(px: [u8; 4], [r, g, b]: [u8; 3], cover: f32) -> [u8; 4] {
    if cover >= 1.0 - FAINT {
        return [r, g, b, 255];
    }
    // The common cases: nothing below, or an opaque colour.
    let a = to_byte(cover * 255.0);
    if px[3] == 0 {
        return [r, g, b, a];
    }
    if px[3] == 255 {
        let (a, rest) = (u32::from(a), 255 - u32::from(a));
        let mix = |c: u8, d: u8| ((u32::from(c) * a + u32::from(d) * rest + 127) / 255) as u8;
        return [mix(r, px[0]), mix(g, px[1]), mix(b, px[2]), 255];
    }
    let below = f32::from(px[3]) / 255.0 * (1.0 - cover);
    let out = cover + below;
    let mix = |c: u8, d: u8| to_byte((f32::from(c) * cover + f32::from(d) * below) / out);
    [
        mix(r, px[0]),
        mix(g, px[1]),
        mix(b, px[2]),
        to_byte(out * 255.0),
    ]
}

/// The vertices of a path in one pixel column: the rows they span, the
/// row the path leaves from, and whether the span is drawn (a column of
/// one vertex between shaded segments is theirs to draw).
struct Column {
    x: i32,
    lo: i32,
    hi: i32,
    end: i32,
    drawn: bool,
}

impl Column {
    fn of(x: i32, vertices: &[(i32, i32)], lone: bool) -> Column {
        let first = vertices.first().map_or(0, |p| p.1);
        let (lo, hi) = vertices
            .iter()
            .fold((first, first), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
        Column {
            x,
            lo,
            hi,
            end: vertices.last().map_or(first, |p| p.1),
            drawn: lo < hi || lone,
        }
    }

    /// Takes in row `y` (a step to a neighbour).
    fn reach(&mut self, y: i32) {
        self.lo = self.lo.min(y);
        self.hi = self.hi.max(y);
        self.drawn = true;
    }
}

/// Draws in one colour and width.
struct Pen<'a> {
    raster: &'a mut Raster,
    rgb: (u8, u8, u8),
    alpha: f32,
    /// Opaque: whole pixels are simply painted.
    solid: bool,
    width: u32,
    /// Half the width, and where in a pixel a vertex sits.
    half: f64,
    offset: f64,
}

impl Pen<'_> {
    /// The pixels `lo..hi` a line of the pen's width covers across, from a
    /// vertex at `at` (a lone point: a square of the line's width).
    fn across(&self, at: i32) -> (i64, i64) {
        let lo = i64::from(at) - i64::from(self.width / 2);
        (lo, lo + i64::from(self.width))
    }

    /// A vertical line at column `x` from row `ys.0` to row `ys.1`
    /// (inclusive, or the width's square where they are one row): filled
    /// straight when the pen is opaque, walked otherwise.
    fn span(&mut self, x: i32, ys: (i32, i32)) {
        if !self.solid {
            self.segment_outside((x, ys.0), (x, ys.1), (1, 0));
            return;
        }
        let rows = if ys.0 == ys.1 {
            self.across(ys.0)
        } else {
            (i64::from(ys.0), i64::from(ys.1) + 1)
        };
        self.fill(self.across(x), rows);
    }

    /// Paints columns `xs` and rows `ys` (ends exclusive, clipped to the
    /// buffer) in the pen's colour, opaque.
    fn fill(&mut self, xs: (i64, i64), ys: (i64, i64)) {
        let h = self.raster.height as i64;
        let (c0, c1) = (self.raster.clip.0 as i64, self.raster.clip.1 as i64);
        let xs = (xs.0.clamp(c0, c1) as usize, xs.1.clamp(c0, c1) as usize);
        let ys = (ys.0.clamp(0, h) as usize, ys.1.clamp(0, h) as usize);
        if xs.0 >= xs.1 || ys.0 >= ys.1 {
            return;
        }
        let (r, g, b) = self.rgb;
        let rgba = u32::from_le_bytes([r, g, b, 255]);
        let row = self.raster.width;
        if xs.1 - xs.0 == 1 {
            let mut i = ys.0 * row + xs.0;
            for _ in ys.0..ys.1 {
                self.raster.pixels[i] = rgba;
                i += row;
            }
        } else {
            for y in ys.0..ys.1 {
                self.raster.pixels[y * row + xs.0..y * row + xs.1].fill(rgba);
            }
        }
        self.raster.touch(xs, ys);
    }

    /// A segment, shaded by how much of each pixel it covers, leaving out
    /// the rows `skip.0..=skip.1` where it runs mostly up or down (none
    /// where `skip.0 > skip.1`).
    fn segment_outside(&mut self, a: (i32, i32), b: (i32, i32), skip: (i32, i32)) {
        let (dx, dy) = (
            i64::from(b.0) - i64::from(a.0),
            i64::from(b.1) - i64::from(a.1),
        );
        if dy.abs() >= dx.abs() {
            self.walk(a, b, false, skip);
        } else {
            self.walk((a.1, a.0), (b.1, b.0), true, (1, 0));
        }
    }

    /// Walks from `a` to `b` one pixel a step along the second coordinate
    /// (rows, or columns when `swapped`), which changes at least as much as
    /// the first, but for `skip.0..=skip.1` along it; each step covers a
    /// stretch across as long as the line's cross-section there.
    fn walk(&mut self, a: (i32, i32), b: (i32, i32), swapped: bool, skip: (i32, i32)) {
        let (a, b) = if a.1 <= b.1 { (a, b) } else { (b, a) };
        let (w, h) = (self.raster.width, self.raster.height);
        let (across_len, along_len) = if swapped { (h, w) } else { (w, h) };
        let steps = f64::from(b.1) - f64::from(a.1);
        let slope = if steps == 0.0 {
            0.0
        } else {
            (f64::from(b.0) - f64::from(a.0)) / steps
        };
        let reach = self.half * (1.0 + slope * slope).sqrt();
        // A lone point is a square of the line's width.
        let ends = if steps == 0.0 {
            let (lo, hi) = self.across(a.1);
            (lo as f64, hi as f64)
        } else {
            (f64::from(a.1), f64::from(b.1) + 1.0)
        };
        // Columns outside the clip are left alone.
        let (c0, c1) = (self.raster.clip.0 as f64, self.raster.clip.1 as f64);
        let (along_lo, along_hi) = if swapped {
            (c0, c1)
        } else {
            (0.0, along_len as f64)
        };
        let (across_lo, across_hi) = if swapped {
            (0.0, across_len as f64)
        } else {
            (c0, c1)
        };
        let first = ends.0.floor().max(along_lo);
        let last = ends.1.ceil().min(along_hi);
        if first >= last {
            return;
        }
        let (first, last) = (first as usize, last as usize);
        // The rows before and after the ones to skip.
        let (before, after) = if skip.0 <= skip.1 {
            let at = |y: i32| (i64::from(y).max(0) as usize).clamp(first, last);
            (at(skip.0), at(skip.1.saturating_add(1)))
        } else {
            (last, last)
        };
        let mut touched = (usize::MAX, 0usize);
        for along in (first..before).chain(after..last) {
            // How much of this row the line's length covers (the ends of a
            // point's square may cover part of one).
            let length = ((along + 1) as f64).min(ends.1) - (along as f64).max(ends.0);
            if length <= 0.0 {
                continue;
            }
            let centre = f64::from(a.0) + self.offset + slope * (along as f64 - f64::from(a.1));
            let (lo, hi) = (centre - reach, centre + reach);
            let from = lo.floor().max(across_lo);
            let to = hi.ceil().min(across_hi);
            if from >= to {
                continue;
            }
            let (from, to) = (from as usize, to as usize);
            touched = (touched.0.min(from), touched.1.max(to));
            for across in from..to {
                let cover = ((across + 1) as f64).min(hi) - (across as f64).max(lo);
                let cover = (cover.min(1.0) * length.min(1.0)) as f32 * self.alpha;
                if cover > FAINT {
                    let (x, y) = if swapped {
                        (along, across)
                    } else {
                        (across, along)
                    };
                    self.blend(x, y, cover);
                }
            }
        }
        if touched.0 < touched.1 {
            let span = (touched.0, touched.1);
            let run = (first, last);
            let (x, y) = if swapped { (run, span) } else { (span, run) };
            self.raster.touch(x, y);
        }
    }

    /// Lays the pen's colour over pixel (x, y) at `cover` opacity.
    fn blend(&mut self, x: usize, y: usize, cover: f32) {
        let slot = &mut self.raster.pixels[y * self.raster.width + x];
        let (r, g, b) = self.rgb;
        *slot = u32::from_le_bytes(over(slot.to_le_bytes(), [r, g, b], cover));
    }
}

// proptest is a native dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn raster(w: u32, h: u32) -> Raster {
        let mut r = Raster::new();
        r.reset(w, h);
        r
    }

    fn rgba_at(r: &Raster, x: usize, y: usize) -> [u8; 4] {
        r.pixels[y * r.width + x].to_le_bytes()
    }

    fn alpha_at(r: &Raster, x: usize, y: usize) -> u8 {
        rgba_at(r, x, y)[3]
    }

    /// Every pixel's alpha, row by row, as digits 0-9.
    fn picture(r: &Raster) -> Vec<String> {
        (0..r.height)
            .map(|y| {
                (0..r.width)
                    .map(|x| char::from(b'0' + (u32::from(alpha_at(r, x, y)) * 9 / 255) as u8))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_one_pixel_vertical_and_horizontal_line_cover_whole_pixels() {
        let mut r = raster(6, 5);
        r.stroke(&[(1, 0), (1, 3), (4, 3)], (10, 20, 30), 1.0, 1);
        assert_eq!(
            picture(&r),
            ["090000", "090000", "090000", "099990", "000000"]
        );
        assert_eq!(rgba_at(&r, 1, 0), [10, 20, 30, 255]);
        assert_eq!(&r.rows((0, 1))[4..8], &[10, 20, 30, 255]);
        assert_eq!(
            r.dirty(),
            Some(Dirty {
                x: (1, 5),
                y: (0, 4)
            })
        );
    }

    #[test]
    fn a_long_diagonal_is_shaded_and_even_widths_lie_on_pixel_edges() {
        let mut r = raster(5, 5);
        r.stroke(&[(0, 0), (4, 2)], (0, 0, 0), 1.0, 1);
        assert_eq!(picture(&r), ["95000", "05950", "00059", "00000", "00000"]);
        let mut r = raster(5, 3);
        r.stroke(&[(2, 0), (2, 2)], (0, 0, 0), 1.0, 2);
        assert_eq!(picture(&r), ["09900", "09900", "09900"]);
    }

    #[test]
    fn a_clip_keeps_the_columns_outside_it() {
        let mut r = raster(6, 3);
        r.stroke(&[(0, 0), (5, 2)], (0, 0, 0), 1.0, 1);
        let before = picture(&r);
        r.clip((3, 6));
        r.stroke(&[(0, 1), (5, 1)], (0, 0, 0), 1.0, 1);
        let after = picture(&r);
        for (b, a) in before.iter().zip(&after) {
            assert_eq!(b[..3], a[..3]);
        }
        assert_eq!(after[1][3..], *"999");
        let d = r.dirty().unwrap();
        let packed = r.pack(Dirty {
            x: (3, 6),
            y: (1, 2),
        });
        assert_eq!(packed, r.rows((1, 2))[12..24]);
        assert_eq!(d.x, (0, 6));
        // A reset draws everywhere again.
        r.reset(6, 3);
        r.stroke(&[(0, 1), (5, 1)], (0, 0, 0), 1.0, 1);
        assert_eq!(picture(&r)[1], "999999");
    }

    #[test]
    fn neighbouring_columns_meet_half_way_in_whole_pixels() {
        let mut r = raster(3, 6);
        r.stroke(&[(0, 0), (0, 1), (1, 5), (1, 4), (2, 4)], (0, 0, 0), 1.0, 1);
        assert_eq!(picture(&r), ["900", "900", "900", "990", "099", "090"]);
    }

    #[test]
    fn a_lone_point_is_a_square_and_translucent_colours_blend() {
        let mut r = raster(3, 3);
        r.stroke(&[(1, 1)], (255, 0, 0), 1.0, 1);
        assert_eq!(picture(&r), ["000", "090", "000"]);
        r.stroke(&[(0, 1), (2, 1)], (0, 0, 255), 0.5, 1);
        assert_eq!(rgba_at(&r, 1, 1), [127, 0, 128, 255]);
        assert_eq!(alpha_at(&r, 0, 1), 128);
    }

    #[test]
    fn clearing_leaves_the_whole_buffer_transparent_and_a_reset_reuses_it() {
        let mut r = raster(8, 4);
        r.stroke(&[(0, 0), (7, 3)], (1, 2, 3), 1.0, 3);
        assert!(r.pixels.iter().any(|&p| p != 0));
        r.clear_dirty();
        assert!(r.pixels.iter().all(|&p| p == 0));
        assert_eq!(r.dirty(), None);
        r.reset(2, 2);
        assert_eq!(r.rows((0, 2)).len(), 16);
        assert_eq!(r.rows((1, 9)).len(), 8, "rows past the end are cut");
        assert_eq!(r.rows((3, 1)).len(), 0);
    }

    proptest! {
        /// Any coordinates, however far off the buffer, draw only inside
        /// it, only inside the dirty rectangle, and take work bounded by it.
        #[test]
        fn anything_drawn_stays_in_the_buffer_and_the_dirty_rectangle(
            size in (1u32..40, 1u32..40),
            path in prop::collection::vec(
                (prop_oneof![-60i32..100, any::<i32>()], prop_oneof![-60i32..100, any::<i32>()]),
                0..6,
            ),
            width in 1u32..5,
            alpha in 0.0f64..1.0,
            clip in (0usize..20).prop_flat_map(|a| (Just(a), a..60)),
        ) {
            let mut r = raster(size.0, size.1);
            r.clip(clip);
            r.stroke(&path, (200, 100, 50), alpha, width);
            let (w, h) = (size.0 as usize, size.1 as usize);
            let d = r.dirty();
            for y in 0..h {
                for x in 0..w {
                    if alpha_at(&r, x, y) != 0 {
                        prop_assert!(clip.0 <= x && x < clip.1, "column {} outside the clip", x);
                        let d = d.expect("a pixel drawn marks the buffer dirty");
                        prop_assert!(d.x.0 <= x && x < d.x.1 && d.y.0 <= y && y < d.y.1);
                    }
                }
            }
            if let Some(d) = d {
                prop_assert!(d.x.1 <= w && d.y.1 <= h);
            }
            r.clear_dirty();
            prop_assert!(r.pixels.iter().all(|&p| p == 0));
        }
    }
}
