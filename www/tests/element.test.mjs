// `<saba-plot>` as a page without a script of its own uses it: a static page
// with a Mackerel host metric and a Prometheus role query draws both with
// the values the APIs serve; an attribute change reloads (or, for a style
// attribute, restyles); the reader's zoom and pointer fire events; every
// element it makes stays in its shadow root; removing it frees its chart
// (wasm memory flat over insert/remove cycles); bad attributes are an
// error shown as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { serverAndBrowser, openPage, root, LAST_MINUTE, servedMinutes, servedPrometheus } from './harness.mjs';

const context = serverAndBrowser();
const WEB_01 = '3yAYEDLXKL5';
const shots = `${root}target/e2e`;
mkdirSync(shots, { recursive: true });

/** element.html, with every `<saba-plot>` event recorded in `window.events`. */
async function openElements(path = 'element.html') {
  const { page, problems } = await openPage(context.browser, { viewport: { width: 1100, height: 800 } });
  await page.addInitScript(() => {
    window.events = [];
    for (const type of ['load', 'rangechange', 'cursormove', 'error']) {
      document.addEventListener(type, (e) => {
        if (e.target?.localName === 'saba-plot') window.events.push({ id: e.target.id, type, detail: e.detail });
      }, true);
    }
  });
  await page.goto(`${context.server.url}${path}`);
  return { page, problems };
}

/** Adds a `<saba-plot id=…>` with `attributes` to the page. */
const addElement = (page, id, attributes) => page.evaluate(([id, attributes]) => {
  const el = document.createElement('saba-plot');
  el.id = id;
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  document.body.append(el);
}, [id, attributes]);

/** Waits for the `n`th event of `type` from element `id` and returns its detail. */
const nth = (page, id, type, n = 1) => page.waitForFunction(([id, type, n]) => {
  const seen = window.events.filter((e) => e.id === id && e.type === type);
  return seen.length >= n ? seen[n - 1].detail : false;
}, [id, type, n], { timeout: 60_000 }).then((h) => h.jsonValue());

test('two <saba-plot> elements on a static page draw what the two APIs serve; attributes reload and restyle; events fire', async () => {
  const { page, problems } = await openElements();
  const [host, role] = [await nth(page, 'host', 'load'), await nth(page, 'role', 'load')];
  assert.deepEqual([host.errors, role.errors], [[], []]);
  const [from, to] = [LAST_MINUTE - 2 * 86_400 + 60, LAST_MINUTE];
  const state = () => page.evaluate(() => Object.fromEntries([...document.querySelectorAll('saba-plot')].map((el) => {
    const { chart } = el;
    const frame = chart.describe();
    return [el.id, { range: chart.getRange(), legend: chart.legend().map((e) => [e.name, e.count]),
      valueLabels: frame.valueLabels, runs: frame.runsDrawn,
      inShadow: el.shadowRoot.querySelectorAll('canvas').length }];
  })));
  const drawn = await state();
  const served = (await servedMinutes(context.server.url, WEB_01, 'loadavg5', from, to)).length;
  assert.deepEqual(drawn.host.range, [from, to]);
  assert.deepEqual(drawn.host.legend, [['loadavg5', served]], 'every minute the API serves, once');
  assert.deepEqual(drawn.role.legend.map(([name]) => name), ['db-01', 'db-02']);
  assert.equal(role.points, await servedPrometheus(context.server.url, 'loadavg5{role="db"}', from, to));
  assert.ok(drawn.host.runs > 0 && drawn.role.runs > 0);
  // Everything the elements made is inside their shadow roots.
  assert.deepEqual([drawn.host.inShadow, drawn.role.inShadow], [1, 1]);
  assert.equal(await page.evaluate(() => document.querySelectorAll('canvas, div').length), 0);
  await page.screenshot({ path: `${shots}/element.png` });

  // A style attribute restyles without a load; a source attribute reloads.
  await page.evaluate(() => document.getElementById('host').setAttribute('unit', 'percentage'));
  await page.waitForFunction(() => document.getElementById('host').chart.describe().valueLabels.every((l) => l.endsWith('%')));
  await page.evaluate(() => document.getElementById('host').setAttribute('metric', 'cpu.user.percentage'));
  const reloaded = await nth(page, 'host', 'load', 2);
  assert.deepEqual(reloaded.errors, []);
  const after = await state();
  const cpu = (await servedMinutes(context.server.url, WEB_01, 'cpu.user.percentage', from, to)).length;
  assert.deepEqual(after.host.legend, [['cpu.user.percentage', cpu]]);
  assert.equal(await page.evaluate(() => window.events.filter((e) => e.id === 'host' && e.type === 'load').length), 2,
    'the unit change loaded nothing');

  // The reader's wheel and pointer.
  const box = await page.locator('#host').boundingBox();
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 3];
  await page.mouse.move(x, y);
  const cursor = await nth(page, 'host', 'cursormove');
  assert.ok(cursor.time > from && cursor.time < to, JSON.stringify(cursor));
  await page.mouse.wheel(0, -400);
  const zoomed = await nth(page, 'host', 'rangechange');
  assert.ok(zoomed.from > from && zoomed.to < to && zoomed.from < zoomed.to, JSON.stringify(zoomed));
  await page.mouse.move(5, 5);
  const left = await page.waitForFunction(() => window.events.findLast((e) => e.id === 'host' && e.type === 'cursormove')?.detail.time === null);
  assert.ok(await left.jsonValue());

  // A Mackerel role: every host of it, by name.
  await addElement(page, 'shop-db', { role: 'shop:db', metric: 'loadavg5', range: '1h' });
  const db = await nth(page, 'shop-db', 'load');
  assert.deepEqual(db.errors, []);
  const names = await page.evaluate(() => document.getElementById('shop-db').chart.legend().map((e) => e.name));
  assert.deepEqual(names, ['db-01', 'db-02']);

  // VictoriaMetrics: the stored samples from its export, every one served.
  await addElement(page, 'vm', { api: 'victoriametrics', query: 'loadavg5{instance="web-01"}', range: '2d' });
  const vm = await nth(page, 'vm', 'load');
  assert.deepEqual(vm.errors, []);
  assert.equal(vm.points, served, 'the export serves the minutes the Mackerel API does');
  assert.deepEqual(problems, []);
  await page.close();
});

