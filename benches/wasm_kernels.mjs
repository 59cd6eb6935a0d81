// Times the engine kernels compiled to wasm (benches/wasm) in Node, on the
// same data as the native criterion benches. `make bench-wasm`.
// Prints one line per kernel: median time per call over RUNS batches, and
// the targets the engine is held to.
import { performance } from 'node:perf_hooks';

const bench = await import('../target/bench-wasm/sabaplot_bench_wasm.js');

const RUNS = Number(process.env.RUNS ?? 9);
const POINTS = 460 * 1440;

bench.prepare();
const rows = [];
for (const name of bench.kernels()) {
  // Calls per batch: enough for a batch to take ~20 ms.
  let calls = 1;
  for (;;) {
    const t0 = performance.now();
    bench.run(name, calls);
    if (performance.now() - t0 > 20 || calls >= 1 << 20) break;
    calls *= 2;
  }
  const perCall = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const checksum = bench.run(name, calls);
    perCall.push((performance.now() - t0) / calls);
    if (Number.isNaN(checksum)) throw new Error(`kernel ${name} failed`);
  }
  perCall.sort((a, b) => a - b);
  const ms = perCall[Math.floor(RUNS / 2)];
  rows.push({ name, ms });
}

const fmt = (ms) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`);
const targets = {
  build_summary: (ms) => `${(POINTS / ms / 1000).toFixed(0)} M points/s (target ≥ 150)`,
  m4_full_range: (ms) => `target ≤ 100 µs: ${ms <= 0.1 ? 'met' : 'MISSED'}`,
  m4_90_days: (ms) => `target ≤ 100 µs: ${ms <= 0.1 ? 'met' : 'MISSED'}`,
  m4_30_days: (ms) => `target ≤ 100 µs: ${ms <= 0.1 ? 'met' : 'MISSED'}`,
  m4_7_days: (ms) => `target ≤ 100 µs: ${ms <= 0.1 ? 'met' : 'MISSED'}`,
  m4_1_day: (ms) => `target ≤ 100 µs: ${ms <= 0.1 ? 'met' : 'MISSED'}`,
};
console.log(`wasm kernels in Node ${process.version}, ${POINTS} points, median of ${RUNS} batches`);
for (const { name, ms } of rows) {
  console.log(`${name.padEnd(24)} ${fmt(ms).padStart(10)}  ${targets[name]?.(ms) ?? ''}`);
}
const bytes = bench.bytes_per_point();
console.log(`memory: ${bytes.toFixed(3)} bytes a point (target ≤ ${(8 * 1.15).toFixed(1)})`);
