// The live tail (`load({ live: true })`) under a pinned clock that the test
// moves on, a minute at a time, on the demo server (`POST /_clock`) and in
// the page (Playwright's clock, which also runs the page's timers): each
// new minute is in the chart within one poll, the window slides with it, a
// user who zoomed away is left where they are, a stacked chart brings its
// stack up to date over the new minutes only, and a poll that fails leaves
// no gap once the next one comes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { serverAndBrowser, openPage, root, LAST_MINUTE, servedMinutes } from './harness.mjs';

const context = serverAndBrowser({ SABAPLOT_FAULTS: '' });
const WEB_01 = '3yAYEDLXKL5';
const T = LAST_MINUTE;
mkdirSync(`${root}target/e2e`, { recursive: true });

/**
 * A page whose clock runs only when the test moves it, with `charts` live
 * from T: each {name, options, series: [[label, metric]], days}.
 */
async function livePage(charts) {
  const { page, problems } = await openPage(context.browser, { viewport: { width: 1000, height: 900 } });
  await page.clock.install({ time: T * 1000 });
  await page.clock.pauseAt(T * 1000 + 5_000);
  await page.goto(`${context.server.url}embed.html?manual`);
  await page.evaluate(async ({ charts, host, t }) => {
    const pkg = await import('/pkg/sabaplot.js');
    await pkg.default();
    const { Loader } = await import('/pkg/loader.js');
    window.polls = {};
    const waiting = [];
    window.waitPolls = (name, n) => new Promise((resolve) => {
      const check = () => ((window.polls[name]?.length ?? 0) >= n ? resolve(window.polls[name]) : waiting.push(check));
      check();
    });
    window.charts = {};
    for (const { name, options, series, days } of charts) {
      const box = document.createElement('div');
      box.style.cssText = 'width: 900px; height: 260px';
      document.body.append(box);
      const chart = new pkg.Chart(box, { title: name, timeZone: 'UTC', ...options });
      const from = t - days * 86_400 + 60;
      chart.setRange(from, t + 60);
      const loader = new Loader(chart, {
        source: { api: 'mackerel', series: series.map(([label, metric]) => ({ name: label, host, metric })) },
        backoffMs: 100,
        random: () => 0.5,
        onPoll: (p) => {
          (window.polls[name] ??= []).push(p);
          waiting.splice(0).forEach((check) => check());
        },
      });
      const result = await loader.load({ from, to: t, width: 900, live: true });
      window.charts[name] = { chart, loader, result };
    }
  }, { charts, host: WEB_01, t: T });
  return { page, problems };
}

/**
 * Moves both clocks on to `minute` (+ 5 s), then the page's on as its
 * requests need (a retry's backoff), until each chart has polled `n` times.
 */
async function nextMinute(page, minute, names, n) {
  await context.server.clock(minute + 5);
  await page.clock.runFor(60_000);
  const done = () => page.evaluate(({ names, n }) => names.every((name) => (window.polls[name]?.length ?? 0) >= n), { names, n });
  for (let i = 0; i < 200 && !(await done()); i++) {
    await page.clock.runFor(100);
    await new Promise((r) => setTimeout(r, 20));
  }
  return page.evaluate(({ names }) => names.map((name) => window.polls[name]), { names });
}

/** The chart's value of series `label` at `t`, or null. */
const shown = (page, name, label, t) => page.evaluate(({ name, label, t }) =>
  window.charts[name].chart.readout(t).rows.find((r) => r.name === label && r.time === t)?.value ?? null,
{ name, label, t });

/** What the demo API serves for `metric` of web-01 at minute `t`, or null. */
async function served(metric, t) {
  const [point] = await servedMinutes(context.server.url, WEB_01, metric, t, t);
  return point?.value ?? null;
}

