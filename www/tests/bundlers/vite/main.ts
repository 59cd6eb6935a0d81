// Vite's vanilla-ts template, as `npm run build` checks it (tsc, then vite
// build): Vite finds the wasm through the glue's `new URL(…, import.meta.url)`.
import init, { Chart } from 'sabaplot';

async function main(): Promise<void> {
  await init();
  const element = document.querySelector<HTMLDivElement>('#chart');
  if (!element) throw new Error('the page has no #chart');
  const times = Float64Array.from({ length: 1_440 }, (_, k) => 1.7e9 + 60 * k);
  const chart = new Chart(element, { title: 'Vite', timeZone: 'UTC', legend: false });
  chart.setSeriesArrays('load', times, times.map((_, k) => 2 + Math.sin(k / 90)));
  chart.draw();
  (window as Window & { fixture?: unknown }).fixture = chart.describe();
}

main().catch((e: unknown) => console.error(e instanceof Error ? e.message : String(e)));
