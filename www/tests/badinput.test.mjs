// Bad input, the way a page hands it to the package in Chromium: every
// case is refused with an Error that says what is wrong (never a wasm trap,
// never a silent acceptance), and the chart keeps the data it had and
// still draws. Then the stacked chart of two series 10^8 minutes apart,
// which once took 1.6 GB of wasm memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPackage } from './harness.mjs';

const context = serverAndBrowser();

const open = () => openPackage(context);

test('227 bad inputs are each refused with an Error, and the chart keeps its data and draws', async () => {
  const { page, problems } = await open();
  const outcome = await page.evaluate(() => {
    const { pkg } = window;
    const enc = (s) => new TextEncoder().encode(s);
    const minutes = Float64Array.from({ length: 120 }, (_, k) => 1.7e9 + 60 * k);
    const values = Float64Array.from({ length: 120 }, (_, k) => k % 17);
    const chart = new pkg.Chart(document.getElementById('chart'), { title: 'bad input', timeZone: 'UTC' });
    chart.setSeriesArrays('load', minutes, values);
    chart.draw();
    const baseline = JSON.stringify([chart.legend(), chart.getRange()]);
    const cases = [];
    const refuse = (name, call) => cases.push({ name, call });

    // Bodies that are none of the three answers the parsers read.
    const bodies = [
      '', ' ', 'null', 'true', '[]', '{}', '"metrics"', 'x'.repeat(5000), '\u00ff\u00fe',
      '<!DOCTYPE html><html><body>502 Bad Gateway</body></html>', '<script>alert(1)</script>',
      '{"metrics":[{"time":01,"value":1e-320}]}', '{"metrics":[{"time":060,"value":1}]}',
      '{"metrics":[{"time":60,"value":1.}]}', '{"metrics":[{"time":60,"value":-01}]}',
      '{"metrics":[{"time":60,"value":+1}]}', '{"metrics":[{"time":"60","value":1}]}',
      '{"metrics":[{"time":60,"value":1}', '{"metrics":{}}', '{"metrics":[{"time":1e300,"value":1}]}',
      '{"metrics":[{"time":9.3e18,"value":1}]}', '{"metrics":[{"time":1.7e12,"value":1}]}',
      '{"metrics":[{"time":NaN,"value":1}]}', '{"metrics":[{"time":60,"value":1e999}]}',
      '{"metrics":[]}', '{"error":{"message":"Host Not Found."}}',
      '{"status":"error","errorType":"bad_data","error":"parse error"}',
      '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1e300,"1"]]}]}}',
      '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[60,1]]}]}}',
      '{"graphAnnotations":[{"title":"x","from":10,"to":1}]}',
      '{"graphAnnotations":[{"title":"x","from":0,"to":1e300}]}',
    ];
    const parsers = ['parseMackerel', 'parsePrometheus', 'parseMackerelAnnotations'];
    for (const parse of parsers) {
      for (const body of bodies) refuse(`${parse}(200, ${JSON.stringify(body.slice(0, 40))})`, () => pkg[parse](200, enc(body)));
    }
    const good = {
      parseMackerel: '{"metrics":[{"time":60,"value":1}]}',
      parsePrometheus: '{"status":"success","data":{"resultType":"matrix","result":[]}}',
      parseMackerelAnnotations: '{"graphAnnotations":[]}',
    };
    for (const parse of parsers) {
      for (const status of [65736, 2 * 65536 + 200, -1, 0, 99, 600, 1e9, NaN, 200.5, Infinity]) {
        refuse(`${parse}(${status}, a good body)`, () => pkg[parse](status, enc(good[parse])));
      }
    }

    const arrays = [
      [[1e299], [1]], [[9.3e18], [1]], [[1.7e12, 1.7e12 + 60e3], [1, 2]], [[NaN], [1]],
      [[Infinity], [1]], [[-1e300], [1]], [[1.7e9, NaN], [1, 2]], [[1.7e9], [1, 2]],
      [[1.7e9, 1.7e9 + 60], [1]], [[], []], [[0, 6e10 * 60], [1, 2]], [[1.7e9, -Infinity], [1, 1]],
    ];
    for (const [t, v] of arrays) {
      refuse(`setSeriesArrays(${JSON.stringify(t)})`, () => chart.setSeriesArrays('load', Float64Array.from(t), Float64Array.from(v)));
      refuse(`appendSeries(${JSON.stringify(t)})`, () => chart.appendSeries('load', Float64Array.from(t), Float64Array.from(v)));
    }
    for (const [from, to] of [[NaN, 1], [1, NaN], [5, 5], [10, 1], [-Infinity, 0], [0, 1e300], [1.7e12, 1.8e12], [-1e12, 0]]) {
      refuse(`setRange(${from}, ${to})`, () => chart.setRange(from, to));
    }
    for (const [w, h] of [[-1, 100], [0, 100], [100, 0], [1e9, 100], [NaN, 100], [100.5, 100], [16385, 10], [Infinity, 1], [100, -0.5]]) {
      refuse(`toSvg(${w}, ${h})`, () => chart.toSvg(w, h));
    }
    const plans = [
      ['mackerel', 0, 1e15, 0, 1e15, 800], ['prometheus', -1e300, 1e300, 0, 1, 800],
      ['mackerel', 0, 1e11, 0, 1e11, 800], ['mackerel', 1.7e9, 1.7e9 + 86400, 0, 1, -1],
      ['mackerel', 1.7e9, 1.7e9 + 86400, 0, 1, 0], ['mackerel', 1.7e9, 1.7e9 + 86400, 0, 1, NaN],
      ['mackerel', 1.7e9, 1.7e9 + 86400, 0, 1, 1e9], ['graphite', 1.7e9, 1.7e9 + 86400, 0, 1, 800],
      ['prometheus', NaN, 1.7e9, 0, 1, 800], ['prometheus', 1.8e9, 1.7e9, 0, 1, 800],
      ['prometheus', 1.7e9, 1.7e9 + 86400, 0, 1, 800.5],
    ];
    for (const args of plans) refuse(`planRequests(${args.join(', ')})`, () => pkg.planRequests(...args));
    const spans = [
      Array.from({ length: 100_000 }, (_, k) => ({ from: k * 60, to: k * 60 + 30, reason: 'x' })),
      [{ from: NaN, to: 1, reason: 'x' }], [{ from: 2, to: 1, reason: 'x' }], 'x', [{}],
      [{ from: 0, to: 1e300, reason: 'x' }], [{ from: '0', to: '1' }], null,
    ];
    for (const s of spans) refuse(`setNotLoaded(${JSON.stringify(s).slice(0, 40)})`, () => chart.setNotLoaded(s));
    const col = Float64Array.from(values);
    const columns = [
      [['a', 'b'], minutes, [col, 'ab']], [['a'], minutes, [col, col]], [['a'], minutes, [col.subarray(1)]],
      [['a'], Float64Array.from(minutes, (t, k) => (k === 5 ? NaN : t)), [col]], [['a', 'b'], minutes, [col, null]],
      [['a'], minutes, [{ length: 120 }]], [['a'], Float64Array.from(minutes, (t) => t * 1000), [col]],
    ];
    for (const [names, times, cols] of columns) {
      refuse(`setSeriesColumns(${JSON.stringify(names)}, …)`, () => chart.setSeriesColumns(names, times, cols));
    }
    const options = [
      { kind: 'nope' }, { colors: ['red'] }, { timeZone: 'Mars/Olympus_Mons' }, { thresholds: [{ value: NaN }] },
      { annotations: [{ from: 1, to: 0, title: 'x' }] }, { annotations: [{ from: 0, to: 1e300, title: 'x' }] },
      { tooltipRows: -1 }, { title: 5 }, 'string', { unit: 'parsecs' }, { theme: 'neon' }, { legend: 'yes' },
    ];
    for (const o of options) {
      refuse(`setOptions(${JSON.stringify(o)})`, () => chart.setOptions(o));
      refuse(`new Chart(el, ${JSON.stringify(o)})`, () => new pkg.Chart(document.createElement('div'), o));
    }
    const chunk = () => pkg.parseMackerel(200, enc('{"metrics":[{"time":1700000000,"value":1}]}'));
    for (const [from, to] of [[1.7e9, undefined], [NaN, 1.8e9], [1.8e9, 1.7e9], [0, 1e300]]) {
      refuse(`mergeSeries(load, chunk, ${from}, ${to})`, () => chart.mergeSeries('load', chunk(), from, to));
    }
    for (const [from, to, step] of [[0, 1e11, 60], [NaN, 1, 60], [10, 1, 60], [0, 1e300, 60], [1.7e9, 1.8e9, 1e-9]]) {
      refuse(`reserveSeries(load, ${from}, ${to}, ${step})`, () => chart.reserveSeries('load', from, to, step));
    }
    refuse('setCoarse on a series the chart lacks', () => chart.setCoarse('nope', chunk(), undefined, false));
    refuse('setVisible on a series the chart lacks', () => chart.setVisible('nope', false));
    refuse('setProgress("x")', () => chart.setProgress('x'));
    refuse('new SeriesData with 1e299', () => new pkg.SeriesData(Float64Array.of(1e299), Float64Array.of(1)));

    const results = [];
    for (const { name, call } of cases) {
      let result;
      try {
        call();
        result = { name, outcome: 'accepted' };
      } catch (e) {
        const trap = e instanceof WebAssembly.RuntimeError || /unreachable|recursive use|null pointer/.test(String(e?.message));
        result = { name, outcome: trap ? 'trap' : e instanceof Error && e.message ? 'refused' : `threw ${String(e)}` };
        if (result.outcome === 'refused') result.message = e.message;
      }
      // The chart keeps its data and still draws.
      try {
        chart.draw();
        const now = JSON.stringify([chart.legend(), chart.getRange()]);
        if (now !== baseline) result.changed = now.slice(0, 200);
      } catch (e) {
        result.changed = `the chart no longer works: ${e.message}`;
      }
      results.push(result);
    }
    let frame = null;
    try {
      frame = chart.describe();
    } catch (e) {
      frame = { error: e.message };
    }
    return { results, frame };
  });
  const { results } = outcome;
  const count = (f) => results.filter(f).length;
  console.log(`${results.length} bad inputs: ${count((r) => r.outcome === 'refused')} refused, ` +
    `${count((r) => r.outcome === 'trap')} traps, ${count((r) => r.outcome === 'accepted')} accepted, ` +
    `${count((r) => r.changed)} leaving the chart changed or broken`);
  assert.ok(results.length >= 175, `${results.length} cases`);
  const wrong = results.filter((r) => r.outcome !== 'refused' || r.changed);
  assert.deepEqual(wrong, [], 'every case refused with an Error, the data kept');
  // The messages name what is wrong.
  const message = (prefix) => results.find((r) => r.name.startsWith(prefix)).message;
  assert.match(message('setSeriesArrays([1e+299])'), /1e299.*limit time/);
  assert.match(message('setSeriesArrays([1700000000000'), /milliseconds/);
  assert.match(message('toSvg(-1, 100)'), /imageSide/);
  assert.match(message('planRequests(mackerel, 0, 100000000000,'), /requestsPerPlan/);
  assert.match(message('parseMackerel(65736'), /httpStatus/);
  assert.match(message('setSeriesColumns(["a","b"]'), /the values of "b" must be an array of numbers \(null for a gap\) or a typed array/);
  assert.match(message('setNotLoaded([{"from":0,"to":30'), /notLoadedSpans/);
  assert.equal(outcome.frame.pointsInView, 120);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a stacked chart of two series 10^8 minutes apart draws what it has, without the time between', async () => {
  const { page, problems } = await open();
  const run = await page.evaluate(() => {
    const { pkg, wasm } = window;
    const chart = new pkg.Chart(document.getElementById('chart'), { kind: 'stacked', timeZone: 'UTC' });
    chart.setSeriesArrays('a', Float64Array.of(1.7e9, 1.7e9 + 60), Float64Array.of(1, 2));
    chart.setSeriesArrays('b', Float64Array.of(1.7e9 + 6e9), Float64Array.of(5));
    const before = wasm.memory.buffer.byteLength;
    const started = performance.now();
    chart.draw();
    const ms = performance.now() - started;
    const grown = wasm.memory.buffer.byteLength - before;
    const frame = chart.describe();
    // Drawn again and again, it stays as it is.
    for (let i = 0; i < 20; i++) chart.draw();
    // The lines are rasterised into a buffer of the canvas' size, once a page.
    const raster = 4 * frame.width * frame.height * frame.ratio ** 2;
    return { ms, grown, grownAfter: wasm.memory.buffer.byteLength - before, raster, legend: chart.legend(), points: frame.pointsInView };
  });
  console.log(`stacked, 10^8 minutes apart: drawn in ${run.ms.toFixed(1)} ms, wasm memory grew ${run.grown} bytes`);
  assert.ok(run.grownAfter < run.raster + (1 << 20), `wasm memory grew ${run.grownAfter} bytes (raster ${run.raster})`);
  assert.deepEqual(run.legend.map((e) => [e.name, e.max]), [['a', 2], ['b', 5]]);
  assert.deepEqual(problems, []);
  await page.close();
});
