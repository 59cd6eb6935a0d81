// The browser side of `make bench`: draws the same generated 1-minute data
// with sabaplot, uPlot, ECharts and Chart.js at 1200×400 and times it. The
// runner (benches/peers.mjs) opens a fresh page for each library and series
// count and calls `window.bench.run(library, seriesCount)`.
import init, { Chart as Sabaplot } from '/pkg/sabaplot.js';

const WIDTH = 1200;
const HEIGHT = 400;
const MINUTE = 60;
const DAY = 1440 * MINUTE;
const POINTS = 460 * 1440;
const START = 1_700_006_400; // a UTC midnight
const END = START + (POINTS - 1) * MINUTE;
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const PANS = 30;
/** Device pixels a drag moves the window by each frame. */
const DRAG_PIXELS = 40;

/** One-minute spikes in series 0, far outside the other values. */
const SPIKES = [
  { index: 100_000, value: 400 },
  { index: POINTS - 4 * 1440 - 300, value: 400 },
  { index: POINTS - 700, value: 400 },
  { index: POINTS - 300, value: -300 },
];

/** The windows each library redraws, and the spikes each must show. */
const VIEWS = {
  full: [START, END],
  '7d': [END - 7 * DAY, END],
  '1d': [END - DAY, END],
};

/** Minutes each series misses: half an hour every 30 days (none at a spike). */
const isGap = (i) => i % (30 * 1440) >= 1000 && i % (30 * 1440) < 1030;

/**
 * 460 days of 1-minute points for `count` series: daily waves and noise.
 * `input` 'typed': Float64Arrays, times in epoch seconds, no gaps (what
 * sabaplot's loader hands over); 'plain': what an embedder has after
 * JSON.parse of an API answer — `number[]` of epoch milliseconds and
 * `(number | null)[]` values, null for the missing minutes. `per` is the
 * time arrays' units per second.
 */
function generate(count, input) {
  const plain = input === 'plain';
  const per = plain ? 1000 : 1;
  const times = plain ? [] : new Float64Array(POINTS);
  for (let i = 0; i < POINTS; i++) times[i] = (START + i * MINUTE) * per;
  let seed = 0x9e3779b9;
  const random = () => {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const values = [];
  for (let s = 0; s < count; s++) {
    const v = plain ? [] : new Float64Array(POINTS);
    const base = 20 + 3 * s;
    for (let i = 0; i < POINTS; i++) {
      const value = base + 8 * Math.sin((i / 1440) * 2 * Math.PI + s) + 4 * random();
      v[i] = plain && isGap(i) ? null : value;
    }
    values.push(v);
  }
  for (const spike of SPIKES) values[0][spike.index] = spike.value;
  return { times, values, per };
}

/** Resolves after the browser has produced the next frame. */
function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(0);
  }));
}

let wasm;
let current;

/** sabaplot with the options `style(seriesCount)` adds. */
async function sabaplot(host, { times, values, per }, style) {
  const began = performance.now();
  wasm ??= await init();
  // Loading the module (compiling it, and its start: the browser's time
  // zone) happens once a page, before any data: reported beside the first
  // frame, not inside it.
  const initMs = performance.now() - began;
  const canvas = document.createElement('canvas');
  host.append(canvas);
  let chart;
  let dataBytes;
  return {
    create() {
      const before = wasm.memory.buffer.byteLength;
      chart = new Sabaplot(canvas, { legend: false, timeUnit: per === 1000 ? 'ms' : 's', ...style(values.length) });
      // One times array for every series, as uPlot is given the data.
      chart.setSeriesColumns(values.map((_, i) => `s${i}`), times, values);
      // What the data itself takes, apart from the module's own memory and
      // the page's one raster of the canvas' size (made by the first draw).
      dataBytes = wasm.memory.buffer.byteLength - before;
      chart.draw();
    },
    show(from, to) {
      chart.setRange(from, to);
      chart.draw();
    },
    at(t, v) {
      // The frame is in CSS pixels: its device pixels, edges included.
      const { plot, ratio, columns, view: [from, to], valueRange: [lo, hi] } = chart.describe();
      const [left, top] = [plot[0] * ratio, plot[1] * ratio];
      const bottom = plot[3] * ratio - 1;
      return [left + ((t - from) / (to - from)) * columns - 0.5, bottom - ((v - lo) / (hi - lo)) * (bottom - top)];
    },
    canvas: () => canvas,
    wasmBytes: () => wasm.memory.buffer.byteLength,
    wasmDataBytes: () => dataBytes,
    initMs,
  };
}

