//! `sabaplot-render`: a chart to a PNG or SVG file, from a metrics API (the
//! picture an alert notification embeds) or from a JSON file of series.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use sabaplot_render::fetch::{load, Source};
use sabaplot_render::render_png;
use serde::Deserialize;

#[derive(Clone, Copy, ValueEnum)]
enum ApiKind {
    Mackerel,
    Prometheus,
}

/// Draws a chart with sabaplot's renderer to a PNG or SVG file.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// The file to write: `.png` or `.svg`.
    #[arg(short, long)]
    out: PathBuf,
    /// A JSON file: {"series": [{"name", "times": [epoch seconds], "values": [number | null]}]}.
    #[arg(long, conflicts_with = "api")]
    json: Option<PathBuf>,
    /// The metrics API to ask.
    #[arg(long, value_enum, requires = "base_url")]
    api: Option<ApiKind>,
    /// Where the API answers (a proxy that adds the key, or the API itself).
    #[arg(long)]
    base_url: Option<String>,
    /// Mackerel: the host id.
    #[arg(long)]
    host: Option<String>,
    /// Mackerel: the metric name.
    #[arg(long)]
    metric: Option<String>,
    /// Prometheus: the PromQL query.
    #[arg(long)]
    query: Option<String>,
    /// The window's end, epoch seconds (default: now).
    #[arg(long)]
    to: Option<f64>,
    /// The window's length: 90m, 6h, 7d, 460d.
    #[arg(long, default_value = "1d")]
    range: String,
    /// Pixels across and down.
    #[arg(long, default_value_t = 1200, value_parser = clap::value_parser!(u32).range(1..=16384))]
    width: u32,
    #[arg(long, default_value_t = 400, value_parser = clap::value_parser!(u32).range(1..=16384))]
    height: u32,
    /// Pixels per CSS pixel for text and lines (PNG).
    #[arg(long, default_value_t = 1.0)]
    ratio: f64,
    /// Chart options as JSON (those of the browser's `new Chart`), over the flags below.
    #[arg(long)]
    options: Option<String>,
    #[arg(long)]
    title: Option<String>,
    /// light or dark.
    #[arg(long)]
    theme: Option<String>,
    /// float, integer, percentage, seconds, bytes, …
    #[arg(long)]
    unit: Option<String>,
    /// The time zone of the axis: UTC or an offset such as +09:00.
    #[arg(long, default_value = "UTC")]
    zone: String,
}

#[derive(Deserialize)]
struct JsonFile {
    series: Vec<JsonSeries>,
}

