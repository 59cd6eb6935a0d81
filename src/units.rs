//! Units of a metric's values and how a number is written in them, following
//! the units a Mackerel graph definition can carry. Axis labels scale by the
//! largest value on the axis so every label on one axis shares its suffix.

use serde::{Deserialize, Serialize};

/// The unit of a metric's values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    #[default]
    Float,
    Integer,
    Percentage,
    Seconds,
    Milliseconds,
    Bytes,
    #[serde(rename = "bytes/sec")]
    BytesPerSec,
    #[serde(rename = "bits/sec")]
    BitsPerSec,
    Iops,
}

/// Past this, a scaled number is written with an exponent rather than
/// hundreds of digits.
const BEYOND_SUFFIXES: f64 = 1e6;

const SI: &[(f64, &str)] = &[
    (1.0, ""),
    (1e3, "k"),
    (1e6, "M"),
    (1e9, "G"),
    (1e12, "T"),
    (1e15, "P"),
];
const BINARY: &[(f64, &str)] = &[
    (1.0, " B"),
    (1024.0, " KiB"),
    (1048576.0, " MiB"),
    (1073741824.0, " GiB"),
    (1099511627776.0, " TiB"),
    (1125899906842624.0, " PiB"),
];
const BINARY_RATE: &[(f64, &str)] = &[
    (1.0, " B/s"),
    (1024.0, " KiB/s"),
    (1048576.0, " MiB/s"),
    (1073741824.0, " GiB/s"),
    (1099511627776.0, " TiB/s"),
];
const BIT_RATE: &[(f64, &str)] = &[
    (1.0, " bps"),
    (1e3, " kbps"),
    (1e6, " Mbps"),
    (1e9, " Gbps"),
    (1e12, " Tbps"),
];
const IOPS: &[(f64, &str)] = &[(1.0, " iops"), (1e3, "k iops"), (1e6, "M iops")];
const PERCENT: &[(f64, &str)] = &[(1.0, "%")];
const SECONDS: &[(f64, &str)] = &[(1e-3, " ms"), (1.0, " s")];
const MILLISECONDS: &[(f64, &str)] = &[(1.0, " ms"), (1e3, " s")];

