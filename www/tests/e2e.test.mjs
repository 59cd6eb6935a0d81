// End-to-end: the real demo server on a free port, the host page in headless
// Chromium, the way a person uses it. Screenshots go to target/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { root, serverAndBrowser, waitForState, openPage as open, frames, servedMinutes } from './harness.mjs';

const shots = `${root}target/e2e`;
const SERIES_BLUE = [31, 119, 180];

const context = serverAndBrowser();
mkdirSync(shots, { recursive: true });

/** Opens the page, collecting console errors and uncaught exceptions. */
async function openPage(path = '', deviceScaleFactor = 1) {
  const { page, problems } = await open(context.browser, { viewport: { width: 1280, height: 640 }, deviceScaleFactor });
  await page.goto(context.server.url + path);
  await waitForState(page, 'drawn');
  return { page, problems };
}

/** Series-coloured pixels of the canvas, by row and column, inside the plot area. */
function seriesPixels(page) {
  return page.evaluate((blue) => {
    const canvas = document.getElementById('chart');
    const frame = window.__sabaplot.chart.describe();
    // The plot in device pixels, edges included.
    const r = frame.ratio;
    const [left, top] = [Math.round(frame.plot[0] * r), Math.round(frame.plot[1] * r)];
    const [right, bottom] = [left + frame.columns - 1, Math.round(frame.plot[3] * r) - 1];
    const { data, width } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const isBlue = (i) => Math.abs(data[i] - blue[0]) < 60 && Math.abs(data[i + 1] - blue[1]) < 60
      && Math.abs(data[i + 2] - blue[2]) < 60 && data[i] < 150;
    const rows = {};
    const columns = new Set();
    let dark = { left: 0, below: 0 };
    for (let y = 0; y < canvas.height; y++) {
      for (let x = 0; x < canvas.width; x++) {
        const i = (y * width + x) * 4;
        if (x >= left && x <= right && y >= top && y <= bottom && isBlue(i)) {
          rows[y] = (rows[y] ?? 0) + 1;
          columns.add(x);
        }
        const isText = data[i] < 110 && data[i + 1] < 110 && data[i + 2] < 110;
        if (isText && x < left && y >= top && y <= bottom) dark.left++;
        if (isText && y > bottom && x >= left && x <= right) dark.below++;
      }
    }
    return { frame, device: { top, bottom }, rows, columns: columns.size, dark, canvasWidth: canvas.width, cssWidth: canvas.clientWidth };
  }, SERIES_BLUE);
}

const canvasImage = (page) => page.evaluate(() => document.getElementById('chart').toDataURL());

test('the demo page draws 460 days of 1-minute data with every spike reaching its height', async () => {
  const { page, problems } = await openPage();
  const timings = await page.evaluate(() => window.__sabaplot.timings);
  const { frame, device, rows, columns, dark } = await seriesPixels(page);
  await page.screenshot({ path: `${shots}/demo-460d.png` });

  // Every minute the API serves in the 460 days (662,400 less the missing
  // minutes and outages), and nothing else.
  const [from, to] = frame.view;
  assert.equal(to - from, 460 * 86_400 - 60, 'the window spans 460 days of minutes');
  const hostId = await page.evaluate(() => document.getElementById('host').value);
  const served = await servedMinutes(context.server.url, hostId, 'loadavg5', from, to);
  assert.equal(timings.points, served.length);
  assert.equal(frame.pointsInView, served.length);
  // M4: at most 4 vertices a column and unbroken stretch (a gap inside a
  // column splits it); the demo has a few hundred gaps against 1,100+ columns.
  const width = frame.columns;
  assert.ok(frame.runsDrawn > 1 && frame.runsDrawn < width, `runs: ${frame.runsDrawn}`);
  assert.ok(frame.verticesDrawn <= 4 * (width + frame.runsDrawn), `vertices: ${frame.verticesDrawn}`);

  // The line covers the plot from left to right (outages are narrower than a column).
  const plotWidth = frame.columns;
  assert.ok(columns > plotWidth * 0.97, `series drawn in ${columns} of ${plotWidth} columns`);

  // The tallest one-minute spike the API served is drawn at its height.
  const max = served.reduce((m, p) => Math.max(m, p.value), -Infinity);
  const [vmin, vmax] = frame.valueRange;
  assert.ok(vmax >= max, 'the value axis reaches the largest value');
  const { top, bottom } = device;
  const spikeY = Math.round(bottom - ((max - vmin) / (vmax - vmin)) * (bottom - top));
  const atSpike = (rows[spikeY - 1] ?? 0) + (rows[spikeY] ?? 0) + (rows[spikeY + 1] ?? 0);
  assert.ok(atSpike > 0, `the ${max} spike is drawn at row ${spikeY}`);
  const aboveSpike = Object.keys(rows).filter((y) => Number(y) < spikeY - 1).length;
  assert.equal(aboveSpike, 0, 'nothing is drawn above the largest value');

  // Axis labels: in the frame and as dark text pixels left of and below the plot.
  assert.ok(frame.timeLabels.length >= 6, `time labels ${frame.timeLabels}`);
  assert.ok(frame.timeLabels.some((l) => /^\d{4}$/.test(l)), 'a year label at the new year');
  assert.ok(frame.valueLabels.length >= 3, `value labels ${frame.valueLabels}`);
  assert.ok(dark.left > 50 && dark.below > 50, `label pixels ${JSON.stringify(dark)}`);

  assert.deepEqual(problems, []);
  await writeFile(`${shots}/timings.json`, JSON.stringify(timings, null, 2));
  console.log(`# 662,400-point load: ${timings.points} points, ${(timings.bytes / 1e6).toFixed(1)} MB in `
    + `${timings.requests} requests; first picture ${timings.firstPictureMs.toFixed(0)} ms, all ${timings.totalMs.toFixed(0)} ms `
    + `(parse ${timings.parseMs.toFixed(1)} ms), draw ${timings.drawMs.toFixed(1)} ms`);
  await page.close();
});

