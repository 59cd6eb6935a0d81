// Node smoke test of the built npm package in pkg/: the optimised wasm loads
// and instantiates (a broken wasm-opt output fails here), the parser runs,
// and errors arrive as Error objects with readable messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';

const pkg = new URL('../../pkg/', import.meta.url);
const sabaplot = await import(new URL('sabaplot.js', pkg));
await sabaplot.default({ module_or_path: await readFile(new URL('sabaplot_bg.wasm', pkg)) });

const body = (points) => new TextEncoder().encode(JSON.stringify({ metrics: points }));

test('package.json names the module, its types and the wasm', async () => {
  const meta = JSON.parse(await readFile(new URL('package.json', pkg), 'utf8'));
  assert.equal(meta.name, 'sabaplot');
  assert.equal(meta.type, 'module');
  assert.equal(meta.types, 'sabaplot.d.ts');
  // Every entry exists: files are read, folders (wasm-bindgen snippets) listed.
  for (const file of meta.files) await (file.endsWith('/') ? readdir : readFile)(new URL(file, pkg));
});

test('a Mackerel response parses into a series with gaps', () => {
  const series = sabaplot.parseMackerel(200, body([
    { time: 1700000000, value: 1.5 }, { time: 1700000060, value: null }, { time: 1700000180, value: 4 },
  ]));
  assert.equal(series.start, 1700000000);
  assert.equal(series.step, 60);
  assert.equal(series.length, 4);
  assert.equal(series.validCount, 2);
  const values = series.values();
  assert.ok(values instanceof Float64Array);
  assert.ok(Number.isNaN(values[1]) && Number.isNaN(values[2]));
  assert.equal(values[3], 4);
  series.free();
});

test('errors are Error objects that say what went wrong', () => {
  const cases = [
    [404, '{"error":{"message":"Host Not Found."}}', /HTTP 404: Host Not Found\./],
    [502, '<html><body>Bad Gateway</body></html>', /HTML page/],
    [200, '{"metrics":[{"time":17', /truncated/],
    [200, '{"metrics":[]}', /no data points/],
    [200, 'NaN', /not the JSON/],
  ];
  for (const [status, text, message] of cases) {
    assert.throws(() => sabaplot.parseMackerel(status, new TextEncoder().encode(text)), (e) => {
      assert.ok(e instanceof Error);
      assert.match(e.message, message);
      return true;
    });
  }
});

test('the module keeps working after errors', () => {
  assert.throws(() => new sabaplot.SeriesData(new Float64Array([0, 60]), new Float64Array([1])));
  const series = new sabaplot.SeriesData(new Float64Array([60, 0]), new Float64Array([2, 1]));
  assert.deepEqual([...series.values()], [1, 2]);
});
