//! Dashed lines: a path cut into dashes and gaps of given lengths that
//! run on along the whole path, round its corners.

use plotters_backend::{BackendCoord, DrawingBackend};

use super::{RenderError, Stroke};

/// `path` drawn as dashes: `pattern` gives the lengths (device pixels) of
/// dash, gap, dash, … repeated along the whole path, across its corners.
pub(super) fn draw_dashed<DB: DrawingBackend>(
    db: &mut DB,
    path: &[BackendCoord],
    pattern: &[f64],
    stroke: &Stroke,
) -> Result<(), RenderError> {
    for piece in dashes(path, pattern) {
        match piece[..] {
            [a, b] => db.draw_line(a, b, stroke)?,
            _ => db.draw_path(piece, stroke)?,
        }
    }
    Ok(())
}

/// The dashes of `path` under `pattern` (see `draw_dashed`).
fn dashes(path: &[BackendCoord], pattern: &[f64]) -> Vec<Vec<BackendCoord>> {
    let total: f64 = pattern.iter().sum();
    if pattern.is_empty() || total.is_nan() || total <= 0.0 {
        return vec![path.to_vec()];
    }
    // An odd pattern repeats twice over, so dashes and gaps alternate.
    let pattern = if !pattern.len().is_multiple_of(2) {
        pattern.repeat(2)
    } else {
        pattern.to_vec()
    };
    let mut out = Vec::new();
    let mut current: Vec<BackendCoord> = Vec::new();
    let (mut k, mut left) = (0, pattern[0]);
    let on = |k: usize| k.is_multiple_of(2);
    for pair in path.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
        let length = dx.hypot(dy);
        let at = |d: f64| -> BackendCoord {
            let f = if length > 0.0 { d / length } else { 0.0 };
            (a.0 + (dx * f).round() as i32, a.1 + (dy * f).round() as i32)
        };
        let mut done = 0.0;
        if on(k) && current.is_empty() {
            current.push(a);
        }
        while length - done > left {
            done += left;
            if on(k) {
                current.push(at(done));
                out.push(std::mem::take(&mut current));
            } else {
                current.push(at(done));
            }
            k = (k + 1) % pattern.len();
            left = pattern[k].max(0.5);
            if !on(k) {
                current.clear();
            }
        }
        left -= length - done;
        if on(k) {
            current.push(b);
        }
    }
    if current.len() >= 2 {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_follow_the_pattern_along_the_path_and_across_corners() {
        let d = dashes(&[(0, 0), (20, 0)], &[4.0, 2.0]);
        assert_eq!(
            d,
            [
                vec![(0, 0), (4, 0)],
                vec![(6, 0), (10, 0)],
                vec![(12, 0), (16, 0)],
                vec![(18, 0), (20, 0)],
            ]
        );
        // A dash that reaches a corner goes on round it.
        let d = dashes(&[(0, 0), (3, 0), (3, 10)], &[5.0, 5.0]);
        assert_eq!(d[0], [(0, 0), (3, 0), (3, 2)]);
        assert_eq!(d[1], [(3, 7), (3, 10)]);
        // An all-zero pattern draws the line whole.
        assert_eq!(dashes(&[(0, 0), (9, 9)], &[0.0]), [vec![(0, 0), (9, 9)]]);
    }
}
