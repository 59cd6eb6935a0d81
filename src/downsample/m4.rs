//! M4: per equal-width bin in x, the first, minimum, maximum and last point
//! (min and max in time order), so a line through them draws the same
//! pixels as the full series at `n_out / 4` columns.

use super::argminmax::argminmax;
use super::{all_valid, bins, check_input, Error};

/// Indices of the M4 points of (x, y) for `n_out / 4` bins. `n_out` must be
/// a multiple of 4 and at least 8. A bin of at most 4 points keeps them all;
/// as in tsdownsample an index repeats when, say, the first point is also
/// the minimum.
pub fn m4(x: &[f64], y: &[f64], n_out: usize) -> Result<Vec<usize>, Error> {
    check_input(x, y)?;
    if n_out < 8 || !n_out.is_multiple_of(4) {
        return Err(Error::BadNOut {
            algorithm: "m4",
            n_out,
            rule: "a multiple of 4 and at least 8",
        });
    }
    if n_out >= x.len() {
        return Ok(all_valid(y));
    }
    let argminmax = argminmax();
    let mut out = Vec::with_capacity(n_out);
    for bin in bins::equal_width(x, n_out / 4) {
        if bin.len() <= 4 {
            out.extend(bin.filter(|&i| !y[i].is_nan()));
            continue;
        }
        let Some((lo, hi)) = argminmax(&y[bin.clone()]) else {
            continue; // only NaN in this bin
        };
        let first = bin.clone().find(|&i| !y[i].is_nan()).unwrap_or(bin.start);
        let last = bin
            .clone()
            .rev()
            .find(|&i| !y[i].is_nan())
            .unwrap_or(bin.end - 1);
        let (a, b) = (bin.start + lo.min(hi), bin.start + lo.max(hi));
        out.extend([first, a, b, last]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ramp(n: usize) -> Vec<f64> {
        (0..n).map(|i| i as f64).collect()
    }

    #[test]
    fn m4_of_a_ramp_picks_bin_ends_like_tsdownsample() {
        let x = ramp(100);
        assert_eq!(
            m4(&x, &x, 12).unwrap(),
            vec![0, 0, 33, 33, 34, 34, 66, 66, 67, 67, 99, 99]
        );
    }

    #[test]
    fn holes_in_x_leave_bins_empty_and_small_bins_whole() {
        let x: Vec<f64> = (0..100)
            .map(|i| if i > 50 { i + 50 } else { i } as f64)
            .collect();
        let y = ramp(100);
        assert_eq!(
            m4(&x, &y, 20).unwrap(),
            vec![0, 0, 29, 29, 30, 30, 50, 50, 51, 51, 69, 69, 70, 70, 99, 99]
        );
        let x: Vec<f64> = x
            .iter()
            .map(|&v| if v > 101.0 { v + 50.0 } else { v })
            .collect();
        assert_eq!(
            m4(&x, &y, 20).unwrap(),
            vec![0, 0, 39, 39, 40, 40, 50, 50, 51, 52, 52, 59, 59, 60, 60, 99, 99]
        );
    }

    #[test]
    fn nan_is_skipped_and_an_all_nan_bin_yields_nothing() {
        let x = ramp(40);
        let mut y: Vec<f64> = (0..40).map(|i| (i % 5) as f64).collect();
        y[0] = f64::NAN;
        y[10..20].fill(f64::NAN);
        let out = m4(&x, &y, 16).unwrap();
        assert!(out.iter().all(|&i| !y[i].is_nan()));
        assert_eq!(out[0], 1, "the first point with a value opens the bin");
        assert!(!out.iter().any(|&i| (10..20).contains(&i)));
        assert!(out.windows(2).all(|w| w[0] <= w[1]));
    }
}
