use sabaplot::Pyramid;
use std::time::Instant;
fn main() {
    let n = 662_400;
    let values: Vec<f64> = (0..n)
        .map(|i| 40.0 + 15.0 * (i as f64 * 0.0043).sin() + ((i * 7919) % 13) as f64)
        .collect();
    let mut best = f64::MAX;
    let mut total = 0;
    for _ in 0..200 {
        let t = Instant::now();
        let p = Pyramid::build(std::hint::black_box(&values));
        total += p.len();
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!("build best {:.3} ms {}", best * 1e3, total);
}
