// `ChartImage`, the chart without a page: the README's Node example, run by
// `node` against the demo server with the packed package in a node_modules
// of its own, writes the very SVG the same data gives in this process; in
// Chromium, a module worker (no document) renders one too, and draws on an
// OffscreenCanvas whose pixels it reads back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverAndBrowser, openPage, root, NOW, servedMinutes, servedPrometheus } from './harness.mjs';

const context = serverAndBrowser();
const VERSION = /^version = "([^"]+)"/m.exec(readFileSync(join(root, 'Cargo.toml'), 'utf8'))[1];
const WEB_01 = '3yAYEDLXKL5';

/** The README's Node example: the ```js block that starts with "// Node:". */
function readmeNodeExample() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]).find((b) => b.startsWith('// Node:'));
  assert.ok(block, 'README.md has a ```js block starting "// Node:"');
  return block;
}

test("the README's Node example renders the demo API's data to the same SVG as the package in this process", async () => {
  const dir = join(root, 'target/node-example');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'node_modules/sabaplot'), { recursive: true });
  execFileSync('tar', ['xzf', join(root, `target/sabaplot-${VERSION}.tgz`), '-C', join(dir, 'node_modules/sabaplot'), '--strip-components=1']);
  // The demo's clock, as the browser's is pinned to it in the other tests.
  writeFileSync(join(dir, 'example.mjs'), `Date.now = () => ${NOW * 1000};\n${readmeNodeExample()}`);
  execFileSync(process.execPath, ['example.mjs'], { cwd: dir, env: { ...process.env, METRICS_API: context.server.url.replace(/\/$/, '') } });
  const svg = readFileSync(join(dir, 'web-01.svg'), 'utf8');

  // The same minutes, handed over as arrays here.
  const pkg = await import(join(dir, 'node_modules/sabaplot/sabaplot.js'));
  pkg.initSync({ module: readFileSync(join(dir, 'node_modules/sabaplot/sabaplot_bg.wasm')) });
  const to = Math.floor(NOW / 60) * 60;
  const from = to - 6 * 3_600 + 60;
  const points = await servedMinutes(context.server.url, WEB_01, 'loadavg5', from, to);
  assert.ok(points.length > 300, `${points.length} minutes served`);
  const chart = new pkg.ChartImage({ title: 'web-01 · loadavg5', timeZone: 'UTC' });
  chart.setSeriesArrays('loadavg5', points.map((p) => p.time), points.map((p) => p.value));
  chart.setRange(from, to);
  assert.equal(svg, chart.toSvg(800, 300), 'the example drew what the API served');
  assert.equal(chart.legend()[0].count, points.length);
  assert.match(svg, /^<svg width="800" height="300"/);
  assert.ok(svg.includes('web-01 · loadavg5') && /<(path|polyline)/.test(svg));
  assert.ok(!svg.includes('1970'));
  // Bad input is an error that says what is wrong, as in the browser.
  assert.throws(() => chart.toSvg(0, 300), /imageSide/);
  assert.throws(() => chart.setRange(to, from), /from/);
  assert.throws(() => new pkg.ChartImage({ unit: 'furlongs' }), /unit/);
  chart.free();
});

