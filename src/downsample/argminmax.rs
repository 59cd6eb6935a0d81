//! The kernel under M4 and MinMax: where, in a bin, the first minimum and
//! the first maximum are, skipping NaN. Two passes that the compiler can
//! vectorise (independent lanes, no early exit) beat one pass that carries
//! an index through every comparison.

/// Lanes of the first pass; wide enough to fill AVX registers twice.
const LANES: usize = 8;

/// Index of the first minimum and of the first maximum of the values that
/// are not NaN, or None when there are none.
#[inline]
pub(crate) fn argminmax(y: &[f64]) -> Option<(usize, usize)> {
    let (lo, hi) = min_max(y);
    // Found again by equality, which also handles ±inf (never below the
    // lanes' starting values) and all-NaN input (nothing is equal).
    Some((first_equal(y, lo)?, first_equal(y, hi)?))
}

/// Smallest and largest non-NaN value, (inf, -inf) when there is none.
#[inline]
fn min_max(y: &[f64]) -> (f64, f64) {
    let mut lo = [f64::INFINITY; LANES];
    let mut hi = [f64::NEG_INFINITY; LANES];
    let chunks = y.chunks_exact(LANES);
    let rest = chunks.remainder();
    for c in chunks {
        for l in 0..LANES {
            // NaN compares false, so it never replaces a lane's value.
            lo[l] = if c[l] < lo[l] { c[l] } else { lo[l] };
            hi[l] = if c[l] > hi[l] { c[l] } else { hi[l] };
        }
    }
    for (l, &v) in rest.iter().enumerate() {
        lo[l] = if v < lo[l] { v } else { lo[l] };
        hi[l] = if v > hi[l] { v } else { hi[l] };
    }
    let lo = lo.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = hi.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (lo, hi)
}

/// Index of the first value equal to `target`.
#[inline]
fn first_equal(y: &[f64], target: f64) -> Option<usize> {
    let chunks = y.chunks_exact(LANES);
    let tail = y.len() - chunks.remainder().len();
    for (k, c) in chunks.enumerate() {
        // Whole-chunk test without early exit, so it vectorises.
        if c.iter().fold(false, |hit, &v| hit | (v == target)) {
            return c.iter().position(|&v| v == target).map(|i| k * LANES + i);
        }
    }
    y[tail..]
        .iter()
        .position(|&v| v == target)
        .map(|i| tail + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(y: &[f64]) -> Option<(usize, usize)> {
        let valid: Vec<usize> = (0..y.len()).filter(|&i| !y[i].is_nan()).collect();
        let lo = *valid
            .iter()
            .min_by(|&&a, &&b| y[a].total_cmp(&y[b]).then(a.cmp(&b)))?;
        let hi = *valid
            .iter()
            .max_by(|&&a, &&b| y[a].total_cmp(&y[b]).then(b.cmp(&a)))?;
        Some((lo, hi))
    }

    #[test]
    fn first_extremes_match_brute_force_with_nan_ties_and_infinities() {
        let cases: Vec<Vec<f64>> = vec![
            vec![],
            vec![f64::NAN; 20],
            vec![3.0],
            vec![1.0, 1.0, 1.0],
            vec![
                f64::NAN,
                2.0,
                f64::NAN,
                2.0,
                5.0,
                5.0,
                -1.0,
                -1.0,
                0.0,
                9.0,
                9.0,
            ],
            vec![f64::INFINITY, 1.0, f64::NEG_INFINITY, f64::NAN],
            vec![f64::NEG_INFINITY; 9],
            (0..100).map(|i| ((i * 37) % 101) as f64).collect(),
        ];
        for y in cases {
            assert_eq!(argminmax(&y), brute(&y), "{y:?}");
        }
    }
}
