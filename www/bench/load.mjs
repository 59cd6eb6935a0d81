// Browser benchmark of loading from the demo server on loopback, through the
// package's loader in headless Chromium: time to the first (coarse) picture
// and to full 1-minute detail for 460 days of one series and of a 16-host
// role graph (with wasm memory and bytes on the wire: Chromium asks for
// compressed answers as every browser does), the first picture at each range,
// and parse throughput in wasm beside JSON.parse + conversion to columns of
// the same bytes, and the longest main-thread task during each load (the
// browser's long-task entries: tasks over 50 ms). Then the same loads over
// links users have — Chromium's network emulation at 100 Mbps with 20 ms
// round trips and at 20 Mbps with 60 ms, compression on — from each source:
// the demo server's Mackerel- and Prometheus-compatible APIs and its
// VictoriaMetrics-style export, and a real VictoriaMetrics (Debian's
// package) holding the same 460 days of 16 hosts. Figures, not a pass/fail
// test; writes target/bench/load.md. LINKS=100 keeps the 100 Mbps link
// (LINKS=0 neither); SOURCES='demo, export;Victoria' keeps the sources whose
// names hold one of those; LOOPBACK=0 leaves out the loads on loopback.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { startServer, launchBrowser, root, startVictoriaMetrics, NOW } from '../tests/harness.mjs';

const RUNS = Number(process.env.RUNS ?? 3);
const LINKS = [
  { name: '100 Mbps, 20 ms', mbps: 100, rttMs: 20 },
  { name: '20 Mbps, 60 ms', mbps: 20, rttMs: 60 },
  // Only when asked for (LINKS=loopback): the same table without emulation.
  { name: 'loopback', mbps: null, only: true },
].filter((l) => (process.env.LINKS ? process.env.LINKS.split(',').some((m) => l.name.split(' ')[0] === m) : !l.only));
const server = await startServer();
const browser = await launchBrowser();
const lines = [];
const say = (line) => { console.log(line); lines.push(line); };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A fresh page with the package loaded. */
async function freshPage() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 640 } });
  await page.goto(`${server.url}embed.html?manual`);
  await page.evaluate(async () => {
    const pkg = await import('/pkg/sabaplot.js');
    const wasm = await pkg.default();
    const { Loader, RequestPool } = await import('/pkg/loader.js');
    window.B = { pkg, wasm, Loader, RequestPool };
  });
  return page;
}

/**
 * One load into a new chart on a fresh page: the loader's result, wasm
 * memory and bytes on the wire; over `link` ({mbps, rttMs}) when given.
 */
async function load(source, days, link = null) {
  const page = await freshPage();
  if (link?.mbps) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    const bytesPerSecond = (link.mbps * 1e6) / 8;
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: link.rttMs,
      downloadThroughput: bytesPerSecond, uploadThroughput: bytesPerSecond });
  }
  // What the API answers took on the wire (compressed body and headers), as
  // the browser saw it; resource timing is not used, as the pinned clock
  // stands in for the page's performance entries.
  const wire = { bytes: 0, encodings: new Set(), pending: [] };
  page.on('requestfinished', (request) => {
    if (!/\/api\/v/.test(new URL(request.url()).pathname)) return;
    wire.pending.push(Promise.all([request.sizes(), request.response()]).then(async ([sizes, response]) => {
      wire.bytes += sizes.responseBodySize + sizes.responseHeadersSize;
      wire.encodings.add((await response?.headerValue('content-encoding')) ?? 'none');
    }));
  });
  const result = await page.evaluate(async ({ source, days }) => {
    const { pkg, Loader } = B;
    const hosts = (await (await fetch('/api/v0/hosts')).json()).hosts;
    if (source.role) {
      const members = hosts.filter((h) => h.roles.shop[0] === source.role);
      source = source.api === 'mackerel'
        ? { api: 'mackerel', series: members.map((h) => ({ name: h.name, host: h.id, metric: 'loadavg5' })) }
        : { ...source, queries: [`loadavg5{role="${source.role}"}`] };
    }
    const chart = new pkg.Chart(document.getElementById('chart'), { legend: false });
    const to = source.to ?? Math.floor(Date.now() / 60_000) * 60;
    const from = to - days * 86_400 + 60;
    chart.setRange(from, to);
    // Every main-thread task over 50 ms while the load runs.
    const longTasks = [];
    const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)));
    observer.observe({ type: 'longtask' });
    const r = await new Loader(chart, { source }).load({ from, to, width: 960 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    longTasks.push(...observer.takeRecords().map((e) => e.duration));
    observer.disconnect();
    return {
      ...r, wasmBytes: B.wasm.memory.buffer.byteLength, series: chart.legend().length,
      longestTaskMs: Math.max(0, ...longTasks), longTasks: longTasks.length,
    };
  }, { source, days });
  await Promise.all(wire.pending);
  await page.close();
  return { ...result, wireBytes: wire.bytes, encoding: [...wire.encodings].join('+') };
}