test('sabaplot-render draws what the API serves: its SVG is the one ChartImage makes of the same minutes', async () => {
  const dir = join(root, 'target/node-example');
  mkdirSync(dir, { recursive: true });
  const to = Math.floor(NOW / 60) * 60;
  const from = to - 6 * 3_600 + 60;
  const out = join(dir, 'rendered.svg');
  const run = (args) => execFileSync(join(root, 'target/release/sabaplot-render'), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  run(['--api', 'mackerel', '--base-url', context.server.url, '--host', WEB_01, '--metric', 'loadavg5',
    '--range', '6h', '--to', String(NOW), '--title', 'web-01 · loadavg5', '--width', '800', '--height', '300', '--out', out]);
  const pkg = await import(join(root, 'pkg/sabaplot.js'));
  pkg.initSync({ module: readFileSync(join(root, 'pkg/sabaplot_bg.wasm')) });
  const points = await servedMinutes(context.server.url, WEB_01, 'loadavg5', from, to);
  const chart = new pkg.ChartImage({ title: 'web-01 · loadavg5', timeZone: 'UTC', legend: false });
  chart.setSeriesArrays('loadavg5', points.map((p) => p.time), points.map((p) => p.value));
  chart.setRange(from, to);
  assert.equal(readFileSync(out, 'utf8'), chart.toSvg(800, 300));
  chart.free();
  // And a PNG of the Prometheus role query, with the number of points the API serves.
  const png = join(dir, 'role.png');
  const role = spawnSync(join(root, 'target/release/sabaplot-render'), ['--api', 'prometheus', '--base-url', context.server.url,
    '--query', 'loadavg5{role="db"}', '--range', '2d', '--to', String(NOW), '--theme', 'dark', '--out', png], { encoding: 'utf8' });
  assert.equal(role.status, 0, role.stderr);
  const served = await servedPrometheus(context.server.url, 'loadavg5{role="db"}', to - 2 * 86_400 + 60, to);
  assert.match(role.stderr, new RegExp(`: ${served} points drawn in \\d+ ms`));
  assert.equal(readFileSync(png).subarray(1, 4).toString(), 'PNG');
  // A metric the host lacks: the API's own words, and no file.
  const missing = spawnSync(join(root, 'target/release/sabaplot-render'), ['--api', 'mackerel', '--base-url', context.server.url,
    '--host', WEB_01, '--metric', 'no.such.metric', '--to', String(NOW), '--out', join(dir, 'missing.png')], { encoding: 'utf8' });
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /HTTP 404: Metric Not Found: no\.such\.metric/);
});

test('in a worker, with no document, ChartImage renders an SVG and draws on an OffscreenCanvas', async () => {
  const { page, problems } = await openPage(context.browser);
  await page.goto(`${context.server.url}embed.html?manual`);
  const seen = await page.evaluate(async () => {
    const code = `
      const pkg = await import('${location.origin}/pkg/sabaplot.js');
      await pkg.default();
      const times = Float64Array.from({ length: 1440 }, (_, k) => 1.7e9 + 60 * k);
      const chart = new pkg.ChartImage({ title: 'from a worker', timeZone: 'UTC', theme: 'dark' });
      chart.setSeriesArrays('load', times, times.map((_, k) => 2 + Math.sin(k / 90)));
      const svg = chart.toSvg(640, 240);
      // And on an OffscreenCanvas, whose pixels are read back here.
      const canvas = new OffscreenCanvas(640, 240);
      const frame = chart.drawOn(canvas, 1);
      const pixels = canvas.getContext('2d').getImageData(0, 0, 640, 240).data;
      let line = 0, dark = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        if (pixels[i + 2] > 100 && pixels[i + 2] - pixels[i] > 60) line++;
        if (pixels[i] + pixels[i + 1] + pixels[i + 2] < 150) dark++;
      }
      postMessage({ svg, count: chart.legend()[0].count, document: typeof document, frame, line, dark });
      chart.free();`;
    const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    const worker = new Worker(url, { type: 'module' });
    const answer = await new Promise((resolve, reject) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = (e) => reject(new Error(e.message));
    });
    worker.terminate();
    return answer;
  });
  assert.equal(seen.document, 'undefined');
  assert.equal(seen.count, 1_440);
  assert.match(seen.svg, /^<svg width="640" height="240"/);
  assert.ok(seen.svg.includes('from a worker') && /<(path|polyline)/.test(seen.svg));
  assert.equal(seen.frame.pointsInView, 1_440);
  assert.ok(seen.frame.timeLabels.length > 3, seen.frame.timeLabels.join(' '));
  assert.ok(seen.line > 500, `${seen.line} pixels of the line on the OffscreenCanvas`);
  assert.ok(seen.dark > 640 * 240 / 2, 'the dark theme\'s background');
  assert.deepEqual(problems, []);
  await page.close();
});
