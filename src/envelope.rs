//! Envelope of a series for long ranges: per pixel column, the band from the
//! smallest to the largest raw value and the mean of the column, all exact,
//! from the level-of-detail summary. A column without data is a gap in the
//! band, never bridged.

use crate::columns::Columns;
use crate::series::Series;

/// One column of the envelope.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EnvelopeColumn {
    /// Pixel column from the left edge of the plot.
    pub column: usize,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    /// Points holding a value in the column.
    pub count: usize,
}

/// The envelope of `series` over `[from, to]` for a plot `width` columns
/// wide: one entry per column that holds data, left to right.
pub fn envelope(series: &Series, from: f64, to: f64, width: usize) -> Vec<EnvelopeColumn> {
    let Some(columns) = Columns::new(series, from, to, width) else {
        return Vec::new();
    };
    let (values, summary) = (series.values(), series.summary());
    let mut out = Vec::with_capacity(width);
    let mut start = columns.range.start;
    for column in 0..width {
        let end = columns.boundary(column + 1);
        if let Some(e) = summary.extremes(values, start..end) {
            let (sum, count) = summary.sum_count(values, start..end);
            out.push(EnvelopeColumn {
                column,
                min: values[e.min],
                max: values[e.max],
                mean: sum / count as f64,
                count,
            });
        }
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{minutes, values_with_gaps, Rng};

    #[test]
    fn every_column_holds_the_exact_min_max_and_mean_of_its_points() {
        let mut rng = Rng(23);
        for _ in 0..40 {
            let n = 1_000 + rng.below(50_000);
            let values = values_with_gaps(&mut rng, n);
            let s = minutes(&values);
            let width = 1 + rng.below(800);
            let (from, to) = (s.start(), s.end());
            let columns = Columns::new(&s, from, to, width).unwrap();
            let mut brute: Vec<Vec<f64>> = vec![Vec::new(); width];
            for (i, &v) in values.iter().enumerate() {
                if !v.is_nan() {
                    brute[columns.column_of(i)].push(v);
                }
            }
            let expected: Vec<EnvelopeColumn> = brute
                .iter()
                .enumerate()
                .filter(|(_, v)| !v.is_empty())
                .map(|(column, v)| EnvelopeColumn {
                    column,
                    min: v.iter().copied().fold(f64::INFINITY, f64::min),
                    max: v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                    mean: v.iter().sum::<f64>() / v.len() as f64,
                    count: v.len(),
                })
                .collect();
            assert_eq!(envelope(&s, from, to, width), expected);
        }
    }

    #[test]
    fn a_long_outage_leaves_a_hole_in_the_band() {
        let mut values = vec![1.0; 10_000];
        values[4_000..6_000].fill(f64::NAN);
        let s = minutes(&values);
        let band = envelope(&s, s.start(), s.end(), 100);
        let columns: Vec<usize> = band.iter().map(|c| c.column).collect();
        assert!(!columns.contains(&50));
        assert!(columns.contains(&39) && columns.contains(&60));
        assert!(envelope(&s, 1.0, 0.0, 100).is_empty());
    }
}
