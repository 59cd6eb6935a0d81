// Several charts on one page in headless Chromium, as a dashboard uses
// them: a sync group sharing cursor and window, the time axis and tooltip in
// the reader's zone (Intl) across a daylight-saving change, stacked / area /
// envelope drawing with thresholds and annotations, the dark theme, and
// options that are refused with a message. Screenshots go to target/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { root, serverAndBrowser, openPage, frames as nextFrames, waitForState } from './harness.mjs';

const shots = `${root}target/e2e`;
let page, problems;

// 2026-10-24 00:00 UTC; Berlin leaves summer time on the 25th at 01:00 UTC.
const START = 1_792_800_000;
const MINUTES = 2 * 1440;

const context = serverAndBrowser({}, async () => {
  await mkdir(shots, { recursive: true });
  // The reader is in Berlin: charts without a timeZone option follow it.
  ({ page, problems } = await openPage(context.browser, { viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Berlin' }));
  await page.goto(`${context.server.url}?host=3yAYEDLXKL5&metric=loadavg5&range=1d`);
  await waitForState(page, 'drawn');
  // A dashboard below the demo chart: the same module, already initialised.
  await page.evaluate(async ([start, minutes]) => {
    const { Chart } = await import('/pkg/sabaplot.js');
    const times = Float64Array.from({ length: minutes }, (_, i) => start + i * 60);
    const wave = (i, base, amp) => base + amp * (0.5 + 0.5 * Math.sin(i / 180)) + (i % 7);
    const layer = (f) => Float64Array.from({ length: minutes }, (_, i) => f(i));
    const board = document.createElement('div');
    board.id = 'board';
    board.style.cssText = 'display:grid;grid-template-columns:620px 620px;gap:8px;padding:8px';
    document.body.prepend(board);
    const make = (id, options) => {
      const box = document.createElement('div');
      box.id = id;
      box.style.cssText = 'height:280px';
      board.append(box);
      return new Chart(box, options);
    };
    const charts = {
      cpu: make('cpu', { title: 'cpu (stacked)', unit: 'percentage', kind: 'stacked', group: 'host', syncRange: true,
        thresholds: [{ value: 70, level: 'critical' }],
        annotations: [{ from: start + 20 * 3600, to: start + 22 * 3600, title: '<img src=x onerror=alert(1)> deploy' }] }),
      mem: make('mem', { title: 'memory', unit: 'bytes', kind: 'area', group: 'host', syncRange: true }),
      load: make('load', { title: 'load (envelope, Tokyo)', kind: 'envelope', group: 'host', timeZone: 'Asia/Tokyo' }),
      dark: make('dark', { title: 'dark', theme: 'dark', group: 'other' }),
    };
    charts.cpu.setSeriesArrays('user', times, layer((i) => wave(i, 10, 30)));
    charts.cpu.setSeriesArrays('system', times, layer((i) => wave(i + 90, 5, 10)));
    charts.cpu.setSeriesArrays('iowait', times, layer(() => 4));
    charts.mem.setSeriesArrays('used', times, layer((i) => 2 ** 30 * wave(i, 4, 2)));
    charts.load.setSeriesArrays('loadavg5', times, layer((i) => wave(i, 0.5, 3)));
    charts.dark.setSeriesArrays('x', times, layer((i) => wave(i, 1, 2)));
    window.cursorSeen = {};
    for (const [name, chart] of Object.entries(charts)) {
      chart.onCursorMove((t) => { window.cursorSeen[name] = t; });
      chart.draw();
    }
    window.board = charts;
  }, [START, MINUTES]);
});

const frames = () => nextFrames(page);
const describe = (name) => page.evaluate((n) => {
  const chart = window.board[n];
  return { frame: chart.describe(), range: chart.getRange() };
}, name);
/** Page coordinates of CSS point (x, y) of a chart's canvas, moved to whole pixels (as the browser reports them). */
async function at(name, x, y) {
  const box = await page.locator(`#${name} canvas`).boundingBox();
  return [Math.round(box.x + x), Math.round(box.y + y)];
}

test('charts in a group share the cursor, and the window with syncRange', async () => {
  const { frame } = await describe('cpu');
  const [left, top, right, bottom] = frame.plot;
  const x = left + 0.4 * (right - left);
  await page.mouse.move(...await at('cpu', x, (top + bottom) / 2));
  await frames();
  const seen = await page.evaluate(() => window.cursorSeen);
  assert.ok(Number.isFinite(seen.cpu), 'the hovered chart reports its cursor');
  // So do the members of its group, whose crosshair it moves; not others.
  assert.equal(seen.mem, seen.cpu);
  assert.equal(seen.load, seen.cpu);
  assert.equal(seen.dark, undefined);
  // The other members draw a crosshair at the same time; other groups do not.
  for (const name of ['mem', 'load']) {
    const { frame: f, range: [from, to] } = await describe(name);
    const expected = f.plot[0] + (seen.cpu - from) / (to - from) * (f.plot[2] - f.plot[0]);
    const crosshair = page.locator(`#${name} .sabaplot-crosshair`);
    assert.equal(await crosshair.evaluate((e) => e.style.display), 'block', name);
    const left = parseFloat(await crosshair.evaluate((e) => e.style.left));
    const canvasLeft = await page.locator(`#${name} canvas`).evaluate((c) => c.offsetLeft);
    assert.ok(Math.abs(left - canvasLeft - expected) <= 1, `${name}: ${left - canvasLeft} vs ${expected}`);
  }
  assert.equal(await page.locator('#dark .sabaplot-crosshair').evaluate((e) => e.style.display), 'none');

  // A wheel zoom on cpu (syncRange) moves mem and load with it, not dark.
  const darkBefore = (await describe('dark')).range;
  await page.mouse.wheel(0, -300);
  await frames();
  const cpu = (await describe('cpu')).range;
  assert.ok(cpu[1] - cpu[0] < MINUTES * 60 * 0.8, 'cpu zoomed in');
  assert.deepEqual((await describe('mem')).range, cpu);
  assert.deepEqual((await describe('load')).range, cpu);
  assert.deepEqual((await describe('dark')).range, darkBefore);
  // load has no syncRange of its own, so dragging it leaves the others.
  const m = (await describe('load')).frame.plot;
  await page.mouse.move(...await at('load', (m[0] + m[2]) / 2, (m[1] + m[3]) / 2));
  await page.mouse.down();
  await page.mouse.move(...await at('load', (m[0] + m[2]) / 2 + 120, (m[1] + m[3]) / 2), { steps: 4 });
  await page.mouse.up();
  await frames();
  assert.notDeepEqual((await describe('load')).range, cpu);
  assert.deepEqual((await describe('cpu')).range, cpu);
  assert.deepEqual((await describe('mem')).range, cpu);
  await page.mouse.dblclick(...await at('cpu', x, (top + bottom) / 2));
  await frames();
  await page.mouse.move(0, 0);
});

test("the axis and tooltip follow the reader's zone across the autumn change", async () => {
  await page.evaluate(([s]) => window.board.cpu.setRange(s + 22 * 3600, s + 28 * 3600), [START]);
  await page.evaluate(() => window.board.cpu.draw());
  const { frame } = await describe('cpu');
  // 22:00–04:00 UTC is 00:00–05:00 in Berlin, with 02:00 twice.
  assert.deepEqual(frame.timeLabels.filter((l) => l === '02:00').length, 2, frame.timeLabels.join(' '));
  assert.ok(frame.timeLabels.includes('Oct 25'), frame.timeLabels.join(' '));
  const winter = await page.evaluate(([s]) => window.board.cpu.readout(s + 26 * 3600).timeLabel, [START]);
  const summer = await page.evaluate(([s]) => window.board.cpu.readout(s + 12 * 3600).timeLabel, [START]);
  // Written as the page's locale (en-US) writes a date, then the offset.
  assert.equal(winter, '10/25/2026, 03:00 +01:00');
  assert.equal(summer, '10/24/2026, 14:00 +02:00');
  // A chart given its own zone keeps it.
  const tokyo = await page.evaluate(([s]) => window.board.load.readout(s).timeLabel, [START]);
  assert.equal(tokyo, '10/24/2026, 09:00 +09:00');
  await page.evaluate(() => window.board.cpu.resetRange());
});

test('stacked, area and envelope charts draw their layers, thresholds and annotations', async () => {
  await page.evaluate(() => Object.values(window.board).forEach((c) => c.draw()));
  const cpu = (await describe('cpu')).frame;
  // The stack's top is the sum of the layers, and the axis starts at zero.
  const top = await page.evaluate(([s]) => {
    const r = window.board.cpu.readout(s + 600 * 60).rows;
    return r.reduce((sum, row) => sum + row.value, 0);
  }, [START]);
  assert.equal(cpu.valueRange[0], 0);
  assert.ok(cpu.valueRange[1] >= top, `${cpu.valueRange[1]} ≥ ${top}`);
  assert.equal(cpu.thresholdsDrawn, 1);
  assert.equal(cpu.annotationsDrawn, 1);
  // The annotation's title is drawn on the canvas; nothing was added as HTML.
  assert.equal(await page.locator('#board img').count(), 0);
  // Hiding a layer restacks the rest.
  await page.evaluate(() => { window.board.cpu.setVisible('user', false); window.board.cpu.draw(); });
  const restacked = (await describe('cpu')).frame;
  assert.ok(restacked.valueRange[1] < cpu.valueRange[1], 'the stack is lower without its bottom layer');
  await page.evaluate(() => { window.board.cpu.setVisible('user', true); window.board.cpu.draw(); });
  const mem = (await describe('mem')).frame;
  assert.equal(mem.valueRange[0], 0, 'an area starts at zero');
  assert.ok(mem.valueLabels.some((l) => l.endsWith('GiB')), mem.valueLabels.join(' '));
  const load = (await describe('load')).frame;
  assert.ok(load.runsDrawn >= 1 && load.verticesDrawn > 100, 'the envelope mean is drawn');

  // Pixels: the stacked chart has all three layer colours; the dark chart is dark.
  const colours = await page.evaluate(() => {
    const count = (id, test) => {
      const c = document.querySelector(`#${id} canvas`);
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (test(d[i], d[i + 1], d[i + 2])) n++;
      return n;
    };
    return {
      blue: count('cpu', (r, g, b) => b > 150 && r < 90),
      orange: count('cpu', (r, g, b) => r > 200 && g > 90 && g < 160 && b < 60),
      green: count('cpu', (r, g, b) => g > 130 && r < 80 && b < 80),
      critical: count('cpu', (r, g, b) => r > 180 && g < 60 && b < 60),
      darkBackground: count('dark', (r, g, b) => r < 40 && g < 40 && b < 45),
      lightDark: count('mem', (r, g, b) => r < 40 && g < 40 && b < 45),
      pixels: (() => { const c = document.querySelector('#dark canvas'); return c.width * c.height; })(),
      legendBackground: getComputedStyle(document.querySelector('#dark .sabaplot-legend')).backgroundColor,
    };
  });
  await page.locator('#board').screenshot({ path: `${shots}/dashboard-kinds.png` });
  assert.ok(colours.blue > 500 && colours.orange > 500 && colours.green > 500, JSON.stringify(colours));
  assert.ok(colours.critical > 20, 'the critical threshold line is drawn');
  assert.ok(colours.darkBackground > colours.pixels * 0.3 && colours.lightDark < colours.pixels * 0.01,
    `the dark theme paints a dark background, the light one does not: ${JSON.stringify(colours)}`);
  assert.equal(colours.legendBackground, 'rgb(24, 26, 31)', 'the dark legend has the dark background');
});

test('options that cannot be honoured are refused with a message, and the chart keeps drawing', async () => {
  const messages = await page.evaluate(() => {
    const chart = window.board.mem;
    const attempt = (options) => { try { chart.setOptions(options); return 'accepted'; } catch (e) { return e.message; } };
    return {
      zone: attempt({ timeZone: 'Mars/Olympus_Mons' }),
      threshold: attempt({ thresholds: [{ value: null }] }),
      annotation: attempt({ annotations: [{ from: 10, to: 5, title: 'x' }] }),
      kind: attempt({ kind: 'pie' }),
      stillDrawn: (chart.draw(), chart.describe().pointsInView),
      zoneAfter: chart.readout(chart.getRange()[0]).timeLabel,
    };
  });
  assert.match(messages.zone, /unknown time zone "Mars\/Olympus_Mons".*IANA/);
  assert.match(messages.threshold, /thresholds\[0\]\.value: invalid type: null/);
  assert.match(messages.annotation, /annotation 0 runs from 10 to 5/);
  assert.match(messages.kind, /pie/);
  assert.equal(messages.stillDrawn, MINUTES);
  assert.match(messages.zoneAfter, /\+0[12]:00$/, 'the old zone stays after a refused change');
  assert.deepEqual(problems, []);
});
