// End-to-end for the data sources: in headless Chromium, the package plans a
// 30-day load from the demo server's Prometheus-compatible query_range,
// fetches every request from the real server process, parses the bodies in
// wasm and merges the chunks into a chart; the values under the cursor equal
// what the API serves for the same minute.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, LAST_MINUTE, servedPrometheus } from './harness.mjs';

const context = serverAndBrowser();

test('a planned Prometheus load fetches every chunk within the limit and the chart shows the served values', async () => {
  const { page, problems } = await openPage(context.browser, { viewport: { width: 1000, height: 500 } });
  await page.goto(context.server.url);
  const to = LAST_MINUTE - 3_600;
  const result = await page.evaluate(async (to) => {
    const { default: init, Chart, planRequests, parsePrometheus } = await import('/pkg/sabaplot.js');
    await init();
    const query = 'loadavg5{instance="web-01"}';
    const from = to - 30 * 86_400;
    const plan = planRequests('prometheus', from, to, to - 86_400, to, 800, query);
    const ask = async (r) => {
      const url = `/api/v1/query_range?${new URLSearchParams({ query: r.promql, start: r.from, end: r.to, step: r.step })}`;
      const response = await fetch(url);
      return parsePrometheus(response.status, new Uint8Array(await response.arrayBuffer()));
    };
    const canvas = document.createElement('canvas');
    canvas.style.cssText = 'width: 900px; height: 300px';
    document.body.replaceChildren(canvas);
    const chart = new Chart(canvas, { legend: false });
    const order = [];
    for (const r of plan) {
      const [series] = await ask(r);
      order.push(r.kind);
      if (r.kind !== 'minute' || !series) { series?.free(); continue; }
      const values = series.values();
      const times = Float64Array.from(values, (_, i) => series.start + i * series.step);
      chart.appendSeries('web-01', times, values);
      series.free();
    }
    chart.setRange(from, to);
    chart.draw();
    const points = chart.describe().pointsInView;
    // Three minutes, compared with a direct 1-minute query for each.
    const checks = [];
    for (const t of [to - 600, to - 10 * 86_400 + 60 * 37, from + 86_400 + 60 * 501]) {
      const [direct] = await ask({ promql: query, from: t, to: t, step: 60 });
      const served = direct ? direct.values()[0] : null;
      direct?.free();
      const row = chart.readout(t).rows[0];
      checks.push({ t, served, shown: row?.value ?? null, at: row?.time });
    }
    chart.destroy();
    return { order, points, checks, requests: plan.length, from };
  }, to);
  assert.deepEqual(result.order.slice(0, 2), ['min', 'max'], 'the envelope comes first');
  assert.ok(result.order.slice(2).every((k) => k === 'minute'));
  assert.ok(result.requests >= 6, `${result.requests} requests`);
  const served = await servedPrometheus(context.server.url, 'loadavg5{instance="web-01"}', result.from, to);
  assert.equal(result.points, served, 'every minute query_range serves in the 30 days');
  assert.ok(result.checks.filter((c) => c.served !== null).length >= 2, JSON.stringify(result.checks));
  for (const { t, served, shown, at } of result.checks) {
    assert.equal(at, t, `the readout is at minute ${t}`);
    assert.equal(shown, served, `minute ${t}: the chart shows ${shown}, the API served ${served}`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});
