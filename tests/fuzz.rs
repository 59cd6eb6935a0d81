//! Fuzz targets: every way into the core that takes outside data, fed
//! generated inputs and inputs mutated from a corpus kept in the repo
//! (`tests/fuzz/corpus/<target>/`). Each target asserts that the core
//! answers (a value or an error), never panics, never makes an allocation
//! over 256 MiB, and keeps the target's own promise (below).
//!
//! `make test` runs each target briefly; `make fuzz` runs them at length
//! (`SABAPLOT_FUZZ_SCALE` multiplies every count). The engine is proptest
//! with a fixed seed, so a run is the same every time and a failure is
//! shrunk to a small input: cargo-fuzz needs a nightly toolchain this
//! project cannot count on, and bolero's stable engine seeds every run from
//! the OS, so two runs differ.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use sabaplot::limits::{LATEST_TIME, MAX_POINTS_PER_SERIES, MAX_REQUESTS_PER_PLAN};
use sabaplot::{
    parse_mackerel_annotations, parse_mackerel_metrics, parse_prometheus_query_range,
    parse_victoria_export, plan_requests, stack, time_ticks, Api, Axes, Axis, Chart, ChartOptions,
    Dash, Input, Mark, NotLoaded, Scale, Series, SeriesKind, SeriesRule, Side, StackName, TimeZone,
};

/// The largest single allocation the targets may make.
const MAX_ALLOCATION: usize = 256 << 20;

/// The limit each input is held to (SABAPLOT_FUZZ_MAX_ALLOCATION bytes
/// narrows it, to find what makes the largest ones).
fn max_allocation() -> usize {
    std::env::var("SABAPLOT_FUZZ_MAX_ALLOCATION")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(MAX_ALLOCATION)
}

/// Counts the largest allocation made while the targets run.
struct Counting;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// The largest allocation of the input this thread is running.
    static LARGEST_HERE: Cell<usize> = const { Cell::new(0) };
}

fn note(size: usize) {
    LARGEST.fetch_max(size, Ordering::Relaxed);
    let _ = LARGEST_HERE.try_with(|l| l.set(l.get().max(size)));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `test` on `cases` × SABAPLOT_FUZZ_SCALE inputs from `strategy`
/// with a fixed seed, and reports how many ran.
fn fuzz<S: Strategy>(
    target: &str,
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let scale: u32 = std::env::var("SABAPLOT_FUZZ_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let cases = cases.saturating_mul(scale);
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 4_096,
        ..Config::default()
    };
    let seed: [u8; 32] = *b"sabaplot fuzz: the seed is fixed";
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
    let started = std::time::Instant::now();
    // Each input is held to the allocation limit on its own, so a failure
    // shrinks to the input that made the allocation.
    let bounded = |input| {
        LARGEST_HERE.with(|l| l.set(0));
        test(input)?;
        let largest = LARGEST_HERE.with(Cell::get);
        if largest > max_allocation() {
            return Err(TestCaseError::fail(format!(
                "an allocation of {largest} bytes"
            )));
        }
        Ok(())
    };
    if let Err(e) = runner.run(&strategy, bounded) {
        panic!("{target}: {e}");
    }
    let largest = LARGEST.load(Ordering::Relaxed);
    println!(
        "fuzz {target}: {cases} inputs in {:.1} s, largest allocation so far {:.1} MiB",
        started.elapsed().as_secs_f64(),
        largest as f64 / (1 << 20) as f64
    );
    assert!(
        largest <= MAX_ALLOCATION,
        "{target}: an allocation of {largest} bytes"
    );
}

/// The files of a corpus.
fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|f| f.unwrap().path())
        .collect();
    files.sort();
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

/// Bytes that make JSON, for mutations to insert.
const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"\"",
    b"null",
    b"true",
    b"-",
    b".",
    b"e",
    b"E",
    b"+",
    b"0",
    b"1",
    b"9",
    b"01",
    b"1e999",
    b"-0",
    b"1e-320",
    b"9.3e18",
    b"1e299",
    b"NaN",
    b" ",
    b"\\u0000",
    b"\"metrics\"",
    b"\"time\"",
    b"\"value\"",
    b"\"values\"",
    b"\"result\"",
    b"<html>",
    b"\xff",
    b"\xf0\x9f",
];

