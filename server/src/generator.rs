//! Deterministic demo metrics: 1-minute values for the 460 days ending now,
//! a pure function of (host, metric, minute) so any range can be served
//! without storing anything. The data has what real hosts show: daily and
//! weekly cycles, a slow trend, noise, rare one-minute spikes, missing
//! minutes and a few multi-hour outages.

use std::f64::consts::TAU;
use std::sync::LazyLock;

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
    CpuUser,
    CpuSystem,
    CpuIowait,
    /// What the other CPU metrics leave of 100 %.
    CpuIdle,
    MemoryUsed,
    MemoryCached,
    /// Bytes a second received and sent.
    Received,
    Sent,
}

const fn metric(name: &'static str, decimals: usize, kind: Kind) -> Metric {
    Metric {
        name,
        decimals,
        kind,
    }
}

/// The host metrics every demo host reports, in Mackerel's names.
pub const METRICS: &[Metric] = &[
    metric("loadavg5", 3, Kind::LoadAverage),
    metric("cpu.user.percentage", 2, Kind::CpuUser),
    metric("cpu.system.percentage", 2, Kind::CpuSystem),
    metric("cpu.iowait.percentage", 2, Kind::CpuIowait),
    metric("cpu.idle.percentage", 2, Kind::CpuIdle),
    metric("memory.used", 0, Kind::MemoryUsed),
    metric("memory.cached", 0, Kind::MemoryCached),
    metric("interface.eth0.rxBytes.delta", 1, Kind::Received),
    metric("interface.eth0.txBytes.delta", 1, Kind::Sent),
];

/// A demo host: Mackerel-style id, display name and role.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Host {
    pub id: &'static str,
    pub name: &'static str,
    pub role: &'static str,
    seed: u64,
}

/// Hosts in the `web` role and in the `db` role.
pub const WEB_HOSTS: usize = 16;
pub const DB_HOSTS: usize = 2;

/// web-01 … web-16, then db-01 and db-02. web-01 and db-01 keep the ids
/// links to the demo have always used.
pub static HOSTS: LazyLock<Vec<Host>> = LazyLock::new(|| {
    let leak = |s: String| -> &'static str { s.leak() };
    let mut hosts = Vec::with_capacity(WEB_HOSTS + DB_HOSTS);
    for (role, count, salt) in [
        ("web", WEB_HOSTS, 0x5eed_0001),
        ("db", DB_HOSTS, 0x5eed_0002),
    ] {
        for n in 1..=count {
            let seed = if n == 1 {
                salt
            } else {
                salt + 0x100 * n as u64
            };
            let id = match (role, n) {
                ("web", 1) => "3yAYEDLXKL5",
                ("db", 1) => "4zBZFEMYLM6",
                _ => leak(host_id(seed)),
            };
            hosts.push(Host {
                id,
                name: leak(format!("{role}-{n:02}")),
                role,
                seed,
            });
        }
    }
    hosts
});

/// An 11-character id like Mackerel's, from the host's seed.
fn host_id(seed: u64) -> String {
    const ALPHABET: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let mut h = mix(seed);
    (0..11)
        .map(|_| {
            let c = ALPHABET[(h % ALPHABET.len() as u64) as usize] as char;
            h = mix(h);
            c
        })
        .collect()
}

pub fn find_host(id: &str) -> Option<&'static Host> {
    HOSTS.iter().find(|h| h.id == id)
}

pub fn find_metric(name: &str) -> Option<&'static Metric> {
    METRICS.iter().find(|m| m.name == name)
}

/// Containers (ECS tasks) on each web host and the ports each listens on:
/// custom metrics `custom.ecs.<task>.port.<port>` (open connections), for
/// graphs of `custom.ecs.*.port.*`.
pub const TASKS: &[&str] = &["api-1", "api-2", "api-3", "worker-1", "worker-2", "cron-1"];
pub const PORTS: &[u16] = &[8080, 9090];

