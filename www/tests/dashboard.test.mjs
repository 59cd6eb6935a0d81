// End-to-end for the dashboard page against the demo server: a host's six
// graphs (stacked CPU, wildcard containers, the 16-host role graph), a
// shared range that follows a wheel zoom into the URL, a link that
// reproduces the view, presets, the role view, and the Prometheus source
// showing the same minutes as the Mackerel one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, frames, root, servedMinutes, firstServed } from './harness.mjs';

const context = serverAndBrowser();
const WEB_01 = '3yAYEDLXKL5';

async function open(query) {
  const { page, problems } = await openPage(context.browser, { viewport: { width: 1280, height: 1150 } });
  await page.goto(`${context.server.url}dashboard.html?${query}`);
  await waitDone(page);
  return { page, problems };
}

async function waitDone(page, loads = 1) {
  await page.waitForFunction((n) => ['done', 'error'].includes(window.__dashboard?.state)
    && (window.__dashboard.state === 'error' || window.__dashboard.loads >= n), loads, { timeout: 60_000 });
  await frames(page); // the frame after the last answer is drawn
  const error = await page.evaluate(() => document.getElementById('error').textContent);
  assert.equal(error, '', 'no page error');
}

const graphs = (page) => page.evaluate(() => window.__dashboard.graphs.map(({ title, chart }) => ({
  title, names: chart.legend().map((e) => e.name), hidden: chart.legend().filter((e) => !e.visible).map((e) => e.name),
  colors: Object.fromEntries(chart.legend().map((e) => [e.name, e.color])), range: chart.getRange(), frame: chart.describe(),
})));