/// One change to a body.
#[derive(Clone, Debug)]
enum Mutation {
    Insert(usize, usize),
    Remove(usize, usize),
    Replace(usize, u8),
    Repeat(usize, usize),
    Truncate(usize),
}

/// A corpus file with a few mutations applied.
fn mutated(corpus: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    let mutation = prop_oneof![
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, t)| Mutation::Insert(at, t)),
        (any::<usize>(), 1..16usize).prop_map(|(at, n)| Mutation::Remove(at, n)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Replace(at, b)),
        (any::<usize>(), 1..64usize).prop_map(|(at, n)| Mutation::Repeat(at, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ];
    (
        prop::sample::select(corpus),
        prop::collection::vec(mutation, 0..6),
    )
        .prop_map(|(mut body, mutations)| {
            for m in mutations {
                let at = |i: usize| i % (body.len() + 1);
                match m {
                    Mutation::Insert(i, t) => {
                        let i = at(i);
                        body.splice(i..i, TOKENS[t].iter().copied());
                    }
                    Mutation::Remove(i, n) => {
                        let i = at(i);
                        body.drain(i..(i + n).min(body.len()));
                    }
                    Mutation::Replace(i, b) if !body.is_empty() => {
                        let i = i % body.len();
                        body[i] = b;
                    }
                    Mutation::Repeat(i, n) => {
                        let i = at(i);
                        let piece = body[i..(i + n).min(body.len())].to_vec();
                        body.splice(i..i, piece);
                    }
                    Mutation::Truncate(i) => body.truncate(at(i)),
                    Mutation::Replace(..) => {}
                }
            }
            body
        })
}

/// Numbers as they come from outside: ordinary, huge, tiny and not numbers.
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => any::<f64>(),
        4 => -1e3..1e3f64,
        2 => prop::sample::select(vec![
            0.0, -0.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, f64::MAX, f64::MIN,
            f64::MIN_POSITIVE, 1e299, -1e300, 9.3e18, -9.3e18, 1.7e9, 4.9e-324,
        ]),
    ]
}

/// Times as they come from outside: mostly near now, some anywhere.
fn time() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => (1_700_000_000i64..1_700_100_000).prop_map(|t| (t / 60 * 60) as f64),
        1 => -7e10..3e11f64,
        1 => number(),
    ]
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![4 => Just(200u16), 1 => any::<u16>(), 1 => 100..600u16]
}

/// The same points (a gap equals a gap).
fn same(a: &Series, b: &Series) -> bool {
    let bits = |s: &Series| -> Vec<(u64, u64)> {
        (0..s.len())
            .map(|k| (s.time_at(k).to_bits(), s.values()[k].to_bits()))
            .collect()
    };
    bits(a) == bits(b)
}

#[test]
fn parsers_answer_every_body_and_a_space_never_changes_what_is_accepted() {
    fuzz(
        "parsers",
        100_000,
        (status(), mutated(corpus("parsers"))),
        |(status, body)| {
            let metrics = parse_mackerel_metrics(status, &body);
            if let Ok(series) = &metrics {
                prop_assert!(series.len() <= MAX_POINTS_PER_SERIES);
                prop_assert!(series.end() <= LATEST_TIME);
            }
            // The same body with a space after its first byte takes the
            // general parser's path: it must come to the same answer.
            if body.first() == Some(&b'{') {
                let mut spaced = body.clone();
                spaced.insert(1, b' ');
                let general = parse_mackerel_metrics(status, &spaced);
                match (&metrics, &general) {
                    (Ok(a), Ok(b)) => prop_assert!(same(a, b), "{a:?} against {b:?}"),
                    (Err(_), Err(_)) => {}
                    _ => prop_assert!(false, "{metrics:?} against {general:?}"),
                }
            }
            if let Ok(list) = parse_prometheus_query_range(status, &body) {
                prop_assert!(list.iter().all(|s| s.series.len() <= MAX_POINTS_PER_SERIES));
            }
            if let Ok(list) = parse_victoria_export(status, &body) {
                prop_assert!(list.iter().all(|s| s.series.len() <= MAX_POINTS_PER_SERIES));
            }
            if let Ok(list) = parse_mackerel_annotations(status, &body) {
                prop_assert!(list.iter().all(|a| a.from <= a.to));
            }
            Ok(())
        },
    );
}

