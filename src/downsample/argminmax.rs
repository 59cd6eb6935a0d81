//! The kernel under M4 and MinMax: where, in a bin, the first minimum and
//! the first maximum are, skipping NaN. Two passes that the compiler can
//! vectorise (independent lanes, no early exit) beat one pass that carries
//! an index through every comparison.

/// Lanes of the first pass; wide enough to fill AVX registers twice.
const LANES: usize = 8;

/// Index of the first minimum and of the first maximum of the values that
/// are not NaN, or None when there are none.
pub(crate) type ArgMinMax = fn(&[f64]) -> Option<(usize, usize)>;

/// The fastest `argminmax` this CPU runs. Look it up once per call of an
/// algorithm, not once per bin.
pub(crate) fn argminmax() -> ArgMinMax {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            return |y| {
                // SAFETY: the CPU has been found to support AVX2.
                unsafe { avx2::argminmax(y) }
            };
        }
    }
    portable
}

/// The same search written with AVX2 intrinsics. The first pass also notes
/// the block of 64 values where the minimum (maximum) last improved, so the
/// second pass starts there instead of at the beginning.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    /// Values a vector step reads: two vectors of four.
    const STEP: usize = 8;
    const BLOCK: usize = 64;

    #[target_feature(enable = "avx2")]
    pub(super) fn argminmax(y: &[f64]) -> Option<(usize, usize)> {
        let blocks = y.chunks_exact(BLOCK);
        let tail = y.len() - blocks.remainder().len();
        let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
        let (mut low_from, mut high_from) = (0, 0);
        for (k, block) in blocks.enumerate() {
            let (lo, hi) = block_min_max(block);
            // Strictly better only, so the first occurrence of the final
            // extreme lies in the block noted.
            if lo < low {
                (low, low_from) = (lo, k * BLOCK);
            }
            if hi > high {
                (high, high_from) = (hi, k * BLOCK);
            }
        }
        for &v in &y[tail..] {
            if v < low {
                (low, low_from) = (v, tail);
            }
            if v > high {
                (high, high_from) = (v, tail);
            }
        }
        // Searched to the end, not only the block, so ±inf and all-NaN
        // slices (where no block improved) are found, or not, exactly.
        let lo = low_from + first_equal(&y[low_from..], low)?;
        let hi = high_from + first_equal(&y[high_from..], high)?;
        Some((lo, hi))
    }

    #[target_feature(enable = "avx2")]
    fn block_min_max(block: &[f64]) -> (f64, f64) {
        let mut lo = [_mm256_set1_pd(f64::INFINITY); 2];
        let mut hi = [_mm256_set1_pd(f64::NEG_INFINITY); 2];
        for c in block.chunks_exact(STEP) {
            // SAFETY: `c` holds STEP = 2 × 4 values.
            let v = unsafe {
                [
                    _mm256_loadu_pd(c.as_ptr()),
                    _mm256_loadu_pd(c.as_ptr().add(4)),
                ]
            };
            for k in 0..2 {
                // MINPD/MAXPD return the second operand when the first is
                // NaN, so NaN never enters a lane.
                lo[k] = _mm256_min_pd(v[k], lo[k]);
                hi[k] = _mm256_max_pd(v[k], hi[k]);
            }
        }
        let lo = _mm256_min_pd(lo[0], lo[1]);
        let hi = _mm256_max_pd(hi[0], hi[1]);
        let lo = _mm_min_pd(_mm256_castpd256_pd128(lo), _mm256_extractf128_pd::<1>(lo));
        let hi = _mm_max_pd(_mm256_castpd256_pd128(hi), _mm256_extractf128_pd::<1>(hi));
        (
            _mm_cvtsd_f64(_mm_min_sd(lo, _mm_unpackhi_pd(lo, lo))),
            _mm_cvtsd_f64(_mm_max_sd(hi, _mm_unpackhi_pd(hi, hi))),
        )
    }

    #[target_feature(enable = "avx2")]
    fn first_equal(y: &[f64], target: f64) -> Option<usize> {
        let chunks = y.chunks_exact(STEP);
        let tail = y.len() - chunks.remainder().len();
        let t = _mm256_set1_pd(target);
        for (k, c) in chunks.enumerate() {
            // SAFETY: `c` holds STEP = 2 × 4 values.
            let (a, b) = unsafe {
                (
                    _mm256_loadu_pd(c.as_ptr()),
                    _mm256_loadu_pd(c.as_ptr().add(4)),
                )
            };
            let hits = _mm256_movemask_pd(_mm256_cmp_pd::<_CMP_EQ_OQ>(a, t))
                | _mm256_movemask_pd(_mm256_cmp_pd::<_CMP_EQ_OQ>(b, t)) << 4;
            if hits != 0 {
                return Some(k * STEP + hits.trailing_zeros() as usize);
            }
        }
        y[tail..]
            .iter()
            .position(|&v| v == target)
            .map(|i| tail + i)
    }
}

/// `argminmax` in plain Rust, for every other target.
fn portable(y: &[f64]) -> Option<(usize, usize)> {
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
            assert_eq!(argminmax()(&y), brute(&y), "{y:?}");
            assert_eq!(portable(&y), brute(&y), "{y:?}");
        }
    }

    #[test]
    fn long_slices_with_few_distinct_values_match_brute_force() {
        // Few distinct values make ties across blocks; NaN and infinities
        // land anywhere, including slices that are all NaN or all +inf.
        let mut rng = crate::testing::Rng(7);
        let palette = [
            0.0,
            1.0,
            -1.0,
            2.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for case in 0..2_000 {
            let len = rng.below(400);
            let kinds = 1 + case % palette.len();
            let y: Vec<f64> = (0..len).map(|_| palette[rng.below(kinds)]).collect();
            assert_eq!(argminmax()(&y), brute(&y), "{y:?}");
            assert_eq!(portable(&y), brute(&y), "{y:?}");
            let all_inf = vec![f64::INFINITY; len];
            assert_eq!(argminmax()(&all_inf), brute(&all_inf));
        }
    }
}
