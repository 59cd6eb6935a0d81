// The loader's engine profiles against the demo server, whose
// /api/v1/export answers as VictoriaMetrics' does: the stored samples come
// from the export a month at a time (the envelope from query_range), a
// failing export chunk is retried and then drawn as not loaded, and where
// the export is not served the same minutes come from query_range. Also:
// each engine's chunks in the plan, and limits of an engine's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { serverAndBrowser, openPage, root, LAST_MINUTE } from './harness.mjs';

const context = serverAndBrowser({ SABAPLOT_FAULTS: '' });
const TO = LAST_MINUTE - 3_600;
const QUERY = 'loadavg5{role="db"}';
mkdirSync(`${root}target/e2e`, { recursive: true });

/** Every sample the demo server exports for QUERY in [from, to], by instance: time → value. */
async function exported(from, to) {
  const q = new URLSearchParams({ 'match[]': QUERY, start: from, end: to });
  const response = await fetch(`${context.server.url}api/v1/export?${q}`);
  assert.equal(response.status, 200);
  const out = new Map();
  for (const line of (await response.text()).split('\n').filter(Boolean)) {
    const { metric, values, timestamps } = JSON.parse(line);
    const samples = out.get(metric.instance) ?? new Map();
    timestamps.forEach((ms, k) => samples.set(ms / 1000, values[k]));
    out.set(metric.instance, samples);
  }
  return out;
}

/** Loads [from, to] of QUERY from the demo server as `api` on a fresh page. */
async function load(api, from, to, extra = {}) {
  const { page, problems } = await openPage(context.browser, { viewport: { width: 1000, height: 480 } });
  await page.goto(`${context.server.url}embed.html?manual`);
  const run = await page.evaluate(async ({ api, from, to, query, extra }) => {
    const pkg = await import('/pkg/sabaplot.js');
    await pkg.default();
    const { Loader } = await import('/pkg/loader.js');
    const chart = new pkg.Chart(document.getElementById('chart'), { title: `loadavg5 · ${api}`, timeZone: 'UTC' });
    window.chart = chart;
    chart.setRange(from, to);
    const asked = [];
    const loader = new Loader(chart, {
      source: { api, queries: [query], name: (n) => /instance="([^"]+)"/.exec(n)?.[1] ?? n, ...extra },
      fetch: async (url, init) => {
        const r = await fetch(url, init);
        asked.push({ url: decodeURIComponent(url), status: r.status });
        return r;
      },
      backoffMs: 20,
      random: () => 0.5,
    });
    const result = await loader.load({ from, to, width: 900 });
    chart.draw();
    return { result, asked, names: chart.legend().map((e) => e.name), frame: chart.describe() };
  }, { api, from, to, query: QUERY, extra });
  return { page, problems, run };
}

/**
 * The chart's values at `times` equal the stored samples there; a minute
 * without one is a gap too when the chart has its data from the export
 * (query_range fills short gaps with the sample before them).
 */
async function sameValues(page, stored, times, { gaps = true } = {}) {
  const rows = await page.evaluate((times) => times.map((t) => chart.readout(t).rows), times);
  let compared = 0;
  for (const row of rows.flat()) {
    const value = stored.get(row.name).get(row.time) ?? null;
    if (value === null && !gaps) continue;
    assert.equal(row.value, value, `${row.name} at ${row.time}`);
    compared += 1;
  }
  assert.ok(compared >= times.length, `${compared} values compared`);
}

test('VictoriaMetrics: the stored samples from the export, a failing month retried and then hatched', async () => {
  const from = TO - 75 * 86_400 + 60;
  const plan = await (async () => {
    const { page } = await openPage(context.browser);
    await page.goto(`${context.server.url}embed.html?manual`);
    const p = await page.evaluate(async (a) => {
      const pkg = await import('/pkg/sabaplot.js');
      await pkg.default();
      return pkg.planRequests('victoriametrics', a.from, a.to, a.from, a.to, 900, a.query);
    }, { from, to: TO, query: QUERY });
    await page.close();
    return p;
  })();
  const months = plan.filter((r) => r.kind === 'samples');
  assert.ok(months.length >= 3 && months.every((r) => r.to - r.from === 30 * 86_400 - 60), JSON.stringify(months));
  const [flaky, failing] = months.map((r) => r.from);
  await context.server.faults([`error=503 match=start=${flaky}& times=1`, `html=502 match=start=${failing}&`].join('\n'));
  const { page, problems, run } = await load('victoriametrics', from, TO);
  await context.server.faults('');
  const detail = run.asked.filter((a) => !a.url.includes('_over_time'));
  assert.ok(detail.every((a) => a.url.startsWith('/api/v1/export?match[]=loadavg5{role="db"}&')), detail.map((a) => a.url).join('\n'));
  assert.equal(detail.filter((a) => a.url.includes(`start=${flaky}&`)).length, 2, 'the flaky month is asked again');
  assert.equal(detail.filter((a) => a.url.includes(`start=${failing}&`)).length, 3, 'the failing one three times');
  assert.equal(run.result.notLoaded.length, 1);
  assert.match(run.result.notLoaded[0].reason, /HTML page/);
  assert.deepEqual(run.names, ['db-01', 'db-02']);
  // Every exported sample outside the part that failed is in the chart (a
  // month of two series, 86,400 samples, is asked in one part).
  const failed = new URLSearchParams(detail.find((a) => a.url.includes(`start=${failing}&`)).url.split('?')[1]);
  assert.deepEqual(run.result.notLoaded.map((s) => [s.from, s.to]), [[failing, Number(failed.get('end')) + 60]]);
  const stored = await exported(from, TO);
  let expected = 0;
  for (const samples of stored.values()) {
    for (const t of samples.keys()) if (t < failing || t > Number(failed.get('end'))) expected += 1;
  }
  assert.equal(run.result.points, expected);
  await sameValues(page, stored, [from + 60 * 7, flaky + 86_400 + 60 * 3, TO - 60 * 5, TO]);
  await page.screenshot({ path: `${root}target/e2e/engines-export.png` });
  assert.ok(problems.every((p) => /503|502/.test(p)), problems.join('\n'));
  await page.close();
});

