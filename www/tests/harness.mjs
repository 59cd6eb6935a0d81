// Shared by the end-to-end tests and the browser benchmarks: the demo server
// on a free loopback port with its clock pinned, and Debian's Chromium driven
// by playwright-core with every page's clock pinned to the same instant, so
// the suite sees the same 460 days of data whatever day it runs.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';

export const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The instant (epoch seconds) the suite runs at: SABAPLOT_NOW when set (any
 * second from 2000 to 2100), else a fixed one. Server and pages both see it.
 */
export const NOW = (() => {
  const text = process.env.SABAPLOT_NOW ?? '1796140830';
  const now = Number(text);
  if (!Number.isInteger(now) || now < 946_684_800 || now > 4_102_444_800) {
    throw new Error(`SABAPLOT_NOW must be whole epoch seconds from 2000 to 2100, got ${JSON.stringify(text)}`);
  }
  return now;
})();
/** The newest minute of the demo data (epoch seconds). */
export const LAST_MINUTE = Math.floor(NOW / 60) * 60;

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Starts the demo server (PORT=0, clock pinned to NOW) and resolves to
 * { url, stop, faults, pid }. `env` adds variables: SABAPLOT_FAULTS turns
 * fault injection on, and then `faults(rules)` replaces the rules (see
 * server/src/faults.rs).
 */
export function startServer(env = {}, bin = process.env.SERVER_BIN ?? `${root}target/release/sabaplot-server`) {
  const server = spawn(bin, [], {
    cwd: root,
    env: { ...process.env, PORT: '0', SABAPLOT_NOW: String(NOW), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('demo server did not start within 10 s')), 10_000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (match) {
        clearTimeout(timer);
        const url = match[0];
        const faults = async (rules) => {
          const response = await fetch(`${url}_faults`, { method: 'POST', body: rules });
          if (response.status !== 204) throw new Error(`fault rules refused: ${await response.text()}`);
        };
        // Moves the server's pinned clock (with the test hooks on).
        const clock = async (now) => {
          const response = await fetch(`${url}_clock`, { method: 'POST', body: String(now) });
          if (response.status !== 204) throw new Error(`clock refused: ${await response.text()}`);
        };
        // Resolves to the exit code once the server has stopped.
        const exited = new Promise((r) => server.once('exit', (code) => r(code)));
        const stop = () => { server.kill(); return exited; };
        resolve({ url, stop, faults, clock, pid: server.pid });
      }
    });
    server.on('exit', (code) => reject(new Error(`demo server exited with ${code}`)));
  });
}

/**
 * Debian's Chromium, headless; `extraArgs` are added to the usual flags.
 * Every context and page it makes has `Date` pinned to NOW (Playwright's
 * clock; timers and performance.now() run as usual) and the en-US locale.
 */
export async function launchBrowser(extraArgs = []) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
  const newContext = browser.newContext.bind(browser);
  // Every page reads as en-US unless a test says otherwise: the labels the
  // browser writes follow its locale.
  browser.newContext = async (options) => {
    const context = await newContext({ locale: 'en-US', ...options });
    await context.clock.setFixedTime(NOW * 1000);
    return context;
  };
  browser.newPage = async (options) => {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    page.once('close', () => context.close().catch(() => {}));
    return page;
  };
  return browser;
}

/**
 * A new page of `browser` (clock pinned) and the problems it reports:
 * uncaught errors and console errors.
 */
export async function openPage(browser, options = {}) {
  const page = await browser.newPage(options);
  const problems = [];
  // The browser logs every failed HTTP status; the tests that cause them
  // check them themselves.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  return { page, problems };
}

/**
 * `embed.html?manual` of `context`'s server in a new page, with the package
 * initialised: `window.pkg` is the module, `window.wasm` its exports.
 */
export async function openPackage(context, viewport = { width: 900, height: 400 }) {
  const { page, problems } = await openPage(context.browser, { viewport });
  await page.goto(`${context.server.url}embed.html?manual`);
  await page.evaluate(async () => {
    window.pkg = await import('/pkg/sabaplot.js');
    window.wasm = await window.pkg.default();
  });
  return { page, problems };
}

/** Resolves after two animation frames of `page` (a scheduled redraw has run). */
export const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/**
 * Every minute the demo's Mackerel API serves for host metric `metric` in
 * [from, to], as {time, value}, asked 20 hours at a time (longer ranges come
 * back as averages).
 */
export async function servedMinutes(url, hostId, metric, from, to) {
  const points = [];
  for (let t = Math.ceil(from); t <= to; t += 72_000) {
    const last = Math.min(t + 71_940, Math.floor(to));
    const response = await fetch(`${url}api/v0/hosts/${hostId}/metrics?name=${encodeURIComponent(metric)}&from=${t}&to=${last}`);
    if (!response.ok) throw new Error(`${metric} ${t}–${last}: HTTP ${response.status} ${await response.text()}`);
    points.push(...(await response.json()).metrics);
  }
  return points;
}

