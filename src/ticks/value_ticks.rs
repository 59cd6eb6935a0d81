//! Value-axis ticks at 1-2-5 steps of the unit's scaled value (so bytes step
//! through 0.5 GiB, not 536,870,912), with labels that share one suffix.

use crate::units::Unit;

/// An axis range and its labelled ticks.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueTicks {
    /// The axis runs from `min` to `max`; both are ticks.
    pub min: f64,
    pub max: f64,
    pub ticks: Vec<(f64, String)>,
}

/// Ticks for data spanning `[lo, hi]` with at most `max_ticks` intervals.
/// The axis includes zero (monitoring graphs are read against zero) and never
/// has zero height, whatever the input.
pub fn value_ticks(lo: f64, hi: f64, max_ticks: usize, unit: Unit) -> ValueTicks {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() && lo <= hi {
        (lo.min(0.0), hi.max(0.0))
    } else {
        (0.0, 1.0)
    };
    let (lo, hi) = if lo == hi { (lo, lo + 1.0) } else { (lo, hi) };
    let max_abs = lo.abs().max(hi.abs());
    let scale = unit.scale_for(max_abs);
    let intervals = max_ticks.max(1) as f64;
    // Halves keep the span finite when lo and hi are near ±f64::MAX.
    let raw_step = (hi / 2.0 - lo / 2.0) / intervals * 2.0;
    let step = nice_step(raw_step / scale.0) * scale.0;
    // Past a tick by a billionth of a step is rounding, not data beyond it
    // (layers of a CPU stack adding up to 100.00000000000001 %): no step
    // is added for it.
    // (`+ 0.0` turns the -0 that ceil gives just below zero into 0.)
    let mut min = (lo / step + 1e-9).floor() * step + 0.0;
    let mut max = (hi / step - 1e-9).ceil() * step + 0.0;
    if !min.is_finite() {
        min = lo;
    }
    if !max.is_finite() {
        max = hi;
    }
    let count = ((max / 2.0 - min / 2.0) / step * 2.0)
        .round()
        .clamp(1.0, 100.0) as usize;
    let ticks = (0..=count)
        .map(|k| {
            let v = if k == count {
                max
            } else {
                min + k as f64 * step
            };
            (v, unit.format_tick(v, step, scale))
        })
        .collect();
    ValueTicks { min, max, ticks }
}

/// Ticks for an axis that runs exactly from `lo` to `hi` (a fixed `min`
/// or `max`): the ends are where the user put them, and the ticks are the
/// round values between (zero only if it lies there).
pub fn fixed_value_ticks(lo: f64, hi: f64, max_ticks: usize, unit: Unit) -> ValueTicks {
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return value_ticks(lo, hi, max_ticks, unit);
    }
    let scale = unit.scale_for(lo.abs().max(hi.abs()));
    let raw_step = (hi / 2.0 - lo / 2.0) / max_ticks.max(1) as f64 * 2.0;
    let step = nice_step(raw_step / scale.0) * scale.0;
    let first = (lo / step - 1e-9).ceil();
    let ticks = (0..=100)
        .map(|k| (first + f64::from(k)) * step + 0.0)
        .take_while(|v| *v <= hi + 1e-9 * step)
        .map(|v| (v, unit.format_tick(v, step, scale)))
        .collect();
    ValueTicks {
        min: lo,
        max: hi,
        ticks,
    }
}

/// Ticks for a logarithmic axis over data from `lo` to `hi`: the ends are
/// the fixed ones given, else the powers of ten around the data's positive
/// values (three decades below the top when none is above zero); ticks at
/// the powers of ten, and at 2 and 5 times them when few decades show.
pub fn log_value_ticks(
    lo: f64,
    hi: f64,
    fixed: (Option<f64>, Option<f64>),
    max_ticks: usize,
    unit: Unit,
) -> ValueTicks {
    let hi = if hi.is_finite() && hi > 0.0 { hi } else { 1.0 };
    let lo = if lo.is_finite() && lo > 0.0 && lo < hi {
        lo
    } else {
        hi / 1e3
    };
    // The powers of ten at or below `lo` and at or above `hi` (a value a
    // hair off a power of ten is that power).
    let below = 10f64.powf((lo.log10() + 1e-9).floor());
    let above = 10f64.powf((hi.log10() - 1e-9).ceil());
    let mut min = fixed.0.filter(|m| *m > 0.0).unwrap_or(below);
    let mut max = fixed
        .1
        .filter(|m| *m > min)
        .unwrap_or(above.max(min * 10.0));
    if !(min.is_finite() && max.is_finite() && min > 0.0 && max > min) {
        (min, max) = (1.0, 10.0);
    }
    let decades = (max.log10() - min.log10()).ceil().clamp(1.0, 700.0);
    // Every k-th power of ten when the decades outnumber the ticks.
    let every = (decades / max_ticks.max(1) as f64).ceil().max(1.0);
    let multiples: &[f64] = if decades * 3.0 <= max_ticks as f64 {
        &[1.0, 2.0, 5.0]
    } else {
        &[1.0]
    };
    let first = min.log10().floor() as i32;
    let mut ticks = Vec::new();
    let mut k = first;
    while ticks.len() < 100 {
        let power = 10f64.powi(k);
        if power > max * (1.0 + 1e-9) {
            break;
        }
        for m in multiples {
            let v = m * power;
            if v >= min * (1.0 - 1e-9) && v <= max * (1.0 + 1e-9) {
                // Each label in its own scale and precision (1 KiB, 1 MiB).
                ticks.push((v, unit.format_tick(v, v, unit.scale_for(v))));
            }
        }
        k = k.saturating_add(every as i32);
    }
    ValueTicks { min, max, ticks }
}