/// The custom metric names a host reports.
pub fn custom_metric_names(host: &Host) -> Vec<String> {
    if host.role != "web" {
        return Vec::new();
    }
    TASKS
        .iter()
        .flat_map(|task| {
            PORTS
                .iter()
                .map(move |port| format!("custom.ecs.{task}.port.{port}"))
        })
        .collect()
}

/// The task and port of a custom metric name `host` reports.
pub fn find_custom(host: &Host, name: &str) -> Option<(usize, usize)> {
    let rest = name.strip_prefix("custom.ecs.")?;
    let (task, port) = rest.split_once(".port.")?;
    let task = TASKS.iter().position(|t| *t == task)?;
    let port = PORTS.iter().position(|p| p.to_string() == port)?;
    (host.role == "web").then_some((task, port))
}

/// Open connections of `task` on `port` of `host` at epoch second `t`.
pub fn custom_value_at(host: &Host, task: usize, port: usize, t: i64) -> Option<f64> {
    let seed = host.seed ^ mix(0xec5 + (task * PORTS.len() + port) as u64);
    let shape = Shape::at(seed, t)?;
    let scale = [120.0, 90.0, 60.0, 25.0, 18.0, 4.0][task % TASKS.len()] / (port + 1) as f64;
    let v = scale * (0.3 + 0.9 * shape.daily * shape.weekly + 0.3 * shape.trend)
        + scale * 0.1 * shape.noise;
    Some(
        if shape.spike {
            v + 6.0 * scale
        } else {
            v.max(0.0)
        }
        .round(),
    )
}

/// The services whose metrics the demo serves, and their metric names.
pub const SERVICES: &[(&str, &[&str])] = &[("shop", &["requests", "latency.p99"])];

