// An API that rate-limits: the demo server answers every third request
// with `429` and `Retry-After: 2`. The loader waits as told (every request
// of the pool with it), shows the wait on the chart, loses no minute and
// spends no retry on it; a pool with a requests-per-second budget never
// lets more requests go in any second.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { serverAndBrowser, openPage, root, LAST_MINUTE, servedMinutes } from './harness.mjs';

const context = serverAndBrowser({ SABAPLOT_FAULTS: '' });
const WEB_01 = '3yAYEDLXKL5';
const TO = LAST_MINUTE - 3_600;
mkdirSync(`${root}target/e2e`, { recursive: true });

test('429 with Retry-After: the waits are shown, every minute loads, and the pool keeps its budget', async () => {
  const { page, problems } = await openPage(context.browser, { viewport: { width: 1000, height: 480 } });
  await page.goto(`${context.server.url}embed.html?manual`);
  await context.server.faults('error=429 every=3 retry-after=2 match=/api/');
  const from = TO - 3 * 86_400;
  const run = await page.evaluate(async ({ from, to, host }) => {
    const pkg = await import('/pkg/sabaplot.js');
    await pkg.default();
    const { Loader, RequestPool } = await import('/pkg/loader.js');
    const chart = new pkg.Chart(document.getElementById('chart'), { title: 'rate limited', timeZone: 'UTC' });
    window.chart = chart;
    chart.setRange(from, to);
    const sent = [];
    const waits = [];
    const pool = new RequestPool(6, 1000, { requestsPerSecond: 2 });
    const loader = new Loader(chart, {
      source: { api: 'mackerel', series: [{ name: 'web-01', host, metric: 'loadavg5' }] },
      pool,
      fetch: async (url, init) => {
        const entry = { at: performance.now(), status: null, doneAt: null };
        sent.push(entry);
        const r = await fetch(url, init);
        Object.assign(entry, { status: r.status, doneAt: performance.now() });
        return r;
      },
      onProgress: (p) => {
        if (p.waitSeconds === undefined) return;
        chart.draw();
        waits.push({ seconds: p.waitSeconds, status: p.waitStatus, label: chart.describe().progress });
      },
    });
    const result = await loader.load({ from, to, width: 900 });
    chart.draw();
    return { result, sent, waits, frame: chart.describe() };
  }, { from, to: TO, host: WEB_01 });
  await context.server.faults('');
  const { result, sent, waits, frame } = run;
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.notLoaded, []);
  assert.equal(result.retries, 0, 'a wait uses up no retry');
  // Every third request was refused and asked again.
  assert.equal(result.waits, Math.floor(sent.length / 3));
  assert.equal(sent.filter((e) => e.status === 429).length, result.waits);
  assert.ok(result.waits >= 2, `${result.waits} waits`);
  const served = (await servedMinutes(context.server.url, WEB_01, 'loadavg5', from, TO)).length;
  assert.equal(result.points, served, 'every minute the API serves');
  assert.equal(frame.pointsInView, served);
  // The chart said so while it waited, counting down from 2 s.
  assert.ok(waits.length >= 2, JSON.stringify(waits));
  assert.ok(waits.every((w) => w.status === 429 && w.seconds > 0 && w.seconds <= 2));
  assert.match(waits[0].label, /^Loading \d+ of \d+ · .* · waiting for the API: rate limited, 2 s$/);
  assert.ok(waits.some((w) => /rate limited, 1 s$/.test(w.label)), 'the wait counts down');
  // Requests resumed only after each wait, and no second held more than 2.
  const at = sent.map((e) => e.at);
  for (const start of at) {
    const inSecond = at.filter((t) => t >= start && t < start + 1000).length;
    assert.ok(inSecond <= 2, `${inSecond} requests in the second from ${start.toFixed(0)} ms: ${sent.map((e) => `${e.at.toFixed(0)}:${e.status}`)}`);
  }
  for (const refused of sent.filter((e) => e.status === 429)) {
    const early = at.filter((t) => t > refused.doneAt && t < refused.doneAt + 1990);
    assert.deepEqual(early, [], `requests sent within 2 s of the 429 answered at ${refused.doneAt.toFixed(0)} ms`);
  }
  await page.screenshot({ path: `${root}target/e2e/ratelimit.png` });
  assert.ok(problems.every((p) => /429/.test(p)), problems.join('\n'));
  await page.close();
});

test('a requests-per-second budget that is not a positive number is refused', async () => {
  const { page } = await openPage(context.browser);
  await page.goto(`${context.server.url}embed.html?manual`);
  const errors = await page.evaluate(async () => {
    const { RequestPool } = await import('/pkg/loader.js');
    return [0, -1, NaN, 'fast'].map((rate) => {
      try {
        new RequestPool(6, 1000, { requestsPerSecond: rate });
        return null;
      } catch (e) {
        return e.message;
      }
    });
  });
  assert.ok(errors.every((e) => /requestsPerSecond must be a number above 0/.test(e)), errors.join('\n'));
  await page.close();
});
