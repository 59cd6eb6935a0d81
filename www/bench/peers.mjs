// `make bench`: sabaplot, uPlot, ECharts (LTTB sampling) and Chart.js
// (min-max decimation) draw the same generated data — 1, 8 and 32 series ×
// 662,400 one-minute points at 1200×400 — in one headless Chromium run.
// Each library gets the data as typed arrays (Float64Array, epoch seconds)
// and as plain arrays (number[] of epoch milliseconds and (number | null)[]
// values, as JSON.parse gives them), each conversion it needs counted in
// its first frame. Each library, series count and input gets a fresh page.
// Writes target/bench/peers.{json,md} and screenshots, and prints the
// table. LIBS=sabaplot,uplot SERIES=8 INPUTS=plain narrow the run. A
// first frame is drawn once a page, so it is measured on FIRST_RUNS fresh
// pages (3 unless set) and the median reported.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { launchBrowser, root } from '../tests/harness.mjs';

const ORIGIN = 'http://bench.localhost';
const LIBS = (process.env.LIBS ?? 'sabaplot,uplot,echarts,chartjs').split(',');
const SERIES = (process.env.SERIES ?? '1,8,32').split(',').map(Number);
const INPUTS = (process.env.INPUTS ?? 'typed,plain').split(',');
const FIRST_RUNS = Math.max(1, Number(process.env.FIRST_RUNS ?? 3));
const OUT = join(root, 'target/bench');
const NAMES = { sabaplot: 'sabaplot', 'sabaplot-styled': 'sabaplot, a colour rule per series', uplot: 'uPlot', echarts: 'ECharts', chartjs: 'Chart.js' };
const LIB_FILES = {
  '/lib/uPlot.iife.min.js': 'node_modules/uplot/dist/uPlot.iife.min.js',
  '/lib/uPlot.min.css': 'node_modules/uplot/dist/uPlot.min.css',
  '/lib/echarts.min.js': 'node_modules/echarts/dist/echarts.min.js',
  '/lib/chart.umd.min.js': 'node_modules/chart.js/dist/chart.umd.min.js',
};
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };

/** The file behind a bench URL path: the page, the package, or a peer library. */
function fileOf(path) {
  if (LIB_FILES[path]) return join(root, LIB_FILES[path]);
  const clean = normalize(path);
  if (clean.startsWith('/pkg/')) return join(root, clean);
  if (clean.startsWith('/bench/')) return join(root, 'www', clean);
  return null;
}

const versions = Object.fromEntries(['uplot', 'echarts', 'chart.js'].map((p) =>
  [p, JSON.parse(readFileSync(join(root, 'node_modules', p, 'package.json'))).version]));

mkdirSync(OUT, { recursive: true });
const browser = await launchBrowser(['--js-flags=--expose-gc', '--enable-precise-memory-info',
  // Frames as soon as they are ready, not at 60 Hz: the time to the next
  // frame then measures the work, not the wait for vsync.
  '--disable-gpu-vsync', '--disable-frame-rate-limit']);
const results = [];
try {
  for (const count of SERIES) {
    for (const input of INPUTS) for (const lib of LIBS) {
      process.stderr.write(`bench: ${NAMES[lib]}, ${count} series, ${input} arrays… `);
      const started = Date.now();
      const firsts = [];
      for (let k = 1; k < FIRST_RUNS; k++) {
        const page = await benchPage(lib);
        firsts.push(await page.evaluate(([l, n, i]) => window.bench.first(l, n, i), [lib, count, input]));
        await page.close();
      }
      const page = await benchPage(lib);
      const result = await page.evaluate(([l, n, i]) => window.bench.run(l, n, i), [lib, count, input]);
      firsts.push(result.firstFrame);
      result.firstFrames = firsts;
      result.firstFrame = { jsMs: median(firsts.map((f) => f.jsMs)), frameMs: median(firsts.map((f) => f.frameMs)) };
      process.stderr.write(`${((Date.now() - started) / 1000).toFixed(0)} s\n`);
      results.push(result);
      if (count === 8 && input === INPUTS[0]) {
        for (const view of ['full', '1d']) {
          await page.evaluate((v) => window.bench.show(v), view);
          await page.locator('#host').screenshot({ path: join(OUT, `${lib}-${count}-${view}.png`) });
        }
      }
      await page.close();
    }
  }
} finally {
  await browser.close();
}

