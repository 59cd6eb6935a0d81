// Integration with a real VictoriaMetrics (Debian's package): 460 days of
// 1-minute data of four hosts, written by the demo server's `export` tool,
// go through VictoriaMetrics' import API into a fresh data directory; in
// headless Chromium the package's loader fetches the whole range — the
// envelope from query_range, the stored samples from /api/v1/export — and
// the values under the cursor and the legend's statistics over several
// windows equal what the engine answers for the same minutes. The page
// reaches the engine through a same-origin path, as it would through a
// reverse proxy; a page that cannot reach its export (another origin: the
// export sends no CORS headers) gets the same minutes from query_range.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, root, instantValue, startVictoriaMetrics } from './harness.mjs';

const DAYS = 460;
const HOSTS = ['web-01', 'web-02', 'web-03', 'web-04'];
// A fixed end in the past, whatever the pinned clock says: the engine
// refuses samples more than two days ahead of its own clock.
const END = 1_767_222_000;
const FROM = END - DAYS * 86_400 + 60;
const QUERY = 'loadavg5{role="web"}';
const dir = `${root}target/victoriametrics-test`;
let engine, vmUrl;
/** Every stored sample, by host: time → value, as the engine exports them. */
const stored = new Map();

/** Starts VictoriaMetrics with the data, and reads back every sample. */
async function startEngine() {
  ({ child: engine, url: vmUrl } = await startVictoriaMetrics({ dir, days: DAYS, end: END, hosts: HOSTS.length }));
  // What the engine gives back, as it stores them.
  const body = await (await fetch(`${vmUrl}/api/v1/export?${new URLSearchParams({
    'match[]': QUERY, start: FROM, end: END })}`)).text();
  for (const line of body.split('\n').filter(Boolean)) {
    const { metric, values, timestamps } = JSON.parse(line);
    const samples = stored.get(metric.instance) ?? new Map();
    timestamps.forEach((ms, k) => samples.set(ms / 1000, values[k]));
    stored.set(metric.instance, samples);
  }
}

const context = serverAndBrowser({}, startEngine);
after(() => engine?.kill());

/** A page on the demo server that reaches the engine at `/vm` (and logs what it asked). */
async function enginePage() {
  const opened = await openPage(context.browser, { viewport: { width: 1100, height: 520 } });
  await opened.page.route(`${context.server.url}vm/**`, async (route) => {
    const url = new URL(route.request().url());
    const response = await fetch(`${vmUrl}${url.pathname.slice(3)}${url.search}`);
    await route.fulfill({ status: response.status, body: Buffer.from(await response.arrayBuffer()),
      contentType: response.headers.get('content-type') ?? 'text/plain' });
  });
  await opened.page.goto(`${context.server.url}embed.html?manual`);
  return opened;
}

/** Loads [from, to] of QUERY through `baseUrl` into a new chart on `page`. */
const load = (page, baseUrl, from, to) => page.evaluate(async ({ baseUrl, from, to, query }) => {
  const pkg = await import('/pkg/sabaplot.js');
  await pkg.default();
  const { Loader } = await import('/pkg/loader.js');
  const chart = new pkg.Chart(document.getElementById('chart'), { title: 'loadavg5 · VictoriaMetrics', timeZone: 'UTC' });
  window.chart = chart;
  window.cursor = null;
  chart.onCursorMove((t) => { window.cursor = t; });
  chart.setRange(from, to);
  const asked = [];
  const loader = new Loader(chart, {
    source: { api: 'victoriametrics', baseUrl, queries: [query],
      name: (n) => /instance="([^"]+)"/.exec(n)?.[1] ?? n },
    fetch: async (url, init) => {
      const r = await fetch(url, init);
      asked.push({ url: decodeURIComponent(new URL(url, location.href).pathname + new URL(url, location.href).search), status: r.status });
      return r;
    },
  });
  const result = await loader.load({ from, to, width: 900 });
  chart.draw();
  return { result, asked, names: chart.legend().map((e) => e.name), frame: chart.describe() };
}, { baseUrl, from, to, query: QUERY });