impl Unit {
    /// The divisors and suffixes this unit is written with, smallest first.
    fn scales(self) -> &'static [(f64, &'static str)] {
        match self {
            Unit::Float | Unit::Integer => SI,
            Unit::Percentage => PERCENT,
            Unit::Seconds => SECONDS,
            Unit::Milliseconds => MILLISECONDS,
            Unit::Bytes => BINARY,
            Unit::BytesPerSec => BINARY_RATE,
            Unit::BitsPerSec => BIT_RATE,
            Unit::Iops => IOPS,
        }
    }

    /// The divisor and suffix for an axis whose largest magnitude is `max_abs`.
    pub fn scale_for(self, max_abs: f64) -> (f64, &'static str) {
        let scales = self.scales();
        scales
            .iter()
            .rev()
            .find(|(div, _)| max_abs >= *div)
            .or_else(|| scales.iter().find(|(div, _)| *div >= 1.0))
            .copied()
            .unwrap_or(scales[0])
    }

    /// `value` written for an axis scaled by `scale`, with enough decimals to
    /// tell apart ticks `step` apart (in raw units).
    pub fn format_tick(self, value: f64, step: f64, scale: (f64, &str)) -> String {
        let (div, suffix) = scale;
        let scaled_step = (step / div).abs();
        let decimals = if scaled_step > 0.0 && scaled_step.is_finite() {
            (-scaled_step.log10().floor()).clamp(0.0, 12.0) as usize
        } else {
            0
        };
        let scaled = value / div;
        // Zero up to rounding is written in the base unit, without a
        // prefix ("0 B", "0 iops", never "-0" or "0k iops"), as zero is
        // zero in any scale; an axis scaled below the base unit (seconds
        // in ms) keeps its own suffix.
        if scaled.abs() < scaled_step * 1e-9 || scaled == 0.0 {
            let base = self.scales().iter().find(|(d, _)| *d == 1.0);
            let suffix = base.filter(|_| div >= 1.0).map_or(suffix, |b| b.1);
            return format!("0{suffix}");
        }
        if scaled.abs() >= BEYOND_SUFFIXES {
            return format!("{scaled:.1e}{suffix}");
        }
        format!("{scaled:.decimals$}{suffix}")
    }

    /// A single value (tooltip, legend) written with a sensible precision.
    pub fn format_value(self, value: f64) -> String {
        if !value.is_finite() {
            return "—".to_string();
        }
        let scale = self.scale_for(value.abs());
        let scaled = (value / scale.0).abs();
        if scaled >= BEYOND_SUFFIXES {
            return format!("{:.3e}{}", value / scale.0, scale.1);
        }
        let decimals = match self {
            Unit::Integer if scale.0 == 1.0 => 0,
            _ if scaled >= 100.0 => 1,
            _ if scaled >= 10.0 => 2,
            _ => 3,
        };
        format!("{:.decimals$}{}", value / scale.0, scale.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_use_binary_prefixes_chosen_by_the_largest_value() {
        let gib = 1073741824.0;
        let scale = Unit::Bytes.scale_for(8.0 * gib);
        assert_eq!(scale.1, " GiB");
        assert_eq!(
            Unit::Bytes.format_tick(6.0 * gib, 2.0 * gib, scale),
            "6 GiB"
        );
        assert_eq!(
            Unit::Bytes.format_tick(0.5 * gib, 0.5 * gib, scale),
            "0.5 GiB"
        );
        assert_eq!(Unit::Bytes.format_value(512.0), "512.0 B");
    }

    #[test]
    fn rates_and_percentages_read_as_people_expect() {
        assert_eq!(Unit::BitsPerSec.format_value(2.5e6), "2.500 Mbps");
        assert_eq!(
            Unit::Percentage.format_tick(50.0, 10.0, Unit::Percentage.scale_for(100.0)),
            "50%"
        );
        assert_eq!(
            Unit::Float.format_tick(0.25, 0.05, Unit::Float.scale_for(1.0)),
            "0.25"
        );
        assert_eq!(Unit::Seconds.format_value(0.02), "20.00 ms");
        assert_eq!(Unit::Integer.format_value(7.0), "7");
        assert_eq!(Unit::Float.format_value(f64::NAN), "—");
        assert_eq!(Unit::Float.format_value(1.7e308), "1.700e293P");
        assert_eq!(
            Unit::Float.format_tick(2e300, 1e300, Unit::Float.scale_for(2e300)),
            "2.0e285P"
        );
    }

    #[test]
    fn zero_is_written_in_the_base_unit() {
        let tick = |unit: Unit, max: f64| unit.format_tick(0.0, max / 4.0, unit.scale_for(max));
        assert_eq!(tick(Unit::Iops, 5_000.0), "0 iops");
        assert_eq!(tick(Unit::Float, 5e6), "0");
        assert_eq!(tick(Unit::Bytes, 8.0 * 1073741824.0), "0 B");
        assert_eq!(tick(Unit::BitsPerSec, 2e9), "0 bps");
        assert_eq!(tick(Unit::Percentage, 100.0), "0%");
        assert_eq!(tick(Unit::Seconds, 0.02), "0 ms");
        assert_eq!(Unit::Float.format_tick(-1e-17, 0.5, (1.0, "")), "0");
    }

    #[test]
    fn small_values_keep_the_base_unit() {
        assert_eq!(Unit::Bytes.scale_for(0.0).1, " B");
        assert_eq!(Unit::Float.scale_for(0.001).1, "");
        assert_eq!(Unit::Seconds.scale_for(0.001).1, " ms");
    }

    #[test]
    fn unit_names_match_the_graph_definition_spelling() {
        let parsed: Unit = serde_json::from_str("\"bytes/sec\"").unwrap();
        assert_eq!(parsed, Unit::BytesPerSec);
        let parsed: Unit = serde_json::from_str("\"percentage\"").unwrap();
        assert_eq!(parsed, Unit::Percentage);
    }
}
