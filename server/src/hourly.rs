//! Summaries of whole hours of each generated host series (min, max, sum,
//! count), built once per series when first needed: the data never
//! changes, so a coarse answer over 460 days reads an hour at a time rather
//! than a minute at a time. The thread that starts a build does it; others
//! read minutes meanwhile rather than wait.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LazyLock, OnceLock};

use crate::generator::{retention_window, value_at, HOSTS, METRICS, STEP};

pub const HOUR: i64 = 3_600;

/// What one whole hour of a series holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HourStats {
    pub min: f64,
    pub max: f64,
    pub sum: f64,
    pub count: u32,
}

struct Hours {
    /// Epoch hour of `stats[0]`.
    base: i64,
    stats: Vec<Option<HourStats>>,
}

struct Cell {
    built: OnceLock<Hours>,
    building: AtomicBool,
}

static CELLS: LazyLock<Vec<Cell>> = LazyLock::new(|| {
    (0..METRICS.len() * HOSTS.len())
        .map(|_| Cell {
            built: OnceLock::new(),
            building: AtomicBool::new(false),
        })
        .collect()
});

/// The hours of series (`metric`, `host`) (indices into METRICS and HOSTS):
/// built by the first caller, None to others while that runs.
fn hours(metric: usize, host: usize, now: i64) -> Option<&'static Hours> {
    let cell = CELLS.get(metric * HOSTS.len() + host)?;
    if let Some(built) = cell.built.get() {
        return Some(built);
    }
    if cell.building.swap(true, Ordering::AcqRel) {
        return None;
    }
    Some(cell.built.get_or_init(|| {
        let (first, last) = retention_window(now);
        let base = first.div_euclid(HOUR) + 1;
        let end = (last + STEP).div_euclid(HOUR);
        let stats = (base..end)
            .map(|h| {
                (h * HOUR..(h + 1) * HOUR)
                    .step_by(STEP as usize)
                    .filter_map(|t| value_at(&HOSTS[host], &METRICS[metric], t))
                    .fold(None, |acc: Option<HourStats>, v| {
                        Some(match acc {
                            None => HourStats {
                                min: v,
                                max: v,
                                sum: v,
                                count: 1,
                            },
                            Some(a) => HourStats {
                                min: a.min.min(v),
                                max: a.max.max(v),
                                sum: a.sum + v,
                                count: a.count + 1,
                            },
                        })
                    })
            })
            .collect();
        Hours { base, stats }
    }))
}

/// Builds the hours of every host's `loadavg5` (the metric the demo graphs
/// first) ahead of the first coarse answer.
pub fn warm_up(now: i64) {
    if let Some(metric) = METRICS.iter().position(|m| m.name == "loadavg5") {
        for host in 0..HOSTS.len() {
            hours(metric, host, now);
        }
    }
}

/// What the samples of series (`metric`, `host`) in `(after, until]` (and
/// in the retention window `(first, last)`) give: `minute` for each sample
/// read alone, `hour` for each whole hour read from its summary.
pub fn visit(
    (metric, host): (usize, usize),
    (after, until): (i64, i64),
    (first, last): (i64, i64),
    now: i64,
    mut minute: impl FnMut(f64),
    mut hour: impl FnMut(&HourStats),
) {
    let summary = hours(metric, host, now);
    let mut s = ((after.div_euclid(STEP) + 1) * STEP).max(first);
    while s <= until.min(last) {
        let whole = (s % HOUR == 0 && s + HOUR - STEP <= until.min(last))
            .then(|| {
                summary?
                    .stats
                    .get(usize::try_from(s / HOUR - summary?.base).ok()?)
            })
            .flatten();
        match whole {
            Some(stats) => {
                if let Some(stats) = stats {
                    hour(stats);
                }
                s += HOUR;
            }
            None => {
                if let Some(v) = value_at(&HOSTS[host], &METRICS[metric], s) {
                    minute(v);
                }
                s += STEP;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000;

    #[test]
    fn hours_and_minutes_together_equal_a_scan_of_every_minute() {
        let (first, last) = retention_window(NOW);
        let mut seed = 7u64;
        for _ in 0..200 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let until = first + (seed >> 20) as i64 % (last - first);
            let after = until - (60 + (seed >> 5) as i64 % (3 * 86_400));
            let scan: Vec<f64> = (first..=last)
                .step_by(STEP as usize)
                .filter(|&t| t > after && t <= until)
                .filter_map(|t| value_at(&HOSTS[3], &METRICS[0], t))
                .collect();
            let totals = std::cell::Cell::new((f64::INFINITY, f64::NEG_INFINITY, 0.0, 0u32));
            let add = |lo: f64, hi: f64, s: f64, n: u32| {
                let (min, max, sum, count) = totals.get();
                totals.set((min.min(lo), max.max(hi), sum + s, count + n));
            };
            visit(
                (0, 3),
                (after, until),
                (first, last),
                NOW,
                |v| add(v, v, v, 1),
                |h| add(h.min, h.max, h.sum, h.count),
            );
            let (min, max, sum, count) = totals.get();
            assert_eq!(count as usize, scan.len());
            if !scan.is_empty() {
                assert_eq!(min, scan.iter().copied().fold(f64::INFINITY, f64::min));
                assert_eq!(max, scan.iter().copied().fold(f64::NEG_INFINITY, f64::max));
                let exact: f64 = scan.iter().sum();
                assert!((sum - exact).abs() <= 1e-9 * exact.abs().max(1.0));
            }
        }
    }
}