test('VictoriaMetrics without its export (a proxy refuses it) loads the same minutes from query_range', async () => {
  const from = TO - 40 * 86_400 + 60;
  await context.server.faults('error=404 match=/api/v1/export');
  const { page, problems, run } = await load('victoriametrics', from, TO);
  await context.server.faults('');
  assert.deepEqual(run.result.errors, []);
  assert.deepEqual(run.result.notLoaded, []);
  const ranges = run.asked.filter((a) => a.url.startsWith('/api/v1/query_range?query=loadavg5{role="db"}&'));
  assert.ok(ranges.length >= 2, run.asked.map((a) => a.url).join('\n'));
  // After the first refusal, no month asks the export again.
  const exports = run.asked.filter((a) => a.url.startsWith('/api/v1/export'));
  assert.ok(exports.length >= 1 && exports.length <= 6, `${exports.length} export requests`);
  const stored = await exported(from, TO);
  await sameValues(page, stored, [from + 60 * 3, TO - 20 * 86_400 + 60 * 9, TO], { gaps: false });
  assert.ok(problems.every((p) => /404/.test(p)), problems.join('\n'));
  await page.close();
});

test('each engine plans chunks within its limits; an engine with limits of its own gets its own chunks', async () => {
  const from = TO - 12 * 86_400 + 60;
  const { page, problems } = await openPage(context.browser);
  await page.goto(`${context.server.url}embed.html?manual`);
  const plans = await page.evaluate(async ({ from, to, query }) => {
    const pkg = await import('/pkg/sabaplot.js');
    await pkg.default();
    const spans = (api, q = query) => pkg.planRequests(api, from, to, from, to, 900, q)
      .filter((r) => r.kind === 'minute' || r.kind === 'samples').map((r) => [r.kind, (r.to - r.from + 60) / 3_600]);
    const refused = (api) => { try { pkg.planRequests(api, from, to, from, to, 900, query); return null; } catch (e) { return e.message; } };
    return {
      prometheus: spans('prometheus'), thanos: spans('thanos'), mimir: spans('mimir'),
      victoria: spans('victoriametrics'), victoriaExpression: spans('victoriametrics', `rate(${query}[5m])`),
      custom: spans({ maxPoints: 360, splitBy: 86_400 }),
      unknown: refused('influx'), badLimits: refused({ maxPoints: 0, splitBy: 3_600 }), noLimits: refused({}),
    };
  }, { from, to: TO, query: QUERY });
  const hours = (list) => [...new Set(list.map(([kind, h]) => `${kind} ${h}`))];
  assert.deepEqual(hours(plans.prometheus), ['minute 168']);
  assert.deepEqual(hours(plans.thanos), ['minute 168']);
  assert.deepEqual(hours(plans.mimir), ['minute 24']);
  assert.deepEqual(hours(plans.victoria), ['samples 720']);
  assert.deepEqual(hours(plans.victoriaExpression), ['minute 480'], 'an expression is not exported');
  assert.deepEqual(hours(plans.custom), ['minute 6']);
  assert.match(plans.unknown, /unknown API "influx"/);
  assert.match(plans.badLimits, /maxPoints is 0; it must be a number from 1 to 1e9/);
  assert.match(plans.noLimits, /a custom API needs maxPoints/);
  // A loader with an engine's own limits asks in its chunks, and gets every minute.
  const load6h = await load('prometheus', from, TO, { limits: { maxPoints: 360, splitBy: 86_400 } });
  const minutes = load6h.run.asked.filter((a) => !a.url.includes('_over_time'));
  for (const { url } of minutes) {
    const q = new URLSearchParams(url.split('?')[1]);
    assert.ok((q.get('end') - q.get('start')) / 60 <= 360, url);
  }
  assert.deepEqual(load6h.run.result.errors, []);
  await sameValues(load6h.page, await exported(from, TO), [from + 60, TO - 3 * 86_400, TO], { gaps: false });
  assert.deepEqual([...problems, ...load6h.problems], []);
  await load6h.page.close();
  await page.close();
});
