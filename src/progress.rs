//! How far a load has come, told over the plot while it runs: a bar and
//! "Loading 12 of 61 · 1.2 M points", and while the API has asked to wait,
//! how long for and why.

use serde::{Deserialize, Serialize};

/// How far a load has come, shown over the plot while it runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Progress {
    /// Requests answered (loaded or finally failed) and planned.
    pub done: usize,
    pub total: usize,
    /// Points loaded so far.
    #[serde(default)]
    pub points: usize,
    /// Seconds left of a wait the API asked for (`Retry-After`), if any.
    #[serde(default)]
    pub wait_seconds: Option<f64>,
    /// The status that asked for it: 429 (rate limited) or 503.
    #[serde(default)]
    pub wait_status: Option<u16>,
}

/// The longest wait a label tells, in seconds (a day): a number from the
/// API's header is not trusted to be sensible.
const LONGEST_WAIT: f64 = 86_400.0;

impl Progress {
    /// "Loading 12 of 61 · 1.2 M points".
    pub fn label(&self) -> String {
        let points = match self.points {
            p if p >= 1_000_000 => format!("{:.1} M points", p as f64 / 1e6),
            p if p >= 10_000 => format!("{} k points", p / 1000),
            p => format!("{p} points"),
        };
        let loading = format!("Loading {} of {} · {points}", self.done, self.total);
        match self.wait_seconds.filter(|s| s.is_finite()) {
            None => loading,
            Some(seconds) => {
                let why = match self.wait_status {
                    Some(429) => "rate limited".to_string(),
                    Some(503) => "unavailable".to_string(),
                    Some(status) => format!("HTTP {status}"),
                    None => "asked to wait".to_string(),
                };
                let seconds = seconds.clamp(0.0, LONGEST_WAIT).ceil();
                format!("{loading} · waiting for the API: {why}, {seconds} s")
            }
        }
    }

    /// Done over total, from 0 to 1.
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            (self.done as f64 / self.total as f64).clamp(0.0, 1.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_reads_as_a_sentence() {
        let p = Progress {
            done: 12,
            total: 61,
            points: 1_234_567,
            ..Progress::default()
        };
        assert_eq!(p.label(), "Loading 12 of 61 · 1.2 M points");
        let waiting = |seconds: f64, status| Progress {
            wait_seconds: Some(seconds),
            wait_status: Some(status),
            ..p
        };
        assert_eq!(
            waiting(11.2, 429).label(),
            "Loading 12 of 61 · 1.2 M points · waiting for the API: rate limited, 12 s"
        );
        assert!(waiting(3.0, 503).label().ends_with("unavailable, 3 s"));
        assert!(waiting(1e300, 418).label().ends_with("HTTP 418, 86400 s"));
        assert_eq!(waiting(f64::NAN, 429).label(), p.label());
        assert!((p.fraction() - 12.0 / 61.0).abs() < 1e-12);
        assert_eq!(Progress::default().fraction(), 1.0);
    }
}
