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
pub fn stack(layers: &[&Series]) -> Result<Vec<Series>, StackError> {
    let first = layers.first().ok_or(StackError::NoLayers)?;
    let step = first.step();
    let start = layers
        .iter()
        .map(|s| s.start())
        .fold(f64::INFINITY, f64::min);
    let end = layers
        .iter()
        .map(|s| s.end())
        .fold(f64::NEG_INFINITY, f64::max);
    let mut offsets = Vec::with_capacity(layers.len());
    for (layer, s) in layers.iter().enumerate() {
        let offset = (s.start() - start) / step;
        let aligned = (offset - offset.round()).abs() < 1e-6;
        if !s.is_regular() || (s.step() - step).abs() > 1e-9 * step || !aligned {
            return Err(StackError::NotOnOneGrid { layer });
        }
        offsets.push(offset.round() as usize);
    }
    let slots = ((end - start) / step).round() as usize + 1;
    let mut total = vec![0.0; slots];
    let mut out = Vec::with_capacity(layers.len());
    for (s, &offset) in layers.iter().zip(&offsets) {
        let mut cumulative = vec![f64::NAN; slots];
        for (j, &v) in s.values().iter().enumerate() {
            if !v.is_nan() {
                total[offset + j] += v;
                cumulative[offset + j] = total[offset + j];
            }
        }
        out.push(Series::from_grid(start, step, cumulative)?);
    }
    Ok(out)
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
    fn series_off_the_grid_are_refused_with_a_clear_error() {
        let a = minutes_from(0, &[1.0, 1.0]);
        let b = Series::from_points(&[30.0, 90.0], &[1.0, 1.0]).unwrap();
        let err = stack(&[&a, &b]).unwrap_err();
        assert_eq!(err, StackError::NotOnOneGrid { layer: 1 });
        assert!(err.to_string().contains("same time grid"));
        assert_eq!(stack(&[]), Err(StackError::NoLayers));
    }
}