/** A fresh page with the bench loaded. */
async function benchPage(lib) {
  const page = await browser.newPage({ viewport: { width: 1240, height: 440 } });
  page.on('pageerror', (e) => console.error(`${lib}: ${e.message}`));
  await page.route(`${ORIGIN}/**`, (route) => {
    const file = fileOf(new URL(route.request().url()).pathname);
    if (!file) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ path: file, contentType: TYPES[extname(file)] ?? 'application/octet-stream' });
  });
  await page.goto(`${ORIGIN}/bench/peers.html`);
  await page.waitForFunction(() => window.benchReady === true);
  return page;
}

function median(xs) {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

writeFileSync(join(OUT, 'peers.json'), JSON.stringify({ versions, results }, null, 2));
const table = report(results);
writeFileSync(join(OUT, 'peers.md'), table);
console.log(table);

function report(rows) {
  const ms = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const mib = (b) => (Number.isFinite(b) ? (b / 2 ** 20).toFixed(0) : '?');
  const spikes = (r) => Object.entries(r.spikes)
    .map(([view, seen]) => `${view} ${seen.filter(Boolean).length}/${seen.length}`).join(', ');
  const lines = [
    `Peers: uPlot ${versions.uplot}, ECharts ${versions.echarts} (sampling: 'lttb'), Chart.js ${versions['chart.js']} (decimation: min-max).`,
    `Medians in ms (first frames: of ${FIRST_RUNS} fresh pages); "js" is the time inside the call, "frame" the time until the next frame was produced.`,
    '',
    '"typed": Float64Arrays of epoch seconds; "plain": number[] of epoch ms and (number | null)[] values with half an hour missing every 30 days, as JSON.parse gives them (any conversion a library needs is inside its first frame).',
    '',
    '"30-day pan": the window moved a day a frame; "30-day drag": moved by 40 pixels of the library\'s own plot a frame, as a pointer drag moves it (whole pixels).',
    '',
    '| series | input | library | first frame js / frame | full range js / frame | 7 days js / frame | 1 day js / frame | 30-day pan mean js / frame | 30-day drag mean js / frame | JS heap MiB | wasm MiB | spikes seen |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    lines.push(`| ${r.series} | ${r.input} | ${NAMES[r.library]} | ${ms(r.firstFrame.jsMs)} / ${ms(r.firstFrame.frameMs)} | `
      + `${Object.values(r.redraw).map((d) => `${ms(d.jsMedianMs)} / ${ms(d.frameMedianMs)}`).join(' | ')} | `
      + `${ms(r.pan.jsMeanMs)} / ${ms(r.pan.frameMeanMs)} (${r.pan.runs}) | ${ms(r.drag.jsMeanMs)} / ${ms(r.drag.frameMeanMs)} (${r.drag.runs}) | `
      + `${mib(r.heapBytes)} | ${mib(r.wasmBytes)} | ${spikes(r)} |`);
  }
  const inits = rows.filter((r) => r.initMs !== undefined).map((r) => `${ms(r.initMs)} ms (${r.series} series)`);
  if (inits.length) {
    lines.push('', `sabaplot's module load (compile, instantiate, start), once a page and before any data, not in the first frame: ${inits.join(', ')}.`);
  }
  lines.push('', 'Ratios: peer time / sabaplot time (above 1 means sabaplot is faster).', '');
  lines.push('| series | input | peer | first frame js | first frame | full range js | full range | 7 days | 1 day | pan js | pan frame | drag js | drag frame |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const ratio = (a, b) => `${(a / b).toFixed(1)}×`;
  const sabaplotOf = (r) => rows.find((x) => x.library === 'sabaplot' && x.series === r.series && x.input === r.input);
  for (const r of rows.filter((x) => x.library !== 'sabaplot')) {
    const s = sabaplotOf(r);
    if (!s) continue;
    lines.push(`| ${r.series} | ${r.input} | ${NAMES[r.library]} | ${ratio(r.firstFrame.jsMs, s.firstFrame.jsMs)} | ${ratio(r.firstFrame.frameMs, s.firstFrame.frameMs)} | `
      + `${ratio(r.redraw.full.jsMedianMs, s.redraw.full.jsMedianMs)} | `
      + `${ratio(r.redraw.full.frameMedianMs, s.redraw.full.frameMedianMs)} | ${ratio(r.redraw['7d'].frameMedianMs, s.redraw['7d'].frameMedianMs)} | `
      + `${ratio(r.redraw['1d'].frameMedianMs, s.redraw['1d'].frameMedianMs)} | ${ratio(r.pan.jsMeanMs, s.pan.jsMeanMs)} | ${ratio(r.pan.frameMeanMs, s.pan.frameMeanMs)} | `
      + `${ratio(r.drag.jsMeanMs, s.drag.jsMeanMs)} | ${ratio(r.drag.frameMeanMs, s.drag.frameMeanMs)} |`);
  }
  lines.push('', 'Targets:', '');
  for (const s of rows.filter((x) => x.library === 'sabaplot')) {
    const limit = s.series >= 32 ? 16 : s.series >= 8 ? 8 : Infinity;
    const worst = Math.max(...Object.values(s.redraw).map((d) => d.frameMedianMs), s.pan.frameMedianMs);
    const allSeen = Object.values(s.spikes).every((seen) => seen.every(Boolean));
    const limitText = Number.isFinite(limit) ? ` (target ≤ ${limit} ms: ${worst <= limit ? 'met' : 'MISSED'})` : '';
    const perPoint = s.wasmDataBytes / (s.series * s.points);
    const wholePerPoint = s.wasmBytes / (s.series * s.points);
    lines.push(`- ${s.series} series, ${s.input} arrays: slowest redraw/pan frame median ${ms(worst)} ms${limitText}; every spike seen: ${allSeen ? 'yes' : 'NO'}; `
      + `the data takes ${perPoint.toFixed(2)} bytes a point of wasm memory (target ≤ 9.2: ${perPoint <= 9.2 ? 'met' : 'MISSED'}); `
      + `all of wasm memory, with the module's own and the canvas-sized raster: ${wholePerPoint.toFixed(2)}`);
    const u = rows.find((x) => x.library === 'uplot' && x.series === s.series && x.input === s.input);
    if (u) {
      const first = u.firstFrame.jsMs / s.firstFrame.jsMs;
      const want = s.input === 'plain' ? 1.5 : 2;
      lines.push(`- ${s.series} series, ${s.input} arrays, first frame (js) vs uPlot: ${first.toFixed(1)}× (target ≥ ${want}×: ${first >= want ? 'met' : 'MISSED'})`);
    }
    if (u && s.series === 32) {
      const full = u.redraw.full.frameMedianMs / s.redraw.full.frameMedianMs;
      const fullJs = u.redraw.full.jsMedianMs / s.redraw.full.jsMedianMs;
      lines.push(`- 32 series, full-range redraw vs uPlot: ${full.toFixed(1)}× frame, ${fullJs.toFixed(1)}× JS in the call (target ≥ 20×: ${fullJs >= 20 ? 'met' : 'MISSED'})`);
    }
    if (s.series === 32) {
      for (const [what, pan] of [['30-day pans by a day', s.pan], ['30-day drags by 40 px', s.drag]]) {
        lines.push(`- 32 series, ${s.input} arrays, ${what}: mean frame ${ms(pan.frameMeanMs)} ms (target ≤ 16.7: ${pan.frameMeanMs <= 16.7 ? 'met' : 'MISSED'}), `
          + `JS in the call ${ms(pan.jsMeanMs)} ms (target ≤ 4: ${pan.jsMeanMs <= 4 ? 'met' : 'MISSED'})`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
