//! Exact statistics of a series over a time window, for legends and
//! tooltips: min, max, sum, count and mean from the level-of-detail summary
//! (O(log n) plus the ragged edges), the last value by a backward search of
//! the summary, and percentiles on demand (these look at every point).

use crate::series::Series;

/// Exact statistics of the points holding a value in a window.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WindowStats {
    pub count: usize,
    pub min: f64,
    pub max: f64,
    pub sum: f64,
    pub avg: f64,
    /// Time and value of the last point in the window.
    pub last: (f64, f64),
}

impl Series {
    /// Statistics of the points in `[from, to]`, or None when it holds none.
    pub fn stats(&self, from: f64, to: f64) -> Option<WindowStats> {
        let range = self.index_range(from, to);
        let values = self.values();
        let summary = self.summary();
        let extremes = summary.extremes(values, range.clone())?;
        let (sum, count) = summary.sum_count(values, range.clone());
        let last = summary.last_valid(range.clone())?;
        let avg = if sum.is_finite() {
            sum / count as f64
        } else {
            // Values near ±f64::MAX overflow the sum; the mean itself does
            // not, so take it in pieces that cannot overflow.
            values[range]
                .iter()
                .filter(|v| !v.is_nan())
                .map(|v| v / count as f64)
                .sum()
        };
        Some(WindowStats {
            count,
            min: values[extremes.min],
            max: values[extremes.max],
            sum,
            avg,
            last: (self.time_at(last), values[last]),
        })
    }

    /// The `p`-th percentile (0–100) of the points in `[from, to]`,
    /// interpolated linearly between the closest ranks (as numpy and
    /// Prometheus' `quantile_over_time` do), or None when there are no points
    /// or `p` is outside 0–100. Looks at every point in the window.
    pub fn percentile(&self, from: f64, to: f64, p: f64) -> Option<f64> {
        if !(0.0..=100.0).contains(&p) {
            return None;
        }
        let range = self.index_range(from, to);
        let mut v: Vec<f64> = self.values()[range]
            .iter()
            .copied()
            .filter(|v| !v.is_nan())
            .collect();
        if v.is_empty() {
            return None;
        }
        let rank = p / 100.0 * (v.len() - 1) as f64;
        let below = rank.floor() as usize;
        let (_, &mut lower, upper) = v.select_nth_unstable_by(below, f64::total_cmp);
        let Some(&higher) = upper.iter().min_by(|a, b| a.total_cmp(b)) else {
            return Some(lower);
        };
        Some(lower + (higher - lower) * (rank - below as f64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::minutes;
    use crate::testing::{values_with_gaps, Rng};

    #[test]
    fn window_stats_equal_brute_force_for_random_windows() {
        let mut rng = Rng(17);
        for _ in 0..100 {
            let n = 1 + rng.below(30_000);
            let values = values_with_gaps(&mut rng, n);
            let s = minutes(&values);
            for _ in 0..20 {
                let from = rng.below(n) as f64 * 60.0 - 30.0;
                let to = from + rng.below(n) as f64 * 60.0;
                let inside: Vec<(usize, f64)> = (0..n)
                    .filter(|&i| (from..=to).contains(&(i as f64 * 60.0)) && !values[i].is_nan())
                    .map(|i| (i, values[i]))
                    .collect();
                let stats = s.stats(from, to);
                let Some(&(last_index, last_value)) = inside.last() else {
                    assert_eq!(stats, None);
                    continue;
                };
                let sum: f64 = inside.iter().map(|p| p.1).sum();
                let expected = WindowStats {
                    count: inside.len(),
                    min: inside.iter().map(|p| p.1).fold(f64::INFINITY, f64::min),
                    max: inside.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max),
                    sum,
                    avg: sum / inside.len() as f64,
                    last: (last_index as f64 * 60.0, last_value),
                };
                assert_eq!(stats, Some(expected), "n={n} window {from}..{to}");
            }
        }
    }

    #[test]
    fn percentiles_interpolate_between_ranks() {
        let s = minutes(&[5.0, f64::NAN, 1.0, 4.0, 2.0, 3.0]);
        let (from, to) = (s.start(), s.end());
        assert_eq!(s.percentile(from, to, 0.0), Some(1.0));
        assert_eq!(s.percentile(from, to, 50.0), Some(3.0));
        assert_eq!(s.percentile(from, to, 100.0), Some(5.0));
        assert_eq!(s.percentile(from, to, 95.0), Some(4.8));
        assert_eq!(s.percentile(from, to, 101.0), None);
        assert_eq!(s.percentile(from, to, f64::NAN), None);
        assert_eq!(s.percentile(1e9, 2e9, 50.0), None);
    }

    #[test]
    fn the_mean_of_huge_values_does_not_overflow() {
        let s = minutes(&[1.7e308, 1.7e308, f64::NAN]);
        let stats = s.stats(s.start(), s.end()).unwrap();
        assert_eq!(stats.avg, 1.7e308);
        assert_eq!(stats.last, (60.0, 1.7e308));
    }
}