/**
 * Each library behind one face: `create` draws the first frame, `show`
 * draws a window (resolving once drawn), `at` maps a point to canvas device
 * pixels, `canvas` is what it drew on.
 */
const LIBRARIES = {
  sabaplot: (host, data) => sabaplot(host, data, () => ({})),
  // The same with a colour rule per series (each its own colour; series 0
  // blue, where the spike check looks), as a dashboard sets them: styling
  // must cost nothing measurable.
  'sabaplot-styled': (host, data) => sabaplot(host, data, (count) => ({
    series: Array.from({ length: count }, (_, i) => ({
      match: `s${i}`, color: i === 0 ? COLORS[0] : `#${((i * 0x2f5a3b) & 0xffffff).toString(16).padStart(6, '0')}`,
    })),
  })),

  async uplot(host, { times, values, per }) {
    let u;
    let drawn = null;
    return {
      create() {
        const opts = {
          width: WIDTH, height: HEIGHT, legend: { show: false }, cursor: { show: false },
          // uPlot's `ms`: the x values' seconds per unit.
          ms: 1 / per, scales: { x: { time: true } },
          series: [{}, ...values.map((_, i) => ({ stroke: COLORS[i % COLORS.length], width: 1, points: { show: false } }))],
          hooks: { draw: [() => drawn?.()] },
        };
        u = new uPlot(opts, [times, ...values], host);
      },
      show(from, to) {
        // uPlot draws in a microtask after setScale; wait for its draw hook.
        const done = new Promise((resolve) => { drawn = resolve; });
        u.setScale('x', { min: from * per, max: to * per });
        return done;
      },
      at: (t, v) => [u.valToPos(t * per, 'x', true), u.valToPos(v, 'y', true)],
      canvas: () => u.ctx.canvas,
    };
  },

  async echarts(host, { times, values, per }) {
    let chart;
    const ratio = devicePixelRatio;
    return {
      create() {
        chart = echarts.init(host, null, { renderer: 'canvas', width: WIDTH, height: HEIGHT });
        const source = { t: times };
        values.forEach((v, i) => { source[`s${i}`] = v; });
        chart.setOption({
          animation: false,
          grid: { left: 48, right: 16, top: 16, bottom: 28 },
          dataset: { source },
          xAxis: { type: 'value', scale: true, min: 'dataMin', max: 'dataMax' },
          yAxis: { type: 'value', scale: true },
          dataZoom: [{ type: 'inside', filterMode: 'filter', startValue: START * per, endValue: END * per }],
          series: values.map((_, i) => ({
            type: 'line', encode: { x: 't', y: `s${i}` }, sampling: 'lttb', showSymbol: false,
            lineStyle: { width: 1, color: COLORS[i % COLORS.length] }, animation: false,
          })),
        });
      },
      show(from, to) {
        chart.dispatchAction({ type: 'dataZoom', startValue: from * per, endValue: to * per }, { flush: true });
      },
      at(t, v) {
        const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [t * per, v]);
        return [x * ratio, y * ratio];
      },
      canvas: () => host.querySelector('canvas'),
    };
  },

  async chartjs(host, { times, values, per }) {
    const canvas = document.createElement('canvas');
    canvas.width = WIDTH;
    canvas.height = HEIGHT;
    host.append(canvas);
    let chart;
    return {
      create() {
        // Decimation needs parsing off, so the data must be {x, y} objects.
        const datasets = values.map((v, i) => {
          const data = new Array(POINTS);
          for (let k = 0; k < POINTS; k++) data[k] = { x: times[k], y: v[k] };
          return { data, borderColor: COLORS[i % COLORS.length], borderWidth: 1, pointRadius: 0 };
        });
        chart = new Chart(canvas, {
          type: 'line',
          data: { datasets },
          options: {
            animation: false, responsive: false, parsing: false, normalized: true, events: [],
            plugins: { decimation: { enabled: true, algorithm: 'min-max' }, legend: { display: false }, tooltip: { enabled: false } },
            scales: { x: { type: 'linear', min: START * per, max: END * per }, y: { type: 'linear' } },
          },
        });
      },
      show(from, to) {
        chart.options.scales.x.min = from * per;
        chart.options.scales.x.max = to * per;
        chart.update('none');
      },
      at: (t, v) => [chart.scales.x.getPixelForValue(t * per) * devicePixelRatio, chart.scales.y.getPixelForValue(v) * devicePixelRatio],
      canvas: () => canvas,
    };
  },
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Times `show(window)` until `reps` runs or `budgetMs` have passed (at least 3). */
async function timeShows(lib, windows, reps, budgetMs) {
  const js = [];
  const frame = [];
  const began = performance.now();
  for (let i = 0; i < reps; i++) {
    const [from, to] = windows(i);
    const t0 = performance.now();
    await lib.show(from, to);
    const t1 = performance.now();
    await nextFrame();
    const t2 = performance.now();
    js.push(t1 - t0);
    frame.push(t2 - t0);
    if (i >= 2 && performance.now() - began > budgetMs) break;
  }
  return { jsMedianMs: median(js), frameMedianMs: median(frame), jsMeanMs: mean(js), frameMeanMs: mean(frame), runs: js.length };
}

