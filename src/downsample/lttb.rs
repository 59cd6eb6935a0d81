//! Largest-Triangle-Three-Buckets (Steinarsson, 2013): equal-count buckets
//! between the first and last point; from each bucket the point making the
//! largest triangle with the point kept before it and the centre of the next
//! bucket. Keeps the shape well, not every spike: for spikes use M4/MinMax.

use std::ops::Range;

use super::{all_valid, check_input, Error};

/// Indices of `n_out` points of (x, y) chosen by LTTB (fewer when buckets
/// hold only NaN). `n_out` must be at least 3. The first and last points
/// with a value are always kept. As in tsdownsample, the centre of the next
/// bucket is the mean of its y and the middle of its x range (for evenly
/// spaced x, the mean of its x).
pub fn lttb(x: &[f64], y: &[f64], n_out: usize) -> Result<Vec<usize>, Error> {
    check_input(x, y)?;
    if n_out < 3 {
        return Err(Error::BadNOut {
            algorithm: "lttb",
            n_out,
            rule: "at least 3",
        });
    }
    Ok(lttb_unchecked(x, y, n_out))
}

/// `lttb` for input already checked and `n_out` ≥ 3.
pub(crate) fn lttb_unchecked(x: &[f64], y: &[f64], n_out: usize) -> Vec<usize> {
    let n = x.len();
    if n_out >= n {
        return all_valid(y);
    }
    let Some(first) = (0..n).find(|&i| !y[i].is_nan()) else {
        return Vec::new();
    };
    let last = (0..n).rev().find(|&i| !y[i].is_nan()).unwrap_or(first);
    let every = (n - 2) as f64 / (n_out - 2) as f64;
    // Bucket k of the n_out - 2 inner ones; truncation as in the paper.
    let bucket = |k: usize| -> Range<usize> {
        let start = (every * k as f64) as usize + 1;
        let end = ((every * (k + 1) as f64) as usize + 1).min(n);
        start..end
    };
    let mut out = Vec::with_capacity(n_out);
    out.push(first);
    let mut a = first;
    for k in 0..n_out - 2 {
        let (avg_x, avg_y) = centre(x, y, bucket(k + 1)).unwrap_or((x[last], y[last]));
        let (ax, ay) = (x[a], y[a]);
        // Twice the triangle's area is |d1·(y − ay) + d2·(x − ax)|, written
        // with the constant part taken out of the loop.
        let d1 = ax - avg_x;
        let d2 = avg_y - ay;
        let offset = d1 * ay + d2 * ax;
        let candidates = bucket(k);
        let from = candidates.start.max(a + 1);
        let pick = largest_area(
            &x[from..candidates.end],
            &y[from..candidates.end],
            [d1, d2, offset],
        )
        .map(|j| from + j);
        if let Some(j) = pick {
            out.push(j);
            a = j;
        }
    }
    if last > a {
        out.push(last);
    }
    out
}

/// Index of the first point with the largest |d1·y + d2·x − offset| (twice
/// the triangle's area), skipping NaN, in two passes that vectorise: the
/// largest area, then where it first occurs. Both passes compute the area
/// with the same operations, so the equality is exact.
fn largest_area(x: &[f64], y: &[f64], [d1, d2, offset]: [f64; 3]) -> Option<usize> {
    const LANES: usize = 8;
    let area = |x: f64, y: f64| (d1 * y + d2 * x - offset).abs();
    let mut best = [-1.0; LANES];
    let (xs, ys) = (x.chunks_exact(LANES), y.chunks_exact(LANES));
    let tail = x.len() - xs.remainder().len();
    for (cx, cy) in xs.zip(ys) {
        for l in 0..LANES {
            let a = area(cx[l], cy[l]);
            // NaN compares false, so it never replaces a lane's value.
            best[l] = if a > best[l] { a } else { best[l] };
        }
    }
    let mut top = best.iter().fold(-1.0, |m, &v| if v > m { v } else { m });
    for j in tail..x.len() {
        let a = area(x[j], y[j]);
        top = if a > top { a } else { top };
    }
    if top < 0.0 {
        return None; // only NaN
    }
    (0..x.len()).find(|&j| area(x[j], y[j]) == top)
}