/**
 * The first minute at or after `from` (up to `to`) that the demo's Mackerel
 * API serves a value for, as {time, value}: a minute the data has, whatever
 * instant the suite runs at (the data has gaps and outages).
 */
export async function firstServed(url, hostId, metric, from, to = from + 86_400) {
  const [point] = await servedMinutes(url, hostId, metric, from, to);
  if (!point) throw new Error(`${metric} of ${hostId}: no value from ${from} to ${to}`);
  return point;
}

/**
 * The number of points the demo's Prometheus API serves for `query` at a
 * 1-minute step over [from, to], in all series, asked 11,000 steps at a time.
 */
export async function servedPrometheus(url, query, from, to) {
  let points = 0;
  for (let start = from; start <= to; start += 11_001 * 60) {
    const end = Math.min(start + 11_000 * 60, to);
    const q = new URLSearchParams({ query, start, end, step: 60 });
    const response = await fetch(`${url}api/v1/query_range?${q}`);
    const body = await response.json();
    if (body.status !== 'success') throw new Error(`${query} ${start}–${end}: ${body.error}`);
    for (const series of body.data.result) points += series.values.length;
  }
  return points;
}

/** One instant PromQL value of an engine at `baseUrl` at `time`, or null. */
export async function instantValue(baseUrl, query, time) {
  const body = await (await fetch(`${baseUrl}/api/v1/query?${new URLSearchParams({ query, time })}`)).json();
  if (body.status !== 'success') throw new Error(`${query} at ${time}: ${JSON.stringify(body)}`);
  const value = body.data.result[0]?.value?.[1];
  return value === undefined ? null : Number(value);
}

/** A free TCP port on 127.0.0.1, for a server a test starts. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

/**
 * Starts `command` and waits until GET `readyUrl` answers 200 (30 s at
 * most); the process, whose stderr the error quotes if it never does.
 */
export async function startReady(command, args, readyUrl) {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(readyUrl)).ok) return child;
    } catch { /* not yet */ }
    if (i > 300 || child.exitCode !== null) {
      child.kill();
      throw new Error(`${command} did not become ready:\n${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts Debian's VictoriaMetrics on a free loopback port with a fresh data
 * directory `dir`, and imports loadavg5 of the first `hosts` demo hosts
 * over the `days` days ending at `end` through its import API (as the demo
 * server's `export` tool writes them); resolves once every sample is
 * searchable. The process and its URL.
 */
export async function startVictoriaMetrics({ dir, days, end, hosts }) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = await startReady('victoria-metrics', [`-storageDataPath=${dir}/data`,
    `-httpListenAddr=127.0.0.1:${port}`, '-retentionPeriod=100y', '-search.disableCache',
    '-loggerLevel=ERROR'], `${url}/health`);
  const serverBin = process.env.SERVER_BIN ?? `${root}target/release/sabaplot-server`;
  const lines = execFileSync(serverBin, ['export', String(days), String(end), String(hosts)], { maxBuffer: 2 ** 31 });
  const imported = await fetch(`${url}/api/v1/import`, { method: 'POST', body: lines });
  if (imported.status !== 204) throw new Error(`import: HTTP ${imported.status}: ${await imported.text()}`);
  await fetch(`${url}/internal/force_flush`);
  let written = 0;
  for (const line of lines.toString().split('\n')) if (line) written += JSON.parse(line).values.length;
  // Imported samples become searchable within a few seconds.
  for (let i = 0; ; i++) {
    const count = await instantValue(url, `sum(count_over_time(loadavg5[${days + 1}d]))`, end);
    if (count === written) return { child, url };
    if (i > 600) throw new Error(`VictoriaMetrics holds ${count} of ${written} samples`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the host page has drawn (or, with 'error', failed). */
export async function waitForState(page, state) {
  await page.waitForFunction((s) => ['drawn', 'error'].includes(window.__sabaplot?.state)
    && (s !== 'drawn' || window.__sabaplot.state === 'drawn'), state, { timeout: 90_000 });
  return page.evaluate(() => window.__sabaplot.state);
}

/**
 * For a test file: the demo server (with `env`) and Chromium, started before
 * its tests (then `setup(context)`, if given) and stopped after; read
 * `.server` and `.browser` in the tests.
 */
export function serverAndBrowser(env = {}, setup = null) {
  const context = { server: null, browser: null };
  before(async () => {
    context.server = await startServer(env);
    context.browser = await launchBrowser();
    await setup?.(context);
  });
  after(async () => {
    await context.browser?.close();
    await context.server?.stop();
  });
  return context;
}
