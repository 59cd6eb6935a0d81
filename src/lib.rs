//! sabaplot: long-range 1-minute metric charts, drawn in time proportional to
//! the pixels rather than the points. The core below knows nothing of the
//! browser; only `web` (compiled for wasm32) speaks to JavaScript.

mod chart;
mod columns;
pub mod downsample;
mod envelope;
mod interaction;
pub mod limits;
mod loading;
mod locale;
mod options;
mod progress;
mod pyramid;
pub mod raster;
mod readout;
mod render;
mod series;
mod source;
mod stack;
mod stats;
mod ticks;
mod transform;
mod units;
mod zone;

#[cfg(test)]
mod testing;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use chart::{Chart, ChartError};
pub use columns::{m4_runs, m4_runs_in, m4_runs_with, slots_drawn, M4Strategy, Run};
pub use envelope::{envelope, EnvelopeColumn};
pub use interaction::{Cursor, Effect, Input, Key};
pub use loading::{Coarse, CoarseError, Covers, NotLoaded, Progress, Spans, Standin};
pub use locale::{set_locale_source, DatePart, LocaleSource};
pub use options::{
    Axes, Axis, ChartOptions, Color, ColorBy, Dash, Mark, Scale, SeriesRule, SeriesStyle,
    StackName, TimeUnit,
};
pub use pyramid::{Extremes, Pyramid};
pub use readout::{LegendEntry, Readout, ReadoutRow};
pub use render::{
    draw_chart, Annotation, ChartText, Frame, KeptLines, Level, LinesKey, MarkError, Palette,
    RenderError, Scene, SeriesKind, Stroke, Theme, Threshold,
};
pub use series::{Series, SeriesError};
pub use source::mackerel::{
    parse_annotations as parse_mackerel_annotations, parse_metrics as parse_mackerel_metrics,
    GraphAnnotation,
};
pub use source::plan::{plan as plan_requests, Api, Kind as RequestKind, PlanError, Request};
pub use source::prometheus::{parse_query_range as parse_prometheus_query_range, NamedSeries};
pub use source::victoria::parse_export as parse_victoria_export;
pub use source::wildcard::{matches as metric_name_matches, select as select_metric_names};
pub use source::SourceError;
pub use stack::{stack, stacked_runs, StackError};
pub use stats::WindowStats;
pub use ticks::time_ticks::{time_ticks, TimeTick};
pub use ticks::value_ticks::{value_ticks, ValueTicks};
pub use transform::{column_x, PlotTransform, Side, ValueScale};
pub use units::Unit;
pub use zone::{set_zone_source, TimeZone, ZoneError, ZoneRules, ZoneSource};
