//! Writes the bench data and sabaplot's downsampling results and timings
//! for `benches/tsdownsample_compare.py`, which runs tsdownsample on the
//! same bytes in the same session. Usage:
//! `cargo bench --bench downsample_compare -- OUT_DIR`.

use std::hint::black_box;
use std::time::Instant;
use std::{env, fs, io, path::Path};

use sabaplot::downsample;

#[path = "kernels.rs"]
#[allow(dead_code)]
mod kernels;

/// Runs per algorithm; the median is reported.
const RUNS: usize = 25;

type Thin = fn(&[f64], &[f64]) -> Result<Vec<usize>, downsample::Error>;

fn write_f64(path: &Path, v: &[f64]) -> io::Result<()> {
    fs::write(
        path,
        v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>(),
    )
}

fn main() -> io::Result<()> {
    let Some(out) = env::args().skip(1).find(|a| !a.starts_with("--")) else {
        eprintln!("usage: cargo bench --bench downsample_compare -- OUT_DIR");
        std::process::exit(2);
    };
    let out = Path::new(&out);
    fs::create_dir_all(out)?;
    let data = kernels::data();
    // tsdownsample does not skip NaN, so compare on data without gaps:
    // each missing minute takes the value before it.
    let mut y = data.values.clone();
    for i in 1..y.len() {
        if y[i].is_nan() {
            y[i] = y[i - 1];
        }
    }
    let x = data.times.clone();
    write_f64(&out.join("x.f64"), &x)?;
    write_f64(&out.join("y.f64"), &y)?;
    let w = kernels::WIDTH;
    let algorithms: [(&str, usize, Thin); 4] = [
        ("m4", 4 * w, |x, y| downsample::m4(x, y, 4 * kernels::WIDTH)),
        ("minmax", 2 * w, |x, y| {
            downsample::minmax(x, y, 2 * kernels::WIDTH)
        }),
        ("lttb", w, |x, y| downsample::lttb(x, y, kernels::WIDTH)),
        ("minmax_lttb", w, |x, y| {
            downsample::minmax_lttb(x, y, kernels::WIDTH, 4)
        }),
    ];
    let mut timings = Vec::new();
    for (name, n_out, thin) in algorithms {
        let indices = thin(&x, &y).expect("bench data is valid");
        let mut times: Vec<f64> = (0..RUNS)
            .map(|_| {
                let t0 = Instant::now();
                black_box(thin(black_box(&x), black_box(&y)).ok());
                t0.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let bytes: Vec<u8> = indices
            .iter()
            .flat_map(|&i| (i as u64).to_le_bytes())
            .collect();
        fs::write(out.join(format!("{name}.u64")), bytes)?;
        timings.push(format!(
            "\"{name}\": {{\"n_out\": {n_out}, \"ms\": {}}}",
            times[RUNS / 2]
        ));
    }
    fs::write(
        out.join("sabaplot.json"),
        format!("{{{}}}\n", timings.join(", ")),
    )?;
    println!(
        "wrote {} points and 4 results to {}",
        x.len(),
        out.display()
    );
    Ok(())
}
