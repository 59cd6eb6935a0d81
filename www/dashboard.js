// The demo dashboard: a host's graphs (CPU stacked, memory, network, load
// average, its containers' custom metrics by wildcard, its role's hosts
// overlaid) or a role's graphs, from the Mackerel-compatible API or a
// Prometheus, with a shared cursor and range, range presets, and the whole
// view in the URL. Every chart is filled by the package's loader through one
// request pool, so all coarse pictures come before any 1-minute chunk.
import init, { Chart, matchMetricNames, parseMackerelAnnotations } from '/pkg/sabaplot.js';
import { Loader, RequestPool } from '/pkg/loader.js';

const PRESETS = { '1h': 3_600, '6h': 21_600, '1d': 86_400, '7d': 604_800, '30d': 2_592_000,
  '90d': 7_776_000, '460d': 39_744_000 };
const SERVICE = 'shop';
const WILDCARD = 'custom.ecs.*.port.*';
const ROLE_METRICS = [
  ['loadavg5', 'Load average', 'float'],
  ['cpu.user.percentage', 'CPU user', 'percentage'],
  ['memory.used', 'Memory used', 'bytes'],
  ['interface.eth0.rxBytes.delta', 'Network received', 'bytes/sec'],
];

const $ = (id) => document.getElementById(id);
const ui = { source: $('source'), promBox: $('prom-box'), prom: $('prom'), subject: $('subject'),
  presets: $('presets'), status: $('status'), error: $('error'), grid: $('grid') };

/** What tests and curious users can read. */
const page = window.__dashboard = { state: 'starting', graphs: [], loads: 0, results: [] };

let hosts = []; // {id, name, role}
let graphs = []; // {chart, loader, error, spec}
let pool = new RequestPool(6);
let view = null; // the zoomed window, when not the whole preset

function readUrl() {
  const p = new URLSearchParams(location.search);
  const range = PRESETS[p.get('range')] ? p.get('range') : '1d';
  const num = (k) => (p.has(k) && Number.isFinite(Number(p.get(k))) ? Number(p.get(k)) : null);
  return { source: p.get('source') === 'prometheus' ? 'prometheus' : 'mackerel', prom: p.get('prom') ?? '',
    host: p.get('host'), role: p.get('role'), range, from: num('from'), to: num('to') };
}

let state = readUrl();

function writeUrl() {
  const p = new URLSearchParams({ source: state.source });
  if (state.source === 'prometheus' && state.prom) p.set('prom', state.prom);
  if (state.role) p.set('role', state.role); else if (state.host) p.set('host', state.host);
  p.set('range', state.range);
  if (view) {
    p.set('from', Math.round(view[0]));
    p.set('to', Math.round(view[1]));
  }
  history.replaceState(null, '', `?${p}`);
}

function showError(message) {
  ui.error.textContent = message; // text, never HTML
  ui.error.hidden = !message;
}

/** The hosts and roles of the source. */
async function fetchHosts() {
  if (state.source === 'mackerel') {
    const body = await (await fetch('/api/v0/hosts')).json();
    return body.hosts.map((h) => ({ id: h.id, name: h.name, role: Object.values(h.roles ?? {})[0]?.[0] ?? '' }));
  }
  const base = state.prom.replace(/\/$/, '');
  const values = async (label) => {
    const response = await fetch(`${base}/api/v1/label/${label}/values`);
    const body = await response.json();
    if (body.status !== 'success') throw new Error(body.error ?? `HTTP ${response.status}`);
    return body.data;
  };
  const [instances, roles] = await Promise.all([values('instance'), values('role')]);
  // Which role each instance has: the highest loadavg5 of the last week per
  // role (one point a host, there even if the host has been down for hours).
  const roleOf = new Map();
  const t = Math.floor(Date.now() / 60_000) * 60;
  for (const role of roles) {
    const q = new URLSearchParams({ query: `max_over_time(loadavg5{role="${role}"}[7d])`, start: t, end: t, step: 60 });
    const body = await (await fetch(`${base}/api/v1/query_range?${q}`)).json().catch(() => null);
    for (const r of body?.data?.result ?? []) roleOf.set(r.metric.instance, role);
  }
  return instances.map((i) => ({ id: i, name: i, role: roleOf.get(i) ?? '' }));
}

function fillSubjects() {
  ui.subject.replaceChildren();
  const group = (label, options) => {
    const g = document.createElement('optgroup');
    g.label = label;
    for (const [value, text] of options) {
      const o = document.createElement('option');
      o.value = value;
      o.textContent = text; // names from the API: text, never HTML
      g.append(o);
    }
    ui.subject.append(g);
  };
  group('Hosts', hosts.map((h) => [`host:${h.id}`, h.name]));
  const roles = [...new Set(hosts.map((h) => h.role).filter(Boolean))];
  group('Roles', roles.map((r) => [`role:${r}`, `${SERVICE}: ${r} (${hosts.filter((h) => h.role === r).length} hosts)`]));
  const wanted = state.role ? `role:${state.role}` : `host:${state.host ?? hosts[0]?.id}`;
  ui.subject.value = [...ui.subject.querySelectorAll('option')].some((o) => o.value === wanted)
    ? wanted : `host:${hosts[0]?.id}`;
  const [kind, id] = ui.subject.value.split(/:(.*)/s);
  state.host = kind === 'host' ? id : null;
  state.role = kind === 'role' ? id : null;
}

