//! Criterion benches of the engine kernels on 460 days of 1-minute data.
//! `cargo bench --bench engine`; targets: summary ≥ 300 M points/s,
//! memory ≤ 8 bytes a point + 15 %.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::time::Duration;

#[path = "kernels.rs"]
mod kernels;

fn engine(c: &mut Criterion) {
    let mut data = kernels::data();
    eprintln!(
        "memory: {:.3} bytes a point ({} points)",
        kernels::bytes_per_point(&data),
        kernels::POINTS
    );
    let mut group = c.benchmark_group("engine");
    group
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20);
    for name in kernels::KERNELS {
        group.throughput(Throughput::Elements(kernels::POINTS as u64));
        group.bench_function(name, |b| b.iter(|| kernels::run(name, &mut data)));
    }
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
