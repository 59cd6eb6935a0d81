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
    let span = x[n - 1] - x0;
    let mut next = 0;
    (0..count).map(move |i| {
        let start = next;
        let edge = x0 + width * (i + 1) as f64;
        if start >= n || x[start] >= edge {
            return start..start;
        }
        // Where the edge falls if x were evenly spaced; on real series that
        // is within a few points, so the search stays near the guess. The
        // last point is left out so that the final bin closes on it, as in
        // tsdownsample.
        let guess = ((edge - x0) / span * (n - 1) as f64) as usize;
        let below = partition_near(&x[..n - 1], start, guess, edge);
        next = if x[below] <= edge { below + 1 } else { below };
        start..next
    })
}

/// The first index at or after `from` whose x is not below `edge` (x.len()
/// when there is none), found by galloping out from `guess` and then
/// bisecting: O(log d) for a guess d points off, and no cache misses when
/// the guess is close.
fn partition_near(x: &[f64], from: usize, guess: usize, edge: f64) -> usize {
    let end = x.len();
    let guess = guess.clamp(from, end);
    // The answer lies in lo..=hi.
    let (mut lo, mut hi) = (from, end);
    let mut step = 1;
    if guess < end && x[guess] < edge {
        lo = guess + 1;
        while lo + step <= end && x[lo + step - 1] < edge {
            lo += step;
            step *= 2;
        }
        hi = hi.min(lo + step - 1);
    } else {
        hi = guess;
        while hi >= lo + step && x[hi - step] >= edge {
            hi -= step;
            step *= 2;
        }
        lo = lo.max(hi.saturating_sub(step - 1));
    }
    lo + x[lo..hi].partition_point(|&v| v < edge)
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
    fn the_search_near_a_guess_agrees_with_bisection_wherever_the_guess_is() {
        let x: Vec<f64> = [0.0, 1.0, 1.0, 1.0, 2.0, 5.0, 5.0, 9.0, 20.0].to_vec();
        for from in 0..=x.len() {
            for guess in 0..x.len() + 3 {
                for edge in [-1.0, 0.0, 0.5, 1.0, 1.5, 5.0, 6.0, 20.0, 21.0] {
                    let want = from + x[from..].partition_point(|&v| v < edge);
                    assert_eq!(
                        partition_near(&x, from, guess, edge),
                        want,
                        "{from} {guess} {edge}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_hole_in_x_gives_empty_bins() {
        let x = [0.0, 1.0, 2.0, 50.0, 51.0];
        let bins: Vec<Range<usize>> = equal_width(&x, 5).collect();
        assert_eq!(bins, vec![0..3, 3..3, 3..3, 3..3, 3..5]);
    }
}
