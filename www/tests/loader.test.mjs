// End-to-end for the package's loader (sabaplot/loader) against the real demo
// server with fault injection: coarse picture first, then 1-minute chunks;
// a slow chunk, a failing chunk (retried, then drawn as not loaded), an HTML
// error page, truncated JSON, a range change while loading (old requests
// cancelled), and a Prometheus source whose envelope gives way to the
// detail. In each case what is already drawn stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { serverAndBrowser, openPage, root, LAST_MINUTE, servedMinutes, servedPrometheus, firstServed } from './harness.mjs';

const context = serverAndBrowser({ SABAPLOT_FAULTS: '' });
const WEB_01 = '3yAYEDLXKL5';
// Whole minutes, an hour back so every chunk is inside the data.
const TO = LAST_MINUTE - 3_600;
mkdirSync(`${root}target/e2e`, { recursive: true });

/** A page with one chart, the package, and a fetch that logs every request. */
async function open() {
  const { browser, server } = context;
  const { page, problems } = await openPage(browser, { viewport: { width: 1000, height: 480 } });
  await page.goto(`${server.url}embed.html?manual`);
  await page.evaluate(async (to) => {
    const pkg = await import('/pkg/sabaplot.js');
    await pkg.default();
    const { Loader } = await import('/pkg/loader.js');
    const log = [];
    const spy = (url, init) => {
      const entry = { url: String(url), signal: init.signal, at: performance.now(), doneAt: null };
      log.push(entry);
      return fetch(url, init).then((r) => {
        entry.status = r.status;
        entry.doneAt = performance.now();
        return r;
      }, (e) => {
        entry.error = e.name;
        entry.doneAt = performance.now();
        throw e;
      });
    };
    const chart = new pkg.Chart(document.getElementById('chart'), { title: 'loader test', timeZone: 'UTC' });
    window.T = { pkg, Loader, chart, log, spy, to };
  }, TO);
  return { page, problems };
}