/**
 * The loads of 460 days of one series and of 16 hosts over each emulated
 * link, from every source; one run each (a 16-host Mackerel load is 8,864
 * requests, a minute or more over these links).
 */
async function links() {
  const only = process.env.SOURCES?.split(';');
  const wanted = (name) => !only || only.some((o) => name.includes(o));
  const engineName = 'VictoriaMetrics 1.79 (export)';
  // The real engine holds the same minutes, ending where the demo's clock
  // ends (VictoriaMetrics takes no sample two days past its own clock).
  const end = Math.min(Math.floor(Date.now() / 60_000) * 60, Math.floor(NOW / 60) * 60);
  let engine = null, proxy = null;
  if (wanted(engineName)) {
    say('');
    say('Starting a real VictoriaMetrics with 460 days of 16 hosts…');
    engine = await startVictoriaMetrics({ dir: `${root}target/bench/victoriametrics`, days: 460, end, hosts: 16 });
    // The page reaches the engine through a reverse proxy that adds the CORS
    // headers its export lacks, over the emulated link like every source.
    proxy = await corsProxy(engine.url);
  }
  try {
    say('');
    say('## Over links users have (Chromium network emulation, compression on; one run each)');
    say('');
    say('| link | load | source | requests | points | MB on the wire | wire B/point | first picture ms | full detail ms | parsing ms | longest task ms |');
    say('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    const sources = [
      ['demo, Mackerel API', { api: 'mackerel' }],
      ['demo, Prometheus API', { api: 'prometheus' }],
      ['demo, export', { api: 'victoriametrics' }],
      [engineName, { api: 'victoriametrics', baseUrl: proxy?.url, to: end }],
    ].filter(([name]) => wanted(name));
    for (const link of LINKS) {
      for (const [label, one, role] of [['460 d × 1', 'web-01', null], ['460 d × 16 hosts', null, 'web']]) {
        for (const [name, base] of sources) {
          const source = role ? { ...base, role }
            : base.api === 'mackerel' ? { api: 'mackerel', series: [{ name: one, host: '3yAYEDLXKL5', metric: 'loadavg5' }] }
              : { ...base, queries: [`loadavg5{instance="${one}"}`] };
          const r = await load(source, 460, link);
          say(`| ${link.name} | ${label} | ${name} | ${r.requests} | ${r.points.toLocaleString('en')} | `
            + `${(r.wireBytes / 1e6).toFixed(1)} | ${(r.wireBytes / r.points).toFixed(1)} | `
            + `${r.firstPictureMs?.toFixed(0) ?? '–'} | ${r.totalMs.toFixed(0)}${r.errors.length ? ` (${r.errors.length} errors: ${r.errors[0]})` : ''} | `
            + `${r.parseMs.toFixed(0)} | ${r.longestTaskMs.toFixed(0)} |`);
        }
      }
    }
  } finally {
    proxy?.server.close();
    engine?.child.kill();
  }
}

/** A reverse proxy on 127.0.0.1 to `target` that lets any origin read its answers. */
function corsProxy(target) {
  const server = createServer((req, res) => {
    const upstream = httpRequest(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode, { ...answer.headers, 'access-control-allow-origin': '*' });
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ server, url: `http://127.0.0.1:${server.address().port}` });
  }));
}

/** The loads on loopback, and the first picture at each range. */
async function loopback() {
  say(`# Loading from the demo server on loopback (medians of ${RUNS} runs, fresh page each)`);
  say('');
  say('| load | requests | points | MB of JSON | MB on the wire (encoding) | wire B/point | first data ms | whole coarse picture ms | full detail ms | wasm parse MB/s | wasm memory MiB | longest main-thread task ms (tasks over 50 ms) |');
  say('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const cases = [
    ['460 d × 1 series, Mackerel API', { api: 'mackerel', series: [{ name: 'web-01', host: '3yAYEDLXKL5', metric: 'loadavg5' }] }, 460],
    ['460 d × 1 series, Prometheus API', { api: 'prometheus', queries: ['loadavg5{instance="web-01"}'] }, 460],
    ['460 d × 16-host role, Mackerel API', { api: 'mackerel', role: 'web' }, 460],
    ['460 d × 16-host role, Prometheus API', { api: 'prometheus', role: 'web' }, 460],
  ];
  for (const [name, source, days] of cases) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await load(source, days));
    const r = runs[0];
    if (r.errors.length) throw new Error(`${name}: ${r.errors[0]}`);
    const mb = r.bytes / 1e6;
    say(`| ${name} | ${r.requests} | ${r.points.toLocaleString('en')} | ${mb.toFixed(1)} | `
      + `${(r.wireBytes / 1e6).toFixed(1)} (${r.encoding}) | ${(r.wireBytes / r.points).toFixed(1)} | `
      + `${median(runs.map((x) => x.firstPictureMs)).toFixed(0)} | ${median(runs.map((x) => x.coarseMs)).toFixed(0)} | ${median(runs.map((x) => x.totalMs)).toFixed(0)} | `
      + `${(mb / (median(runs.map((x) => x.parseMs)) / 1e3)).toFixed(0)} | ${(median(runs.map((x) => x.wasmBytes)) / 2 ** 20).toFixed(0)} | `
      + `${median(runs.map((x) => x.longestTaskMs)).toFixed(0)} (${median(runs.map((x) => x.longTasks))}) |`);
  }

  say('');
  say('| range (1 series, Mackerel API) | first data ms | whole coarse picture ms | full detail ms | requests |');
  say('|---|---:|---:|---:|---:|');
  for (const [label, days] of [['1 hour', 1 / 24], ['1 day', 1], ['7 days', 7], ['30 days', 30], ['460 days', 460]]) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      runs.push(await load({ api: 'mackerel', series: [{ name: 'web-01', host: '3yAYEDLXKL5', metric: 'loadavg5' }] }, days));
    }
    const coarse = runs[0].coarseMs === null ? '– (one chunk)' : median(runs.map((x) => x.coarseMs)).toFixed(0);
    say(`| ${label} | ${median(runs.map((x) => x.firstPictureMs)).toFixed(0)} | ${coarse} | ${median(runs.map((x) => x.totalMs)).toFixed(0)} | ${runs[0].requests} |`);
  }
}