#[test]
fn the_planner_answers_every_range_within_its_request_limit() {
    let api = prop_oneof![
        Just(Api::Mackerel),
        Just(Api::Prometheus),
        Just(Api::Mimir),
        any::<bool>().prop_map(|export| Api::VictoriaMetrics { export }),
        (number(), number()).prop_map(|(max_points, split_by)| Api::Custom {
            max_points,
            split_by
        }),
    ];
    let width = prop_oneof![1..4_000usize, any::<usize>()];
    let input = (api, time(), time(), time(), time(), width);
    fuzz(
        "planner",
        200_000,
        input,
        |(api, from, to, v_from, v_to, width)| {
            if let Ok(plan) = plan_requests(api, (from, to), (v_from, v_to), width) {
                prop_assert!(plan.len() <= MAX_REQUESTS_PER_PLAN);
                prop_assert!(plan.iter().all(|r| r.from <= r.to && r.step > 0.0));
            }
            Ok(())
        },
    );
}

#[test]
fn time_ticks_are_few_ascending_and_inside_the_window() {
    let zones = [
        "UTC",
        "Europe/Berlin",
        "America/St_Johns",
        "+05:45",
        "Australia/Lord_Howe",
    ]
    .map(|z| TimeZone::named(z).unwrap());
    let input = (time(), time(), number(), number(), 0..zones.len());
    fuzz(
        "ticks",
        200_000,
        input,
        |(from, to, width, spacing, zone)| {
            let ticks = time_ticks(from, to, width, spacing, &zones[zone]);
            prop_assert!(ticks.len() <= 1_000);
            prop_assert!(ticks.windows(2).all(|w| w[0].time < w[1].time));
            prop_assert!(ticks.iter().all(|t| from <= t.time && t.time <= to));
            Ok(())
        },
    );
}

/// Points of a series as a loader or page hands them over: a grid of
/// minutes, perturbed, or anything at all.
fn points() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    let grid = (
        time(),
        prop_oneof![Just(60.0), Just(1.0), number()],
        0..300usize,
    )
        .prop_map(|(start, step, n)| {
            (0..n)
                .map(|k| start + k as f64 * step)
                .collect::<Vec<f64>>()
        });
    let times = prop_oneof![
        3 => grid,
        1 => prop::collection::vec(time(), 0..40),
    ];
    (times, prop::collection::vec(number(), 0..300)).prop_map(|(times, mut values)| {
        // Mostly as many values as times; sometimes not.
        if values.len() > times.len() && values.len() % 7 != 0 {
            values.truncate(times.len());
        }
        (times, values)
    })
}

/// One call a page makes on a chart.
#[derive(Clone, Debug)]
enum Call {
    Set(usize, Vec<f64>, Vec<f64>),
    Append(usize, Vec<f64>, Vec<f64>),
    Merge(usize, Vec<f64>, Vec<f64>, f64, f64),
    Reserve(usize, f64, f64, f64),
    Range(f64, f64),
    NotLoaded(Vec<(f64, f64)>),
    Wheel(f64, f64, f64),
    Drag(f64, f64),
}

