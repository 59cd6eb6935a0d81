//! Which requests load a range at 1-minute resolution, and in what order.
//!
//! Neither API gives long ranges at 1 minute in one answer: Mackerel returns
//! about 20 hours of 1-minute points per request (longer ranges come back as
//! coarser averages) and Prometheus refuses more than 11,000 points per
//! series. So a plan is:
//! 1. a coarse picture of the whole range in one round trip: for Prometheus
//!    the exact envelope (`min_over_time` and `max_over_time` at a step of
//!    about one pixel column, sent together), for Mackerel the whole range
//!    at whatever granularity the API picks for it;
//! 2. 1-minute chunks within the API's limit, those overlapping the visible
//!    window first, newest first within each group.
//!
//! Chunks sit on a fixed grid (multiples of their length since the epoch)
//! so the same chunk has the same bounds whatever the range asked for: a
//! loader can tell what it has already loaded when the range changes.
//! When the whole range is one chunk, the plan is that chunk alone.

use serde::Serialize;

use crate::limits::{Limit, LimitError};

/// Seconds between 1-minute points.
pub const MINUTE: f64 = 60.0;
/// Prometheus refuses a query when `(end - start) / step > 11000`.
pub const PROMETHEUS_MAX_POINTS: f64 = 11_000.0;

pub use super::engines::Api;
use super::engines::MAX_ENGINE_LIMIT;

/// What a request's answer holds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    /// Mackerel's answer for the whole range, at its own granularity.
    Coarse,
    /// Prometheus `min_over_time(query[step])`: the lower edge of the envelope.
    Min,
    /// Prometheus `max_over_time(query[step])`: the upper edge.
    Max,
    /// 1-minute points.
    Minute,
    /// The stored samples of a chunk, at their own times (VictoriaMetrics'
    /// export): no step, no lookback.
    Samples,
}

/// One request: the points from `from` to `to` (both included, epoch
/// seconds) `step` apart (Prometheus' `step`; Mackerel picks its own for
/// `Coarse`, and answers at 1 minute for `Minute`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    pub kind: Kind,
    pub from: f64,
    pub to: f64,
    pub step: f64,
    /// Whether the chunk overlaps the visible window.
    pub visible: bool,
}

impl Request {
    /// The PromQL a Prometheus request sends for `query` (a selector or any
    /// expression): the expression itself for 1-minute chunks, wrapped in
    /// `min_over_time`/`max_over_time` over one step for the envelope (a
    /// range selector for a plain selector, else a subquery at 1 minute).
    pub fn promql(&self, query: &str) -> String {
        let query = query.trim();
        let over = |f: &str| {
            if is_plain_selector(query) {
                format!("{f}({query}[{}s])", self.step)
            } else {
                format!("{f}(({query})[{}s:{}s])", self.step, MINUTE)
            }
        };
        match self.kind {
            Kind::Min => over("min_over_time"),
            Kind::Max => over("max_over_time"),
            Kind::Coarse | Kind::Minute | Kind::Samples => query.to_string(),
        }
    }

    /// Points the request asks for.
    pub fn points(&self) -> f64 {
        ((self.to - self.from) / self.step).floor() + 1.0
    }
}

/// Whether `query` is a metric name with optional label matchers, which
/// takes a range selector as it is.
pub fn is_plain_selector(query: &str) -> bool {
    let name_end = query
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(query.len());
    let (name, matchers) = query.split_at(name_end);
    let name_ok = name.is_empty() || !name.starts_with(|c: char| c.is_ascii_digit());
    let matchers_ok = matchers.is_empty()
        || (matchers.starts_with('{') && matchers.ends_with('}') && !matchers.contains(['[', '(']));
    name_ok && matchers_ok && !query.is_empty()
}

/// Why no plan could be made.
#[derive(Clone, Debug, PartialEq)]
pub enum PlanError {
    /// `from`/`to` not finite, or `to` before `from`.
    BadRange { from: f64, to: f64 },
    /// A custom engine's limit (`maxPoints`, `splitBy`) outside 1 to 1e9.
    BadEngine { name: &'static str, value: f64 },
    /// The plot has no width to plan the coarse step for.
    NoWidth,
    /// A range end, the width or the number of requests is over a limit.
    Limit(LimitError),
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanError::BadRange { from, to } => write!(
                f,
                "cannot load the range {from} to {to}: it must be finite epoch seconds with from before to"
            ),
            PlanError::BadEngine { name, value } => write!(
                f,
                "cannot plan the load: the engine's {name} is {value}; it must be a number from 1 to {MAX_ENGINE_LIMIT:e}"
            ),
            PlanError::NoWidth => write!(f, "cannot plan the load for a plot 0 pixels wide"),
            PlanError::Limit(e) => write!(f, "cannot plan the load: {e}"),
        }
    }
}

impl std::error::Error for PlanError {}