test('a Mackerel load draws the coarse picture, then chunks; failures are retried, then hatched as not loaded', async () => {
  const { page, problems } = await open();
  const { server } = context;
  const { spans, coarse } = await page.evaluate(() => {
    const { to } = T;
    const plan = T.pkg.planRequests('mackerel', to - 5 * 86_400, to, to - 5 * 86_400, to, 900);
    const coarse = plan.find((r) => r.kind === 'coarse');
    return { spans: plan.filter((r) => r.kind === 'minute').map((r) => [r.from, r.to]),
      coarse: `from=${coarse.from}&to=${coarse.to}` };
  });
  const chunks = spans.map(([from]) => from);
  assert.ok(chunks.length >= 6, `${chunks.length} chunks`);
  const [slow, failing, html, truncated, flaky] = chunks;
  await context.server.faults([
    `latency=1500 match=from=${slow}&`,
    `error=503 match=from=${failing}&`,
    `html=502 match=from=${html}&`,
    `truncate match=from=${truncated}&`,
    `error=500 match=from=${flaky}& times=1`,
  ].join('\n'));
  const run = await page.evaluate(async () => {
    const { chart, to } = T;
    const from = to - 5 * 86_400;
    chart.setRange(from, to);
    const snapshots = [];
    const loader = new T.Loader(chart, {
      source: { api: 'mackerel', series: [{ name: 'web-01', host: '3yAYEDLXKL5', metric: 'loadavg5' }] },
      fetch: T.spy,
      backoffMs: 100,
      random: () => 0.5, // every retry waits exactly backoffMs × 2^attempt
      onProgress: (p) => {
        chart.draw();
        const frame = chart.describe();
        snapshots.push({ ...p, coarse: frame.coarseDrawn, points: frame.pointsInView, label: frame.progress });
      },
    });
    T.loader = loader;
    const result = await loader.load({ from, to, width: 900 });
    chart.draw();
    const frame = chart.describe();
    return { result, snapshots, frame,
      log: T.log.map(({ url, status, at, doneAt }) => ({ url, status, at, doneAt })) };
  });
  const { result, snapshots, frame, log } = run;
  // The coarse picture was asked for first; the first answer drew a picture,
  // and the coarse one showed with the progress over it.
  assert.ok(log[0].url.endsWith(coarse), 'the coarse request goes first');
  const first = snapshots.filter((s) => s.done === 1).at(-1);
  assert.ok(first.coarse > 0 || first.points > 0, `first picture: ${JSON.stringify(first)}`);
  assert.match(first.label, /^Loading 1 of \d+ · /);
  assert.ok(snapshots.some((s) => s.coarse > 0 && s.label), 'the coarse picture under the progress');
  // The slow chunk answered last; everything else was drawn before it.
  const slowEntry = log.find((e) => e.url.includes(`from=${slow}&`) && !e.url.endsWith(coarse));
  assert.ok(log.every((e) => e === slowEntry || e.doneAt <= slowEntry.doneAt), 'the slow chunk is last');
  // While the slow chunk loads, the chart holds every minute the API serves
  // in the chunks that loaded (all but the slow one and the three that fail).
  const beforeSlow = snapshots.find((s) => s.done === s.total - 1);
  let loaded = 0;
  for (const [from, to] of spans.filter(([from]) => ![slow, failing, html, truncated].includes(from))) {
    loaded += (await servedMinutes(server.url, WEB_01, 'loadavg5', Math.max(from, TO - 5 * 86_400), Math.min(to, TO))).length;
  }
  assert.equal(beforeSlow.points, loaded, `drawn while the slow chunk loads: ${JSON.stringify(beforeSlow)}`);
  // Three attempts for each failing chunk, two for the flaky one.
  const attempts = (from) => log.filter((e) => e.url.includes(`from=${from}&`) && !e.url.endsWith(coarse)).length;
  assert.deepEqual([failing, html, truncated, flaky].map(attempts), [3, 3, 3, 2]);
  assert.equal(result.retries, 7);
  assert.equal(result.aborted, false);
  // Finally failed chunks are not loaded, each with the reason.
  const reasons = Object.fromEntries(result.notLoaded.map((s) => [s.from, s.reason]));
  assert.equal(result.notLoaded.length, 3, JSON.stringify(result.notLoaded));
  assert.match(reasons[failing], /HTTP 503: Injected fault/);
  assert.match(reasons[html], /HTML page/);
  assert.match(reasons[truncated], /truncated/);
  assert.equal(result.errors.length, 3);
  assert.equal(frame.notLoadedDrawn, 3);
  assert.equal(frame.progress, null, 'the progress is gone when the load ends');
  assert.ok(frame.coarseDrawn > 0, 'the coarse picture stays where chunks failed');
  await page.screenshot({ path: `${root}target/e2e/loader-faults.png` });

  // The chart shows what the API served, also in the chunk that needed a retry.
  const end = (from) => Math.min(spans.find(([f]) => f === from)[1], TO);
  // The first served minute of the flaky, the slow and the oldest chunk,
  // within the loaded range (on some days a chunk holds only a few minutes
  // of it, and those may fall in an outage).
  const picks = [];
  for (const chunk of [flaky, slow, Math.min(...chunks)]) {
    const [point] = await servedMinutes(server.url, WEB_01, 'loadavg5', Math.max(chunk, TO - 5 * 86_400), end(chunk));
    if (point) picks.push(point);
  }
  assert.ok(picks.length >= 2, JSON.stringify(picks));
  const minutes = picks.map((p) => p.time);
  const expected = picks.map((p) => p.value);
  const check = async () => {
    const rows = await page.evaluate((ts) => ts.map((t) => T.chart.readout(t).rows[0]), minutes);
    assert.deepEqual(rows.map((r) => r.time), minutes);
    assert.deepEqual(rows.map((r) => r.value), expected);
  };
  await check();
  // Every request fails now: a reload asks only for what is missing, and
  // what is drawn stays.
  await context.server.faults('error=500');
  const again = await page.evaluate(async () => {
    const { chart, to } = T;
    const before = chart.legend()[0];
    const result = await T.loader.load({ from: to - 5 * 86_400, to, width: 900 });
    chart.draw();
    return { result, before, after: chart.legend()[0], frame: chart.describe() };
  });
  assert.equal(again.result.requests, 4, 'the coarse picture and the three missing chunks');
  assert.equal(again.result.notLoaded.length, 3);
  assert.deepEqual(again.after, again.before, 'the legend over the drawn data is unchanged');
  await check();
  await context.server.faults('');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a new range while loading cancels the old requests and loads the new one', async () => {
  const { page, problems } = await open();
  // Every request is slow, every other one very slow: some are always in flight.
  await context.server.faults('latency=200\nlatency=1000 rate=0.5');
  const run = await page.evaluate(async () => {
    const { chart, to } = T;
    const loader = new T.Loader(chart, {
      source: { api: 'mackerel', series: [{ name: 'web-01', host: '3yAYEDLXKL5', metric: 'loadavg5' }] },
      fetch: T.spy,
      concurrency: 3,
    });
    let switched = null;
    let second = null;
    const firstDone = new Promise((resolve) => {
      loader.onProgress = (p) => {
        const pending = T.log.filter((e) => e.doneAt === null);
        if (p.done >= 4 && switched === null && pending.length > 0) {
          // Which requests are in flight is noted here, not told from
          // timestamps afterwards: an abort settles within the same
          // millisecond as the switch.
          for (const e of pending) e.pendingAtSwitch = true;
          // A day long ago, not among the newest chunks loaded so far.
          switched = T.log.length;
          chart.setRange(to - 20 * 86_400, to - 19 * 86_400);
          second = loader.load({ from: to - 20 * 86_400, to: to - 19 * 86_400, width: 900 });
          resolve();
        }
      };
    });
    const first = loader.load({ from: to - 30 * 86_400, to, width: 900 });
    await firstDone;
    const [a, b] = [await first, await second];
    const log = T.log.map(({ url, signal, error, pendingAtSwitch }) =>
      ({ url, aborted: signal.aborted, error, pendingAtSwitch: pendingAtSwitch === true }));
    chart.draw();
    return { a, b, log, switched, from: to - 20 * 86_400, to: to - 19 * 86_400, frame: chart.describe() };
  });
  assert.equal(run.a.aborted, true);
  assert.equal(run.b.aborted, false);
  assert.deepEqual(run.b.notLoaded, []);
  const inFlight = run.log.filter((e) => e.pendingAtSwitch);
  assert.ok(inFlight.length >= 1, 'requests were in flight at the switch');
  assert.ok(inFlight.every((e) => e.aborted && e.error === 'AbortError'), JSON.stringify(inFlight));
  // After the switch only the new range's requests went out.
  const after = run.log.slice(run.switched);
  for (const e of after) {
    const params = new URL(e.url, context.server.url).searchParams;
    const overlaps = Number(params.get('to')) >= run.from && Number(params.get('from')) <= run.to;
    assert.ok(overlaps, `a request for the old range after the switch: ${e.url}`);
  }
  assert.ok(after.length >= 2, `${after.length} requests for the new day`);
  const { time, value } = await firstServed(context.server.url, WEB_01, 'loadavg5', run.from + 7_200, run.to);
  const row = await page.evaluate((t) => T.chart.readout(t).rows[0], time);
  assert.deepEqual([row.time, row.value], [time, value]);
  await context.server.faults('');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a Prometheus role query draws its min/max envelope first, then every host at 1 minute', async () => {
  const { page, problems } = await open();
  const run = await page.evaluate(async () => {
    const { chart, to } = T;
    const from = to - 20 * 86_400;
    chart.setRange(from, to);
    let first = null;
    const loader = new T.Loader(chart, {
      source: { api: 'prometheus', queries: ['loadavg5{role="db"}'],
        name: (n) => /instance="([^"]+)"/.exec(n)?.[1] ?? n },
      fetch: T.spy,
      onProgress: () => {
        chart.draw();
        const frame = chart.describe();
        if (first === null && frame.coarseDrawn > 0) {
          first = { frame, names: chart.legend().map((e) => e.name) };
        }
      },
    });
    const result = await loader.load({ from, to, width: 900 });
    chart.draw();
    return { result, first, frame: chart.describe(), names: chart.legend().map((e) => e.name),
      urls: T.log.map((e) => decodeURIComponent(e.url)) };
  });
  assert.match(run.urls[0], /query=min_over_time\(loadavg5\{role="db"\}\[\d+s\]\)/);
  assert.match(run.urls[1], /query=max_over_time/);
  assert.ok(run.first, 'the envelope was drawn before the detail replaced it');
  assert.deepEqual(run.first.names, ['db-01', 'db-02']);
  assert.deepEqual(run.names, ['db-01', 'db-02'], 'the envelope and the detail are the same series');
  assert.equal(run.frame.coarseDrawn, 0, 'the detail has replaced the envelope everywhere');
  const served = await servedPrometheus(context.server.url, 'loadavg5{role="db"}', TO - 20 * 86_400, TO);
  assert.equal(run.result.points, served, 'every minute query_range serves for both hosts');
  assert.equal(run.result.points, run.frame.pointsInView, 'the minutes counted are the minutes in the chart');
  assert.deepEqual(run.result.errors, []);
  const t = (await page.evaluate(() => T.to)) - 5 * 86_400 + 420;
  const shown = await page.evaluate((t) => T.chart.readout(t).rows.find((r) => r.name === 'db-02'), t);
  const direct = await page.evaluate(async (t) => {
    const q = new URLSearchParams({ query: 'loadavg5{instance="db-02"}', start: t, end: t, step: 60 });
    const body = await (await fetch(`/api/v1/query_range?${q}`)).json();
    return Number(body.data.result[0]?.values[0]?.[1] ?? NaN);
  }, t);
  assert.equal(shown.value, direct);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a Prometheus query of 16 hosts is asked in parts small enough to parse in one short task', async () => {
  const { page, problems } = await open();
  const days = 20;
  const run = await page.evaluate(async (days) => {
    const { chart, to } = T;
    const from = to - days * 86_400;
    chart.setRange(from, to);
    const source = { api: 'prometheus', queries: ['loadavg5{role="web"}'] };
    const loader = new T.Loader(chart, { source, fetch: T.spy });
    const result = await loader.load({ from, to, width: 900 });
    const urls = T.log.map((e) => e.url);
    // The points in each 1-minute answer, asked again.
    const sizes = [];
    for (const url of urls.filter((u) => !decodeURIComponent(u).includes('_over_time'))) {
      const body = await (await fetch(url)).json();
      sizes.push(body.data.result.reduce((n, s) => n + s.values.length, 0));
    }
    // Loaded again, the same range asks for nothing.
    const again = await loader.load({ from, to, width: 900 });
    chart.draw();
    return { result, sizes, again, asked: T.log.length - urls.length, hosts: chart.legend().length,
      inView: chart.describe().pointsInView };
  }, days);
  const served = await servedPrometheus(context.server.url, 'loadavg5{role="web"}', TO - days * 86_400, TO);
  assert.equal(run.hosts, 16);
  // 16 hosts × 20 days is 460,800 points: at most 44,000 an answer.
  assert.ok(Math.max(...run.sizes) <= 44_000, `answers of ${run.sizes.join(', ')} points`);
  assert.ok(run.sizes.length >= 11, `answers of ${run.sizes.join(', ')} points`);
  assert.equal(run.sizes.reduce((a, b) => a + b, 0), served, 'the parts hold every minute served');
  assert.equal(run.result.points, served);
  assert.equal(run.inView, served, 'every minute is in the chart once');
  assert.equal(run.result.requests, 2 + run.sizes.length, 'the progress counts every part');
  assert.deepEqual(run.result.errors, []);
  assert.equal(run.asked, 0, 'the chunks loaded in parts are known as loaded');
  assert.equal(run.again.requests, 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('when one half of a Prometheus envelope fails for good, the other half is freed and the detail still loads', async () => {
  const { page, problems } = await open();
  await context.server.faults('error=500 match=max_over_time');
  const run = await page.evaluate(async () => {
    const { chart, to } = T;
    const from = to - 10 * 86_400;
    chart.setRange(from, to);
    // Count what is freed by hand; series handed to the chart are taken
    // over by it, not freed.
    let freed = 0;
    const free = T.pkg.SeriesData.prototype.free;
    T.pkg.SeriesData.prototype.free = function () { freed += 1; return free.call(this); };
    const loader = new T.Loader(chart, {
      source: { api: 'prometheus', queries: ['loadavg5{role="db"}'],
        name: (n) => /instance="([^"]+)"/.exec(n)?.[1] ?? n },
      fetch: T.spy, backoffMs: 20, random: () => 0.5,
    });
    try {
      const result = await loader.load({ from, to, width: 900 });
      chart.draw();
      return { result, freed, frame: chart.describe(), names: chart.legend().map((e) => e.name),
        failed: T.log.filter((e) => e.status === 500).map((e) => decodeURIComponent(e.url)) };
    } finally {
      T.pkg.SeriesData.prototype.free = free;
    }
  });
  await context.server.faults('');
  assert.ok(run.failed.length >= 1 && run.failed.every((u) => u.includes('max_over_time')), run.failed.join('\n'));
  assert.equal(run.freed, 2, 'the minimum half held two series, both freed');
  assert.deepEqual(run.names, ['db-01', 'db-02']);
  assert.equal(run.frame.coarseDrawn, 0);
  assert.equal(run.result.points, await servedPrometheus(context.server.url, 'loadavg5{role="db"}', TO - 10 * 86_400, TO));
  assert.deepEqual(problems, []);
  await page.close();
});

test('a query that matches nothing is an error in the result and on the chart, which never reads 1970', async () => {
  const { page, problems } = await open();
  const run = await page.evaluate(async () => {
    const { chart, to } = T;
    const from = to - 2 * 86_400;
    chart.draw();
    const empty = chart.describe().timeLabels;
    const loader = new T.Loader(chart, {
      source: { api: 'prometheus', queries: ['no_such_metric{role="db"}', 'loadavg5{role="nobody"}'] },
      fetch: T.spy,
    });
    const result = await loader.load({ from, to, width: 900 });
    chart.draw();
    const frame = chart.describe();
    const range = chart.getRange();
    // A Mackerel series whose every answer is empty (a range before its
    // data begins) says so too. (A metric the host does not have is an
    // HTTP 404 of the API, reported as such.)
    const mackerel = new T.Loader(chart, {
      source: { api: 'mackerel', series: [{ name: 'web-01', host: '3yAYEDLXKL5', metric: 'loadavg5' }] },
      fetch: T.spy,
    });
    const second = await mackerel.load({ from: to - 600 * 86_400, to: to - 590 * 86_400, width: 900 });
    return { empty, result, frame, range, from, to, second };
  });
  assert.deepEqual(run.empty, [], 'a chart without data has no time labels');
  const range = `${new Date(run.from * 1000).toISOString()}–${new Date(run.to * 1000).toISOString()}`;
  assert.deepEqual(run.result.errors, [
    `${range}: query matched no series: no_such_metric{role="db"}`,
    `${range}: query matched no series: loadavg5{role="nobody"}`,
  ]);
  assert.deepEqual(run.result.notLoaded.map((s) => [s.from, s.to]), [[run.from, run.to + 60]]);
  assert.equal(run.frame.notLoadedDrawn, 1, 'the chart shows why over the range asked for');
  assert.deepEqual(run.range, [run.from, run.to + 60]);
  assert.ok(run.frame.timeLabels.length > 0 && !run.frame.timeLabels.some((l) => l.includes('1970')), run.frame.timeLabels.join(' '));
  assert.equal(run.second.errors.length, 1, run.second.errors.join('\n'));
  assert.match(run.second.errors[0], /: web-01: no data points for metric loadavg5 of host 3yAYEDLXKL5$/);
  assert.deepEqual(problems, []);
  await page.close();
});