/** Whether every spike inside [from, to] has ink of series 0's colour at its tip. */
function spikesVisible(lib, from, to) {
  const canvas = lib.canvas();
  const ctx = canvas.getContext('2d');
  const results = [];
  for (const spike of SPIKES) {
    const t = START + spike.index * MINUTE;
    if (t < from || t > to) continue;
    const [x, y] = lib.at(t, spike.value);
    const r = 3;
    const x0 = Math.max(0, Math.round(x) - r);
    const y0 = Math.max(0, Math.round(y) - r);
    const pixels = ctx.getImageData(x0, y0, 2 * r + 1, 2 * r + 1).data;
    let ink = false;
    for (let k = 0; k < pixels.length; k += 4) {
      const [red, green, blue] = [pixels[k], pixels[k + 1], pixels[k + 2]];
      if (blue > 110 && blue - red > 50 && blue - green > 15) ink = true;
    }
    results.push(ink);
  }
  return results;
}

function heapBytes() {
  globalThis.gc?.();
  return performance.memory?.usedJSHeapSize ?? NaN;
}

window.bench = {
  /** The first frame alone (a page runs it once: the first-use costs are in). */
  async first(name, count, input = 'typed') {
    const data = generate(count, input);
    const lib = await LIBRARIES[name](document.getElementById('host'), data);
    // The garbage of generating the data is collected first, as before the
    // other measurements: otherwise whichever library's first frame the
    // collector happens to run in pays for it.
    heapBytes();
    const t0 = performance.now();
    await lib.create();
    const t1 = performance.now();
    await nextFrame();
    return { jsMs: t1 - t0, frameMs: performance.now() - t0 };
  },

  async run(name, count, input = 'typed', { reps = 15, budgetMs = 4000 } = {}) {
    const host = document.getElementById('host');
    const data = generate(count, input);
    const lib = current = await LIBRARIES[name](host, data);
    const heapBefore = heapBytes();
    const t0 = performance.now();
    await lib.create();
    const t1 = performance.now();
    await nextFrame();
    const t2 = performance.now();
    const result = {
      library: name, series: count, input, points: POINTS,
      firstFrame: { jsMs: t1 - t0, frameMs: t2 - t0 },
      redraw: {}, spikes: {},
    };
    for (const [view, [from, to]] of Object.entries(VIEWS)) {
      // The window's start alternates by one minute, so each redraw thins
      // and rescales afresh: a window of another length keeps nothing of
      // the last frame (one moved by a minute, less than a column, would be
      // drawn as it was).
      result.redraw[view] = await timeShows(lib, (i) => [from - (i % 2) * MINUTE, to], reps, budgetMs);
      await lib.show(from, to);
      await nextFrame();
      result.spikes[view] = spikesVisible(lib, from, to);
    }
    const panStart = END - 60 * DAY;
    result.pan = await timeShows(lib, (i) => [panStart + i * DAY, panStart + i * DAY + 30 * DAY], PANS, Infinity);
    // A pointer drag: the window moves by whole pixels of the library's own
    // plot, 40 a frame (about a day).
    await lib.show(panStart, panStart + 30 * DAY);
    const plotPixels = lib.at(panStart + 30 * DAY, 0)[0] - lib.at(panStart, 0)[0];
    const perFrame = (DRAG_PIXELS * 30 * DAY) / Math.round(plotPixels);
    result.drag = await timeShows(lib, (i) => [panStart + (i + 1) * perFrame, panStart + (i + 1) * perFrame + 30 * DAY], PANS, Infinity);
    result.heapBytes = heapBytes() - heapBefore;
    result.wasmBytes = lib.wasmBytes?.() ?? 0;
    if (lib.wasmDataBytes) result.wasmDataBytes = lib.wasmDataBytes();
    if (lib.initMs !== undefined) result.initMs = lib.initMs;
    return result;
  },
  /** Shows one of the timed windows again, for a screenshot. */
  async show(view) {
    await current.show(...VIEWS[view]);
    await nextFrame();
  },
};
window.benchReady = true;