/// The requests that load `range` (epoch seconds, both ends included) from
/// `api` for a plot `width` pixel columns wide showing `visible`.
pub fn plan(
    api: Api,
    range: (f64, f64),
    visible: (f64, f64),
    width: usize,
) -> Result<Vec<Request>, PlanError> {
    let (from, to) = range;
    if !(from.is_finite() && to.is_finite() && from <= to) {
        return Err(PlanError::BadRange { from, to });
    }
    if width == 0 {
        return Err(PlanError::NoWidth);
    }
    for value in [from, to] {
        Limit::Time.check(value).map_err(PlanError::Limit)?;
    }
    Limit::ImageSide
        .check_count(width)
        .map_err(PlanError::Limit)?;
    if let Api::Custom {
        max_points,
        split_by,
    } = api
    {
        for (value, name) in [(max_points, "maxPoints"), (split_by, "splitBy")] {
            if !(1.0..=MAX_ENGINE_LIMIT).contains(&value) {
                return Err(PlanError::BadEngine { name, value });
            }
        }
    }
    let chunk = api.chunk();
    let first = (from / chunk).floor();
    let last = (to / chunk).floor();
    // Counted before anything is allocated for them.
    Limit::RequestsPerPlan
        .check(last - first + 3.0)
        .map_err(PlanError::Limit)?;
    let overlaps = |a: f64, b: f64| a <= visible.1 && visible.0 <= b;
    let mut chunks: Vec<Request> = (0..=(last - first) as usize)
        .rev()
        .map(|k| {
            let start = (first + k as f64) * chunk;
            let end = start + chunk - MINUTE;
            Request {
                kind: api.detail(),
                from: start,
                to: end,
                step: MINUTE,
                visible: overlaps(start, end),
            }
        })
        .collect();
    // Visible chunks first; the sort is stable, so newest first within each.
    chunks.sort_by_key(|r| !r.visible);
    if chunks.len() <= 1 {
        return Ok(chunks);
    }
    let whole = (first * chunk, (last + 1.0) * chunk - MINUTE);
    let coarse = |kind: Kind, step: f64| Request {
        kind,
        from: whole.0,
        to: whole.1,
        step,
        visible: true,
    };
    let mut out = match api {
        Api::Mackerel => vec![coarse(Kind::Coarse, MINUTE)],
        _ => {
            // About a pixel column per point, in whole minutes, and never
            // over the engine's limit.
            let span = whole.1 - whole.0;
            let per_column = span / width as f64;
            let step = (per_column.max(span / api.max_points()) / MINUTE).ceil() * MINUTE;
            vec![coarse(Kind::Min, step), coarse(Kind::Max, step)]
        }
    };
    out.extend(chunks);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: f64 = 86_400.0;
    /// A UTC midnight on a week boundary since the epoch (a Thursday).
    const T0: f64 = 2_810.0 * 7.0 * DAY;

    #[test]
    fn four_hundred_sixty_days_from_prometheus_is_an_envelope_then_weekly_chunks_visible_first() {
        let range = (T0, T0 + 460.0 * DAY - MINUTE);
        let visible = (range.1 - 7.0 * DAY, range.1);
        let p = plan(Api::Prometheus, range, visible, 1_200).unwrap();
        // The envelope: both edges over the whole range, one request each.
        assert_eq!((p[0].kind, p[1].kind), (Kind::Min, Kind::Max));
        assert!(p[0].from <= range.0 && p[0].to >= range.1);
        assert!(p[0].points() <= 1_200.0 + 1.0, "{} points", p[0].points());
        assert_eq!(p[0].step % MINUTE, 0.0);
        // 460 days in weeks: 66 chunks, each within the 11,000-point limit.
        let chunks = &p[2..];
        assert_eq!(chunks.len(), 66);
        for c in chunks {
            assert_eq!((c.kind, c.step), (Kind::Minute, MINUTE));
            assert!((c.to - c.from) / c.step <= PROMETHEUS_MAX_POINTS);
        }
        // The visible week first (it spans two chunks), newest first, then
        // the rest newest first.
        let visible_count = chunks.iter().take_while(|c| c.visible).count();
        assert_eq!(visible_count, 2);
        assert!(chunks.iter().skip(visible_count).all(|c| !c.visible));
        for pair in chunks[..visible_count]
            .windows(2)
            .chain(chunks[visible_count..].windows(2))
        {
            assert!(pair[0].from > pair[1].from);
        }
        // Together the chunks cover every minute once.
        let mut starts: Vec<f64> = chunks.iter().map(|c| c.from).collect();
        starts.sort_by(f64::total_cmp);
        for pair in starts.windows(2) {
            assert_eq!(pair[1] - pair[0], 7.0 * DAY);
        }
        assert!(starts[0] <= range.0 && starts[65] + 7.0 * DAY > range.1);
    }

    #[test]
    fn mackerel_gets_the_whole_range_first_then_twenty_hour_chunks() {
        let range = (T0 + 3_600.0, T0 + 3.0 * DAY);
        let p = plan(Api::Mackerel, range, range, 800).unwrap();
        assert_eq!(p[0].kind, Kind::Coarse);
        let chunks = &p[1..];
        assert_eq!(chunks.len(), 4);
        assert!(chunks
            .iter()
            .all(|c| c.visible && c.to - c.from == 20.0 * 3_600.0 - MINUTE));
        assert!(chunks[0].to >= range.1 && chunks[3].from <= range.0);
    }

    #[test]
    fn a_range_inside_one_chunk_is_that_chunk_alone() {
        let range = (T0 + 60.0, T0 + 3_600.0);
        for api in [Api::Mackerel, Api::Prometheus] {
            let p = plan(api, range, range, 500).unwrap();
            assert_eq!(p.len(), 1);
            assert_eq!(p[0].kind, Kind::Minute);
        }
    }

    #[test]
    fn the_same_chunk_has_the_same_bounds_whatever_range_asked_for_it() {
        let a = plan(Api::Prometheus, (T0, T0 + 30.0 * DAY), (T0, T0), 900).unwrap();
        let b = plan(Api::Prometheus, (T0 + DAY, T0 + 20.0 * DAY), (T0, T0), 300).unwrap();
        let minute = |p: &[Request]| -> Vec<(f64, f64)> {
            p.iter()
                .filter(|r| r.kind == Kind::Minute)
                .map(|r| (r.from, r.to))
                .collect()
        };
        let (a, b) = (minute(&a), minute(&b));
        assert!(b.iter().all(|chunk| a.contains(chunk)), "{a:?} {b:?}");
    }

    #[test]
    fn the_envelope_step_stays_under_the_point_limit_for_very_wide_plots() {
        let range = (T0, T0 + 460.0 * DAY);
        let p = plan(Api::Prometheus, range, range, 16_384).unwrap();
        assert!(
            p[0].points() <= PROMETHEUS_MAX_POINTS + 1.0,
            "{}",
            p[0].points()
        );
    }

    #[test]
    fn bad_ranges_and_widths_are_errors() {
        for (from, to) in [(f64::NAN, 0.0), (0.0, f64::INFINITY), (10.0, 0.0)] {
            let e = plan(Api::Mackerel, (from, to), (from, to), 10).unwrap_err();
            assert!(e.to_string().contains("cannot load the range"));
        }
        assert_eq!(
            plan(Api::Prometheus, (0.0, 1.0), (0.0, 1.0), 0).unwrap_err(),
            PlanError::NoWidth
        );
    }

    #[test]
    fn absurd_ranges_and_widths_are_refused_before_anything_is_allocated() {
        let refused =
            |api, from: f64, to: f64, width| match plan(api, (from, to), (0.0, 1.0), width) {
                Err(PlanError::Limit(e)) => e.to_string(),
                other => panic!("{from}..{to} × {width}: {other:?}"),
            };
        assert!(refused(Api::Mackerel, 0.0, 1e15, 800).contains("1e15"));
        assert!(refused(Api::Prometheus, -1e300, 1e300, 800).contains("-1e300"));
        // Within the time limit, but 1.39 M requests.
        let text = refused(Api::Mackerel, 0.0, 1e11, 800);
        assert!(text.contains("requestsPerPlan"), "{text}");
        let text = refused(Api::Mackerel, 0.0, 1e6, usize::MAX);
        assert!(text.contains("imageSide"), "{text}");
        // The most a plan may hold still plans.
        let longest = 9_000.0 * 20.0 * 3_600.0;
        assert_eq!(
            plan(Api::Mackerel, (0.0, longest - 60.0), (0.0, 1.0), 800)
                .unwrap()
                .len(),
            9_001
        );
    }

    #[test]
    fn the_envelope_wraps_the_users_query_as_a_subquery() {
        let p = plan(Api::Prometheus, (T0, T0 + 60.0 * DAY), (T0, T0), 1_000).unwrap();
        let q = r#"rate(node_network_receive_bytes_total{device="eth0"}[5m])"#;
        assert_eq!(
            p[0].promql(q),
            format!("min_over_time(({q})[{}s:60s])", p[0].step)
        );
        assert_eq!(p[2].promql(q), q);
        let selector = r#"node_load1{instance=~"web-.*"}"#;
        assert_eq!(
            p[1].promql(selector),
            format!("max_over_time({selector}[{}s])", p[1].step)
        );
        assert!(is_plain_selector("up") && is_plain_selector(r#"{job="node"}"#));
        assert!(!is_plain_selector("sum(up)") && !is_plain_selector("up[5m]"));
        assert!(!is_plain_selector("") && !is_plain_selector("up + 1"));
    }
}
