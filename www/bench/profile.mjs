// `make bench-profile`: where sabaplot's time goes, for the work on speed.
// 1. The first frame in phases — module load, `new Chart`, handing over the
//    data (conversion, copy, grid, summary), the first draw and a redraw —
//    for 1 and 32 series × 662,400 minutes, from typed and from plain arrays,
//    each on a fresh page (so the first-use costs are in).
// 2. CPU profiles of 30 pans of a 30-day window at 32 series, by a day a
//    frame and as a drag moves it (40 whole columns a frame): self time per
//    function, wasm functions by name (the Makefile builds a copy of the
//    package that keeps the wasm's name section for this).
// Writes target/bench/profile.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { launchBrowser, root } from '../tests/harness.mjs';

const ORIGIN = 'http://profile.localhost';
const PKG = join(root, 'target/bench/pkg-names');
const OUT = join(root, 'target/bench');
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm' };
const browser = await launchBrowser(['--disable-gpu-vsync', '--disable-frame-rate-limit']);
const lines = [];
const say = (line) => { console.log(line); lines.push(line); };

async function freshPage() {
  const page = await browser.newPage({ viewport: { width: 1240, height: 440 } });
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = normalize(new URL(route.request().url()).pathname);
    if (path === '/') {
      return route.fulfill({ body: '<canvas id=c style="width:1200px;height:400px"></canvas>', contentType: 'text/html' });
    }
    if (!path.startsWith('/pkg/')) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ path: join(PKG, path.slice(5)), contentType: TYPES[extname(path)] });
  });
  await page.goto(`${ORIGIN}/`);
  return page;
}

/** The data as the bench generates it, then each phase of the first frame. */
const phases = (page, count, input) => page.evaluate(async ([count, input]) => {
  const N = 662_400;
  const START = 1_700_006_400;
  const plain = input === 'plain';
  const per = plain ? 1000 : 1;
  const times = plain ? [] : new Float64Array(N);
  for (let i = 0; i < N; i++) times[i] = (START + i * 60) * per;
  const values = [];
  for (let s = 0; s < count; s++) {
    const v = plain ? [] : new Float64Array(N);
    for (let i = 0; i < N; i++) {
      const gap = plain && i % 43_200 >= 1000 && i % 43_200 < 1030;
      v[i] = gap ? null : 20 + 3 * s + 8 * Math.sin(i / 229 + s) + 4 * ((i * 7919) % 97) / 97;
    }
    values.push(v);
  }
  const t = [performance.now()];
  const pkg = await import('/pkg/sabaplot.js');
  await pkg.default();
  t.push(performance.now());
  const chart = new pkg.Chart(document.getElementById('c'), { legend: false, timeUnit: plain ? 'ms' : 's' });
  t.push(performance.now());
  chart.setSeriesColumns(values.map((_, k) => `s${k}`), times, values);
  t.push(performance.now());
  chart.draw();
  t.push(performance.now());
  chart.setRange(START, START + (N - 2) * 60);
  chart.draw();
  t.push(performance.now());
  window.chart = chart;
  window.END = START + (N - 1) * 60;
  return t.slice(1).map((x, k) => x - t[k]);
}, [count, input]);

mkdirSync(OUT, { recursive: true });
try {
  say('# Where the time goes (one run each, fresh page; ms)');
  say('');
  say('| series | input | module load | new Chart | hand over the data | first draw | a redraw |');
  say('|---:|---|---:|---:|---:|---:|---:|');
  for (const count of [1, 32]) {
    for (const input of ['typed', 'plain']) {
      const page = await freshPage();
      const ms = await phases(page, count, input);
      say(`| ${count} | ${input} | ${ms.map((x) => x.toFixed(1)).join(' | ')} |`);
      await page.close();
    }
  }

  const page = await freshPage();
  await phases(page, 32, 'typed');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  // By a day a frame (not whole columns: every column drawn), then as a
  // drag moves it, 40 columns a frame (the lines moved, the rest drawn).
  for (const [title, move] of [['30 pans of a 30-day window by a day', 'day'], ['30 drags of a 30-day window by 40 columns', 'drag']]) {
    await cdp.send('Profiler.start');
    const [js, frame] = await page.evaluate(async (move) => {
      const DAY = 86_400;
      const start = window.END - 60 * DAY;
      const step = move === 'day' ? DAY : (40 * 30 * DAY) / window.chart.describe().columns;
      let inCall = 0;
      let toFrame = 0;
      for (let i = 0; i < 30; i++) {
        const t0 = performance.now();
        window.chart.setRange(start + i * step, start + i * step + 30 * DAY);
        window.chart.draw();
        inCall += performance.now() - t0;
        await new Promise((resolve) => requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = resolve;
          channel.port2.postMessage(0);
        }));
        toFrame += performance.now() - t0;
      }
      return [inCall / 30, toFrame / 30];
    }, move);
    const { profile } = await cdp.send('Profiler.stop');
    const sampled = new Map();
    profile.samples.forEach((id, k) => sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas[k] ?? 0)));
    const self = new Map();
    for (const node of profile.nodes) {
      const name = (node.callFrame.functionName || '(anonymous)').replace(/::h[0-9a-f]{16}$/, '');
      self.set(name, (self.get(name) ?? 0) + (sampled.get(node.id) ?? 0));
    }
    say('');
    say(`## ${title}, 32 series: ${js.toFixed(1)} ms in the call, ${frame.toFixed(1)} ms to the next frame (means)`);
    say('');
    say('| self time per frame, ms | function |');
    say('|---:|---|');
    const busy = [...self.entries()].filter(([name]) => !['(idle)', '(program)', '(garbage collector)'].includes(name));
    for (const [name, us] of busy.sort((a, b) => b[1] - a[1]).slice(0, 20)) {
      say(`| ${(us / 1000 / 30).toFixed(2)} | \`${name}\` |`);
    }
  }
  await page.close();
} finally {
  await browser.close();
}
writeFileSync(join(OUT, 'profile.md'), `${lines.join('\n')}\n`);
