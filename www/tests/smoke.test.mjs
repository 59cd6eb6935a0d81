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

test('a Prometheus query_range response parses into named series', () => {
  const response = {
    status: 'success',
    data: {
      resultType: 'matrix',
      result: [
        { metric: { __name__: 'node_load1', instance: 'web-1' }, values: [[1700000000, '0.5'], [1700000060, 'NaN'], [1700000120, '+Inf'], [1700000180, '2']] },
        { metric: { __name__: 'node_load1', instance: 'web-2' }, values: [[1700000000, '1']] },
      ],
    },
  };
  const list = sabaplot.parsePrometheus(200, new TextEncoder().encode(JSON.stringify(response)));
  assert.deepEqual(list.map((s) => s.name), ['node_load1{instance="web-1"}', 'node_load1{instance="web-2"}']);
  const values = list[0].values();
  assert.equal(values[0], 0.5);
  assert.ok(Number.isNaN(values[1]) && Number.isNaN(values[2]), 'NaN and +Inf are gaps');
  assert.equal(values[3], 2);
  list.forEach((s) => s.free());
  const limit = '{"status":"error","errorType":"bad_data","error":"exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"}';
  assert.throws(() => sabaplot.parsePrometheus(400, new TextEncoder().encode(limit)),
    (e) => e instanceof Error && /HTTP 400: exceeded maximum resolution of 11,000 points/.test(e.message));
});

test('graph annotations parse, titles kept as the API wrote them', () => {
  const body = '{"graphAnnotations":[{"id":"a","title":"<img src=x onerror=alert(1)>","description":"d","from":1700000000,"to":1700000600,"service":"web","roles":[]}]}';
  const [a] = sabaplot.parseMackerelAnnotations(200, new TextEncoder().encode(body));
  assert.deepEqual(a, { from: 1700000000, to: 1700000600, title: '<img src=x onerror=alert(1)>', description: 'd', service: 'web', roles: [] });
});

test('a load plan for 460 days starts with the envelope and keeps every chunk under the limit', () => {
  const to = 1_767_225_600;
  const from = to - 460 * 86_400;
  const plan = sabaplot.planRequests('prometheus', from, to, to - 86_400, to, 1200, 'node_load1{instance="web-1"}');
  assert.deepEqual(plan.slice(0, 2).map((r) => r.kind), ['min', 'max']);
  assert.match(plan[0].promql, /^min_over_time\(node_load1\{instance="web-1"\}\[\d+s\]\)$/);
  const minutes = plan.slice(2);
  assert.ok(minutes.every((r) => r.kind === 'minute' && r.step === 60 && (r.to - r.from) / 60 <= 11_000));
  assert.ok(minutes[0].visible && minutes[0].to >= to, 'the visible, newest chunk comes first');
  assert.throws(() => sabaplot.planRequests('graphite', from, to, from, to, 100), /unknown API "graphite"/);
  assert.throws(() => sabaplot.planRequests('mackerel', to, from, from, to, 100), /cannot load the range/);
});
