//! A stacked chart whose series gain minutes (a live tail, chunks of a
//! load) brings its stack up to date over the changed slots only, and ends
//! with the very layers a stack made anew would have.

use super::*;
use crate::render::SeriesKind;
use crate::stack::stack_with;
use plotters::backend::SVGBackend;

const T0: f64 = 1.7e9;

/// `n` minutes from T0 of layer `k`: gaps in layer 1, negatives in layer 2.
fn layer(k: usize, n: usize, from: usize) -> Series {
    let values = (from..from + n)
        .map(|i| match k {
            1 if i % 97 < 3 => f64::NAN,
            2 => ((i as f64) / 40.0).sin(),
            _ => 1.0 + (i % 13) as f64 + k as f64,
        })
        .collect();
    Series::from_grid(T0 + from as f64 * 60.0, 60.0, values).unwrap()
}

/// Draws, and says how many slots of stacked layers the frame added up.
fn draw(chart: &mut Chart) -> usize {
    let before = chart.stacked_slots.get();
    let mut svg = String::new();
    let mut db = SVGBackend::with_string(&mut svg, (600, 300));
    chart.draw(&mut db, 1.0).unwrap().stacked_slots - before
}

/// The chart's layers equal a stack made anew from its series.
fn layers_as_made_anew(chart: &Chart, percent: bool) {
    let series: Vec<&Series> = chart.series.iter().map(|e| &e.series).collect();
    let anew = stack_with(&series, percent).unwrap();
    let stacked = chart.stacked.borrow();
    let kept = stacked.as_ref().unwrap().as_ref().unwrap();
    for (k, (a, b)) in anew.iter().zip(kept).enumerate() {
        let b = b.as_ref().unwrap();
        assert_eq!((a.start(), a.len()), (b.start(), b.len()), "layer {k}");
        for (i, (x, y)) in a.values().iter().zip(b.values()).enumerate() {
            assert!(
                x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
                "layer {k} slot {i}: {x} vs {y}"
            );
        }
        assert_eq!(a.summary(), b.summary(), "layer {k}");
    }
}

#[test]
fn a_new_minute_restacks_that_minute_only() {
    for percent in [false, true] {
        let options = ChartOptions {
            kind: SeriesKind::Stacked,
            ..ChartOptions::default()
        };
        let mut chart = Chart::new(options).unwrap();
        if percent {
            for k in 0..4 {
                let rule = serde_json::from_str(r#"{"stack":"percent"}"#).unwrap();
                chart.set_series_options(&format!("s{k}"), rule).unwrap();
            }
        }
        let n = 20_000;
        for k in 0..3 {
            chart.set_series(&format!("s{k}"), layer(k, n, 0)).unwrap();
        }
        assert_eq!(draw(&mut chart), 3 * n, "made anew");
        assert_eq!(draw(&mut chart), 0, "kept");
        // Each series gains a minute at the end, as a live poll brings it.
        for minute in 0..5 {
            for k in 0..3 {
                let chunk = layer(k, 1, n + minute);
                let from = chunk.start();
                chart
                    .merge(&format!("s{k}"), chunk, Some((from, from + 60.0)))
                    .unwrap();
            }
            assert_eq!(
                draw(&mut chart),
                3,
                "one slot of each layer, minute {minute}"
            );
            layers_as_made_anew(&chart, percent);
        }
        // A chunk filling a gap in the middle: its slots only.
        let gap = layer(1, 3, 97 * 50);
        chart
            .merge(
                "s1",
                gap,
                Some((T0 + 97.0 * 50.0 * 60.0, T0 + 97.0 * 50.0 * 60.0 + 180.0)),
            )
            .unwrap();
        assert_eq!(draw(&mut chart), 3 * 3);
        layers_as_made_anew(&chart, percent);
        // A new series makes the stack anew.
        chart.set_series("s3", layer(3, n, 0)).unwrap();
        assert_eq!(
            draw(&mut chart),
            4 * (n + 5),
            "every layer as long as the stack"
        );
    }
}