/// A service metric at epoch second `t`.
pub fn service_value_at(service: usize, metric: usize, t: i64) -> Option<f64> {
    let seed = 0x5e41_1ce0 + (service * 16 + metric) as u64;
    let shape = Shape::at(seed, t)?;
    Some(match metric {
        0 => (400.0
            + 2_600.0 * shape.daily * shape.weekly
            + 300.0 * shape.trend
            + 80.0 * shape.noise
            + if shape.spike { 5_000.0 } else { 0.0 })
        .round(),
        _ => 0.08 + 0.12 * shape.daily + 0.02 * shape.noise + if shape.spike { 1.5 } else { 0.0 },
    })
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

/// What every generated series is made of at one minute: cycles, trend,
/// noise and whether it is a spike; None when the minute has no data.
struct Shape {
    /// 0 at night, 1 in the (UTC) afternoon.
    daily: f64,
    /// 0.6 at weekends, 1 on weekdays.
    weekly: f64,
    /// 0–1, repeating every ~2 years so it shows over 460 days.
    trend: f64,
    /// About −1 to 1, triangular.
    noise: f64,
    spike: bool,
    /// 0–1, how big the spike is.
    spike_size: f64,
}

impl Shape {
    fn at(seed: u64, t: i64) -> Option<Shape> {
        let minute = t.div_euclid(STEP);
        if hash(seed, 1, minute.div_euclid(OUTAGE_BLOCK_MINUTES)).is_multiple_of(OUTAGE_ONE_IN) {
            return None;
        }
        if hash(seed, 2, minute).is_multiple_of(MISSING_ONE_IN) {
            return None;
        }
        let day = (t.rem_euclid(86_400)) as f64 / 86_400.0;
        // 1970-01-01 was a Thursday: days 2 and 3 of the week are the weekend.
        let weekend = matches!(t.div_euclid(86_400).rem_euclid(7), 2 | 3);
        Some(Shape {
            daily: 0.5 - 0.5 * (TAU * (day - 0.1)).cos(),
            weekly: if weekend { 0.6 } else { 1.0 },
            trend: 0.5 + 0.5 * (TAU * t as f64 / (730.0 * 86_400.0)).sin(),
            noise: unit(hash(seed, 3, minute)) + unit(hash(seed, 4, minute)) - 1.0,
            spike: hash(seed, 5, minute).is_multiple_of(SPIKE_ONE_IN),
            spike_size: 0.7 + 0.3 * unit(hash(seed, 6, minute)),
        })
    }
}

/// The value of `metric` on `host` at epoch second `t` (a whole minute),
/// with the metric's decimal places, or None when that minute has no data.
pub fn value_at(host: &Host, metric: &Metric, t: i64) -> Option<f64> {
    let s = Shape::at(host.seed, t)?;
    let busy = s.daily * s.weekly;
    let gib = 1024.0 * 1024.0 * 1024.0;
    // The CPU metrics add up to 100 %: user, then system and iowait as
    // shares of it, idle the rest. They are written with two decimals, so
    // they are rounded to them here, before idle is taken from the others:
    // the figures served, not only the exact ones, then add up to 100.
    let cents = |v: f64| (v * 100.0).round() / 100.0;
    let user = || {
        let v = 6.0 + 38.0 * busy + 10.0 * s.trend + 4.0 * s.noise;
        cents(if s.spike {
            100.0 * s.spike_size.max(0.9)
        } else {
            v.clamp(0.0, 100.0)
        })
    };
    let system = || cents(((100.0 - user()) * (0.05 + 0.08 * busy + 0.01 * s.noise)).max(0.0));
    let iowait = || cents(((100.0 - user() - system()) * (0.01 + 0.03 * s.trend)).max(0.0));
    let value = match metric.kind {
        Kind::LoadAverage => {
            let v = 0.4 + 2.2 * busy + 0.8 * s.trend + 0.35 * s.noise;
            if s.spike {
                7.0 + 7.0 * s.spike_size
            } else {
                v.max(0.0)
            }
        }
        Kind::CpuUser => user(),
        Kind::CpuSystem => system(),
        Kind::CpuIowait => iowait(),
        Kind::CpuIdle => cents((100.0 - user() - system() - iowait()).max(0.0)),
        Kind::MemoryUsed => {
            let v = 5.0 * gib + 1.5 * gib * s.trend + 0.8 * gib * s.daily + 0.05 * gib * s.noise;
            if s.spike {
                v + 4.0 * gib * s.spike_size
            } else {
                v
            }
        }
        Kind::MemoryCached => 2.0 * gib + 0.6 * gib * s.trend - 0.3 * gib * s.daily,
        Kind::Received | Kind::Sent => {
            let scale = if metric.kind == Kind::Received {
                12e6
            } else {
                4e6
            };
            let v = scale * (0.1 + 0.9 * busy + 0.2 * s.trend + 0.05 * s.noise);
            if s.spike {
                v + 10.0 * scale * s.spike_size
            } else {
                v.max(0.0)
            }
        }
    };
    // Stored as the APIs write it, `decimals` places, so that every API
    // serves the same number for the same minute (and data compresses as
    // an exporter's does, not as 17 random digits).
    let scale = 10f64.powi(metric.decimals as i32);
    Some((value * scale).round() / scale)
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
    fn values_are_stored_with_the_metrics_decimal_places() {
        for metric in METRICS.iter() {
            for t in (NOW - 3 * 86_400..NOW).step_by(13 * STEP as usize) {
                let Some(v) = value_at(&HOSTS[3], metric, t) else {
                    continue;
                };
                let written = v.to_string();
                let places = written.split_once('.').map_or(0, |(_, f)| f.len());
                assert!(
                    places <= metric.decimals,
                    "{} at {t}: {written}",
                    metric.name
                );
            }
        }
    }

    #[test]
    fn the_cpu_metrics_as_served_add_up_to_one_hundred() {
        let cpu = ["user", "system", "iowait", "idle"]
            .map(|name| find_metric(&format!("cpu.{name}.percentage")).unwrap());
        for t in (NOW - 30 * 86_400..NOW).step_by(7 * STEP as usize) {
            let served = cpu.map(|m| {
                value_at(&HOSTS[0], m, t)
                    .map(|v| format!("{v:.*}", m.decimals).parse::<f64>().unwrap())
            });
            if let [Some(u), Some(s), Some(i), Some(idle)] = served {
                assert!(
                    (u + s + i + idle - 100.0).abs() < 1e-9,
                    "minute {t}: {served:?}"
                );
            }
        }
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
