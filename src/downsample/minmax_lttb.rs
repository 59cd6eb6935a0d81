//! MinMaxLTTB (Van Der Donckt et al., 2023): MinMax pre-selects
//! `n_out × minmax_ratio` candidate points, then LTTB picks `n_out` of them.
//! Nearly LTTB's picture at a fraction of its cost on long series.

use super::lttb::lttb_unchecked;
use super::minmax::minmax_unchecked;
use super::{all_valid, check_input, Error};

/// Indices of `n_out` points of (x, y) chosen by MinMaxLTTB. `n_out` must be
/// at least 3 and `minmax_ratio` at least 2. The first and last points are
/// kept out of the pre-selection and always offered to LTTB. Below
/// `minmax_ratio` points per output point, plain LTTB runs.
pub fn minmax_lttb(
    x: &[f64],
    y: &[f64],
    n_out: usize,
    minmax_ratio: usize,
) -> Result<Vec<usize>, Error> {
    check_input(x, y)?;
    if minmax_ratio < 2 {
        return Err(Error::BadRatio { minmax_ratio });
    }
    if n_out < 3 {
        return Err(Error::BadNOut {
            algorithm: "minmax_lttb",
            n_out,
            rule: "at least 3",
        });
    }
    let n = x.len();
    if n_out >= n {
        return Ok(all_valid(y));
    }
    if n / n_out <= minmax_ratio {
        return Ok(lttb_unchecked(x, y, n_out));
    }
    // MinMax needs an even count; n > n_out × (ratio + 1) keeps it below
    // the inner length.
    let preselect = (n_out * minmax_ratio) & !1;
    let inner = minmax_unchecked(&x[1..n - 1], &y[1..n - 1], preselect);
    let mut index = Vec::with_capacity(inner.len() + 2);
    index.push(0);
    index.extend(inner.iter().map(|i| i + 1));
    index.push(n - 1);
    let xs: Vec<f64> = index.iter().map(|&i| x[i]).collect();
    let ys: Vec<f64> = index.iter().map(|&i| y[i]).collect();
    Ok(lttb_unchecked(&xs, &ys, n_out)
        .into_iter()
        .map(|k| index[k])
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::downsample::lttb::tests::reference_lttb;
    use crate::testing::Rng;

    /// MinMax written plainly: equal-width bins by brute force over x.
    fn reference_minmax(x: &[f64], y: &[f64], bins: usize) -> Vec<usize> {
        let n = x.len();
        let width = x[n - 1] / bins as f64 - x[0] / bins as f64;
        let mut out = Vec::new();
        let mut start = 0;
        for b in 0..bins {
            let edge = x[0] + width * (b + 1) as f64;
            let end = if b + 1 == bins {
                n
            } else {
                (start..n).find(|&i| x[i] > edge).unwrap_or(n)
            };
            if end > start {
                let bin: Vec<usize> = (start..end).collect();
                if bin.len() <= 2 {
                    out.extend(bin);
                } else {
                    let lo = *bin
                        .iter()
                        .min_by(|&&a, &&b| y[a].total_cmp(&y[b]).then(a.cmp(&b)))
                        .unwrap();
                    let hi = *bin
                        .iter()
                        .max_by(|&&a, &&b| y[a].total_cmp(&y[b]).then(b.cmp(&a)))
                        .unwrap();
                    out.extend([lo.min(hi), lo.max(hi)]);
                }
            }
            start = end;
        }
        out
    }

    #[test]
    fn minmax_lttb_equals_minmax_then_the_published_lttb() {
        let mut rng = Rng(41);
        for _ in 0..100 {
            let n = 500 + rng.below(20_000);
            let x: Vec<f64> = (0..n).map(|i| 1.7e9 + 60.0 * i as f64).collect();
            let y: Vec<f64> = (0..n).map(|_| rng.below(100_000) as f64 / 13.0).collect();
            let n_out = 3 + rng.below(100);
            let ratio = 2 + rng.below(8);
            let ours = minmax_lttb(&x, &y, n_out, ratio).unwrap();
            let expected = if n / n_out > ratio {
                let inner = reference_minmax(&x[1..n - 1], &y[1..n - 1], (n_out * ratio) / 2);
                let index: Vec<usize> = std::iter::once(0)
                    .chain(inner.iter().map(|i| i + 1))
                    .chain(std::iter::once(n - 1))
                    .collect();
                let xs: Vec<f64> = index.iter().map(|&i| x[i]).collect();
                let ys: Vec<f64> = index.iter().map(|&i| y[i]).collect();
                // The pre-selected x are uneven: the centre of a bucket is the
                // middle of its x range, as the MinMaxLTTB paper's code has it.
                let middle = |v: &[f64]| (v[0] + v[v.len() - 1]) / 2.0;
                reference_lttb(&xs, &ys, n_out, middle)
                    .into_iter()
                    .map(|k| index[k])
                    .collect()
            } else {
                let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
                reference_lttb(&x, &y, n_out, mean)
            };
            assert_eq!(ours, expected, "n={n} n_out={n_out} ratio={ratio}");
        }
    }

    #[test]
    fn the_documented_small_case() {
        let x: Vec<f64> = (0..10).map(f64::from).collect();
        assert_eq!(minmax_lttb(&x, &x, 4, 2).unwrap(), vec![0, 1, 5, 9]);
    }
}