test('a live hour gains each minute within one poll and slides; a user who zoomed away stays', async () => {
  const charts = [
    { name: 'live', options: {}, series: [['web-01', 'loadavg5']], days: 1 / 24 },
    { name: 'away', options: {}, series: [['web-01', 'loadavg5']], days: 1 / 24 },
  ];
  const { page, problems } = await livePage(charts);
  const names = charts.map((c) => c.name);
  const started = await page.evaluate(() => Object.fromEntries(Object.entries(window.charts)
    .map(([name, c]) => [name, { range: c.chart.getRange(), errors: c.result.errors }])));
  assert.deepEqual(started.live.errors, []);
  assert.deepEqual(started.live.range, [T - 3_600 + 60, T + 60]);
  // The reader of the second chart looks at an earlier hour.
  const away = [T - 3 * 3_600, T - 2 * 3_600];
  await page.evaluate((away) => window.charts.away.chart.setRange(...away), away);
  for (let k = 1; k <= 3; k++) {
    const minute = T + 60 * k;
    await context.server.faults('');
    const polls = await nextMinute(page, minute, names, k);
    for (const list of polls) assert.deepEqual(list.at(-1), { from: minute - 60, to: minute, points: list.at(-1).points, error: null });
    for (const name of names) {
      assert.equal(await shown(page, name, 'web-01', minute), await served('loadavg5', minute), `${name}: minute ${k}`);
    }
    const ranges = await page.evaluate(() => [window.charts.live.chart.getRange(), window.charts.away.chart.getRange()]);
    assert.deepEqual(ranges[0], [T - 3_600 + 60 + 60 * k, T + 60 + 60 * k], 'the window slides with the data');
    assert.deepEqual(ranges[1], away, 'the reader who zoomed away is not moved');
  }
  await page.evaluate(() => window.charts.live.chart.draw());
  await page.screenshot({ path: `${root}target/e2e/live.png` });
  await page.evaluate(() => Object.values(window.charts).forEach((c) => c.loader.abort()));
  assert.deepEqual(problems, []);
  await page.close();
});

test('a live stacked chart restacks the new minutes only, and a failed poll leaves no gap', async () => {
  const cpu = [['user', 'cpu.user.percentage'], ['system', 'cpu.system.percentage'], ['iowait', 'cpu.iowait.percentage']];
  const { page, problems } = await livePage([{ name: 'cpu', options: { kind: 'stacked' }, series: cpu, days: 2 }]);
  // Slots of stacked layers added up so far (the chart counts them).
  const stackedSlots = () => page.evaluate(() => {
    const { chart } = window.charts.cpu;
    chart.draw();
    return chart.describe().stackedSlots;
  });
  const full = await stackedSlots();
  assert.ok(full >= 3 * 2 * 1_440, `the stack is made once: ${full} slots`);
  // A poll that fails three times (every attempt): its minute is not skipped.
  await context.server.faults(`error=503 match=from=${T}& times=9`);
  const [[failed]] = await nextMinute(page, T + 60, ['cpu'], 1);
  assert.match(failed.error, /HTTP 503/);
  await context.server.faults('');
  // The next poll asks from the newest minute loaded, so it brings both.
  const polls = await nextMinute(page, T + 120, ['cpu'], 2);
  assert.deepEqual(polls[0][1], { from: T, to: T + 120, points: polls[0][1].points, error: null });
  // Three layers × the three minutes the poll brought (T again, T + 60,
  // T + 120), whichever frame (the chart's own, or this draw) added them up.
  assert.equal(await stackedSlots() - full, 3 * 3, 'O(new minutes), not O(all minutes)');
  for (const t of [T + 60, T + 120]) {
    const values = await Promise.all(cpu.map(([, metric]) => served(metric, t)));
    for (const [k, [label]] of cpu.entries()) assert.equal(await shown(page, 'cpu', label, t), values[k], `${label} at ${t}`);
  }
  await page.evaluate(() => window.charts.cpu.loader.abort());
  assert.deepEqual(problems, []);
  await page.close();
});
