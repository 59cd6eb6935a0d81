// End-to-end interaction: wheel, drag, shift-drag, double-click, keys,
// hover and legend clicks on the demo page in headless Chromium, checked
// against the values the demo API served. Screenshots go to target/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { root, serverAndBrowser, openPage, frames as nextFrames, waitForState } from './harness.mjs';

const shots = `${root}target/e2e`;
let page, problems;

/** The page's chart, range and plot area (CSS pixels = device pixels here). */
const state = () => page.evaluate(() => {
  const chart = window.__sabaplot.chart;
  const { plot: [left, top, right, bottom], columnsKept, columns, ratio } = chart.describe();
  return { range: chart.getRange(), plot: { left, top, right, bottom }, columnsKept, columns, ratio };
});
const frames = () => nextFrames(page);
/** The time under CSS x of the canvas, as the chart converts it. */
const timeAt = (x) => page.evaluate((x) => window.__sabaplot.chart.timeAt(x), x);
/**
 * Page coordinates of CSS point (x, y) of the canvas. The pointer goes to
 * whole pixels only (the browser reports whole offsets): x is exact, as the
 * canvas starts on a whole pixel; y is rounded.
 */
async function at(x, y) {
  assert.ok(Number.isInteger(x), `whole pixels: ${x}`);
  const box = await page.locator('#chart').boundingBox();
  assert.ok(Number.isInteger(box.x), `the canvas starts on a whole pixel: ${box.x}`);
  return [box.x + x, Math.round(box.y + y)];
}
/** The whole pixel a share `f` of the way across the plot, and its middle row. */
const across = ({ plot }, f) => [Math.round(plot.left + f * (plot.right - plot.left)), Math.round((plot.top + plot.bottom) / 2)];

const context = serverAndBrowser({}, async () => {
  await mkdir(shots, { recursive: true });
  ({ page, problems } = await openPage(context.browser, { viewport: { width: 1280, height: 720 } }));
  await page.goto(`${context.server.url}?host=3yAYEDLXKL5&metric=loadavg5&range=7d`);
  await waitForState(page, 'drawn');
});

test('the wheel zooms in around the time under the pointer', async () => {
  const before = await state();
  const [x, y] = across(before, 0.75);
  const pinned = await timeAt(x);
  const back = await page.evaluate((t) => window.__sabaplot.chart.xAt(t), pinned);
  assert.ok(Math.abs(back - x) < 1e-6, `xAt undoes timeAt: ${back} vs ${x}`);
  await page.mouse.move(...await at(x, y));
  await page.mouse.wheel(0, -400);
  await frames();
  const after = await state();
  const span = (s) => s.range[1] - s.range[0];
  assert.ok(span(after) < span(before) * 0.7, `${span(after)} < ${span(before)}`);
  // The time under the pointer keeps its place in the plot area (the area
  // itself moves by a pixel when the value axis' labels change width), to
  // within half a device pixel: the window drawn starts on a whole column.
  const share = ({ plot }, px) => (px - plot.left) / (plot.right - plot.left);
  const now = await page.evaluate((t) => window.__sabaplot.chart.xAt(t), pinned);
  const width = after.plot.right - after.plot.left;
  assert.ok(Math.abs(share(after, now) - share(before, x)) * width <= 0.5 / after.ratio + 1e-9,
    `the time under the pointer stays put: at ${now} px of ${JSON.stringify(after.plot)}, was ${x} px of ${JSON.stringify(before.plot)}`);
});

test('dragging pans by the distance moved; shift-drag zooms to the selection', async () => {
  const before = await state();
  const { left, right } = before.plot;
  const [x, y] = across(before, 0.5);
  await page.mouse.move(...await at(x, y));
  await page.mouse.down();
  await page.mouse.move(...await at(x + 200, y), { steps: 5 });
  await page.mouse.up();
  await frames();
  const panned = await state();
  const shift = (before.range[1] - before.range[0]) * 200 / (right - left);
  // From the window drawn, which starts on a whole column: within half a
  // column of the one asked for.
  const halfColumn = (before.range[1] - before.range[0]) / before.columns / 2;
  assert.ok(Math.abs(before.range[0] - shift - panned.range[0]) <= halfColumn + 1, 'earlier by 200 px worth');
  assert.ok(Math.abs((panned.range[1] - panned.range[0]) - (before.range[1] - before.range[0])) < 1e-6);
  // The last frame of the drag moved the lines it had and drew what the
  // move revealed (a drag moves by whole pixels).
  assert.ok(panned.columnsKept > panned.columns / 2, `${panned.columnsKept} of ${panned.columns} columns kept`);

  const [a, b] = [left + 100, left + 400];
  const want = [await timeAt(a), await timeAt(b)];
  await page.keyboard.down('Shift');
  await page.mouse.move(...await at(a, y));
  await page.mouse.down();
  await page.mouse.move(...await at(b, y), { steps: 5 });
  assert.ok(await page.locator('.sabaplot-selection').isVisible(), 'the selection band shows');
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await frames();
  const selected = await state();
  assert.ok(Math.abs(selected.range[0] - want[0]) < 1 && Math.abs(selected.range[1] - want[1]) < 1,
    `${selected.range} ≈ ${want}`);
  assert.ok(!(await page.locator('.sabaplot-selection').isVisible()));
});