try {
  if (process.env.LOOPBACK !== '0') await loopback();
  if (process.env.LINKS !== '0') await links();

  // Parse throughput: the same response bodies through wasm and through
  // JSON.parse + a loop into Float64Arrays, in the same page.
  const page = await freshPage();
  const parse = await page.evaluate(async (runs) => {
    const { pkg } = B;
    const to = Math.floor(Date.now() / 60_000) * 60 - 3_600;
    const bodies = { mackerel: [], prometheus: [] };
    for (let i = 0; i < 40; i++) {
      const from = to - (i + 1) * 72_000 + 60;
      const r = await fetch(`/api/v0/hosts/3yAYEDLXKL5/metrics?name=loadavg5&from=${from}&to=${from + 71_940}`);
      bodies.mackerel.push(new Uint8Array(await r.arrayBuffer()));
    }
    for (let i = 0; i < 8; i++) {
      const end = to - i * 604_800;
      const q = new URLSearchParams({ query: 'loadavg5{role="web"}', start: end - 604_740, end, step: 60 });
      bodies.prometheus.push(new Uint8Array(await (await fetch(`/api/v1/query_range?${q}`)).arrayBuffer()));
    }
    const decoder = new TextDecoder();
    const viaJson = {
      mackerel: (bytes) => {
        const { metrics } = JSON.parse(decoder.decode(bytes));
        const time = new Float64Array(metrics.length);
        const value = new Float64Array(metrics.length);
        for (let k = 0; k < metrics.length; k++) {
          time[k] = metrics[k].time;
          value[k] = metrics[k].value ?? NaN;
        }
        return time.length;
      },
      prometheus: (bytes) => {
        let n = 0;
        for (const s of JSON.parse(decoder.decode(bytes)).data.result) {
          const time = new Float64Array(s.values.length);
          const value = new Float64Array(s.values.length);
          for (let k = 0; k < s.values.length; k++) {
            time[k] = s.values[k][0];
            value[k] = Number(s.values[k][1]);
          }
          n += time.length;
        }
        return n;
      },
    };
    const viaWasm = {
      mackerel: (bytes) => { const d = pkg.parseMackerelChunk(200, bytes); const n = d.length; d.free(); return n; },
      prometheus: (bytes) => { let n = 0; for (const d of pkg.parsePrometheus(200, bytes)) { n += d.length; d.free(); } return n; },
    };
    const time = (f, list) => {
      const t0 = performance.now();
      for (const b of list) f(b);
      return performance.now() - t0;
    };
    const out = {};
    for (const api of ['mackerel', 'prometheus']) {
      const mb = bodies[api].reduce((n, b) => n + b.length, 0) / 1e6;
      const wasm = [], json = [];
      for (let i = 0; i < runs + 1; i++) {
        wasm.push(time(viaWasm[api], bodies[api]));
        json.push(time(viaJson[api], bodies[api]));
      }
      const best = (xs) => Math.min(...xs.slice(1));
      out[api] = { mb, bodies: bodies[api].length, wasm: mb / (best(wasm) / 1e3), json: mb / (best(json) / 1e3) };
    }
    return out;
  }, Math.max(RUNS, 5));
  await page.close();
  say('');
  say('| parse (same bytes, same page, best run) | bodies | MB | wasm MB/s | JSON.parse + columns MB/s | wasm ÷ JSON |');
  say('|---|---:|---:|---:|---:|---:|');
  for (const [api, p] of Object.entries(parse)) {
    say(`| ${api} | ${p.bodies} | ${p.mb.toFixed(1)} | ${p.wasm.toFixed(0)} | ${p.json.toFixed(0)} | ${(p.wasm / p.json).toFixed(2)}× |`);
  }
  mkdirSync(`${root}target/bench`, { recursive: true });
  writeFileSync(`${root}target/bench/load.md`, `${lines.join('\n')}\n`);
} finally {
  await browser.close();
  server.stop();
}