fn call() -> impl Strategy<Value = Call> {
    let name = 0..4usize;
    prop_oneof![
        4 => (name.clone(), points()).prop_map(|(n, (t, v))| Call::Set(n, t, v)),
        2 => (name.clone(), points()).prop_map(|(n, (t, v))| Call::Append(n, t, v)),
        2 => (name.clone(), points(), time(), time()).prop_map(|(n, (t, v), a, b)| Call::Merge(n, t, v, a, b)),
        1 => (name, time(), time(), prop_oneof![Just(60.0), number()]).prop_map(|(n, a, b, s)| Call::Reserve(n, a, b, s)),
        1 => (time(), time()).prop_map(|(a, b)| Call::Range(a, b)),
        1 => prop::collection::vec((time(), time()), 0..20).prop_map(Call::NotLoaded),
        1 => (number(), number(), number()).prop_map(|(x, y, d)| Call::Wheel(x, y, d)),
        1 => (number(), number()).prop_map(|(a, b)| Call::Drag(a, b)),
    ]
}

fn kind() -> impl Strategy<Value = SeriesKind> {
    prop::sample::select(vec![
        SeriesKind::Line,
        SeriesKind::Area,
        SeriesKind::Stacked,
        SeriesKind::Envelope,
    ])
}

/// Text from a page or an API: any characters, control characters too.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..12).prop_map(|c| c.into_iter().collect())
}

/// `svg` is a well-formed XML document.
fn well_formed(svg: &str) -> Result<(), TestCaseError> {
    roxmltree::Document::parse(svg)
        .map(drop)
        .map_err(|e| TestCaseError::fail(format!("the SVG is not well-formed: {e}")))
}

#[test]
fn charts_take_any_sequence_of_calls_and_still_draw_a_well_formed_svg() {
    // Some charts stack their series by name too, in a stack or a percent one.
    let stack = prop::sample::select(vec![None, Some("net"), Some("percent")]);
    // And some draw their series as bars or points, dashed, on a right axis
    // (linear or log).
    let look = (
        prop::sample::select(vec![None, Some(Mark::Bars), Some(Mark::Points)]),
        any::<bool>(),
        prop::sample::select(vec![None, Some(Scale::Linear), Some(Scale::Log)]),
    );
    let input = (
        kind(),
        text(),
        prop::collection::vec(text(), 4),
        prop::collection::vec(call(), 1..8),
        (stack, look),
    );
    fuzz(
        "chart",
        3_000,
        input,
        |(kind, title, names, calls, (stack, (mark, dashed, right)))| {
            let mut series: Vec<SeriesRule> = stack
                .map(|name| SeriesRule {
                    stack: Some(StackName(name.into())),
                    ..SeriesRule::default()
                })
                .into_iter()
                .collect();
            series.push(SeriesRule {
                kind: mark,
                dash: dashed.then(|| Dash(vec![3.0, 2.0, 1.0])),
                axis: right.map(|_| Side::Right),
                ..SeriesRule::default()
            });
            let axes = Axes {
                right: Axis {
                    scale: right.unwrap_or(Scale::Linear),
                    ..Axis::default()
                },
                ..Axes::default()
            };
            let options = ChartOptions {
                kind,
                title,
                time_zone: Some("UTC".into()),
                series,
                axes,
                ..ChartOptions::default()
            };
            let mut chart = Chart::new(options).unwrap();
            for call in calls {
                let _ = match call {
                    Call::Set(n, t, v) => Series::from_arrays(&t, v)
                        .map_err(drop)
                        .and_then(|s| chart.set_series(&names[n], s).map_err(drop)),
                    Call::Append(n, t, v) => chart.append(&names[n], &t, &v).map_err(drop),
                    Call::Merge(n, t, v, from, to) => {
                        Series::from_points(&t, &v).map_err(drop).and_then(|s| {
                            chart
                                .merge(&names[n], s, Some((from, to)))
                                .map(drop)
                                .map_err(drop)
                        })
                    }
                    Call::Reserve(n, from, to, step) => {
                        chart.reserve(&names[n], from, to, step).map_err(drop)
                    }
                    Call::Range(from, to) => chart.set_range(from, to).map_err(drop),
                    Call::NotLoaded(spans) => chart
                        .set_not_loaded(
                            spans
                                .into_iter()
                                .map(|(from, to)| NotLoaded {
                                    from,
                                    to,
                                    reason: "x".into(),
                                })
                                .collect(),
                        )
                        .map_err(drop),
                    Call::Wheel(x, y, delta) => {
                        chart.handle(Input::Wheel { x, y, delta });
                        Ok(())
                    }
                    Call::Drag(a, b) => {
                        chart.handle(Input::Down {
                            x: a,
                            y: 50.0,
                            shift: false,
                        });
                        chart.handle(Input::Move { x: b, y: 50.0 });
                        chart.handle(Input::Up { x: b, y: 50.0 });
                        Ok(())
                    }
                };
                let _ = chart.readout(chart.range().map_or(0.0, |r| r.0));
                let _ = chart.legend();
            }
            let svg = chart
                .to_svg(160, 90)
                .map_err(|e| TestCaseError::fail(format!("the chart cannot draw: {e}")))?;
            well_formed(&svg)
        },
    );
}