test('double-click goes back to the full range; keys pan and zoom', async () => {
  const { plot } = await state();
  await page.mouse.dblclick(...await at(...across({ plot }, 0.5)));
  await frames();
  const full = await state();
  const data = await page.evaluate(() => {
    const chart = window.__sabaplot.chart;
    chart.resetRange();
    return chart.getRange();
  });
  assert.deepEqual(full.range, data);
  await page.focus('#chart');
  await page.keyboard.press('+');
  await frames();
  const zoomed = await state();
  const span = full.range[1] - full.range[0];
  assert.ok(Math.abs((zoomed.range[1] - zoomed.range[0]) - span / 2) < 1);
  await page.keyboard.press('ArrowLeft');
  await frames();
  const left = await state();
  // A tenth of the window, in whole device-pixel columns (a drag's too).
  const columns = await page.evaluate(() => window.__sabaplot.chart.describe().columns);
  const tenth = (Math.round(columns / 10) / columns) * (span / 2);
  // From the window drawn, within half a column of the one asked for.
  const halfColumn = span / 2 / columns / 2;
  assert.ok(Math.abs(zoomed.range[0] - left.range[0] - tenth) <= halfColumn * (1 + 1e-9));
});

test('the tooltip shows the raw value the API served for the minute under the cursor', async () => {
  // A one-day window ending an hour ago, from the API as JSON.
  const { from, to, api } = await page.evaluate(async () => {
    const chart = window.__sabaplot.chart;
    const end = chart.getRange()[1];
    const [from, to] = [end - 86_400 - 3_600, end - 3_600];
    chart.setRange(from, to);
    // At most 20 hours a request: longer ranges come back as averages.
    const api = [];
    for (let t = Math.floor(from); t <= to; t += 43_200) {
      const response = await fetch(`/api/v0/hosts/3yAYEDLXKL5/metrics?name=loadavg5&from=${t}&to=${Math.min(t + 43_199, Math.ceil(to))}`);
      api.push(...(await response.json()).metrics);
    }
    return { from, to, api };
  });
  await frames();
  const s = await state();
  // A pixel near 40 % across whose nearest minute has a value (the data has gaps).
  const [x0, y] = across(s, 0.4);
  const x = await page.evaluate((x0) => {
    const chart = window.__sabaplot.chart;
    for (let d = 0; d < 200; d++) {
      for (const x of [x0 + d, x0 - d]) if (chart.readout(chart.timeAt(x)).rows[0]?.value != null) return x;
    }
    return null;
  }, x0);
  assert.ok(x !== null, 'a minute with a value near 40 % across');
  await page.mouse.move(...await at(x, y));
  await frames();
  const tooltip = page.locator('[role="tooltip"]');
  assert.ok(await tooltip.isVisible());
  const row = await page.evaluate((t) => window.__sabaplot.chart.readout(t).rows[0], await timeAt(x));
  const served = api.find((p) => p.time === row.time);
  assert.ok(served, `the API served minute ${row.time}`);
  assert.equal(row.value, served.value, 'the raw 1-minute value, not a thinned one');
  assert.ok(Math.abs(row.time - await timeAt(x)) <= 30, 'the minute nearest the cursor');
  const text = await tooltip.textContent();
  assert.ok(text.includes(row.label) && text.includes('loadavg5'), text);
  await page.screenshot({ path: `${shots}/tooltip-1d.png` });

  // The legend's statistics are exact over the window.
  const legend = await page.evaluate(() => window.__sabaplot.chart.legend()[0]);
  const inWindow = api.filter((p) => p.time >= from && p.time <= to).map((p) => p.value);
  const sum = inWindow.reduce((a, b) => a + b, 0);
  assert.equal(legend.count, inWindow.length);
  assert.equal(legend.min, Math.min(...inWindow));
  assert.equal(legend.max, Math.max(...inWindow));
  assert.ok(Math.abs(legend.avg - sum / inWindow.length) < 1e-9 * Math.abs(sum));
  assert.equal(legend.last, inWindow.at(-1));
  const item = page.locator('.sabaplot-legend-item', { hasText: 'loadavg5' });
  assert.equal(await item.getAttribute('aria-pressed'), 'true');
  assert.ok((await item.textContent()).includes('min '));
});

test('clicking a legend item hides its series and the value range refits', async () => {
  // A second series, named with markup that must show as text.
  const name = '<b>double</b>';
  const before = await page.evaluate((name) => {
    const chart = window.__sabaplot.chart;
    const data = chart.legend()[0];
    const [from, to] = chart.getRange();
    const times = new Float64Array(1441).map((_, i) => from + i * 60);
    const values = times.map((_, i) => data.max * 2 + (i % 7));
    chart.setSeriesArrays(name, times, values);
    chart.draw();
    return chart.describe().valueRange;
  }, name);
  await frames();
  const item = page.locator('.sabaplot-legend-item', { hasText: name });
  assert.equal(await item.count(), 1, 'the name is shown as text');
  assert.equal(await page.locator('.sabaplot-legend b').count(), 0, 'never as HTML');
  const orange = () => page.evaluate(() => {
    const canvas = document.getElementById('chart');
    const { plot, ratio } = window.__sabaplot.chart.describe();
    const [left, top, right, bottom] = plot.map((v) => Math.round(v * ratio));
    const { data } = canvas.getContext('2d').getImageData(left, top, right - left, bottom - top);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] > 200 && data[i + 1] > 90 && data[i + 1] < 160 && data[i + 2] < 60) n++;
    }
    return n;
  });
  assert.ok(await orange() > 100, 'the second series is drawn');
  await page.screenshot({ path: `${shots}/legend-two-series.png` });
  await item.click();
  await frames();
  assert.equal(await item.getAttribute('aria-pressed'), 'false');
  assert.equal(await orange(), 0, 'a hidden series is not drawn');
  const after = await page.evaluate(() => window.__sabaplot.chart.describe().valueRange);
  assert.ok(after[1] < before[1] / 1.5, `the value range refits: ${after} vs ${before}`);
  await page.screenshot({ path: `${shots}/legend-hidden.png` });
  await item.click();
  await frames();
  assert.equal(await item.getAttribute('aria-pressed'), 'true');
  assert.deepEqual(problems, []);
});
