// The demo host page: one metric of one host, loaded by the package's loader
// from the (Mackerel-compatible) demo API: the coarse picture first, then
// 1-minute chunks of about 20 hours each. Errors are shown as text; when a
// load brings nothing, the chart keeps what it showed before.
import init, { Chart } from '/pkg/sabaplot.js';
import { Loader } from '/pkg/loader.js';

const UNITS = { 'loadavg5': 'float', 'cpu.user.percentage': 'percentage', 'memory.used': 'bytes' };
const RANGES = { '1d': 86400, '7d': 7 * 86400, '30d': 30 * 86400, '460d': 460 * 86400 };

const $ = (id) => document.getElementById(id);
const ui = { form: $('controls'), host: $('host'), metric: $('metric'), range: $('range'),
  status: $('status'), error: $('error'), canvas: $('chart') };

// What tests and curious users can read: state, last timings, last error.
const page = window.__sabaplot = { state: 'starting', timings: null, error: null, loads: 0 };

let chart;
let loader = null;
let loadId = 0;

function showError(message) {
  ui.error.textContent = message; // text, never HTML
  ui.error.hidden = false;
  ui.status.textContent = 'Load failed; the chart still shows the previous data.';
  page.error = message;
  page.state = 'error';
}

async function loadHosts() {
  const response = await fetch('/api/v0/hosts');
  const { hosts } = await response.json();
  for (const h of hosts) {
    const option = document.createElement('option');
    option.value = h.id;
    option.textContent = h.name;
    ui.host.append(option);
  }
}

async function load() {
  const id = ++loadId;
  const hostId = ui.host.value;
  const hostName = ui.host.selectedOptions[0]?.textContent ?? hostId;
  const metric = ui.metric.value.trim();
  const seconds = RANGES[ui.range.value] ?? RANGES['460d'];
  const to = Math.floor(Date.now() / 60_000) * 60;
  const from = to - seconds + 60;
  history.replaceState(null, '', `?${new URLSearchParams({ host: hostId, metric, range: ui.range.value })}`);
  page.state = 'loading';
  ui.status.textContent = `Loading ${metric} of ${hostName}…`;
  loader?.abort();
  loader = new Loader(chart, { source: { api: 'mackerel', series: [{ name: metric, host: hostId, metric }] },
    onBegin: () => {
      chart.setOptions({ title: `${hostName} · ${metric}`, unit: UNITS[metric] ?? 'float' });
      chart.setRange(from, to);
    } });
  // The plot's pixel columns (device pixels, as the chart draws them).
  const width = chart.describe()?.columns ?? 1200;
  const result = await loader.load({ from, to, width, replace: true });
  if (result.aborted || id !== loadId) return;
  if (!result.replaced) {
    const first = result.errors[0]?.replace(/^.*?: /, '') ?? 'the API answered with no data points';
    return showError(`${hostName} · ${metric}: ${first}`);
  }
  chart.setRange(from, to);
  const t0 = performance.now();
  chart.draw();
  const drawMs = performance.now() - t0;
  await new Promise(requestAnimationFrame);
  if (result.errors.length > 0) {
    ui.error.textContent = `${result.errors.length} of ${result.requests} requests failed; the hatched stretches are not loaded. ${result.errors[0]}`;
    ui.error.hidden = false;
  } else {
    ui.error.hidden = true;
  }
  page.error = null;
  const { points, bytes, requests, parseMs, firstPictureMs, totalMs } = result;
  page.timings = { points, bytes, requests, parseMs, firstPictureMs, totalMs, drawMs };
  const size = bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.ceil(bytes / 1e3)} kB`;
  ui.status.textContent = `${points.toLocaleString('en')} points (${size} in ${requests} requests): ` +
    `first picture in ${firstPictureMs?.toFixed(0)} ms, all in ${totalMs.toFixed(0)} ms; drawn in ${drawMs.toFixed(1)} ms.`;
  page.loads += 1;
  page.state = 'drawn';
}

async function main() {
  const wasm = await init();
  page.wasmMemoryBytes = () => wasm.memory.buffer.byteLength;
  chart = page.chart = new Chart(ui.canvas, { title: 'sabaplot' });
  chart.draw();
  await loadHosts();
  const params = new URLSearchParams(location.search);
  if (params.has('host')) ui.host.value = params.get('host');
  if (params.has('metric')) ui.metric.value = params.get('metric');
  if (params.has('range') && RANGES[params.get('range')]) ui.range.value = params.get('range');
  ui.form.addEventListener('submit', (event) => { event.preventDefault(); load(); });
  await load();
}

main().catch((e) => showError(`sabaplot could not start: ${e.message}`));