/// Middle of the x range and mean y of the points with a value in `bucket`.
fn centre(x: &[f64], y: &[f64], bucket: Range<usize>) -> Option<(f64, f64)> {
    let first = bucket.clone().find(|&i| !y[i].is_nan())?;
    let last = bucket.clone().rev().find(|&i| !y[i].is_nan())?;
    let (sum, count) = sum_valid(&y[bucket]);
    Some(((x[first] + x[last]) / 2.0, sum / count as f64))
}

/// Sum and count of the non-NaN values, in eight interleaved partial sums
/// (fast, and the same order numpy-style means use).
fn sum_valid(y: &[f64]) -> (f64, usize) {
    let mut part = [0.0; 8];
    let mut count = 0;
    let chunks = y.chunks_exact(8);
    let rest = chunks.remainder();
    for c in chunks {
        for l in 0..8 {
            let valid = !c[l].is_nan();
            part[l] += if valid { c[l] } else { 0.0 };
            count += valid as usize;
        }
    }
    let mut sum = 0.0;
    for l in 0..4 {
        sum += part[l] + part[l + 4];
    }
    for &v in rest {
        if !v.is_nan() {
            sum += v;
            count += 1;
        }
    }
    (sum, count)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::testing::Rng;

    /// The published algorithm written plainly: equal-count buckets, the
    /// average of the next bucket, the largest triangle from each bucket.
    /// `centre_x` gives the x of the next bucket's centre.
    pub(crate) fn reference_lttb(
        x: &[f64],
        y: &[f64],
        n_out: usize,
        centre_x: fn(&[f64]) -> f64,
    ) -> Vec<usize> {
        let n = x.len();
        if n_out >= n {
            return (0..n).collect();
        }
        let every = (n - 2) as f64 / (n_out - 2) as f64;
        let mut sampled = vec![0];
        let mut a = 0;
        for i in 0..n_out - 2 {
            let next_start = (every * (i + 1) as f64).floor() as usize + 1;
            let next_end = ((every * (i + 2) as f64).floor() as usize + 1).min(n);
            let next_x = &x[next_start..next_end];
            let avg_x = centre_x(next_x);
            let avg_y = y[next_start..next_end].iter().sum::<f64>() / next_x.len() as f64;
            let start = (every * i as f64).floor() as usize + 1;
            let mut best = (-1.0, start);
            for j in start..next_start {
                let area = ((x[a] - avg_x) * (y[j] - y[a]) - (x[a] - x[j]) * (avg_y - y[a])).abs();
                if area > best.0 {
                    best = (area, j);
                }
            }
            sampled.push(best.1);
            a = best.1;
        }
        sampled.push(n - 1);
        sampled
    }

    fn mean(v: &[f64]) -> f64 {
        v.iter().sum::<f64>() / v.len() as f64
    }

    #[test]
    fn lttb_equals_the_published_algorithm_on_random_series() {
        let mut rng = Rng(31);
        for case in 0..300 {
            let n = 3 + rng.below(5_000);
            // Integer-valued, evenly spaced x (epoch minutes): the middle of a
            // bucket's x range is exactly the mean of its x.
            let x: Vec<f64> = (0..n).map(|i| 1.7e9 + 60.0 * i as f64).collect();
            let y: Vec<f64> = (0..n).map(|_| rng.below(10_000) as f64 / 7.0).collect();
            let n_out = 3 + rng.below(if case % 2 == 0 { 50 } else { n });
            let ours = lttb(&x, &y, n_out).unwrap();
            let reference = reference_lttb(&x, &y, n_out, mean);
            assert_eq!(ours, reference, "n={n} n_out={n_out}");
        }
    }

    #[test]
    fn a_ramp_keeps_its_ends_and_the_documented_picks() {
        let x: Vec<f64> = (0..10).map(f64::from).collect();
        assert_eq!(lttb(&x, &x, 4).unwrap(), vec![0, 1, 5, 9]);
    }

    #[test]
    fn nan_points_are_never_picked() {
        let x: Vec<f64> = (0..1_000).map(f64::from).collect();
        let mut y: Vec<f64> = (0..1_000).map(|i| ((i * 7919) % 1_000) as f64).collect();
        y[0] = f64::NAN;
        y[999] = f64::NAN;
        y[300..500].fill(f64::NAN);
        let out = lttb(&x, &y, 50).unwrap();
        assert!(out.iter().all(|&i| !y[i].is_nan()));
        assert_eq!((out[0], *out.last().unwrap()), (1, 998));
        assert!(out.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            lttb(&x, &vec![f64::NAN; 1_000], 50).unwrap(),
            Vec::<usize>::new()
        );
    }
}
