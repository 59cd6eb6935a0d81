//! The generated data as an OpenMetrics text file, for backfilling a real
//! Prometheus (`promtool tsdb create-blocks-from openmetrics`) with exactly
//! the minutes the demo API serves: `sabaplot-server openmetrics DAYS [END]`.

use std::io::{self, Write};

use crate::generator::{value_at, Host, Metric, HOSTS, STEP};

/// Writes `metric` for `hosts` over the `days` days ending at `end` (epoch
/// seconds), one family, each series' samples oldest first, as
/// `name{instance=…,role=…} value timestamp`. Minutes without data are left
/// out, as a scrape that failed would be.
pub fn write(
    out: &mut impl Write,
    metric: &Metric,
    hosts: &[Host],
    days: i64,
    end: i64,
) -> io::Result<()> {
    let name = metric.name.replace('.', "_");
    let last = end.div_euclid(STEP) * STEP;
    let first = last - days * 86_400 + STEP;
    writeln!(out, "# TYPE {name} gauge")?;
    for host in hosts {
        for t in (first..=last).step_by(STEP as usize) {
            if let Some(v) = value_at(host, metric, t) {
                writeln!(
                    out,
                    "{name}{{instance=\"{}\",role=\"{}\"}} {v} {t}",
                    host.name, host.role
                )?;
            }
        }
    }
    writeln!(out, "# EOF")
}

/// `openmetrics DAYS [END]`: loadavg5 of web-01 and web-02 to stdout.
pub fn main(args: &[String]) -> Result<(), String> {
    let usage = "usage: sabaplot-server openmetrics DAYS [END_EPOCH_SECONDS]";
    let days: i64 = args
        .first()
        .and_then(|d| d.parse().ok())
        .filter(|d| (1..=460).contains(d))
        .ok_or(usage)?;
    let end = match args.get(1) {
        Some(e) => e.parse().map_err(|_| usage)?,
        None => crate::clock::now(),
    };
    let metric = crate::generator::find_metric("loadavg5").ok_or("no loadavg5 metric")?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    write(&mut out, metric, &HOSTS[..2], days, end).map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_come_per_series_oldest_first_and_the_file_ends_with_eof() {
        let mut out = Vec::new();
        let metric = crate::generator::find_metric("loadavg5").unwrap();
        write(&mut out, metric, &HOSTS[..2], 1, 1_780_000_000).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "# TYPE loadavg5 gauge");
        assert_eq!(*lines.last().unwrap(), "# EOF");
        let samples = &lines[1..lines.len() - 1];
        assert!(samples.len() > 2 * 1_400, "{}", samples.len());
        assert!(samples[0].starts_with(r#"loadavg5{instance="web-01",role="web"} "#));
        let times: Vec<i64> = samples
            .iter()
            .take_while(|l| l.contains("web-01"))
            .map(|l| l.rsplit(' ').next().unwrap().parse().unwrap())
            .collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(*times.last().unwrap(), 1_780_000_000 / 60 * 60);
    }
}