#[test]
fn stacking_covers_the_layers_spans_and_sums_them() {
    // Whole minutes, near one another or centuries apart.
    let minute = prop_oneof![
        3 => 28_333_000i64..28_334_000,
        1 => -1_000_000_000i64..4_000_000_000,
    ]
    .prop_map(|m| m as f64 * 60.0);
    let layer = (minute, 0..50usize, prop::collection::vec(-1e3..1e3f64, 50));
    fuzz(
        "stack",
        20_000,
        prop::collection::vec(layer, 1..5),
        |layers| {
            let series: Vec<Series> = layers
                .iter()
                .filter_map(|(start, n, values)| {
                    Series::from_arrays(
                        &(0..=*n)
                            .map(|k| start + k as f64 * 60.0)
                            .collect::<Vec<_>>(),
                        values[..=*n].to_vec(),
                    )
                    .ok()
                })
                .collect();
            let refs: Vec<&Series> = series.iter().collect();
            let Ok(cumulative) = stack(&refs) else {
                return Ok(());
            };
            // Never the time between far layers: at most a grid a few times
            // longer than the layers' own slots (gaps as a grid are cheaper
            // than timestamps).
            let held: usize = (4 * series.iter().map(|s| s.len() + 1).sum::<usize>()).max(1024);
            // Layer k at each of its times: the sum of layers 0..=k on its
            // value's side of zero (negative values stack below zero on
            // their own) when layer k has a value, else a gap.
            let mut sums = std::collections::HashMap::new();
            for (s, cumulative) in series.iter().zip(&cumulative) {
                prop_assert!(cumulative.len() <= held);
                let own: std::collections::HashMap<u64, f64> = (0..s.len())
                    .filter(|&k| !s.values()[k].is_nan())
                    .map(|k| (s.time_at(k).to_bits(), s.values()[k]))
                    .collect();
                for (&t, &v) in &own {
                    *sums.entry((t, v < 0.0)).or_insert(0.0) += v;
                }
                for (i, &v) in cumulative.values().iter().enumerate() {
                    let t = cumulative.time_at(i).to_bits();
                    if let Some(&value) = own.get(&t) {
                        let sum: f64 = sums[&(t, value < 0.0)];
                        prop_assert!(
                            (v - sum).abs() <= 1e-9 * sum.abs().max(1.0),
                            "{v} against {sum}"
                        );
                    } else {
                        prop_assert!(v.is_nan(), "{v} where the layer has no value");
                    }
                }
            }
            Ok(())
        },
    );
}

#[test]
fn chart_options_from_any_json_are_refused_or_drawn() {
    fuzz("options", 5_000, mutated(corpus("options")), |body| {
        let Ok(options) = serde_json::from_slice::<ChartOptions>(&body) else {
            return Ok(());
        };
        let Ok(mut chart) = Chart::new(options) else {
            return Ok(());
        };
        let minutes: Vec<f64> = (0..100).map(|k| 1.7e9 + 60.0 * k as f64).collect();
        let series = Series::from_arrays(&minutes, (0..100).map(f64::from).collect()).unwrap();
        chart.set_series("a", series).unwrap();
        let svg = chart
            .to_svg(200, 100)
            .map_err(|e| TestCaseError::fail(format!("the chart cannot draw: {e}")))?;
        well_formed(&svg)
    });
}
