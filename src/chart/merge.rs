//! Data into a chart: points merged into a series (a chunk of a load, a
//! live tail's minutes), and room made for a load's range up front.

use super::{is_time, span_of, Chart, ChartError, Entry};
use crate::loading::Standin;
use crate::series::Series;

impl Chart {
    /// Merges new points into the series `name` (newest wins on the same
    /// time), or adds it when there is none: the live tail, or a chunk.
    pub fn append(&mut self, name: &str, times: &[f64], values: &[f64]) -> Result<(), ChartError> {
        let chunk = Series::from_points(times, values).map_err(ChartError::Series)?;
        self.merge(name, chunk, None).map(drop)
    }

    /// Merges `chunk` into the series `name`, or adds it when there is none.
    /// `span` is the stretch `[from, to)` the chunk was asked for (its own
    /// slots when None): only its points there are kept, and it counts as
    /// loaded at full resolution, so the coarse picture gives way there even
    /// where the chunk has gaps. Returns how many points with a value were
    /// kept.
    pub fn merge(
        &mut self,
        name: &str,
        chunk: Series,
        span: Option<(f64, f64)>,
    ) -> Result<usize, ChartError> {
        if let Some((from, to)) = span {
            if !(is_time(from) && is_time(to) && from < to) {
                return Err(ChartError::BadRange { from, to });
            }
        }
        let (from, to) = span.unwrap_or_else(|| span_of(&chunk));
        // Only what was asked for: an API may answer a little around it
        // (Prometheus' lookback after the last sample).
        let chunk = match span {
            Some((from, to)) => match chunk.clipped(from, to) {
                Some(chunk) => chunk,
                None => {
                    if let Some(entry) = self.series.iter_mut().find(|e| e.name == name) {
                        entry.standin.loaded(from, to);
                    }
                    return Ok(0);
                }
            },
            None => chunk,
        };
        let kept = chunk.valid_count();
        let Some(entry) = self.series.iter_mut().find(|e| e.name == name) else {
            self.set_series(name, chunk)?;
            return Ok(kept);
        };
        entry.series.merge(&chunk).map_err(ChartError::Series)?;
        entry.standin.loaded(from, to);
        self.values_changed(from, to);
        Ok(kept)
    }

    /// Makes room in the series `name` for 1-minute (`step`) data over
    /// `[from, to]`, adding it empty when there is none, so chunks that
    /// arrive newest first merge in place instead of moving the data each
    /// time.
    pub fn reserve(&mut self, name: &str, from: f64, to: f64, step: f64) -> Result<(), ChartError> {
        if !(is_time(from) && is_time(to) && from <= to) {
            return Err(ChartError::BadRange { from, to });
        }
        let start = if step > 0.0 {
            (from / step).floor() * step
        } else {
            from
        };
        let slots = if step > 0.0 {
            ((to - start) / step).floor() + 1.0
        } else {
            1.0
        };
        let empty = Series::empty_grid(start, step, slots.min(usize::MAX as f64) as usize)
            .map_err(ChartError::Series)?;
        self.check_room(name)?;
        match self.series.iter_mut().find(|e| e.name == name) {
            Some(entry) => entry.series.merge(&empty).map_err(ChartError::Series)?,
            None => self.series.push(Entry {
                name: name.to_string(),
                series: empty,
                hidden: self.style_of(self.series.len(), name).hidden,
                standin: Standin::default(),
            }),
        }
        self.series_changed();
        Ok(())
    }
}
