//! Thinning algorithms as pure functions over (x, y) columns, each returning
//! ascending indices into the input so one result serves x and every y. The
//! semantics follow tsdownsample (the reference Rust/Python library), so
//! results can be compared with it index for index; unlike it, NaN y values
//! are skipped (a bin holding only NaN yields nothing) and bad input is an
//! `Error`, never a panic.

mod argminmax;
mod bins;
mod lttb;
mod m4;
mod minmax;
mod minmax_lttb;

use std::fmt;

pub use lttb::lttb;
pub use m4::m4;
pub use minmax::minmax;
pub use minmax_lttb::minmax_lttb;

/// Why a thinning could not run.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    Empty,
    LengthMismatch {
        x: usize,
        y: usize,
    },
    /// `x[index]` is NaN, infinite, or smaller than the value before it.
    UnsortedX {
        index: usize,
    },
    /// `n_out` is below what the algorithm needs, or not a multiple of what
    /// it divides by.
    BadNOut {
        algorithm: &'static str,
        n_out: usize,
        rule: &'static str,
    },
    /// MinMaxLTTB's pre-selection ratio must be at least 2.
    BadRatio {
        minmax_ratio: usize,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Empty => write!(f, "cannot thin an empty series"),
            Error::LengthMismatch { x, y } => {
                write!(f, "x has {x} values but y has {y}; they must be the same length")
            }
            Error::UnsortedX { index } => write!(
                f,
                "x must be finite and ascending, but x[{index}] is not (sort the points by time first)"
            ),
            Error::BadNOut {
                algorithm,
                n_out,
                rule,
            } => write!(f, "{algorithm} cannot return {n_out} points: n_out must be {rule}"),
            Error::BadRatio { minmax_ratio } => write!(
                f,
                "minmax_ratio is {minmax_ratio}, but must be at least 2"
            ),
        }
    }
}

impl std::error::Error for Error {}

/// Checks what every algorithm needs of its input.
fn check_input(x: &[f64], y: &[f64]) -> Result<(), Error> {
    if x.len() != y.len() {
        return Err(Error::LengthMismatch {
            x: x.len(),
            y: y.len(),
        });
    }
    if x.is_empty() {
        return Err(Error::Empty);
    }
    let n = x.len();
    if !x[0].is_finite() {
        return Err(Error::UnsortedX { index: 0 });
    }
    // Ascending between finite ends means finite throughout, and `a <= b`
    // is false when either is NaN.
    if let Some(i) = first_descent(x) {
        return Err(Error::UnsortedX { index: i });
    }
    if !x[n - 1].is_finite() {
        let index = x.iter().position(|v| !v.is_finite()).unwrap_or(n - 1);
        return Err(Error::UnsortedX { index });
    }
    Ok(())
}

/// The first i with `!(x[i - 1] <= x[i])`, using the widest vectors the CPU
/// has.
fn first_descent(x: &[f64]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx2")]
        fn avx2(x: &[f64]) -> Option<usize> {
            first_descent_portable(x)
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has been found to support AVX2.
            return unsafe { avx2(x) };
        }
    }
    first_descent_portable(x)
}

/// `first_descent` in plain Rust. Blocks are tested whole, without an early
/// exit, so the test vectorises; a failing block is searched again.
#[inline(always)]
fn first_descent_portable(x: &[f64]) -> Option<usize> {
    const BLOCK: usize = 256;
    let n = x.len();
    let mut start = 0;
    while start + 1 < n {
        let end = (start + BLOCK).min(n - 1);
        let ascending = x[start..end]
            .iter()
            .zip(&x[start + 1..=end])
            .fold(true, |ok, (a, b)| ok & (a <= b));
        if !ascending {
            // Descending, or NaN on either side.
            let descent = |i: &usize| x[*i].partial_cmp(&x[*i + 1]).is_none_or(|o| o.is_gt());
            return (start..end).find(descent).map(|i| i + 1);
        }
        start = end;
    }
    None
}

/// Every index whose y holds a value: the answer when `n_out` is at least
/// the input length.
fn all_valid(y: &[f64]) -> Vec<usize> {
    (0..y.len()).filter(|&i| !y[i].is_nan()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_is_an_error_for_every_algorithm() {
        let x = [0.0, 1.0, 2.0];
        let y = [1.0, 2.0, 3.0];
        type Thin = fn(&[f64], &[f64], usize) -> Result<Vec<usize>, Error>;
        let with_ratio: Thin = |x, y, n| minmax_lttb(x, y, n, 4);
        for thin in [m4 as Thin, minmax, lttb, with_ratio] {
            assert_eq!(thin(&[], &[], 8), Err(Error::Empty));
            assert_eq!(
                thin(&x, &y[..2], 8),
                Err(Error::LengthMismatch { x: 3, y: 2 })
            );
            assert_eq!(
                thin(&[0.0, 2.0, 1.0], &y, 8),
                Err(Error::UnsortedX { index: 2 })
            );
            assert_eq!(
                thin(&[0.0, f64::NAN, 1.0], &y, 8),
                Err(Error::UnsortedX { index: 1 })
            );
            assert!(matches!(thin(&x, &y, 1), Err(Error::BadNOut { .. })));
        }
        assert!(matches!(m4(&x, &y, 6), Err(Error::BadNOut { .. })));
        assert!(matches!(minmax(&x, &y, 5), Err(Error::BadNOut { .. })));
        assert_eq!(
            minmax_lttb(&x, &y, 4, 1),
            Err(Error::BadRatio { minmax_ratio: 1 })
        );
        let message = m4(&x, &y, 6).unwrap_err().to_string();
        assert!(message.contains("multiple of 4"), "{message}");
    }

    #[test]
    fn asking_for_at_least_the_input_returns_every_point_with_a_value() {
        let x = [0.0, 1.0, 2.0, 3.0];
        let y = [1.0, f64::NAN, 3.0, 4.0];
        assert_eq!(m4(&x, &y, 8), Ok(vec![0, 2, 3]));
        assert_eq!(minmax(&x, &y, 4), Ok(vec![0, 2, 3]));
        assert_eq!(lttb(&x, &y, 4), Ok(vec![0, 2, 3]));
        assert_eq!(minmax_lttb(&x, &y, 4, 2), Ok(vec![0, 2, 3]));
    }
}
