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
