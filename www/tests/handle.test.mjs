// The Chart handle as a front-end developer uses it: options may be left
// out, getRange gives a plain [from, to], and free() (or Symbol.dispose)
// cleans up like destroy(): after 200 create/hover/free cycles no element
// is left in the page, no listener calls a dropped closure, and wasm
// memory is flat after the first 200.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPackage } from './harness.mjs';

const context = serverAndBrowser();

test('new Chart(el) needs no options, and getRange gives [from, to]', async () => {
  const { page, problems } = await openPackage(context);
  const seen = await page.evaluate(() => {
    const el = document.getElementById('chart');
    const chart = new window.pkg.Chart(el);
    const before = chart.getRange();
    chart.setSeriesArrays('a', Float64Array.of(1.7e9, 1.7e9 + 60), Float64Array.of(1, 2));
    const range = chart.getRange();
    chart.free();
    return { before: before === undefined, isArray: Array.isArray(range), range };
  });
  assert.deepEqual(seen, { before: true, isArray: true, range: [1.7e9, 1.7e9 + 60] });
  assert.deepEqual(problems, []);
  await page.close();
});

test('free() and Symbol.dispose leave nothing behind, 200 times over, with wasm memory flat', async () => {
  const { page, problems } = await openPackage(context, { width: 900, height: 500 });
  const cycles = (n, dispose) => page.evaluate(async ([n, dispose]) => {
    const host = document.createElement('div');
    Object.assign(host.style, { width: '600px', height: '300px' });
    document.body.append(host);
    const t = Float64Array.from({ length: 1_440 }, (_, k) => 1.7e9 + 60 * k);
    const v = Float64Array.from(t, (_, k) => k % 100);
    for (let i = 0; i < n; i++) {
      const chart = new window.pkg.Chart(host, { title: `cycle ${i}`, timeZone: 'UTC' });
      chart.setSeriesArrays('load', t, v);
      chart.draw();
      // A hover makes the crosshair and tooltip elements.
      const canvas = host.querySelector('canvas');
      const box = canvas.getBoundingClientRect();
      canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: box.x + 300, clientY: box.y + 150, bubbles: true }));
      if (dispose && Symbol.dispose) chart[Symbol.dispose]();
      else chart.free();
    }
    // Events on the place where the charts were reach no dropped closure.
    host.dispatchEvent(new PointerEvent('pointermove', { clientX: 10, clientY: 10, bubbles: true }));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const left = host.querySelectorAll('*').length;
    host.remove();
    return { left, memory: window.wasm.memory.buffer.byteLength, elements: document.querySelectorAll('*').length };
  }, [n, dispose]);
  const first = await cycles(200, false);
  const second = await cycles(200, true);
  const third = await cycles(200, false);
  assert.equal(first.left, 0, 'free() removes the canvas, crosshair, tooltip and legend');
  assert.equal(second.left, 0, 'so does Symbol.dispose');
  assert.equal(third.memory, first.memory, `wasm memory ${first.memory} → ${third.memory} bytes`);
  assert.equal(third.elements, first.elements);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a destroyed or freed chart says so when it is used again', async () => {
  const { page, problems } = await openPackage(context);
  const seen = await page.evaluate(() => {
    const el = document.getElementById('chart');
    const attempt = (f) => { try { f(); return 'no error'; } catch (e) { return e.message; } };
    const destroyed = new window.pkg.Chart(el);
    destroyed.destroy();
    const twice = attempt(() => destroyed.destroy());
    const afterDestroy = attempt(() => destroyed.setRange(1.7e9, 1.7e9 + 60));
    destroyed.free();
    const freed = new window.pkg.Chart(el);
    freed.free();
    const afterFree = attempt(() => freed.getRange());
    return { twice, afterDestroy, afterFree };
  });
  assert.equal(seen.twice, 'no error', 'destroy() twice is harmless');
  assert.match(seen.afterDestroy, /^this chart was destroyed .*create a new Chart/);
  assert.match(seen.afterFree, /^this sabaplot object was freed .*create a new one/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('long times on a grid are read a block at a time and never held: a time off the grid or a bad element far in is still found', async () => {
  const { page, problems } = await openPackage(context);
  const seen = await page.evaluate(() => {
    const { Chart } = window.pkg;
    const el = document.getElementById('chart');
    const attempt = (f) => { try { f(); return 'no error'; } catch (e) { return e.message; } };
    const N = 200_000;
    const minutes = Array.from({ length: N }, (_, k) => (1.7e9 + 60 * k) * 1_000);
    const column = (s) => Float64Array.from({ length: N }, (_, k) => (k * (s + 3)) % 101);
    const chart = new Chart(el, { timeUnit: 'ms', legend: false });
    // A first call sizes what a call needs besides its series (error
    // texts, the allocator's own); the second is measured.
    chart.setSeriesColumns(['warm'], minutes.slice(0, 20_000), [column(0).slice(0, 20_000)]);
    const before = window.wasm.memory.buffer.byteLength;
    chart.setSeriesColumns(['a', 'b'], minutes, [column(0), column(1)]);
    const grown = window.wasm.memory.buffer.byteLength - before;
    const stats = (name) => chart.legend().find((e) => e.name === name);
    const off = minutes.slice();
    off[N - 3] += 30_000;
    const late = minutes.slice();
    late[150_000] = 'late';
    const out = {
      grown,
      a: stats('a'),
      offGrid: attempt(() => chart.setSeriesArrays('c', off, column(2))),
      c: stats('c'),
      late: attempt(() => chart.setSeriesColumns(['d'], late, [column(3)])),
      d: stats('d') ?? null,
    };
    // A view of sabaplot's own memory, which reading it makes grow.
    const view = new Float64Array(window.wasm.memory.buffer);
    const viewTimes = Float64Array.from(view, (_, k) => 1.7e9 + 60 * k);
    out.view = attempt(() => chart.setSeriesArrays('v', viewTimes, view));
    chart.free();
    return out;
  });
  // Two series of 200,000 points: their values (3.2 MB) and summaries; a
  // copy of the times would be 1.6 MB more, and stay.
  assert.ok(seen.grown <= 2 * 200_000 * 9.1, `wasm memory grew ${seen.grown} bytes`);
  assert.deepEqual([seen.a.count, seen.a.min, seen.a.max], [200_000, 0, 100]);
  assert.equal(seen.offGrid, 'no error', 'a time off the grid late in the array: kept at its own time');
  assert.equal(seen.c.count, 200_000);
  assert.equal(seen.late, 'times[150000] is "late", not a number (or null for a gap)');
  assert.equal(seen.d, null, 'a refused call adds nothing');
  // Refused with an error, never a trap (the chart is freed after it).
  assert.match(seen.view, /^values changed while it was read/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('plain arrays as JSON.parse gives them: epoch milliseconds, null gaps, the same chart as typed arrays', async () => {
  const { page, problems } = await openPackage(context);
  const seen = await page.evaluate(() => {
    const { Chart } = window.pkg;
    const el = document.getElementById('chart');
    const attempt = (f) => { try { f(); return 'no error'; } catch (e) { return e.message; } };
    const body = JSON.parse(JSON.stringify({
      t: Array.from({ length: 1_440 }, (_, k) => (1.7e9 + 60 * k) * 1_000),
      v: Array.from({ length: 1_440 }, (_, k) => (k % 100 === 7 ? null : k % 60)),
    }));
    const plain = new Chart(el, { timeUnit: 'ms', legend: false });
    plain.setSeriesArrays('a', body.t, body.v);
    plain.setSeriesColumns(['b', 'c'], body.t, [body.v, Int32Array.from(body.v, (v) => v ?? 0)]);
    plain.appendSeries('a', [(1.7e9 + 60 * 1_440) * 1_000], [null]);
    const typed = new Chart(el, { legend: false });
    typed.setSeriesArrays('a', Float64Array.from(body.t, (t) => t / 1_000), Float64Array.from(body.v, (v) => v ?? NaN));
    const stats = (chart) => chart.legend().map((e) => [e.name, e.count, e.min, e.max, e.avg]);
    const out = {
      range: plain.getRange(), plain: stats(plain), typed: stats(typed),
      text: attempt(() => plain.setSeriesArrays('a', body.t, [1, 2, 'three', ...body.v.slice(3)])),
      // Without a null the array takes the browser's own conversion: the
      // same error, the same gaps.
      textNoNull: attempt(() => plain.setSeriesArrays('a', body.t.slice(0, 4), [1, 2, 'three', 4])),
      symbol: attempt(() => plain.setSeriesArrays('a', body.t.slice(0, 4), [1, 2, Symbol('three'), 4])),
      object: attempt(() => plain.setSeriesArrays('a', { length: 3 }, [1, 2, 3])),
      afterErrors: stats(plain)[0],
    };
    // Strings of digits (as some APIs send values) are numbers, with or
    // without a null in the array; undefined is a gap too.
    const loose = new Chart(el, { timeUnit: 'ms', legend: false });
    loose.setSeriesArrays('no null', body.t.slice(0, 4), ['1.5', 2, undefined, '4']);
    loose.setSeriesArrays('a null', body.t.slice(0, 4), ['1.5', null, 2, '4']);
    out.loose = stats(loose);
    plain.free();
    typed.free();
    loose.free();
    return out;
  });
  assert.deepEqual(seen.range, [1.7e9, 1.7e9 + 60 * 1_440], 'milliseconds read as seconds');
  const expected = ['a', 1_425, 0, 59];
  assert.deepEqual(seen.plain[0].slice(0, 4), expected, 'null is a gap: 15 of 1,440 minutes, and the appended null');
  assert.deepEqual(seen.typed[0].slice(0, 4), expected);
  assert.equal(seen.plain[0][4], seen.typed[0][4], 'the same average');
  assert.deepEqual(seen.plain[1].slice(0, 2), ['b', 1_425]);
  assert.deepEqual(seen.plain[2].slice(0, 2), ['c', 1_440], 'any typed array');
  assert.equal(seen.text, 'values[2] is "three", not a number (or null for a gap)');
  assert.equal(seen.textNoNull, 'values[2] is "three", not a number (or null for a gap)');
  assert.match(seen.symbol, /^values\[2\] is /, 'a value Number() cannot convert');
  assert.deepEqual(seen.loose.map((e) => e.slice(0, 4)), [['no null', 3, 1.5, 4], ['a null', 3, 1.5, 4]]);
  assert.match(seen.object, /^times must be an array of numbers/);
  assert.deepEqual(seen.afterErrors, seen.plain[0], 'a refused call keeps the data shown');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a chart the page keeps no variable for stays while its element is shown', async () => {
  const { page, problems } = await openPackage(context, { width: 900, height: 500 });
  const cdp = await page.context().newCDPSession(page);
  await page.evaluate(() => {
    const t = Float64Array.from({ length: 1_440 }, (_, k) => 1.7e9 + 60 * k);
    for (const id of ['kept', 'gone']) {
      const host = document.createElement('div');
      host.id = id;
      Object.assign(host.style, { width: '600px', height: '200px' });
      document.body.append(host);
      // No variable outlives this block.
      const chart = new window.pkg.Chart(host, { title: id, timeZone: 'UTC', legend: false });
      chart.setSeriesArrays('load', t, t.map((_, k) => k % 100));
      chart.draw();
    }
    document.getElementById('gone').remove();
  });
  for (let k = 0; k < 3; k++) {
    await cdp.send('HeapProfiler.collectGarbage');
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
  }
  // The chart shown is still there and answers the pointer. (The other,
  // whose element left the page, is collected with it: the element held
  // its handle.)
  assert.equal(await page.locator('#kept canvas').count(), 1);
  const box = await page.locator('#kept canvas').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => [...document.querySelectorAll('#kept *')].some((e) => e.textContent.includes('load')));
  assert.deepEqual(problems, []);
  await page.close();
});