test('bad responses show a readable error and the chart keeps what it showed', async () => {
  const { page, problems } = await openPage();
  const drawn = await canvasImage(page);
  const metricsUrl = '**/api/v0/hosts/*/metrics?**';

  async function loadExpectingError(metric, expected) {
    await page.fill('#metric', metric);
    await page.click('#load');
    assert.equal(await waitForState(page, 'error'), 'error');
    await frames(page); // the redraw that takes the load's progress away
    const error = page.locator('#error');
    assert.ok(await error.isVisible());
    assert.match(await error.textContent(), expected);
    assert.equal(await canvasImage(page), drawn, `the chart is unchanged after: ${expected}`);
  }

  await loadExpectingError('no.such.metric', /HTTP 404: Metric Not Found: no\.such\.metric/);
  await page.screenshot({ path: `${shots}/error-404.png` });

  await page.route(metricsUrl, (r) => r.fulfill({ status: 502, contentType: 'text/html',
    body: '<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>' }));
  await loadExpectingError('loadavg5', /HTML page/);

  await page.unroute(metricsUrl);
  await page.route(metricsUrl, (r) => r.fulfill({ status: 200, contentType: 'application/json',
    body: '{"metrics":[{"time":1700000000,"value":1.5},{"time":17000' }));
  await loadExpectingError('loadavg5', /truncated/);

  await page.unroute(metricsUrl);
  await page.route(metricsUrl, (r) => r.fulfill({ status: 200, contentType: 'application/json', body: 'OK' }));
  await loadExpectingError('loadavg5', /not the JSON the API sends/);

  await page.unroute(metricsUrl);
  await page.route(metricsUrl, (r) => r.fulfill({ status: 200, contentType: 'application/json',
    body: '{"metrics":[]}' }));
  await loadExpectingError('loadavg5', /no data points/);

  await page.unroute(metricsUrl);
  await page.route(metricsUrl, (r) => r.abort('connectionrefused'));
  await loadExpectingError('loadavg5', /could not reach the metrics API/);
  await page.unroute(metricsUrl);

  // The page keeps running: the next good load draws, and the error goes away.
  await page.fill('#metric', 'cpu.user.percentage');
  await page.click('#load');
  assert.equal(await waitForState(page, 'drawn'), 'drawn');
  assert.equal(await page.locator('#error').isVisible(), false);
  assert.notEqual(await canvasImage(page), drawn);
  const { frame } = await seriesPixels(page);
  assert.ok(frame.valueLabels.every((l) => l.endsWith('%')), `percent labels ${frame.valueLabels}`);
  assert.match(await page.getAttribute('#chart', 'aria-label'), /cpu\.user\.percentage/);
  await page.screenshot({ path: `${shots}/recovered-cpu.png` });

  assert.deepEqual(problems, []);
  await page.close();
});

test('on a HiDPI screen the canvas is drawn in device pixels', async () => {
  const { page, problems } = await openPage('?metric=memory.used&range=30d', 2);
  const { frame, canvasWidth, cssWidth } = await seriesPixels(page);
  assert.equal(canvasWidth, cssWidth * 2);
  assert.ok(frame.valueLabels.some((l) => l.endsWith(' GiB')), `byte labels ${frame.valueLabels}`);
  const [from, to] = frame.view;
  const hostId = await page.evaluate(() => document.getElementById('host').value);
  const served = await servedMinutes(context.server.url, hostId, 'memory.used', from, to);
  assert.equal(frame.pointsInView, served.length, 'every minute of the 30 days the API serves');
  await page.screenshot({ path: `${shots}/hidpi-memory-30d.png` });
  assert.deepEqual(problems, []);
  await page.close();
});
