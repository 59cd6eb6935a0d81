//! The engines a plan is for and their limits: Mackerel's API, and the
//! engines that speak Prometheus' query API (Prometheus, Thanos, Mimir,
//! Cortex, VictoriaMetrics, or one with limits of its own). Each sets how
//! long a 1-minute chunk is, how many points a coarse request may have, and
//! what a chunk's answer holds.

use super::plan::{Kind, MINUTE, PROMETHEUS_MAX_POINTS};

const DAY: f64 = 86_400.0;
/// VictoriaMetrics' default `-search.maxPointsPerTimeseries`.
const VICTORIA_MAX_POINTS: f64 = 30_000.0;
/// The largest `maxPoints` and `splitBy` (seconds: about 31 years) a
/// custom engine may give: a chunk must fit in the times a series holds.
pub const MAX_ENGINE_LIMIT: f64 = 1e9;
/// 20 hours for Mackerel (the 1-minute span it answers).
const MACKEREL_CHUNK: f64 = 20.0 * 3_600.0;

/// The API a plan is for: Mackerel's, or an engine that speaks
/// Prometheus' query API, each with its own limits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Api {
    Mackerel,
    /// Prometheus, and Thanos (the same 11,000-point rule).
    Prometheus,
    /// Mimir and Cortex: they split queries by day, so chunks are a day.
    Mimir,
    /// VictoriaMetrics. With `export`, 1-minute detail comes from
    /// `/api/v1/export` (the stored samples, for a plain selector);
    /// without, from `query_range`.
    VictoriaMetrics {
        export: bool,
    },
    /// An engine with other limits: at most `max_points` a series per
    /// `query_range` (and chunks of at most that many minutes), chunks of
    /// `split_by` seconds.
    Custom {
        max_points: f64,
        split_by: f64,
    },
}

impl Api {
    /// The most points a series of one `query_range` answer may have.
    pub(super) fn max_points(self) -> f64 {
        match self {
            Api::Mackerel => f64::INFINITY,
            Api::Prometheus | Api::Mimir => PROMETHEUS_MAX_POINTS,
            Api::VictoriaMetrics { .. } => VICTORIA_MAX_POINTS,
            Api::Custom { max_points, .. } => max_points,
        }
    }

    /// The length of a 1-minute chunk: within the point limit, and a whole
    /// number of minutes.
    pub(super) fn chunk(self) -> f64 {
        match self {
            Api::Mackerel => MACKEREL_CHUNK,
            // 10,080 points, under the limit.
            Api::Prometheus => 7.0 * DAY,
            Api::Mimir => DAY,
            // Export has no point limit: a month of one series is 43,200
            // samples, parsed well within a frame's budget of the loader.
            Api::VictoriaMetrics { export: true } => 30.0 * DAY,
            Api::VictoriaMetrics { export: false } => 20.0 * DAY,
            Api::Custom {
                max_points,
                split_by,
            } => {
                (split_by.min(max_points * MINUTE) / MINUTE)
                    .floor()
                    .max(1.0)
                    * MINUTE
            }
        }
    }

    /// What a 1-minute chunk's answer holds.
    pub(super) fn detail(self) -> Kind {
        match self {
            Api::VictoriaMetrics { export: true } => Kind::Samples,
            _ => Kind::Minute,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::plan::{plan, Request};

    /// A UTC midnight on a week boundary since the epoch (a Thursday).
    const T0: f64 = 2_810.0 * 7.0 * DAY;

    #[test]
    fn each_engine_gets_chunks_within_its_limits() {
        let range = (T0, T0 + 460.0 * DAY - MINUTE);
        let minutes = |p: &[Request]| -> Vec<Request> {
            p.iter()
                .filter(|r| r.kind != Kind::Min && r.kind != Kind::Max)
                .cloned()
                .collect()
        };
        // VictoriaMetrics' export: stored samples a month at a time.
        let p = plan(Api::VictoriaMetrics { export: true }, range, range, 1_200).unwrap();
        assert_eq!((p[0].kind, p[1].kind), (Kind::Min, Kind::Max));
        let chunks = minutes(&p);
        assert!(chunks
            .iter()
            .all(|c| c.kind == Kind::Samples && c.to - c.from == 30.0 * DAY - MINUTE));
        assert_eq!(chunks.len(), 16);
        // Its query_range: 20 days, 28,800 points, under its 30,000.
        let p = plan(Api::VictoriaMetrics { export: false }, range, range, 1_200).unwrap();
        assert!(minutes(&p)
            .iter()
            .all(|c| c.kind == Kind::Minute && c.points() <= 28_800.0));
        // An envelope as wide as the limit allows: 30,000 points, not 11,000.
        let wide = plan(Api::VictoriaMetrics { export: true }, range, range, 16_384).unwrap();
        assert!(wide[0].points() > PROMETHEUS_MAX_POINTS && wide[0].points() <= 16_385.0);
        // Mimir splits by day.
        let p = plan(Api::Mimir, range, range, 1_200).unwrap();
        assert!(minutes(&p).iter().all(|c| c.to - c.from == DAY - MINUTE));
        // A custom engine: the smaller of its split and its point limit.
        let custom = Api::Custom {
            max_points: 1_000.0,
            split_by: 2.0 * DAY,
        };
        let p = plan(custom, (T0, T0 + 3.0 * DAY), (T0, T0), 500).unwrap();
        assert!(minutes(&p)
            .iter()
            .all(|c| c.to - c.from == 1_000.0 * MINUTE - MINUTE));
        assert!(p[0].points() <= 1_001.0);
        let custom = Api::Custom {
            max_points: 50_000.0,
            split_by: 3.0 * 3_600.0,
        };
        let p = plan(custom, (T0, T0 + DAY - MINUTE), (T0, T0), 500).unwrap();
        assert_eq!(minutes(&p).len(), 8);
        for (max_points, split_by) in [
            (0.0, DAY),
            (f64::NAN, DAY),
            (100.0, 0.5),
            (100.0, f64::INFINITY),
        ] {
            let e = plan(
                Api::Custom {
                    max_points,
                    split_by,
                },
                range,
                range,
                500,
            )
            .unwrap_err();
            assert!(
                e.to_string().contains("must be a number from 1 to 1e9"),
                "{e}"
            );
        }
    }
}
