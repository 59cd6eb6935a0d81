//! Deterministic demo metrics: 1-minute values for the 460 days ending now,
//! a pure function of (host, metric, minute) so any range can be served
//! without storing anything. The data has what real hosts show: daily and
//! weekly cycles, a slow trend, noise, rare one-minute spikes, missing
//! minutes and a few multi-hour outages.

use std::f64::consts::TAU;

/// Mackerel keeps 1-minute data for 460 days.
pub const RETENTION_DAYS: i64 = 460;
pub const STEP: i64 = 60;

/// A metric the demo hosts report.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Metric {
    pub name: &'static str,
    /// Decimals written in JSON.
    pub decimals: usize,
    kind: Kind,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    LoadAverage,
    CpuPercent,
    MemoryBytes,
}

pub const METRICS: &[Metric] = &[
    Metric {
        name: "loadavg5",
        decimals: 3,
        kind: Kind::LoadAverage,
    },
    Metric {
        name: "cpu.user.percentage",
        decimals: 2,
        kind: Kind::CpuPercent,
    },
    Metric {
        name: "memory.used",
        decimals: 0,
        kind: Kind::MemoryBytes,
    },
];

/// A demo host: Mackerel-style id, display name and role.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Host {
    pub id: &'static str,
    pub name: &'static str,
    pub role: &'static str,
    seed: u64,
}

pub const HOSTS: &[Host] = &[
    Host {
        id: "3yAYEDLXKL5",
        name: "web-01",
        role: "web",
        seed: 0x5eed_0001,
    },
    Host {
        id: "4zBZFEMYLM6",
        name: "db-01",
        role: "db",
        seed: 0x5eed_0002,
    },
];

pub fn find_host(id: &str) -> Option<&'static Host> {
    HOSTS.iter().find(|h| h.id == id)
}

pub fn find_metric(name: &str) -> Option<&'static Metric> {
    METRICS.iter().find(|m| m.name == name)
}

/// One in this many minutes is missing at random.
const MISSING_ONE_IN: u64 = 5_000;
/// One in this many minutes is a spike.
const SPIKE_ONE_IN: u64 = 20_000;
/// Outages are whole blocks of this many minutes…
const OUTAGE_BLOCK_MINUTES: i64 = 240;
/// …and one block in this many is down.
const OUTAGE_ONE_IN: u64 = 400;

/// splitmix64: a fast, well-mixed hash of a 64-bit input.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn hash(seed: u64, salt: u64, n: i64) -> u64 {
    mix(seed ^ mix(salt ^ mix(n as u64)))
}

/// Uniform in [0, 1).
fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// The value of `metric` on `host` at epoch second `t` (a whole minute), or
/// None when that minute has no data.
pub fn value_at(host: &Host, metric: &Metric, t: i64) -> Option<f64> {
    let minute = t.div_euclid(STEP);
    if hash(host.seed, 1, minute.div_euclid(OUTAGE_BLOCK_MINUTES)).is_multiple_of(OUTAGE_ONE_IN) {
        return None;
    }
    if hash(host.seed, 2, minute).is_multiple_of(MISSING_ONE_IN) {
        return None;
    }
    let day = (t.rem_euclid(86_400)) as f64 / 86_400.0;
    // Busy in the (UTC) afternoon, quiet at night.
    let daily = 0.5 - 0.5 * (TAU * (day - 0.1)).cos();
    // 1970-01-01 was a Thursday: days 2 and 3 of the week are the weekend.
    let weekend = matches!(t.div_euclid(86_400).rem_euclid(7), 2 | 3);
    let weekly = if weekend { 0.6 } else { 1.0 };
    // A slow trend that repeats every ~2 years, so it shows over 460 days.
    let trend = 0.5 + 0.5 * (TAU * t as f64 / (730.0 * 86_400.0)).sin();
    let noise = unit(hash(host.seed, 3, minute)) + unit(hash(host.seed, 4, minute)) - 1.0;
    let spike = hash(host.seed, 5, minute).is_multiple_of(SPIKE_ONE_IN);
    let spike_size = 0.7 + 0.3 * unit(hash(host.seed, 6, minute));
    let gib = 1024.0 * 1024.0 * 1024.0;
    let value = match metric.kind {
        Kind::LoadAverage => {
            let v = 0.4 + 2.2 * daily * weekly + 0.8 * trend + 0.35 * noise;
            if spike {
                7.0 + 7.0 * spike_size
            } else {
                v.max(0.0)
            }
        }
        Kind::CpuPercent => {
            let v = 6.0 + 38.0 * daily * weekly + 10.0 * trend + 4.0 * noise;
            if spike {
                100.0 * spike_size.max(0.9)
            } else {
                v.clamp(0.0, 100.0)
            }
        }
        Kind::MemoryBytes => {
            let v = 5.0 * gib + 1.5 * gib * trend + 0.8 * gib * daily + 0.05 * gib * noise;
            if spike {
                v + 4.0 * gib * spike_size
            } else {
                v
            }
        }
    };
    Some(value)
}

/// The first and last minute (epoch seconds) of data kept at time `now`.
pub fn retention_window(now: i64) -> (i64, i64) {
    let last = now.div_euclid(STEP) * STEP;
    (last - RETENTION_DAYS * 86_400 + STEP, last)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000;

    fn all_minutes(metric: &Metric) -> Vec<Option<f64>> {
        let (first, last) = retention_window(NOW);
        (first..=last)
            .step_by(STEP as usize)
            .map(|t| value_at(&HOSTS[0], metric, t))
            .collect()
    }

    #[test]
    fn the_window_holds_460_days_of_minutes() {
        let (first, last) = retention_window(NOW);
        assert_eq!((last - first) / STEP + 1, 662_400);
        assert_eq!(last % STEP, 0);
    }

    #[test]
    fn values_are_deterministic() {
        let m = find_metric("loadavg5").unwrap();
        assert_eq!(
            value_at(&HOSTS[0], m, NOW - 600),
            value_at(&HOSTS[0], m, NOW - 600)
        );
        assert_ne!(
            value_at(&HOSTS[0], m, 1_700_000_040),
            value_at(&HOSTS[1], m, 1_700_000_040)
        );
    }

    #[test]
    fn the_data_has_spikes_missing_minutes_and_outages() {
        let values = all_minutes(find_metric("loadavg5").unwrap());
        let missing = values.iter().filter(|v| v.is_none()).count();
        let spikes = values.iter().flatten().filter(|v| **v > 6.5).count();
        assert!((10..=80).contains(&spikes), "{spikes} spikes");
        assert!(missing > 200, "{missing} missing minutes");
        let longest_gap = values
            .split(|v| v.is_some())
            .map(<[Option<f64>]>::len)
            .max()
            .unwrap_or(0);
        assert!(
            longest_gap >= 120,
            "an outage of at least two hours, got {longest_gap} minutes"
        );
        // A spike stands alone: its neighbours are ordinary values.
        let i = values
            .iter()
            .position(|v| v.is_some_and(|v| v > 6.5))
            .unwrap();
        assert!(values[i - 1].is_none_or(|v| v < 6.0) && values[i + 1].is_none_or(|v| v < 6.0));
    }

    #[test]
    fn values_stay_in_their_metrics_range() {
        for v in all_minutes(find_metric("cpu.user.percentage").unwrap())
            .into_iter()
            .flatten()
        {
            assert!((0.0..=100.0).contains(&v));
        }
        for v in all_minutes(find_metric("memory.used").unwrap())
            .into_iter()
            .flatten()
        {
            assert!(v > 4e9 && v < 2e10);
        }
    }
}