/// The smallest of 1, 2, 5 × 10^k that is at least `raw`.
fn nice_step(raw: f64) -> f64 {
    if raw.is_nan() || raw <= 0.0 || !raw.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw * (1.0 - 1e-12))
        .unwrap_or(10.0 * magnitude)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(t: &ValueTicks) -> Vec<&str> {
        t.ticks.iter().map(|(_, s)| s.as_str()).collect()
    }

    #[test]
    fn load_average_gets_round_steps_from_zero() {
        let t = value_ticks(0.3, 17.2, 5, Unit::Float);
        assert_eq!((t.min, t.max), (0.0, 20.0));
        assert_eq!(labels(&t), ["0", "5", "10", "15", "20"]);
    }

    #[test]
    fn memory_in_bytes_steps_in_gib() {
        let gib = 1073741824.0;
        let t = value_ticks(5.5 * gib, 8.7 * gib, 5, Unit::Bytes);
        assert_eq!(
            labels(&t),
            ["0 B", "2 GiB", "4 GiB", "6 GiB", "8 GiB", "10 GiB"]
        );
    }

    #[test]
    fn layers_adding_up_to_a_hundred_percent_end_the_axis_at_a_hundred() {
        let top = 70.9 + 6.22 + 0.01 + 22.87;
        assert!(top > 100.0, "the sum is {top} in floating point");
        let t = value_ticks(0.0, top, 5, Unit::Percentage);
        assert_eq!((t.min, t.max), (0.0, 100.0));
        let t = value_ticks(0.0, 100.001, 5, Unit::Percentage);
        assert!(t.max > 100.0, "a value truly above 100 gets its room");
    }

    #[test]
    fn a_flat_or_broken_range_still_gives_an_axis_with_height() {
        for (lo, hi) in [
            (0.0, 0.0),
            (f64::NAN, 1.0),
            (3.0, 1.0),
            (f64::NEG_INFINITY, 0.0),
        ] {
            let t = value_ticks(lo, hi, 5, Unit::Float);
            assert!(t.max > t.min, "{lo}..{hi}");
            assert!(t.ticks.len() >= 2);
        }
        let t = value_ticks(-5.0, -5.0, 5, Unit::Float);
        assert!(t.min <= -5.0 && t.max >= 0.0);
        assert!(
            t.max.is_sign_positive(),
            "an axis ending at zero ends at 0, not -0"
        );
    }

    #[test]
    fn a_fixed_range_keeps_its_ends_and_ticks_the_round_values_between() {
        let t = fixed_value_ticks(0.0, 100.0, 5, Unit::Percentage);
        assert_eq!((t.min, t.max), (0.0, 100.0));
        assert_eq!(labels(&t), ["0%", "20%", "40%", "60%", "80%", "100%"]);
        let t = fixed_value_ticks(52.5, 71.0, 4, Unit::Float);
        assert_eq!((t.min, t.max), (52.5, 71.0));
        assert_eq!(labels(&t), ["55", "60", "65", "70"]);
        let t = fixed_value_ticks(-1e308, 1.7e308, 4, Unit::Float);
        assert!(t.ticks.len() <= 101 && t.ticks.iter().all(|(v, _)| v.is_finite()));
    }

    #[test]
    fn a_log_axis_ticks_powers_of_ten_and_their_2_and_5_when_few() {
        let t = log_value_ticks(3.0, 4_200.0, (None, None), 12, Unit::Float);
        assert_eq!((t.min, t.max), (1.0, 10_000.0));
        assert_eq!(labels(&t)[..4], ["1", "2", "5", "10"]);
        let t = log_value_ticks(1_000.0, 1e9, (None, None), 8, Unit::Bytes);
        assert_eq!((t.min, labels(&t)[0]), (1_000.0, "1000 B"));
        let t = log_value_ticks(0.003, 4e6, (None, None), 5, Unit::Float);
        assert!(t
            .ticks
            .iter()
            .all(|(v, _)| (v.log10() - v.log10().round()).abs() < 1e-9));
        assert!(t.ticks.len() <= 6, "{:?}", labels(&t));
        // No positive data: three decades under the top.
        let t = log_value_ticks(-5.0, 0.0, (None, None), 5, Unit::Float);
        assert!(t.min > 0.0 && t.max > t.min);
        let t = log_value_ticks(1.0, 1e300, (Some(1e-300), None), 8, Unit::Float);
        assert!(t.ticks.len() <= 100 && t.min > 0.0);
    }

    #[test]
    fn huge_values_do_not_overflow() {
        let t = value_ticks(-1e308, 1.7e308, 4, Unit::Float);
        assert!(t.min.is_finite() && t.max.is_finite() && t.max > t.min);
        assert!(t.ticks.len() <= 101);
        let t = value_ticks(1.0, 1.0 + 1e-12, 4, Unit::Float);
        assert!(t.max > t.min);
    }
}