test('the loader fetches 460 days of 4 hosts from a real VictoriaMetrics; cursor values and legend stats equal the engine', async () => {
  const { page, problems } = await enginePage();
  const run = await load(page, '/vm', FROM, END);
  assert.deepEqual(run.result.errors, []);
  assert.deepEqual(run.result.notLoaded, []);
  assert.ok(run.asked.every((a) => a.status === 200), `statuses ${run.asked.map((a) => a.status)}`);
  const [first, second, ...detail] = run.asked.map((a) => a.url);
  const envelope = [first, second].sort();
  assert.match(envelope[0], /query_range\?query=max_over_time\(loadavg5\{role="web"\}\[\d+s\]\)/);
  assert.match(envelope[1], /query_range\?query=min_over_time/);
  assert.ok(detail.every((u) => u.startsWith('/vm/api/v1/export?match[]=loadavg5{role="web"}')),
    'every minute comes from the export');
  // 16 months of 30 days, each asked in parts of at most 88,000 samples.
  assert.equal(detail.length, run.result.requests - 2);
  for (const url of detail) {
    const q = new URLSearchParams(url.split('?')[1]);
    assert.ok(((q.get('end') - q.get('start')) / 60 + 1) * HOSTS.length <= 88_000, url);
  }
  assert.deepEqual(run.names, HOSTS);
  const storedCount = [...stored.values()].reduce((n, s) => n + s.size, 0);
  assert.equal(run.result.points, storedCount, 'every stored sample of the four hosts');
  assert.equal(run.frame.pointsInView, storedCount, 'each once');
  assert.equal(run.frame.coarseDrawn, 0, 'the detail replaced the envelope');
  await page.screenshot({ path: `${root}target/e2e/victoriametrics-460d.png` });

  // Under the cursor: zoom to six hours, move the mouse like a user.
  const t0 = END - 200 * 86_400 + 37 * 60;
  const aim = await page.evaluate(({ t0 }) => {
    chart.setRange(t0 - 3 * 3_600, t0 + 3 * 3_600);
    chart.draw();
    const { plot, view } = chart.describe();
    const box = document.querySelector('#chart canvas').getBoundingClientRect();
    const x = box.left + plot[0] + (t0 - view[0]) / (view[1] - view[0]) * (plot[2] - plot[0]);
    return { x: Math.round(x), y: Math.round(box.top + (plot[1] + plot[3]) / 2) };
  }, { t0 });
  await page.mouse.move(aim.x, aim.y);
  await page.waitForFunction(() => window.cursor !== null);
  const under = await page.evaluate(() => chart.readout(window.cursor).rows);
  assert.equal(under.length, HOSTS.length);
  assert.ok(Math.abs(under[0].time - t0) <= 120, `the cursor is near the minute aimed at: ${under[0].time} vs ${t0}`);
  // And at more minutes, across the range.
  const times = [FROM + 60 * 17, END - 86_400 * 333 + 60 * 5, END - 60 * 2, END];
  const elsewhere = await page.evaluate((times) => times.map((t) => chart.readout(t).rows), times);
  for (const row of [...under, ...elsewhere.flat()]) {
    assert.equal(row.value, stored.get(row.name).get(row.time) ?? null, `${row.name} at ${row.time}`);
  }

  // Legend: windows of six hours, a week and 90 days, the same minutes in
  // MetricsQL (the chart's window starts half a minute into the first one).
  for (const [t, seconds] of [[END - 3 * 86_400 - 17 * 60, 6 * 3_600], [END - 40 * 86_400, 7 * 86_400],
    [END - 100 * 86_400 + 60 * 60, 90 * 86_400]]) {
    const legend = await page.evaluate(({ t, seconds }) => {
      chart.setRange(t - seconds + 30, t);
      chart.draw();
      return chart.legend();
    }, { t, seconds });
    assert.equal(legend.length, HOSTS.length);
    for (const entry of legend) {
      const sel = `loadavg5{instance="${entry.name}"}[${seconds - 30}s]`;
      const [min, max, avg, count, last] = await Promise.all(['min_over_time', 'max_over_time',
        'avg_over_time', 'count_over_time', 'last_over_time'].map((f) => instantValue(vmUrl, `${f}(${sel})`, t)));
      const what = `${entry.name}, ${seconds} s to ${t}`;
      assert.equal(entry.count, count, `${what}: count`);
      assert.equal(entry.min, min, `${what}: min`);
      assert.equal(entry.max, max, `${what}: max`);
      assert.equal(entry.last, last, `${what}: last`);
      assert.ok(Math.abs(entry.avg - avg) <= 1e-12 * Math.abs(avg), `${what}: avg ${entry.avg} vs ${avg}`);
    }
  }
  await page.screenshot({ path: `${root}target/e2e/victoriametrics-legend.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a gap in the stored samples is a gap on the chart, also after their end, where query_range repeats the last one', async () => {
  const { page, problems } = await enginePage();
  // A minute the engine has no sample for, with samples on both sides.
  const web02 = stored.get('web-02');
  let gap = null;
  for (let t = END - 60; t > END - 30 * 86_400 && gap === null; t -= 60) {
    if (!web02.has(t) && web02.has(t - 60)) gap = t;
  }
  assert.ok(gap !== null, 'a missing minute in the last 30 days');
  const from = gap - 6 * 3_600;
  const to = END + 10 * 60;
  const run = await load(page, '/vm', from, to);
  assert.deepEqual(run.result.errors, []);
  const shown = await page.evaluate(({ gap, end }) => ({
    gap: chart.readout(gap).rows.find((r) => r.name === 'web-02'),
    after: [60, 120, 240, 300].map((s) => chart.readout(end + s).rows.find((r) => r.name === 'web-02')),
  }), { gap, end: END });
  assert.equal(shown.gap.time, gap);
  assert.equal(shown.gap.value, null, 'the missing minute is a gap');
  for (const row of shown.after) assert.equal(row.value, null, `no sample at ${row.time}, none drawn`);
  // What a chart of query_range would have drawn there: the last sample again.
  const ranged = async (t) => {
    const q = new URLSearchParams({ query: 'loadavg5{instance="web-02"}', start: t, end: t, step: 60 });
    const body = await (await fetch(`${vmUrl}/api/v1/query_range?${q}`)).json();
    return body.data.result[0]?.values?.[0]?.[1] ?? null;
  };
  assert.notEqual(await ranged(END + 60), null, 'query_range invents a minute after the end');
  assert.notEqual(await ranged(gap), null, 'and one in the gap');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a page that cannot reach the export gets the same minutes from query_range', async () => {
  const { page, problems } = await enginePage();
  // The engine's own origin: query_range sends CORS headers, the export does not.
  const to = END - 3 * 86_400;
  const from = to - 45 * 86_400 + 60;
  const run = await load(page, vmUrl, from, to);
  assert.deepEqual(run.result.errors, []);
  assert.deepEqual(run.result.notLoaded, []);
  const ranges = run.asked.filter((a) => /query_range\?query=loadavg5\{role="web"\}&/.test(a.url));
  assert.ok(ranges.length >= 3, `${ranges.length} 1-minute query_range requests`);
  // Each asks at most 30,000 points of a series.
  for (const { url } of ranges) {
    const q = new URLSearchParams(url.split('?')[1]);
    assert.ok((q.get('end') - q.get('start')) / 60 < 30_000, url);
  }
  const rows = await page.evaluate((t) => chart.readout(t).rows, to - 86_400 + 60 * 11);
  for (const row of rows) assert.equal(row.value, stored.get(row.name).get(row.time) ?? null, `${row.name} at ${row.time}`);
  // The browser reports the export it was refused.
  assert.ok(problems.every((p) => /CORS|Failed to load resource|export/.test(p)), problems.join('\n'));
  await page.close();
});
