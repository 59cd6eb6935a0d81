//! Equal-width bins in x over `[x[0], x[n-1]]`, as tsdownsample draws them:
//! bin i ends after the last x at or below `x[0] + (i + 1) × width`, and a
//! bin whose first x is already at or past its upper edge is empty.

use std::ops::Range;

/// The index ranges of `count` equal-width bins over sorted `x` (empty
/// ranges for empty bins). `x` must be non-empty.
pub(crate) fn equal_width(x: &[f64], count: usize) -> impl Iterator<Item = Range<usize>> + '_ {
    let n = x.len();
    // Divided before subtracting so huge ranges do not overflow.
    let width = x[n - 1] / count as f64 - x[0] / count as f64;
    let x0 = x[0];
    let mut next = 0;
    (0..count).map(move |i| {
        let start = next;
        let edge = x0 + width * (i + 1) as f64;
        if start >= n || x[start] >= edge {
            return start..start;
        }
        // The last point is searched for separately so that the final bin
        // closes on it, as in tsdownsample.
        let below = start + x[start..n - 1].partition_point(|&v| v < edge);
        next = if x[below] <= edge { below + 1 } else { below };
        start..next
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_split_like_numpy_linspace_and_searchsorted() {
        let x: Vec<f64> = (0..10_000).map(f64::from).collect();
        let bins: Vec<Range<usize>> = equal_width(&x, 4).collect();
        assert_eq!(
            bins,
            vec![0..2_500, 2_500..5_000, 5_000..7_500, 7_500..10_000]
        );
        let x: Vec<f64> = (1..=10).map(f64::from).collect();
        let starts: Vec<usize> = equal_width(&x, 3).map(|r| r.start).collect();
        assert_eq!(starts, vec![0, 4, 7]);
    }

    #[test]
    fn a_hole_in_x_gives_empty_bins() {
        let x = [0.0, 1.0, 2.0, 50.0, 51.0];
        let bins: Vec<Range<usize>> = equal_width(&x, 5).collect();
        assert_eq!(bins, vec![0..3, 3..3, 3..3, 3..3, 3..5]);
    }
}
