// Per-series style as an embedder sets it: a rule's colour and width are
// what the canvas shows, setSeriesOptions restyles one series, a label
// replaces the name in the legend, and with colorBy 'name' a host keeps
// its colour on every chart of the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPackage } from './harness.mjs';

const context = serverAndBrowser();

async function open() {
  const { page, problems } = await openPackage(context, { width: 900, height: 700 });
  await page.evaluate(() => {
    const t = Float64Array.from({ length: 600 }, (_, k) => 1.7e9 + 60 * k);
    window.wave = (phase) => [t, Float64Array.from(t, (_, k) => 50 + 40 * Math.sin(k / 40 + phase))];
    // Pixels of a canvas of one hue, however antialiasing blends it into
    // the white background: the channels that are 0 in the colour stay
    // well below those that are 255.
    window.pixelsOf = (canvas, [r, g, b]) => {
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      const want = [r, g, b];
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        const px = [data[i], data[i + 1], data[i + 2]];
        const on = px.filter((_, c) => want[c] === 255);
        const off = px.filter((_, c) => want[c] === 0);
        if (Math.min(...on) - Math.max(...off) > 60) n++;
      }
      return n;
    };
    window.box = (height) => {
      const div = document.createElement('div');
      Object.assign(div.style, { width: '800px', height: `${height}px` });
      document.body.append(div);
      return div;
    };
  });
  return { page, problems };
}

test("a rule's colour and width are what the canvas shows, and setSeriesOptions restyles one series", async () => {
  const { page, problems } = await open();
  const seen = await page.evaluate(() => {
    const { pkg, wave, pixelsOf, box } = window;
    const chart = new pkg.Chart(box(300), {
      timeZone: 'UTC',
      series: [{ match: '/^disk\\./', color: '#ff00ff', width: 3 }, { match: 'disk.sda', label: 'root disk' }],
    });
    chart.setSeriesArrays('disk.sda', ...wave(0));
    chart.setSeriesArrays('cpu', ...wave(2));
    chart.draw();
    const canvas = chart.describe() && document.querySelector('body > div:last-of-type canvas');
    const magenta = pixelsOf(canvas, [255, 0, 255]);
    const legend = chart.legend().map((e) => [e.name, e.label, e.color]);
    const legendText = document.querySelector('body > div:last-of-type').textContent;
    chart.setSeriesOptions('disk.sda', { color: '#00ff00', width: 1 });
    chart.draw();
    const after = { magenta: pixelsOf(canvas, [255, 0, 255]), green: pixelsOf(canvas, [0, 255, 0]) };
    chart.setSeriesOptions('cpu', { hidden: true });
    chart.draw();
    return { magenta, legend, legendText, after, cpuVisible: chart.legend()[1].visible, ratio: devicePixelRatio };
  });
  // A 3-px line 800 px wide covers well over 3 × 700 device pixels in its colour.
  assert.ok(seen.magenta > 3 * 700, `${seen.magenta} magenta pixels`);
  assert.deepEqual(seen.legend, [['disk.sda', 'root disk', '#ff00ff'], ['cpu', 'cpu', '#ff7f0e']]);
  assert.match(seen.legendText, /root disk/);
  assert.equal(seen.after.magenta, 0, 'the old colour is gone');
  assert.ok(seen.after.green > 700 && seen.after.green < seen.magenta, `${seen.after.green} green pixels, a thinner line`);
  assert.equal(seen.cpuVisible, false);
  assert.deepEqual(problems, []);
  await page.close();
});

