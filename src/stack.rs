//! Stacked graphs: the stack is added up at full resolution (one cumulative
//! series per layer), then every cumulative layer is thinned with the same
//! pixel columns. Thinning the layers first and stacking after would lose
//! spikes and open seams between layers; this way the top of one layer is
//! exactly the bottom of the next, and a one-minute spike in any layer lifts
//! every layer above it.

use std::fmt;

use crate::columns::{m4_runs, Run};
use crate::series::{Series, SeriesError};

/// Why layers could not be stacked.
#[derive(Clone, Debug, PartialEq)]
pub enum StackError {
    NoLayers,
    /// Layer `layer` is not on the first layer's time grid.
    NotOnOneGrid {
        layer: usize,
    },
    Series(SeriesError),
}

impl fmt::Display for StackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StackError::NoLayers => write!(f, "a stacked graph needs at least one series"),
            StackError::NotOnOneGrid { layer } => write!(
                f,
                "series {layer} of the stack is not on the same time grid as series 0; \
                 stacked series must share one step and aligned timestamps"
            ),
            StackError::Series(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for StackError {}

impl From<SeriesError> for StackError {
    fn from(e: SeriesError) -> Self {
        StackError::Series(e)
    }
}

/// The cumulative series of a stack, bottom layer first: layer k holds, at
/// each slot, the sum of layers 0..=k there. A slot where layer k has no
/// data is a gap in layer k only; the layers above stack on what is below.
///
/// The stack covers the union of the layers' spans, not the time from the
/// earliest point to the latest: two layers years apart cost their own
/// slots, and the time between them stays a gap.
pub fn stack(layers: &[&Series]) -> Result<Vec<Series>, StackError> {
    stack_with(layers, false)
}

/// `stack`, and with `percent` every slot's layers scaled so that their
/// magnitudes add up to 100. Negative values stack below zero on their own:
/// a layer's value adds to the total on its side of zero.
pub fn stack_with(layers: &[&Series], percent: bool) -> Result<Vec<Series>, StackError> {
    let first = layers.first().ok_or(StackError::NoLayers)?;
    let (origin, step) = (first.start(), first.step());
    // Each layer's first slot, counted in steps from the first layer's.
    let mut offsets = Vec::with_capacity(layers.len());
    for (layer, s) in layers.iter().enumerate() {
        let offset = (s.start() - origin) / step;
        let aligned = (offset - offset.round()).abs() < 1e-6 && offset.abs() < EXACT_SLOTS;
        if !s.is_regular() || (s.step() - step).abs() > 1e-9 * step || !aligned {
            return Err(StackError::NotOnOneGrid { layer });
        }
        offsets.push(offset.round());
    }
    let spans = covered_spans(layers, &offsets);
    // Where each span begins in the output: spans follow one another with
    // one empty slot between, so a line never joins across the time between.
    let mut begins = Vec::with_capacity(spans.len());
    let mut slots = 0usize;
    for &(from, to) in &spans {
        begins.push(slots);
        slots += (to - from) as usize + 1;
    }
    let slots = slots - 1;
    let position = |offset: f64| {
        let k = spans.partition_point(|&(_, to)| to <= offset);
        begins[k] + (offset - spans[k].0) as usize
    };
    let placed = layers
        .iter()
        .zip(&offsets)
        .map(|(s, &offset)| (s.values(), position(offset)));
    let cumulative_layers = added_up(placed, slots, percent);
    let grid_start = origin + spans[0].0 * step;
    if spans.len() == 1 {
        return cumulative_layers
            .into_iter()
            .map(|values| Ok(Series::from_grid(grid_start, step, values)?))
            .collect();
    }
    let mut times = Vec::with_capacity(slots);
    for &(from, to) in &spans {
        times.extend((from as i64..=to as i64).map(|k| origin + k as f64 * step));
    }
    times.truncate(slots);
    cumulative_layers
        .iter()
        .map(|values| Ok(Series::from_points(&times, values)?))
        .collect()
}

/// The cumulative values of `layers` (bottom first, each with the output
/// slot its first value falls in) over `slots` output slots: at each slot a
/// layer holds its value plus those of the layers below on its side of zero
/// (negative values stack below zero on their own), NaN where it has no
/// value; with `percent` scaled so each slot's magnitudes add up to 100 (a
/// slot of zeros stays 0).
pub(crate) fn added_up<'a>(
    layers: impl Iterator<Item = (&'a [f64], usize)>,
    slots: usize,
    percent: bool,
) -> Vec<Vec<f64>> {
    // Running totals above and below zero.
    let (mut above, mut below) = (vec![0.0; slots], vec![0.0; slots]);
    let mut out: Vec<Vec<f64>> = layers
        .map(|(values, at)| {
            let mut cumulative = vec![f64::NAN; slots];
            for (j, &v) in values.iter().enumerate() {
                if !v.is_nan() && at + j < slots {
                    let side = if v < 0.0 { &mut below } else { &mut above };
                    side[at + j] += v;
                    cumulative[at + j] = side[at + j];
                }
            }
            cumulative
        })
        .collect();
    if percent {
        for layer in &mut out {
            for ((c, &up), &down) in layer.iter_mut().zip(&above).zip(&below) {
                let magnitude = up - down;
                if magnitude > 0.0 {
                    *c *= 100.0 / magnitude;
                }
            }
        }
    }
    out
}

/// Slot offsets below this are exact in f64, with room to add lengths.
const EXACT_SLOTS: f64 = (1u64 << 52) as f64;

/// The union of the layers' spans `[offset, offset + len)`, in slots from
/// the first layer's start, sorted and with touching spans joined.
fn covered_spans(layers: &[&Series], offsets: &[f64]) -> Vec<(f64, f64)> {
    let mut spans: Vec<(f64, f64)> = layers
        .iter()
        .zip(offsets)
        .map(|(s, &offset)| (offset, offset + s.len() as f64))
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut union: Vec<(f64, f64)> = Vec::with_capacity(spans.len());
    for (from, to) in spans {
        match union.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => union.push((from, to)),
        }
    }
    union
}