/** The graphs of the current subject: title, unit, kind and series. */
async function graphSpecs() {
  const prom = state.source === 'prometheus';
  const metricName = (m) => (prom ? m.replaceAll('.', '_') : m);
  const instance = (n) => /instance="([^"]+)"/.exec(n)?.[1] ?? n;
  const roleGraph = (role, [metric, title, unit]) => {
    const members = hosts.filter((h) => h.role === role);
    return { title: `${title} · ${SERVICE}: ${role} (${members.length} hosts)`, unit, tooltipRows: 8,
      series: members.map((h) => ({ name: h.name, host: h.id, metric })),
      queries: [`${metricName(metric)}{role="${role}"}`], rename: instance, names: members.map((h) => h.name) };
  };
  if (state.role) return ROLE_METRICS.map((m) => roleGraph(state.role, m));
  const host = hosts.find((h) => h.id === state.host) ?? hosts[0];
  const own = (title, unit, kind, metrics) => ({
    title: `${host.name} · ${title}`, unit, kind,
    series: metrics.map(([name, metric]) => ({ name, host: host.id, metric })),
    queries: metrics.map(([, metric]) => `${metricName(metric)}{instance="${host.name}"}`),
    rename: (n) => metrics.find(([, m]) => n.startsWith(`${metricName(m)}{`) || n === metricName(m))?.[0] ?? n,
    names: metrics.map(([name]) => name),
  });
  // CPU: the busy layers on a fixed 0–100 % axis; idle (the rest of the
  // hundred) is hidden until its legend item is clicked.
  const cpu = own('CPU', 'percentage', 'stacked', [['user', 'cpu.user.percentage'], ['system', 'cpu.system.percentage'],
    ['iowait', 'cpu.iowait.percentage'], ['idle', 'cpu.idle.percentage']]);
  const specs = [
    { ...cpu, axes: { left: { min: 0, max: 100 } }, styles: [{ match: 'idle', hidden: true }] },
    own('memory', 'bytes', 'line', [['used', 'memory.used'], ['cached', 'memory.cached']]),
    // Traffic in bytes/sec on the left, the CPU time the kernel spends on
    // it as a percentage on the right (dashed, so it never reads as traffic).
    { ...own('network · system CPU', 'bytes/sec', 'line', [['rx', 'interface.eth0.rxBytes.delta'],
      ['tx', 'interface.eth0.txBytes.delta'], ['system CPU', 'cpu.system.percentage']]),
    axes: { left: { label: 'bytes/sec' }, right: { unit: 'percentage', min: 0, max: 100, label: 'system CPU %' } },
    styles: [{ match: 'system CPU', axis: 'right', dash: [6, 3] }] },
    own('load average', 'float', 'line', [['loadavg5', 'loadavg5']]),
  ];
  if (!prom) {
    const body = await (await fetch(`/api/v0/hosts/${encodeURIComponent(host.id)}/metric-names`)).json();
    const names = matchMetricNames(WILDCARD, body.names ?? []);
    specs.push({ title: `${host.name} · ${WILDCARD} (${names.length} series)`, unit: 'integer', tooltipRows: 6,
      series: names.map((metric) => ({ name: metric, host: host.id, metric })), queries: [] });
  }
  if (host.role) specs.push(roleGraph(host.role, ROLE_METRICS[0]));
  return specs;
}

function destroyGraphs() {
  for (const g of graphs) {
    g.loader?.abort();
    g.chart.destroy();
    g.chart.free();
  }
  graphs = [];
  ui.grid.replaceChildren();
}

async function buildGraphs() {
  destroyGraphs();
  pool = new RequestPool(6);
  const specs = await graphSpecs();
  for (const spec of specs) {
    const section = document.createElement('section');
    section.className = 'graph';
    const box = document.createElement('div');
    box.className = 'chart';
    const error = document.createElement('p');
    error.className = 'graph-error';
    error.setAttribute('role', 'alert');
    error.hidden = true;
    section.append(box, error);
    ui.grid.append(section);
    // colorBy 'name': a host keeps its colour on every graph of the page.
    const chart = new Chart(box, { title: spec.title, unit: spec.unit, kind: spec.kind ?? 'line',
      group: 'dashboard', syncRange: true, tooltipRows: spec.tooltipRows ?? 10, colorBy: 'name',
      axes: spec.axes ?? {}, series: spec.styles ?? [] });
    const source = state.source === 'mackerel'
      ? { api: 'mackerel', series: spec.series }
      : { api: 'prometheus', baseUrl: state.prom, queries: spec.queries, name: spec.rename, names: spec.names };
    const empty = state.source === 'mackerel' ? spec.series.length === 0 : spec.queries.length === 0;
    const loader = empty ? null : new Loader(chart, { source, pool });
    chart.onRangeChange((from, to) => onZoom(from, to));
    graphs.push({ chart, loader, error, spec });
  }
  page.graphs = graphs.map((g) => ({ title: g.spec.title, chart: g.chart }));
}

