// Compiled by `tsc` in `make test` (nothing runs): the package's TypeScript
// types accept the documented use and refuse the mistakes marked below.
import init, { Chart, limits, parseMackerel, parseMackerelChunk, parsePrometheus, parseMackerelAnnotations, planRequests } from '../../pkg/sabaplot.js';
import type { ChartOptions, Frame, GraphAnnotation, LegendEntry, NotLoaded, PlannedRequest, Readout } from '../../pkg/sabaplot.js';
import { Loader } from '../../pkg/loader.js';
import type { LoadResult } from '../../pkg/loader.js';

export async function dashboard(element: HTMLElement, response: Response): Promise<number> {
  await init();
  const options: ChartOptions = {
    title: 'web-01 · cpu',
    unit: 'percentage',
    theme: 'dark',
    timeZone: 'Europe/Berlin',
    kind: 'stacked',
    group: 'web',
    syncRange: true,
    tooltipRows: 5,
    thresholds: [{ value: 80, level: 'warning' }, { value: 95, level: 'critical', label: 'page' }],
    annotations: [{ from: 1_767_225_600, to: 1_767_229_200, title: 'deploy' }],
  };
  const chart = new Chart(element, options);
  chart.setSeriesArrays('user', new Float64Array([0, 60]), new Float64Array([1, 2]));
  chart.setSeriesColumns(['user', 'system'], new Float64Array([0, 60]), [new Float64Array([1, 2]), new Float64Array([3, 4])]);
  // Plain arrays as JSON.parse gives them, in epoch milliseconds.
  const parsed: { t: number[]; v: (number | null)[] } = JSON.parse('{"t": [0, 60000], "v": [1, null]}');
  const ms = new Chart(element, { timeUnit: 'ms' });
  ms.setSeriesArrays('user', parsed.t, parsed.v);
  ms.setSeriesColumns(['user', 'system'], parsed.t, [parsed.v, new Float64Array([3, 4])]);
  ms.appendSeries('user', [120000], [null]);
  // @ts-expect-error times are numbers
  ms.setSeriesArrays('user', ['0', '60000'], parsed.v);
  // @ts-expect-error timeUnit is "s" or "ms"
  ms.setOptions({ timeUnit: 'us' });
  chart.appendSeries('user', new Float64Array([120]), new Float64Array([3]));
  chart.setSeries('load', parseMackerel(response.status, new Uint8Array(await response.arrayBuffer())));
  chart.setVisible('user', false);
  chart.setRange(0, 3_600);
  chart.onRangeChange((from, to) => console.log(to - from));
  chart.onCursorMove((time) => console.log(time === null ? 'left' : time.toFixed(0)));
  chart.onRangeChange(null);
  chart.setOptions({ kind: 'envelope' });
  chart.setOptions({
    colorBy: 'name',
    series: [{ match: 'custom.ecs.*.port.8080', color: '#f0a', width: 2, label: 'port 8080' }, { match: '/^web-0[1-3]$/', hidden: true, kind: 'points' }, { match: 'cpu.*', stack: 'percent' }],
  });
  chart.setSeriesOptions('user', { color: '#1f77b4', hidden: false });
  chart.setOptions({ axes: { left: { min: 0, max: 100, softMax: 120 } }, locale: 'ja-JP', theme: 'auto' });
  chart.setOptions({ axes: { left: { scale: 'log', min: 1 } } });
  chart.setOptions({
    axes: { left: { label: 'bytes/sec' }, right: { unit: 'percentage', min: 0, max: 100, label: 'CPU %' } },
    series: [{ match: 'cpu', axis: 'right', dash: [6, 3], unit: 'percentage' }, { match: 'errors', kind: 'bars' }],
  });
  // @ts-expect-error a series is on the left or the right axis
  chart.setOptions({ series: [{ axis: 'top' }] });
  // @ts-expect-error a dash is a list of lengths
  chart.setOptions({ series: [{ dash: '6 3' }] });
  // @ts-expect-error axis ends are numbers
  chart.setOptions({ axes: { left: { max: '100' } } });
  // @ts-expect-error setSeriesOptions styles one name: it takes no match
  chart.setSeriesOptions('user', { match: 'system' });
  // @ts-expect-error colorBy is "index" or "name"
  chart.setOptions({ colorBy: 'hue' });
  const shownAs: string = chart.legend()[0].label;
  const plain = new Chart(element);
  const window: [number, number] | undefined = plain.getRange();
  plain.free();
  console.log(window?.[1]);
  const limitNames: string[] = limits().map((l) => `${l.name} ${l.min}…${l.max}`);

  const readout: Readout = chart.readout(60);
  const first: number | null = readout.rows[0]?.value ?? null;
  const legend: LegendEntry[] = chart.legend();
  const frame: Frame | undefined = chart.describe();
  const [left, , right] = frame?.plot ?? [0, 0, 0, 0];
  const columns: number = frame?.columns ?? Math.round((right - left) * (frame?.ratio ?? 1));
  const rightAxis: [number, number] | null = frame?.rightRange ?? null;
  const range = chart.getRange();

  // @ts-expect-error: "byte" is not a unit
  chart.setOptions({ unit: 'byte' });
  // @ts-expect-error: there is no option "colour"
  chart.setOptions({ colour: 'red' });
  // @ts-expect-error: a threshold needs a value
  chart.setOptions({ thresholds: [{ level: 'warning' }] });
  // @ts-expect-error: range callbacks get numbers
  chart.onRangeChange((from: string) => from);
  // @ts-expect-error: a legend entry's min may be null
  const min: number = legend[0].min;

  chart.destroy();
  return (first ?? 0) + legend.length + right - left + (range?.length ?? 0) + min + shownAs.length + limitNames.length;
}