test('removing a <saba-plot> frees its chart: 400 insert/remove cycles leave nothing, wasm memory flat after the first 200', async () => {
  const { page, problems } = await openElements();
  await nth(page, 'host', 'load');
  const cycles = (n) => page.evaluate(async (n) => {
    const { default: init } = await import('/pkg/sabaplot.js');
    const wasm = await init();
    const before = document.body.querySelectorAll('*').length;
    for (let i = 0; i < n; i++) {
      const el = document.createElement('saba-plot');
      el.setAttribute('host', '3yAYEDLXKL5');
      el.setAttribute('metric', i % 2 ? 'loadavg5' : 'cpu.user.percentage');
      el.setAttribute('range', '3h');
      el.setAttribute('title', `cycle ${i}`);
      document.body.append(el);
      // Every other one is removed while it loads, the rest once drawn.
      if (i % 2) await new Promise((resolve) => el.addEventListener('load', resolve, { once: true }));
      else await new Promise(requestAnimationFrame);
      el.remove();
      if (el.chart !== null) throw new Error(`cycle ${i}: the removed element still holds its chart`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { bytes: wasm.memory.buffer.byteLength, left: document.body.querySelectorAll('*').length - before };
  }, n);
  const first = await cycles(200);
  const second = await cycles(200);
  assert.deepEqual([first.left, second.left], [0, 0], 'no element left in the page');
  assert.equal(second.bytes, first.bytes, 'wasm memory flat');
  assert.deepEqual(problems, []);
  await page.close();
});

test('bad attributes are an error shown as text, and a good one draws again', async () => {
  const { page, problems } = await openElements();
  await nth(page, 'host', 'load');
  await page.evaluate(() => document.getElementById('host').setAttribute('range', 'forever'));
  const error = await nth(page, 'host', 'error');
  assert.equal(error.message, '<saba-plot>: range="forever" is not a length such as 90m, 1h, 7d or 460d');
  const shown = await page.evaluate(() => {
    const p = document.getElementById('host').shadowRoot.querySelector('.message');
    return { text: p.textContent, hidden: p.hidden, children: p.children.length };
  });
  assert.deepEqual(shown, { text: error.message, hidden: false, children: 0 });
  await page.evaluate(() => {
    const el = document.getElementById('role');
    el.setAttribute('query', '');
  });
  assert.match((await nth(page, 'role', 'error')).message, /needs a query attribute/);
  await page.evaluate(() => document.getElementById('host').setAttribute('range', '6h'));
  const again = await nth(page, 'host', 'load', 2);
  assert.deepEqual(again.errors, []);
  assert.equal(await page.evaluate(() => document.getElementById('host').shadowRoot.querySelector('.message').hidden), true);
  assert.deepEqual(problems, []);
  await page.close();
});