test("a host's dashboard has its six graphs, a shared range that follows zoom into the URL, and presets", async () => {
  const { page, problems } = await open(`host=${WEB_01}&range=7d`);
  const list = await graphs(page);
  assert.deepEqual(list.map((g) => g.title), ['web-01 · CPU', 'web-01 · memory', 'web-01 · network · system CPU',
    'web-01 · load average', 'web-01 · custom.ecs.*.port.* (12 series)', 'Load average · shop: web (16 hosts)']);
  assert.deepEqual(list[0].names, ['user', 'system', 'iowait', 'idle']);
  assert.ok(list[4].names.every((n) => /^custom\.ecs\.[a-z0-9-]+\.port\.\d+$/.test(n)), list[4].names.join());
  assert.equal(list[4].names.length, 12);
  assert.deepEqual(list[5].names, Array.from({ length: 16 }, (_, i) => `web-${String(i + 1).padStart(2, '0')}`));
  for (const g of list) {
    assert.ok(g.frame.pointsInView > 0, `${g.title} draws data`);
    assert.equal(g.frame.progress, null, `${g.title} finished loading`);
    assert.ok(Math.abs(g.range[1] - g.range[0] - 7 * 86_400) <= 120, `${g.title}: 7 days`);
  }
  assert.ok(list[3].frame.annotationsDrawn >= 1, 'the graph annotations of the service');
  // CPU: the busy layers on a fixed 0–100 % axis, idle hidden until asked for.
  assert.deepEqual(list[0].frame.valueRange, [0, 100]);
  assert.equal(list[0].frame.valueLabels.at(-1), '100%');
  assert.deepEqual(list[0].hidden, ['idle']);
  // Network: rx/tx in bytes/sec on the left, system CPU in % on the right,
  // each axis in its own unit, and the tooltip and legend too.
  const net = list[2];
  assert.deepEqual(net.names, ['rx', 'tx', 'system CPU']);
  assert.ok(net.frame.valueLabels.some((l) => /B\/s$/.test(l)), net.frame.valueLabels.join());
  assert.ok(net.frame.rightLabels.length >= 3 && net.frame.rightLabels.every((l) => /%$/.test(l)), net.frame.rightLabels.join());
  assert.deepEqual(net.frame.rightRange, [0, 100], 'a fixed 0–100 % axis');
  const legend = await page.evaluate(() => window.__dashboard.graphs[2].chart.legend().map((e) => e.summary));
  assert.match(legend[0], /B\/s/);
  assert.match(legend[2], /^min [\d.]+% /);
  // The 16 hosts of the role graph have 16 colours.
  assert.equal(new Set(Object.values(list[5].colors)).size, 16);
  await page.screenshot({ path: `${root}target/e2e/dashboard-host.png` });

  // Zoom one graph with the wheel: every graph follows, and so does the URL.
  const box = await page.locator('section.graph').nth(3).locator('canvas').boundingBox();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.4);
  await page.mouse.wheel(0, -600);
  await page.waitForFunction(() => new URL(location.href).searchParams.has('from'));
  const zoomed = await graphs(page);
  const [from, to] = zoomed[3].range;
  assert.ok(to - from < 5 * 86_400, `zoomed in: ${(to - from) / 3_600} h`);
  for (const g of zoomed) assert.deepEqual(g.range, zoomed[3].range, `${g.title} follows`);
  const link = page.url();
  const params = new URL(link).searchParams;
  assert.ok(Math.abs(Number(params.get('from')) - from) <= 1 && Math.abs(Number(params.get('to')) - to) <= 1);

  // The link reproduces the view.
  const again = await open(link.split('?')[1]);
  const reproduced = await graphs(again.page);
  for (const g of reproduced) {
    assert.ok(Math.abs(g.range[0] - from) <= 1 && Math.abs(g.range[1] - to) <= 1, `${g.title}: ${g.range} vs ${[from, to]}`);
  }
  assert.equal(await again.page.locator('#subject').inputValue(), `host:${WEB_01}`);
  await again.page.close();

  // A preset: every graph shows the last hour.
  await page.getByRole('button', { name: '1h', exact: true }).click();
  await waitDone(page, 2);
  for (const g of await graphs(page)) {
    assert.ok(Math.abs(g.range[1] - g.range[0] - 3_600) <= 120, `${g.title}: ${g.range}`);
  }
  assert.equal(new URL(page.url()).searchParams.get('range'), '1h');
  assert.equal(new URL(page.url()).searchParams.has('from'), false);
  assert.equal(await page.getByRole('button', { name: '1h', exact: true }).getAttribute('aria-pressed'), 'true');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a role shows one series per host of the role in each graph', async () => {
  const { page, problems } = await open('role=db&range=6h');
  const list = await graphs(page);
  assert.equal(list.length, 4);
  for (const g of list) {
    assert.deepEqual(g.names, ['db-01', 'db-02'], g.title);
    assert.ok(g.frame.pointsInView > 300, g.title);
    // A host is one colour on every graph.
    assert.deepEqual(g.colors, list[0].colors, g.title);
  }
  assert.notEqual(list[0].colors['db-01'], list[0].colors['db-02']);
  // The load graph shows exactly the minutes the API serves for both hosts.
  const load = list.find((g) => g.title.includes('oad average'));
  const { hosts } = await (await fetch(`${context.server.url}api/v0/hosts`)).json();
  let served = 0;
  for (const name of ['db-01', 'db-02']) {
    const id = hosts.find((h) => h.name === name).id;
    served += (await servedMinutes(context.server.url, id, 'loadavg5', ...load.range)).length;
  }
  assert.equal(load.frame.pointsInView, served, load.title);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the Prometheus source shows the same minutes as the Mackerel one', async () => {
  const { page, problems } = await open('source=prometheus&host=web-02&range=6h');
  const list = await graphs(page);
  assert.equal(list.length, 5, 'no wildcard graph: that is a Mackerel feature');
  assert.deepEqual(list[0].names, ['user', 'system', 'iowait', 'idle']);
  assert.deepEqual(list[1].names, ['used', 'cached'], 'the order asked for, whatever answers first');
  assert.equal(list[4].names.length, 16);
  assert.equal(await page.locator('#prom-box').isVisible(), true);
  const id = await page.evaluate(async () => (await (await fetch('/api/v0/hosts')).json())
    .hosts.find((h) => h.name === 'web-02').id);
  // A minute of the last hours that has a value.
  const served = await firstServed(context.server.url, id, 'loadavg5', Math.ceil(list[3].range[0] / 60) * 60 + 3_600, list[3].range[1]);
  const shown = await page.evaluate((t) => window.__dashboard.graphs[3].chart.readout(t).rows[0], served.time);
  assert.equal(shown.time, served.time);
  // Prometheus writes every digit; the Mackerel API three decimals.
  assert.ok(Math.abs(shown.value - served.value) < 5e-4, `${shown.value} vs ${served.value}`);
  await page.screenshot({ path: `${root}target/e2e/dashboard-prometheus.png` });
  assert.deepEqual(problems, []);
  await page.close();
});
