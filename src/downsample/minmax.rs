//! MinMax: per equal-width bin in x, the minimum and maximum point in time
//! order — half of M4, and the pre-selection step of MinMaxLTTB.

use super::argminmax::argminmax;
use super::{all_valid, bins, check_input, Error};

/// Indices of the min and max of (x, y) for `n_out / 2` bins. `n_out` must be
/// even and at least 4. A bin of at most 2 points keeps them all.
pub fn minmax(x: &[f64], y: &[f64], n_out: usize) -> Result<Vec<usize>, Error> {
    check_input(x, y)?;
    if n_out < 4 || !n_out.is_multiple_of(2) {
        return Err(Error::BadNOut {
            algorithm: "minmax",
            n_out,
            rule: "even and at least 4",
        });
    }
    if n_out >= x.len() {
        return Ok(all_valid(y));
    }
    Ok(minmax_unchecked(x, y, n_out))
}

/// `minmax` for input already checked, with `n_out` even, at least 4 and
/// below the input length.
pub(crate) fn minmax_unchecked(x: &[f64], y: &[f64], n_out: usize) -> Vec<usize> {
    let argminmax = argminmax();
    let mut out = Vec::with_capacity(n_out);
    for bin in bins::equal_width(x, n_out / 2) {
        if bin.len() <= 2 {
            out.extend(bin.filter(|&i| !y[i].is_nan()));
            continue;
        }
        if let Some((lo, hi)) = argminmax(&y[bin.clone()]) {
            out.extend([bin.start + lo.min(hi), bin.start + lo.max(hi)]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minmax_of_a_ramp_and_of_data_with_a_hole_in_x() {
        let x: Vec<f64> = (0..100).map(f64::from).collect();
        assert_eq!(
            minmax(&x, &x, 10).unwrap(),
            vec![0, 19, 20, 39, 40, 59, 60, 79, 80, 99]
        );
        let holed: Vec<f64> = (0..100)
            .map(|i| if i > 50 { i + 50 } else { i } as f64)
            .collect();
        assert_eq!(
            minmax(&holed, &x, 10).unwrap(),
            vec![0, 29, 30, 50, 51, 69, 70, 99]
        );
    }

    #[test]
    fn a_one_point_spike_is_always_kept() {
        let x: Vec<f64> = (0..10_000).map(f64::from).collect();
        let mut y = vec![1.0; 10_000];
        y[7_777] = 1e6;
        y[1_234] = f64::NAN;
        let out = minmax(&x, &y, 100).unwrap();
        assert!(out.contains(&7_777));
        assert!(!out.contains(&1_234));
    }
}