function onZoom(from, to) {
  view = [from, to];
  for (const g of graphs) g.loader?.prioritise(from, to);
  writeUrl();
}

async function loadAnnotations(from, to) {
  if (state.source !== 'mackerel') return;
  const q = new URLSearchParams({ service: SERVICE, from: Math.floor(from), to: Math.ceil(to) });
  const response = await fetch(`/api/v0/graph-annotations?${q}`);
  const list = parseMackerelAnnotations(response.status, new Uint8Array(await response.arrayBuffer()));
  const annotations = list.map(({ from, to, title }) => ({ from, to, title }));
  for (const g of graphs) g.chart.setOptions({ annotations });
}

/** Loads the preset's range into every graph and shows the view. */
async function load() {
  const seconds = PRESETS[state.range];
  const to = Math.floor(Date.now() / 60_000) * 60;
  const from = to - seconds + 60;
  const inRange = view && view[0] >= from - 60 && view[1] <= to + 60 && view[0] < view[1];
  if (!inRange) view = null;
  const [visibleFrom, visibleTo] = view ?? [from, to];
  for (const b of ui.presets.children) b.setAttribute('aria-pressed', String(b.dataset.range === state.range));
  writeUrl();
  page.state = 'loading';
  ui.status.textContent = `Loading ${state.range} into ${graphs.length} graphs…`;
  const started = performance.now();
  loadAnnotations(from, to).catch((e) => showError(`Graph annotations: ${e.message}`));
  const loads = graphs.map(async (g) => {
    g.chart.setRange(visibleFrom, visibleTo);
    if (!g.loader) return null;
    // The plot's pixel columns (device pixels, as the chart draws them).
    const width = Math.max(200, g.chart.describe()?.columns ?? 900);
    // A day or less ends at now and stays there: the newest minutes come
    // every minute (the window slides unless the reader moved it).
    const result = await g.loader.load({ from, to, visibleFrom, visibleTo, width, live: seconds <= 86_400 });
    if (!result.aborted) {
      g.error.textContent = result.errors.length
        ? `${result.errors.length === 1 ? 'A problem' : `${result.errors.length} problems`} loading; the hatched stretches are not loaded. First: ${result.errors[0]}` : '';
      g.error.hidden = result.errors.length === 0;
    }
    return result;
  });
  const results = await Promise.all(loads);
  if (results.some((r) => r?.aborted)) return;
  const done = results.filter(Boolean);
  const points = done.reduce((n, r) => n + r.points, 0);
  const requests = done.reduce((n, r) => n + r.requests, 0);
  page.results = done;
  page.loads += 1;
  page.loadMs = performance.now() - started;
  ui.status.textContent = `${graphs.length} graphs · ${points.toLocaleString('en')} points from ` +
    `${requests.toLocaleString('en')} requests in ${(page.loadMs / 1000).toFixed(1)} s.`;
  page.state = 'done';
}

async function reset() {
  try {
    hosts = await fetchHosts();
    if (hosts.length === 0) throw new Error('the source has no hosts');
    showError('');
  } catch (e) {
    page.state = 'error';
    return showError(`Could not list the hosts of the ${state.source} source: ${e.message}`);
  }
  fillSubjects();
  await buildGraphs();
  await load();
}

async function main() {
  const wasm = await init();
  page.wasmMemoryBytes = () => wasm.memory.buffer.byteLength;
  for (const name of Object.keys(PRESETS)) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = name;
    b.dataset.range = name;
    b.addEventListener('click', () => {
      state.range = name;
      view = null;
      load();
    });
    ui.presets.append(b);
  }
  ui.source.value = state.source;
  ui.prom.value = state.prom;
  ui.promBox.hidden = state.source !== 'prometheus';
  if (state.from !== null && state.to !== null && state.from < state.to) view = [state.from, state.to];
  ui.source.addEventListener('change', () => {
    state = { ...state, source: ui.source.value, host: null, role: null };
    ui.promBox.hidden = state.source !== 'prometheus';
    view = null;
    reset();
  });
  ui.prom.addEventListener('change', () => {
    state.prom = ui.prom.value.trim();
    reset();
  });
  ui.subject.addEventListener('change', () => {
    const [kind, id] = ui.subject.value.split(/:(.*)/s);
    state.host = kind === 'host' ? id : null;
    state.role = kind === 'role' ? id : null;
    buildGraphs().then(load);
  });
  await reset();
}

main().catch((e) => {
  page.state = 'error';
  showError(`The dashboard could not start: ${e.message}`);
});