export function sources(chart: Chart, body: Uint8Array, to: number): number {
  for (const series of parsePrometheus(200, body)) chart.setSeries(series.name, series);
  const notes: GraphAnnotation[] = parseMackerelAnnotations(200, body);
  chart.setOptions({ annotations: notes.map(({ from, to, title }) => ({ from, to, title })) });
  const plan: PlannedRequest[] = planRequests('prometheus', to - 86_400, to, to - 3_600, to, 800, 'up');
  const envelope = plan.filter((r) => r.kind === 'min' || r.kind === 'max');
  // @ts-expect-error: there is no request kind "hour"
  plan.filter((r) => r.kind === 'hour');
  // @ts-expect-error: a plan needs a plot width
  planRequests('mackerel', 0, 1, 0, 1);
  return envelope.length + notes.length;
}

export async function loading(chart: Chart): Promise<string[]> {
  const loader = new Loader(chart, {
    source: { api: 'prometheus', baseUrl: '/prom', queries: ['loadavg5{role="web"}'], name: (n) => n.replace(/^loadavg5/, '') },
    concurrency: 4,
    random: () => 0.5,
    onProgress: ({ done, total, points, failed }) => console.log(done / total, points, failed),
  });
  const mackerel = new Loader(chart, {
    source: { api: 'mackerel', series: [{ name: 'web-01', host: '3yAYEDLXKL5', metric: 'loadavg5' },
      { name: 'requests', service: 'shop', metric: 'requests' }] },
  });
  const result: LoadResult = await loader.load({ from: 0, to: 86_400, width: 800 });
  loader.prioritise(0, 3_600);
  mackerel.abort();
  const spans: NotLoaded[] = result.notLoaded;
  chart.setNotLoaded(spans);
  chart.setProgress({ done: 1, total: 2 });
  chart.setProgress(null);
  const data = parseMackerelChunk(200, new Uint8Array());
  if (data) {
    const kept: number = chart.mergeSeries('web-01', data, 0, 60);
    console.log(kept);
  }
  chart.reserveSeries('web-01', 0, 86_400, 60);
  const t: number | undefined = chart.timeAt(100);
  const x: number | undefined = chart.xAt(t ?? 0);
  console.log(x);
  // @ts-expect-error: a Mackerel series names a host or a service
  new Loader(chart, { source: { api: 'mackerel', series: [{ name: 'x', metric: 'loadavg5' }] } });
  // @ts-expect-error: a Prometheus source has queries, not series
  new Loader(chart, { source: { api: 'prometheus', series: [] } });
  // @ts-expect-error: the jitter source is a function, not a number
  new Loader(chart, { source: { api: 'mackerel', series: [{ name: 'x', host: 'h', metric: 'm' }] }, random: 0.5 });
  // @ts-expect-error: progress needs done and total
  chart.setProgress({ points: 3 });
  return result.errors;
}
