//! Helpers shared by the unit tests: deterministic random data with the
//! gaps real metrics have, and series of 1-minute points.

use crate::series::Series;

/// Deterministic pseudo-random numbers (splitmix64), so a failing property
/// test fails the same way every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// `n` integer values in -500..500 (so sums are exact in any order) with
/// single missing points and a few long outages, as NaN.
pub fn values_with_gaps(rng: &mut Rng, n: usize) -> Vec<f64> {
    let mut v: Vec<f64> = (0..n).map(|_| rng.below(1_000) as f64 - 500.0).collect();
    for _ in 0..rng.below(n / 10 + 1) {
        let i = rng.below(n);
        v[i] = f64::NAN;
    }
    for _ in 0..rng.below(4) {
        let a = rng.below(n);
        let b = (a + rng.below(300)).min(n);
        v[a..b].fill(f64::NAN);
    }
    v
}

/// A series of 1-minute points from epoch 0.
pub fn minutes(values: &[f64]) -> Series {
    minutes_from(0, values)
}

/// A series of 1-minute points starting `start` minutes after epoch 0.
pub fn minutes_from(start: usize, values: &[f64]) -> Series {
    let times: Vec<f64> = (0..values.len())
        .map(|i| (start + i) as f64 * 60.0)
        .collect();
    Series::from_points(&times, values).expect("minutes are finite, sorted and as many as values")
}