test("with colorBy 'name' web-07 has one colour on every chart, and 16 hosts get 16 colours", async () => {
  const { page, problems } = await open();
  const seen = await page.evaluate(() => {
    const { pkg, wave, box } = window;
    const hosts = Array.from({ length: 16 }, (_, k) => `web-${String(k + 1).padStart(2, '0')}`);
    const a = new pkg.Chart(box(200), { timeZone: 'UTC', colorBy: 'name' });
    for (const [k, h] of hosts.entries()) a.setSeriesArrays(h, ...wave(k));
    const b = new pkg.Chart(box(200), { timeZone: 'UTC', colorBy: 'name' });
    // Another order, and only some of the hosts.
    for (const h of ['web-09', 'web-07', 'web-01']) b.setSeriesArrays(h, ...wave(1));
    const colours = (chart) => Object.fromEntries(chart.legend().map((e) => [e.name, e.color]));
    return { a: colours(a), b: colours(b) };
  });
  assert.equal(new Set(Object.values(seen.a)).size, 16, JSON.stringify(seen.a));
  for (const host of ['web-07', 'web-09', 'web-01']) assert.equal(seen.b[host], seen.a[host], host);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a fixed max: nothing is drawn above the plot, and the axis ends at the max', async () => {
  const { page, problems } = await open();
  const seen = await page.evaluate(() => {
    const { pkg, wave, pixelsOf, box } = window;
    const host = box(300);
    const chart = new pkg.Chart(host, { timeZone: 'UTC', legend: false, axes: { left: { min: 0, max: 50 } },
      series: [{ color: '#ff00ff', width: 2 }] });
    chart.setSeriesArrays('a', ...wave(0)); // 10 … 90
    chart.draw();
    const canvas = host.querySelector('canvas');
    const frame = chart.describe();
    const top = Math.round(frame.plot[1] * frame.ratio);
    // The rows above the plot, as their own canvas.
    const above = document.createElement('canvas');
    [above.width, above.height] = [canvas.width, top - 1];
    above.getContext('2d').drawImage(canvas, 0, 0);
    const error = (() => { try { chart.setOptions({ axes: { left: { min: 10, max: 5 } } }); return null; } catch (e) { return e.message; } })();
    return { above: pixelsOf(above, [255, 0, 255]), inside: pixelsOf(canvas, [255, 0, 255]), range: frame.valueRange,
      labels: frame.valueLabels, error };
  });
  assert.equal(seen.above, 0, 'no line above the plot');
  assert.ok(seen.inside > 1_000, `${seen.inside} pixels of the line`);
  assert.deepEqual(seen.range, [0, 50]);
  assert.equal(seen.labels.at(-1), '50');
  assert.match(seen.error, /axes\.left: min 10 is not below max 5/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a stack by name with a line over it: the layers add up, the line is drawn on top in its colour', async () => {
  const { page, problems } = await open();
  const seen = await page.evaluate(() => {
    const { pkg, wave, pixelsOf, box } = window;
    const host = box(300);
    const chart = new pkg.Chart(host, { timeZone: 'UTC', legend: false, series: [
      { match: '/^cpu\\./', stack: 'cpu' }, { match: 'limit', color: '#ff00ff', width: 2 },
    ] });
    chart.setSeriesArrays('cpu.user', ...wave(0));
    chart.setSeriesArrays('cpu.system', ...wave(1));
    chart.setSeriesArrays('limit', ...wave(2));
    chart.draw();
    const t = 1.7e9 + 60 * 300;
    const rows = Object.fromEntries(chart.readout(t).rows.map((r) => [r.name, r.value]));
    return { magenta: pixelsOf(host.querySelector('canvas'), [255, 0, 255]), rows, top: chart.describe().valueRange[1] };
  });
  assert.ok(seen.magenta > 1_000, `${seen.magenta} pixels of the line`);
  // The axis holds the stack's top, the two layers' sum.
  assert.ok(seen.top >= seen.rows['cpu.user'] + seen.rows['cpu.system'], JSON.stringify(seen));
  assert.deepEqual(problems, []);
  await page.close();
});

test('the legend stays within the chart\'s width, however long a name', async () => {
  const { page, problems } = await open();
  const seen = await page.evaluate(() => {
    const { pkg, wave, box } = window;
    const host = box(260);
    host.style.width = '320px';
    const chart = new pkg.Chart(host, { timeZone: 'UTC', theme: 'dark' });
    chart.setSeriesArrays(`custom.ecs.${'very-long-task-name-'.repeat(8)}.port.8080`, ...wave(0));
    chart.setSeriesArrays('short', ...wave(1));
    chart.draw();
    const legend = host.querySelector('.sabaplot-legend');
    const items = [...legend.querySelectorAll('button')].map((b) => b.getBoundingClientRect().right);
    return { scroll: legend.scrollWidth, width: legend.clientWidth, right: Math.max(...items), host: host.getBoundingClientRect().right };
  });
  assert.ok(seen.scroll <= seen.width, `legend content ${seen.scroll} px in ${seen.width} px`);
  assert.ok(seen.right <= seen.host, `an item ends at ${seen.right}, the chart at ${seen.host}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a log axis: labels at powers of ten, zeros as gaps, and a min of 0 refused', async () => {
  const { page, problems } = await open();
  const seen = await page.evaluate(() => {
    const { pkg, box } = window;
    const chart = new pkg.Chart(box(300), { timeZone: 'UTC', axes: { left: { scale: 'log' } } });
    const t = Float64Array.from({ length: 600 }, (_, k) => 1.7e9 + 60 * k);
    // 2 … 8,000, with a zero every 50 minutes.
    chart.setSeriesArrays('a', t, Float64Array.from(t, (_, k) => (k % 50 === 0 ? 0 : 2 * 4_000 ** (k / 599))));
    chart.draw();
    const frame = chart.describe();
    const error = (() => { try { chart.setOptions({ axes: { left: { scale: 'log', min: 0 } } }); return null; } catch (e) { return e.message; } })();
    return { labels: frame.valueLabels, range: frame.valueRange, runs: frame.runsDrawn, error };
  });
  assert.deepEqual(seen.range, [1, 10_000]);
  assert.deepEqual(seen.labels, ['1', '10', '100', '1k', '10k']);
  assert.ok(seen.runs >= 12, `${seen.runs} runs: the zeros cut the line`);
  assert.match(seen.error, /min 0 on a log scale/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("theme 'auto' follows the reader's colour scheme as it changes", async () => {
  const { page, problems } = await open();
  await page.emulateMedia({ colorScheme: 'dark' });
  const corner = () => page.evaluate(() => {
    const canvas = document.querySelector('#auto canvas');
    return [...canvas.getContext('2d').getImageData(2, 2, 1, 1).data.slice(0, 3)];
  });
  // The change event comes when the browser dispatches it, and the redraw
  // at the frame after: wait for the corner to turn.
  const turns = (rgb) => page.waitForFunction((rgb) => {
    const canvas = document.querySelector('#auto canvas');
    return canvas.getContext('2d').getImageData(2, 2, 1, 1).data.slice(0, 3).join() === rgb.join();
  }, rgb, { timeout: 5_000 });
  await page.evaluate(() => {
    const { pkg, wave, box } = window;
    const host = box(200);
    host.id = 'auto';
    window.auto = new pkg.Chart(host, { timeZone: 'UTC', theme: 'auto' });
    window.auto.setSeriesArrays('a', ...wave(0));
    window.auto.draw();
  });
  assert.deepEqual(await corner(), [24, 26, 31], 'dark while the reader prefers dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await turns([255, 255, 255]);
  await page.emulateMedia({ colorScheme: 'dark' });
  await turns([24, 26, 31]);
  assert.equal(await page.evaluate(() => window.auto.describe().pointsInView), 600);
  assert.deepEqual(problems, []);
  await page.close();
});

test('time labels and the tooltip time in ja-JP and en-US across a year boundary', async () => {
  const { page, problems } = await open();
  const seen = await page.evaluate(() => {
    const { pkg, box } = window;
    // 2025-12-30 00:00 to 2026-01-02 00:00 UTC, every minute.
    const start = 1_767_052_800;
    const t = Float64Array.from({ length: 3 * 1_440 + 1 }, (_, k) => start + 60 * k);
    const v = Float64Array.from(t, (_, k) => k % 60);
    const labels = (locale) => {
      const chart = new pkg.Chart(box(200), { timeZone: 'UTC', locale });
      chart.setSeriesArrays('a', t, v);
      chart.draw();
      const out = { axis: chart.describe().timeLabels, tooltip: chart.readout(start + 86_400 * 2 + 90).timeLabel };
      chart.setRange(start + 86_400 * 2 - 3 * 3_600, start + 86_400 * 2 + 3 * 3_600);
      chart.draw();
      out.hours = chart.describe().timeLabels;
      chart.free();
      return out;
    };
    const error = (() => { try { new pkg.Chart(box(100), { locale: 'xx' }); return null; } catch (e) { return e.message; } })();
    return { ja: labels('ja-JP'), en: labels('en-US'), error };
  });
  assert.deepEqual(seen.ja.axis, ['12月30日', '12:00', '12月31日', '12:00', '2026年', '12:00', '1月2日']);
  assert.deepEqual(seen.en.axis, ['Dec 30', '12:00', 'Dec 31', '12:00', '2026', '12:00', 'Jan 2']);
  assert.deepEqual(seen.ja.hours, ['21:00', '22:00', '23:00', '2026年', '01:00', '02:00', '03:00']);
  assert.equal(seen.ja.tooltip, '2026/01/01 00:01 UTC');
  assert.equal(seen.en.tooltip, '01/01/2026, 00:01 UTC');
  assert.match(seen.error, /^chart options: locale: "xx" is not a BCP 47 language tag this browser knows/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a right-axis series is placed by its own range, in its own unit in the legend and tooltip', async () => {
  const { page, problems } = await open();
  const seen = await page.evaluate(() => {
    const { pkg, box } = window;
    const t = Float64Array.from({ length: 600 }, (_, k) => 1.7e9 + 60 * k);
    const host = box(300);
    const chart = new pkg.Chart(host, {
      timeZone: 'UTC', unit: 'bytes/sec', legend: true,
      axes: { right: { unit: 'percentage', min: 0, max: 100, label: 'CPU %' } },
      series: [{ match: 'rx', color: '#0000ff' }, { match: 'cpu', axis: 'right', color: '#ff0000', width: 2 }],
    });
    // rx climbs to 4 MiB/s; cpu holds at 50 %: on the left axis 50 would
    // lie on the bottom row, on its own axis it lies half-way up.
    chart.setSeriesArrays('rx', t, Float64Array.from(t, (_, k) => (k / 599) * 4 * 1_048_576));
    chart.setSeriesArrays('cpu', t, Float64Array.from(t, () => 50));
    chart.draw();
    const frame = chart.describe();
    const canvas = host.querySelector('canvas');
    const { data, width } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const redRows = new Set();
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] > 200 && data[i + 1] < 60 && data[i + 2] < 60) redRows.add(Math.floor(i / 4 / width));
    }
    const legend = chart.legend().map((e) => e.summary);
    const tooltip = chart.readout(1.7e9 + 60 * 300).rows.map((r) => r.label);
    return { frame, redRows: [...redRows], legend, tooltip };
  });
  const { frame } = seen;
  const r = frame.ratio;
  const [top, bottom] = [Math.round(frame.plot[1] * r), Math.round(frame.plot[3] * r) - 1];
  const middle = Math.round(bottom - 0.5 * (bottom - top));
  assert.ok(seen.redRows.length > 0, 'the right-axis series is drawn');
  assert.ok(seen.redRows.every((y) => Math.abs(y - middle) <= 2), `cpu rows ${seen.redRows} against the middle ${middle}`);
  assert.deepEqual(frame.rightRange, [0, 100]);
  assert.equal(frame.rightLabels.at(-1), '100%');
  assert.match(frame.valueLabels.at(-1), /MiB\/s$/);
  assert.match(seen.legend[0], /MiB\/s/);
  assert.equal(seen.legend[1], 'min 50.00% avg 50.00% max 50.00% last 50.00%');
  assert.deepEqual(seen.tooltip.sort(), ['2.003 MiB/s', '50.00%']);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the legend, tooltip and value axis write numbers the locale's way", async () => {
  const { page, problems } = await open();
  const seen = await page.evaluate(() => {
    const { pkg, box } = window;
    const t = Float64Array.from({ length: 60 }, (_, k) => 1.7e9 + 60 * k);
    const numbers = (locale) => {
      const chart = new pkg.Chart(box(200), { timeZone: 'UTC', unit: 'percentage', locale });
      chart.setSeriesArrays('a', t, Float64Array.from(t, (_, k) => 0.25 + k / 100));
      chart.draw();
      const out = { legend: chart.legend()[0].summary, tooltip: chart.readout(t[10]).rows[0].label,
        axis: chart.describe().valueLabels };
      chart.free();
      return out;
    };
    return { de: numbers('de-DE'), en: numbers('en-US') };
  });
  assert.equal(seen.de.legend, 'min 0,250% avg 0,545% max 0,840% last 0,840%');
  assert.equal(seen.en.legend, 'min 0.250% avg 0.545% max 0.840% last 0.840%');
  assert.equal(seen.de.tooltip, '0,350%');
  assert.ok(seen.de.axis.some((l) => l.includes(',')) && !seen.de.axis.some((l) => l.includes('.')), seen.de.axis.join(' '));
  assert.deepEqual(problems, []);
  await page.close();
});

test('a dashed series and bars are drawn in their colour on the canvas', async () => {
  const { page, problems } = await open();
  const seen = await page.evaluate(() => {
    const { pkg, wave, pixelsOf, box } = window;
    const rules = [{ color: '#ff00ff' }, { color: '#ff00ff', dash: [4, 4] }, { color: '#ff00ff', kind: 'bars' }];
    return rules.map((rule) => {
      const host = box(300);
      const chart = new pkg.Chart(host, { timeZone: 'UTC', legend: false, series: [rule] });
      chart.setSeriesArrays('s', ...wave(0));
      chart.draw();
      return pixelsOf(host.querySelector('canvas'), [255, 0, 255]);
    });
  });
  const [solid, dashed, bars] = seen;
  assert.ok(dashed > solid * 0.3 && dashed < solid * 0.75, `dashed ${dashed} of solid ${solid} pixels`);
  assert.ok(bars > solid * 5, `bars fill down to zero: ${bars} against ${solid}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('bad series options are refused with what is wrong, and the chart keeps its style', async () => {
  const { page } = await open();
  const errors = await page.evaluate(() => {
    const { pkg, wave, box } = window;
    const chart = new pkg.Chart(box(200), { timeZone: 'UTC' });
    chart.setSeriesArrays('a', ...wave(0));
    const error = (f) => { try { f(); return null; } catch (e) { return e.message; } };
    return [
      error(() => chart.setOptions({ series: [{ color: 'red' }] })),
      error(() => chart.setOptions({ series: [{ match: '/(/' }] })),
      error(() => chart.setOptions({ series: [{ width: 50 }] })),
      error(() => chart.setSeriesOptions('a', { colour: '#fff' })),
      error(() => chart.setOptions({ colorBy: 'hue' })),
      chart.legend()[0].color,
    ];
  });
  assert.match(errors[0], /series\[0\]\.color: colour "red" is not #rgb or #rrggbb/);
  assert.match(errors[1], /series\[0\]\.match: series match \/\(\//);
  assert.match(errors[2], /line width 50 is not from 0\.5 to 10/);
  assert.match(errors[3], /setSeriesOptions: unknown field `colour`/);
  assert.match(errors[4], /colorBy: unknown variant `hue`/);
  assert.equal(errors[5], '#1f77b4');
  await page.close();
});

test('long lines are laid over the canvas in one image call a frame, and frames of many fills in at most four', async () => {
  const { page, problems } = await openPackage(context, { width: 900, height: 700 });
  const run = await page.evaluate(() => {
    const { pkg } = window;
    let puts = 0;
    const put = CanvasRenderingContext2D.prototype.putImageData;
    CanvasRenderingContext2D.prototype.putImageData = function (...args) {
      puts += 1;
      return put.apply(this, args);
    };
    const host = document.createElement('div');
    Object.assign(host.style, { width: '800px', height: '300px' });
    document.body.append(host);
    const n = 3_000;
    const times = Float64Array.from({ length: n }, (_, k) => 1.7e9 + 60 * k);
    const names = Array.from({ length: 16 }, (_, s) => `s${s}`);
    const smooth = names.map((_, s) => Float64Array.from(times, (_, k) => s + Math.sin(k / 50 + s)));
    // Every other stretch of 40 minutes missing, with a lone minute in it:
    // runs of lines between lone points (drawn as squares).
    const gappy = smooth.map((v) => v.map((x, k) => (k % 80 < 40 || k % 80 === 60 ? x : NaN)));
    const count = (values, options = {}) => {
      const chart = new pkg.Chart(host, { legend: false, ...options });
      chart.setSeriesColumns(names, times, values);
      puts = 0;
      chart.draw();
      const drawn = puts;
      // The next frame: as the last one, or (after one that reached four)
      // with canvas paths only.
      puts = 0;
      chart.setRange(times[0], times[n - 2]);
      chart.draw();
      const next = puts;
      const { data } = host.querySelector('canvas').getContext('2d').getImageData(0, 0, 800, 300);
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] < 600) ink++;
      chart.destroy();
      return { puts: drawn, next, ink };
    };
    return { smooth: count(smooth), gappy: count(gappy), stacked: count(smooth, { kind: 'stacked' }) };
  });
  assert.deepEqual([run.smooth.puts, run.smooth.next], [1, 1], '16 lines, one image call a frame');
  assert.deepEqual([run.gappy.puts, run.gappy.next], [4, 0], 'lines between lone points: four, then none');
  assert.deepEqual([run.stacked.puts, run.stacked.next], [4, 0], 'a stack of 16: four, then none');
  for (const [kind, { ink }] of Object.entries(run)) assert.ok(ink > 10_000, `${kind}: ${ink} pixels drawn`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a pan of any length moves the lines drawn and draws only the columns it reveals, the same pixels as a fresh chart; charts panned together each keep theirs', async () => {
  const { page, problems } = await openPackage(context, { width: 900, height: 700 });
  const run = await page.evaluate(() => {
    const { pkg } = window;
    const place = () => {
      const host = document.createElement('div');
      Object.assign(host.style, { width: '800px', height: '300px' });
      document.body.append(host);
      return host;
    };
    // 8 series of 20 days of minutes; a window of 5 days, moved by whole
    // columns (as a drag of whole pixels does) and by parts of columns (as
    // setRange may): the drawn window starts on a whole column.
    const n = 20 * 1_440;
    const t0 = 1.7e9;
    const times = Float64Array.from({ length: n }, (_, k) => t0 + 60 * k);
    const names = Array.from({ length: 8 }, (_, s) => `s${s}`);
    const values = names.map((_, s) => Float64Array.from(times, (_, k) => (k === 4_000 && s === 3 ? 40 : s + Math.sin(k / 97 + s) + ((k * 7_919) % 13) / 13)));
    values[5].fill(NaN, 12_000, 12_030);
    const pixels = (host) => Array.from(host.querySelector('canvas').getContext('2d').getImageData(0, 0, 800, 300).data);
    const host = place();
    const chart = new pkg.Chart(host, { legend: false, timeZone: 'UTC' });
    chart.setSeriesColumns(names, times, values);
    const span = 5 * 86_400;
    let from = t0 + 86_400;
    chart.setRange(from, from + span);
    // The first frame sizes the canvas to its box.
    chart.draw();
    chart.draw();
    const { columns } = chart.describe();
    const perColumn = span / columns;
    const kept = [];
    const moves = [];
    // Later by 40 columns, by 1, earlier by 13, not at all, by parts of
    // columns; after the data changed, everything is drawn again, and then
    // kept again.
    const pans = [[40, false], [1, false], [-13, false], [0, false], [40.37, false], [0.3, false],
      [-7.6, false], [40, true], [40, false]];
    for (const [by, change] of pans) {
      if (change) chart.appendSeries('s0', [t0 + 60 * n], [1]);
      const before = Math.round(from / perColumn);
      from += by * perColumn;
      moves.push(change ? null : Math.round(from / perColumn) - before);
      chart.setRange(from, from + span);
      chart.draw();
      kept.push(chart.describe().columnsKept);
    }
    const moved = pixels(host);
    const freshHost = place();
    const fresh = new pkg.Chart(freshHost, { legend: false, timeZone: 'UTC' });
    fresh.setSeriesColumns(names, times, values);
    fresh.appendSeries('s0', [t0 + 60 * n], [1]);
    fresh.setRange(from, from + span);
    fresh.draw();
    fresh.draw();
    const same = pixels(freshHost);
    let differ = 0;
    for (let i = 0; i < moved.length; i++) if (moved[i] !== same[i]) differ++;
    let ink = 0;
    for (let i = 0; i < moved.length; i += 4) if (moved[i] + moved[i + 1] + moved[i + 2] < 600) ink++;
    // Two charts panned in turn, as a group pans: each keeps its own lines.
    const pair = [place(), place()].map((box) => {
      const c = new pkg.Chart(box, { legend: false, timeZone: 'UTC' });
      c.setSeriesColumns(names, times, values);
      c.setRange(from, from + span);
      c.draw();
      c.draw();
      return c;
    });
    const together = [];
    for (let k = 1; k <= 2; k++) {
      for (const c of pair) {
        c.setRange(from + 40 * k * perColumn, from + 40 * k * perColumn + span);
        c.draw();
        together.push(c.describe().columnsKept);
      }
    }
    for (const c of [chart, fresh, ...pair]) c.destroy();
    return { columns, kept, moves, differ, ink, together };
  });
  const { columns } = run;
  assert.ok(columns > 700, `${columns} columns`);
  // Each pan draws what it revealed with a margin of 4 columns each side
  // (1-px lines: width + 3), and 4 more columns each side of the plot's
  // other edge, where the line now ends.
  const panned = (by) => columns - by - 16;
  assert.deepEqual(run.moves, [40, 1, -13, 0, 40, 0, -7, null, 40]);
  assert.deepEqual(run.kept, [panned(40), panned(1), panned(13), columns, panned(40), columns,
    panned(7), 0, panned(40)]);
  assert.equal(run.differ, 0, 'moved and drawn at the edge: the same pixels as a fresh chart');
  assert.deepEqual(run.together, [panned(40), panned(40), panned(40), panned(40)], 'two charts panned in turn');
  assert.ok(run.ink > 5_000, `${run.ink} pixels drawn`);
  assert.deepEqual(problems, []);
  await page.close();
});