#[derive(Deserialize)]
struct JsonSeries {
    name: String,
    times: Vec<f64>,
    values: Vec<Option<f64>>,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(message) => {
            eprintln!("{message}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("sabaplot-render: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<String, String> {
    let png = match args.out.extension().and_then(|e| e.to_str()) {
        Some("png") => true,
        Some("svg") => false,
        _ => {
            return Err(format!(
                "{}: the file to write must end in .png or .svg",
                args.out.display()
            ))
        }
    };
    if !(args.ratio.is_finite() && (0.25..=8.0).contains(&args.ratio)) {
        return Err(format!("--ratio {} is not between 0.25 and 8", args.ratio));
    }
    let mut chart = sabaplot::Chart::new(options(&args)?).map_err(|e| e.to_string())?;
    let points = match (&args.json, args.api) {
        (Some(path), _) => from_json(path, &mut chart)?,
        (None, Some(api)) => {
            let seconds = range_seconds(&args.range)?;
            let to = match args.to {
                Some(to) => to,
                None => now()?,
            };
            let to = (to / 60.0).floor() * 60.0;
            let from = to - seconds + 60.0;
            let source = source(&args, api)?;
            let points = load(&source, from, to, args.width as usize, &mut chart)?;
            chart.set_range(from, to).map_err(|e| e.to_string())?;
            points
        }
        (None, None) => {
            return Err("give --json FILE, or --api mackerel|prometheus with --base-url".into())
        }
    };
    let started = std::time::Instant::now();
    let bytes = if png {
        render_png(&mut chart, (args.width, args.height), args.ratio)?
    } else {
        chart
            .to_svg(args.width, args.height)
            .map_err(|e| e.to_string())?
            .into_bytes()
    };
    std::fs::write(&args.out, &bytes).map_err(|e| format!("{}: {e}", args.out.display()))?;
    Ok(format!(
        "{}: {} points drawn in {:.0} ms, {} bytes",
        args.out.display(),
        points,
        started.elapsed().as_secs_f64() * 1_000.0,
        bytes.len()
    ))
}

/// The chart options: `--options`, then the flags that set one.
fn options(args: &Args) -> Result<sabaplot::ChartOptions, String> {
    let mut update: serde_json::Value = match &args.options {
        Some(text) => serde_json::from_str(text).map_err(|e| format!("--options: {e}"))?,
        None => serde_json::json!({}),
    };
    let object = update
        .as_object_mut()
        .ok_or("--options must be a JSON object")?;
    object.insert("timeZone".into(), args.zone.clone().into());
    object.insert("legend".into(), false.into());
    for (key, value) in [
        ("title", &args.title),
        ("theme", &args.theme),
        ("unit", &args.unit),
    ] {
        if let Some(value) = value {
            object.insert(key.into(), value.clone().into());
        }
    }
    sabaplot::ChartOptions::default()
        .merged(update)
        .map_err(|e| e.to_string())
}

fn source(args: &Args, api: ApiKind) -> Result<Source, String> {
    let base = args
        .base_url
        .clone()
        .ok_or("--base-url is needed with --api")?;
    match api {
        ApiKind::Mackerel => {
            let host = args
                .host
                .clone()
                .ok_or("--api mackerel needs --host (a host id)")?;
            let id = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
            if host.is_empty() || !host.chars().all(id) {
                return Err(format!(
                    "--host {host:?} is not a host id (letters, digits, - and _)"
                ));
            }
            let metric = args.metric.clone().ok_or("--api mackerel needs --metric")?;
            Ok(Source::Mackerel {
                base,
                host,
                name: metric.clone(),
                metric,
            })
        }
        ApiKind::Prometheus => {
            let query = args
                .query
                .clone()
                .ok_or("--api prometheus needs --query (PromQL)")?;
            Ok(Source::Prometheus { base, query })
        }
    }
}

/// The series of a JSON file; returns how many points they hold.
fn from_json(path: &PathBuf, chart: &mut sabaplot::Chart) -> Result<usize, String> {
    let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file: JsonFile =
        serde_json::from_slice(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut points = 0;
    for s in file.series {
        let values: Vec<f64> = s.values.iter().map(|v| v.unwrap_or(f64::NAN)).collect();
        points += values.iter().filter(|v| !v.is_nan()).count();
        let series = sabaplot::Series::from_arrays(&s.times, values)
            .map_err(|e| format!("series {:?}: {e}", s.name))?;
        chart
            .set_series(&s.name, series)
            .map_err(|e| e.to_string())?;
    }
    Ok(points)
}

/// The seconds of a length such as 90m, 6h or 7d.
fn range_seconds(text: &str) -> Result<f64, String> {
    let unit = match text.chars().last() {
        Some('m') => 60.0,
        Some('h') => 3_600.0,
        Some('d') => 86_400.0,
        _ => 0.0,
    };
    let count: Option<u32> = text
        .get(..text.len().saturating_sub(1))
        .and_then(|n| n.parse().ok());
    let seconds = count.map_or(0.0, |n| f64::from(n) * unit);
    if seconds > 0.0 && seconds <= 1_000.0 * 86_400.0 {
        Ok(seconds)
    } else {
        Err(format!(
            "--range {text:?} is not a length such as 90m, 6h, 7d or 460d (at most 1000 days)"
        ))
    }
}

fn now() -> Result<f64, String> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .map_err(|e| e.to_string())
}
