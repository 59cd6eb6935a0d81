//! A chart's state — options, named series, the visible window — and the
//! pipeline from that state to a drawn frame. The browser handle in `web`
//! only forwards to this; nothing here knows about the browser.

use std::fmt;

use plotters::backend::SVGBackend;
use plotters_backend::DrawingBackend;
use serde::{Deserialize, Serialize};

use crate::render::{draw_chart, Frame, RenderError, Scene, Theme};
use crate::series::Series;
use crate::units::Unit;

/// Chart options; every field has a default, and unknown fields are refused
/// so a misspelt option is an error rather than silently ignored.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ChartOptions {
    /// Drawn at the top left.
    pub title: String,
    /// Unit of the values, for the value axis.
    pub unit: Unit,
    pub theme: Theme,
}

/// A request the chart cannot carry out.
#[derive(Clone, Debug, PartialEq)]
pub enum ChartError {
    BadRange { from: f64, to: f64 },
}

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChartError::BadRange { from, to } => write!(
                f,
                "time range {from}..{to} is not valid: both ends must be finite epoch seconds and from < to"
            ),
        }
    }
}

impl std::error::Error for ChartError {}

/// Options, series and window of one chart.
#[derive(Clone, Debug, Default)]
pub struct Chart {
    options: ChartOptions,
    series: Vec<(String, Series)>,
    /// None follows the data: the window is always the full range.
    view: Option<(f64, f64)>,
}

impl Chart {
    pub fn new(options: ChartOptions) -> Chart {
        Chart {
            options,
            ..Chart::default()
        }
    }

    pub fn options(&self) -> &ChartOptions {
        &self.options
    }

    pub fn set_options(&mut self, options: ChartOptions) {
        self.options = options;
    }

    /// Adds the series, or replaces the one with the same name.
    pub fn set_series(&mut self, name: &str, series: Series) {
        match self.series.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = series,
            None => self.series.push((name.to_string(), series)),
        }
    }

    /// Removes every series.
    pub fn clear(&mut self) {
        self.series.clear();
    }

    /// Names of the series, in drawing order.
    pub fn series_names(&self) -> impl Iterator<Item = &str> {
        self.series.iter().map(|(n, _)| n.as_str())
    }

    /// From the earliest to the latest time of any series.
    pub fn full_range(&self) -> Option<(f64, f64)> {
        self.series
            .iter()
            .map(|(_, s)| (s.start(), s.end()))
            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
    }

    /// The visible window: the one set, else the full range. A single-point
    /// series gets a window of one step around it so it is still drawn.
    pub fn range(&self) -> Option<(f64, f64)> {
        let (from, to) = self.view.or_else(|| self.full_range())?;
        if to > from {
            return Some((from, to));
        }
        let step = self.series.first().map_or(60.0, |(_, s)| s.step());
        Some((from - step, to + step))
    }

    /// Shows `[from, to]` (epoch seconds).
    pub fn set_range(&mut self, from: f64, to: f64) -> Result<(), ChartError> {
        if !(from.is_finite() && to.is_finite() && from < to) {
            return Err(ChartError::BadRange { from, to });
        }
        self.view = Some((from, to));
        Ok(())
    }

    /// Follows the data again: the window is the full range.
    pub fn reset_range(&mut self) {
        self.view = None;
    }

    /// The chart as an SVG document `width` × `height` pixels (image export).
    pub fn to_svg(&self, width: u32, height: u32) -> Result<String, RenderError> {
        let mut svg = String::new();
        {
            let mut db = SVGBackend::with_string(&mut svg, (width.max(1), height.max(1)));
            self.draw(&mut db, 1.0)?;
        }
        Ok(svg)
    }

    /// Draws the chart on the whole of `db`.
    pub fn draw<DB: DrawingBackend>(
        &self,
        db: &mut DB,
        pixel_ratio: f64,
    ) -> Result<Frame, RenderError> {
        let series: Vec<(&str, &Series)> =
            self.series.iter().map(|(n, s)| (n.as_str(), s)).collect();
        let scene = Scene {
            title: &self.options.title,
            unit: self.options.unit,
            theme: self.options.theme,
            series: &series,
            view: self.range().unwrap_or((0.0, 1.0)),
            pixel_ratio,
        };
        draw_chart(db, &scene)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(start: f64, n: usize) -> Series {
        let times: Vec<f64> = (0..n).map(|i| start + i as f64 * 60.0).collect();
        Series::from_points(&times, &vec![1.0; n]).unwrap()
    }

    #[test]
    fn the_window_follows_the_data_until_a_range_is_set() {
        let mut chart = Chart::new(ChartOptions::default());
        assert_eq!(chart.range(), None);
        chart.set_series("a", series(0.0, 10));
        chart.set_series("b", series(300.0, 10));
        assert_eq!(chart.range(), Some((0.0, 840.0)));
        chart.set_range(60.0, 120.0).unwrap();
        assert_eq!(chart.range(), Some((60.0, 120.0)));
        chart.reset_range();
        assert_eq!(chart.range(), Some((0.0, 840.0)));
    }

    #[test]
    fn a_series_with_the_same_name_is_replaced() {
        let mut chart = Chart::new(ChartOptions::default());
        chart.set_series("a", series(0.0, 10));
        chart.set_series("a", series(600.0, 2));
        assert_eq!(chart.series_names().count(), 1);
        assert_eq!(chart.range(), Some((600.0, 660.0)));
    }

    #[test]
    fn a_single_point_still_gets_a_window() {
        let mut chart = Chart::new(ChartOptions::default());
        chart.set_series("a", series(600.0, 1));
        assert_eq!(chart.range(), Some((540.0, 660.0)));
    }

    #[test]
    fn bad_ranges_are_refused_and_the_old_one_kept() {
        let mut chart = Chart::new(ChartOptions::default());
        chart.set_range(0.0, 10.0).unwrap();
        for (from, to) in [
            (5.0, 5.0),
            (10.0, 0.0),
            (f64::NAN, 1.0),
            (0.0, f64::INFINITY),
        ] {
            assert!(chart.set_range(from, to).is_err());
        }
        assert_eq!(chart.range(), Some((0.0, 10.0)));
    }

    #[test]
    fn the_chart_exports_as_an_svg_document() {
        let mut chart = Chart::new(ChartOptions {
            title: "db-01 · memory.used".into(),
            unit: Unit::Bytes,
            ..ChartOptions::default()
        });
        chart.set_series("memory.used", series(0.0, 100));
        let svg = chart.to_svg(640, 240).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("db-01 · memory.used"));
        assert!(svg.contains(" B\n</text>"), "byte labels");
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert!(Chart::default()
            .to_svg(300, 150)
            .unwrap()
            .contains("No data loaded"));
        assert!(Chart::default().to_svg(0, 0).is_ok());
    }

    #[test]
    fn options_read_from_json_with_defaults_and_refuse_typos() {
        let o: ChartOptions =
            serde_json::from_str(r#"{"title":"cpu","unit":"percentage"}"#).unwrap();
        assert_eq!(o.unit, Unit::Percentage);
        assert_eq!(o.theme, Theme::Light);
        let e = serde_json::from_str::<ChartOptions>(r#"{"titel":"cpu"}"#).unwrap_err();
        assert!(e.to_string().contains("titel"));
    }
}