/// Every cumulative layer thinned over `[from, to]` for a plot `width`
/// columns wide, with the same columns for all.
pub fn stacked_runs(cumulative: &[Series], from: f64, to: f64, width: usize) -> Vec<Vec<Run>> {
    cumulative
        .iter()
        .map(|layer| m4_runs(layer, from, to, width))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::minutes_from;

    /// Largest value drawn in each column.
    fn column_tops(runs: &[Run], width: usize) -> Vec<f64> {
        let mut tops = vec![f64::NEG_INFINITY; width];
        for &(x, v) in runs.iter().flat_map(|r| r.points.iter()) {
            tops[x as usize] = tops[x as usize].max(v);
        }
        tops
    }

    #[test]
    fn a_one_minute_spike_in_the_bottom_layer_lifts_every_layer_above_it() {
        let n = 100_000;
        let mut bottom: Vec<f64> = (0..n).map(|i| 10.0 + (i % 7) as f64).collect();
        bottom[54_321] = 500.0;
        let middle = vec![5.0; n];
        let top: Vec<f64> = (0..n).map(|i| (i % 3) as f64).collect();
        let layers = [
            minutes_from(0, &bottom),
            minutes_from(0, &middle),
            minutes_from(0, &top),
        ];
        let cumulative = stack(&layers.iter().collect::<Vec<_>>()).unwrap();
        let (from, to) = (0.0, (n - 1) as f64 * 60.0);
        let width = 400;
        let runs = stacked_runs(&cumulative, from, to, width);
        let spike_column = ((54_321.0 * 60.0 - from) * (width as f64 / (to - from))) as usize;
        for (k, layer) in runs.iter().enumerate() {
            let tops = column_tops(layer, width);
            assert!(tops[spike_column] >= 500.0, "layer {k} shows the spike");
            // Exactly the cumulative maximum of the column, from the raw minutes.
            let brute = (0..n)
                .filter(|&i| {
                    ((i as f64 * 60.0) * (width as f64 / (to - from))) as usize == spike_column
                })
                .map(|i| cumulative[k].values()[i])
                .fold(f64::NEG_INFINITY, f64::max);
            assert_eq!(tops[spike_column], brute);
        }
        // No seams: with non-negative layers, every layer's top is at or
        // above the one below in every column.
        for k in 1..runs.len() {
            let (below, above) = (
                column_tops(&runs[k - 1], width),
                column_tops(&runs[k], width),
            );
            assert!(below.iter().zip(&above).all(|(b, a)| a >= b));
        }
    }

    #[test]
    fn layers_with_different_spans_and_gaps_stack_on_one_grid() {
        let a = minutes_from(0, &[1.0, 1.0, 1.0, 1.0]);
        let b = minutes_from(2, &[2.0, f64::NAN, 2.0]);
        let cumulative = stack(&[&a, &b]).unwrap();
        assert_eq!(&cumulative[0].values()[..4], &[1.0; 4]);
        assert!(
            cumulative[0].values()[4].is_nan(),
            "layer 0 has no data at minute 4"
        );
        let top = cumulative[1].values();
        assert!(top[0].is_nan() && top[1].is_nan() && top[3].is_nan());
        assert_eq!((top[2], top[4]), (3.0, 2.0));
    }

    #[test]
    fn layers_far_apart_stack_without_the_time_between() {
        let start = 1.7e9;
        let a = Series::from_points(&[start, start + 60.0], &[1.0, 2.0]).unwrap();
        let later = start + 60.0 * 1e8;
        let b = Series::from_points(&[later], &[5.0]).unwrap();
        let c = Series::from_points(&[start + 60.0, start + 120.0], &[10.0, 20.0]).unwrap();
        let cumulative = stack(&[&a, &b, &c]).unwrap();
        // The spans a..c (3 minutes) and b (1 minute), and one empty slot
        // between them so no line joins them.
        let values = |k: usize| cumulative[k].values().to_vec();
        assert_eq!(cumulative[2].len(), 5);
        assert_eq!(cumulative[2].time_at(4), later);
        assert_eq!(values(0)[..2], [1.0, 2.0]);
        assert_eq!(values(1)[4], 5.0);
        assert_eq!(values(2)[1..3], [12.0, 20.0]);
        assert!(values(2)[3].is_nan() && values(2)[4].is_nan());
    }

    #[test]
    fn percent_and_negative_layers_equal_brute_force_sums() {
        let mut rng = crate::testing::Rng(11);
        for _ in 0..200 {
            let n = 1 + rng.below(40);
            let layers: Vec<Series> = (0..1 + rng.below(5))
                .map(|_| {
                    let start = rng.below(10);
                    let values: Vec<f64> = (0..n)
                        .map(|_| match rng.below(6) {
                            0 => f64::NAN,
                            1 => -(rng.below(50) as f64),
                            _ => rng.below(100) as f64,
                        })
                        .collect();
                    minutes_from(start, &values)
                })
                .collect();
            let refs: Vec<&Series> = layers.iter().collect();
            for percent in [false, true] {
                let cumulative = stack_with(&refs, percent).unwrap();
                for (k, layer) in cumulative.iter().enumerate() {
                    for i in 0..layer.len() {
                        let t = layer.time_at(i);
                        let at = |s: &Series| {
                            (0..s.len())
                                .find(|&j| s.time_at(j) == t)
                                .map(|j| s.values()[j])
                                .filter(|v| !v.is_nan())
                        };
                        let Some(own) = at(&layers[k]) else {
                            assert!(layer.values()[i].is_nan());
                            continue;
                        };
                        // The sum of layers 0..=k on the own value's side.
                        let same_side = |v: &f64| (*v < 0.0) == (own < 0.0);
                        let mut expected: f64 =
                            layers[..=k].iter().filter_map(at).filter(same_side).sum();
                        if percent {
                            let magnitude: f64 = layers.iter().filter_map(at).map(f64::abs).sum();
                            if magnitude > 0.0 {
                                expected *= 100.0 / magnitude;
                            }
                        }
                        let got = layer.values()[i];
                        assert!(
                            (got - expected).abs() < 1e-9,
                            "layer {k} at {t}: {got} against {expected}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn series_off_the_grid_are_refused_with_a_clear_error() {
        let a = minutes_from(0, &[1.0, 1.0]);
        let b = Series::from_points(&[30.0, 90.0], &[1.0, 1.0]).unwrap();
        let err = stack(&[&a, &b]).unwrap_err();
        assert_eq!(err, StackError::NotOnOneGrid { layer: 1 });
        assert!(err.to_string().contains("same time grid"));
        assert_eq!(stack(&[]), Err(StackError::NoLayers));
    }
}
