// The demo host page: fetches one metric from the (Mackerel-compatible) demo
// API, hands the raw response bytes to the wasm core, and draws it. Errors are
// shown as text; the chart keeps what it showed before.
import init, { Chart, parseMackerel } from '/pkg/sabaplot.js';

const UNITS = { 'loadavg5': 'float', 'cpu.user.percentage': 'percentage', 'memory.used': 'bytes' };
const RANGES = { '1d': 86400, '7d': 7 * 86400, '30d': 30 * 86400, '460d': 460 * 86400 };

const $ = (id) => document.getElementById(id);
const ui = { form: $('controls'), host: $('host'), metric: $('metric'), range: $('range'),
  status: $('status'), error: $('error'), canvas: $('chart') };

// What tests and curious users can read: state, last timings, last error.
const page = window.__sabaplot = { state: 'starting', timings: null, error: null, loads: 0 };

let chart;
let current = null; // AbortController of the load in flight

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
  current?.abort();
  const controller = current = new AbortController();
  const hostId = ui.host.value;
  const hostName = ui.host.selectedOptions[0]?.textContent ?? hostId;
  const metric = ui.metric.value.trim();
  const seconds = RANGES[ui.range.value] ?? RANGES['460d'];
  const to = Math.floor(Date.now() / 1000);
  const from = to - seconds;
  const params = new URLSearchParams({ name: metric, from, to });
  const url = `/api/v0/hosts/${encodeURIComponent(hostId)}/metrics?${params}`;
  history.replaceState(null, '', `?${new URLSearchParams({ host: hostId, metric, range: ui.range.value })}`);
  page.state = 'loading';
  ui.status.textContent = `Loading ${metric} of ${hostName}…`;

  let response, bytes;
  const t0 = performance.now();
  try {
    response = await fetch(url, { signal: controller.signal });
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (e) {
    if (controller.signal.aborted) return;
    return showError(`Could not reach the metrics API (${e.message}). Is the server running?`);
  }
  if (controller.signal.aborted) return;
  const t1 = performance.now();
  let series;
  try {
    series = parseMackerel(response.status, bytes);
  } catch (e) {
    return showError(`${hostName} · ${metric}: ${e.message}`);
  }
  const t2 = performance.now();
  const points = series.validCount;
  chart.setOptions({ title: `${hostName} · ${metric}`, unit: UNITS[metric] ?? 'float' });
  chart.clear();
  chart.setSeries(metric, series);
  chart.resetRange();
  chart.draw();
  const t3 = performance.now();
  await new Promise(requestAnimationFrame);
  const t4 = performance.now();
  ui.error.hidden = true;
  page.error = null;
  page.timings = { fetchMs: t1 - t0, parseMs: t2 - t1, drawMs: t3 - t2,
    bytesToPixelsMs: t3 - t1, bytesToNextFrameMs: t4 - t1, bytes: bytes.length, points };
  const size = bytes.length >= 1e6 ? `${(bytes.length / 1e6).toFixed(1)} MB` : `${Math.ceil(bytes.length / 1e3)} kB`;
  ui.status.textContent = `${points.toLocaleString('en')} points (${size}) ` +
    `parsed in ${(t2 - t1).toFixed(0)} ms, drawn in ${(t3 - t2).toFixed(1)} ms.`;
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
