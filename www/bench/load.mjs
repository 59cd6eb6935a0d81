// Browser benchmark: the demo page loads 460 days of one 1-minute metric
// RUNS times; prints the median and best time from response bytes to pixels
// (wasm parse + draw), and JSON.parse + conversion to columns of the same
// bytes in the same browser for comparison. Figures, not a pass/fail test.
import { startServer, launchBrowser, waitForState } from '../tests/harness.mjs';

const RUNS = Number(process.env.RUNS ?? 7);
const server = await startServer();
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 640 } });
  await page.goto(`${server.url}?metric=loadavg5&range=460d`);
  await waitForState(page, 'drawn');
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const loads = await page.evaluate(() => window.__sabaplot.loads);
    await page.click('#load');
    await page.waitForFunction((n) => window.__sabaplot.loads > n && window.__sabaplot.state === 'drawn', loads);
    runs.push(await page.evaluate(() => window.__sabaplot.timings));
  }
  const baseline = await page.evaluate(async (count) => {
    const url = performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/metrics?')).pop();
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const times = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      const { metrics } = JSON.parse(new TextDecoder().decode(bytes));
      const time = new Float64Array(metrics.length);
      const value = new Float64Array(metrics.length);
      for (let k = 0; k < metrics.length; k++) {
        time[k] = metrics[k].time;
        value[k] = metrics[k].value ?? NaN;
      }
      times.push(performance.now() - t0);
    }
    return times;
  }, RUNS);
  const wasmMemory = await page.evaluate(() => window.__sabaplot.wasmMemoryBytes());

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const best = (xs) => Math.min(...xs);
  const { points, bytes } = runs[0];
  const row = (name, xs) => `| ${name.padEnd(38)} | ${median(xs).toFixed(1).padStart(8)} | ${best(xs).toFixed(1).padStart(8)} |`;
  console.log(`460 days of 1-minute data: ${points.toLocaleString('en')} points, ${(bytes / 1e6).toFixed(1)} MB of JSON, ${RUNS} runs`);
  console.log('| step                                   | median ms |  best ms |');
  console.log('| -------------------------------------- | -------: | -------: |');
  console.log(row('fetch (loopback)', runs.map((r) => r.fetchMs)));
  console.log(row('wasm parse → series', runs.map((r) => r.parseMs)));
  console.log(row('draw (M4 over all points)', runs.map((r) => r.drawMs)));
  console.log(row('response bytes → pixels', runs.map((r) => r.bytesToPixelsMs)));
  console.log(row('response bytes → next frame', runs.map((r) => r.bytesToNextFrameMs)));
  console.log(row('JSON.parse + columns (same bytes)', baseline));
  const parseRate = bytes / 1e6 / (median(runs.map((r) => r.parseMs)) / 1e3);
  const jsonRate = bytes / 1e6 / (median(baseline) / 1e3);
  console.log(`wasm parse ${parseRate.toFixed(0)} MB/s; JSON.parse + columns ${jsonRate.toFixed(0)} MB/s `
    + `(wasm ${(parseRate / jsonRate).toFixed(2)}× the speed); wasm memory ${(wasmMemory / 2 ** 20).toFixed(1)} MiB`);
} finally {
  await browser.close();
  server.stop();
}
