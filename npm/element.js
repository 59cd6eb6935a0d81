// `<saba-plot>`: one chart of a metrics API, declared in HTML. Importing
// this module (`sabaplot/element`) registers the element; nothing else in
// the package does. The element owns a Chart and a Loader, keeps what it
// makes inside its shadow root, sizes the chart to its own box, reloads when
// an attribute changes, and frees everything when it leaves the page.
import init, { Chart } from './sabaplot.js';
import { ENGINES, Loader, RequestPool } from './loader.js';

const UNIT_SECONDS = { m: 60, h: 3_600, d: 86_400 };
const MINUTE = 60;
/** Attributes that choose what is loaded; the others only restyle. */
const SOURCE = ['api', 'base-url', 'host', 'metric', 'query', 'role', 'range', 'from', 'to'];
const STYLE = ['theme', 'unit', 'kind', 'title', 'group'];

/**
 * The elements' styles: a constructed sheet, shared, which a strict
 * Content-Security-Policy (`style-src 'self'`) allows where a `<style>`
 * element would need `'unsafe-inline'`. The page's own CSS sizes the
 * element (`saba-plot { height: 400px }`).
 */
let shared = null;
function sheet() {
  if (!shared) {
    shared = new CSSStyleSheet();
    shared.replaceSync(':host{display:block;position:relative;height:300px;min-height:120px}'
      + ':host([hidden]){display:none}'
      + '.box{position:absolute;inset:0}'
      + '.message{position:absolute;left:8px;right:8px;bottom:4px;margin:0;font:12px sans-serif;color:#b00020;'
      + 'white-space:nowrap;overflow:hidden;text-overflow:ellipsis;pointer-events:none}');
  }
  return shared;
}

/** One pool for every element of the page: their coarse pictures first. */
const pool = new RequestPool(6);
let wasm = null;

/**
 * The seconds of a `range` attribute: a whole number of minutes, hours or
 * days (`90m`, `1h`, `7d`, `460d`). Null when it is not one.
 */
export function rangeSeconds(text) {
  const match = /^\s*(\d{1,6})\s*([mhd])\s*$/.exec(text ?? '');
  if (!match) return null;
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2]];
  return seconds >= MINUTE ? seconds : null;
}

/** Epoch seconds from an attribute: a number of seconds or a date. */
function timeOf(text) {
  if (text === null || text.trim() === '') return null;
  const number = Number(text);
  if (Number.isFinite(number)) return number;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms / 1000 : NaN;
}

export class SabaPlotElement extends HTMLElement {
  static observedAttributes = [...SOURCE, ...STYLE];

  #box;
  #message;
  #chart = null;
  #loader = null;
  #resize = null;
  #scheduled = false;
  /** Counts reloads and removals: an older reload that resumes gives way. */
  #generation = 0;
  /** What the current chart's source and window were built from. */
  #source = '';

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [sheet()];
    this.#box = document.createElement('div');
    this.#box.className = 'box';
    this.#box.setAttribute('part', 'chart');
    // The host's `title` attribute is the chart's title, not a tooltip.
    this.#box.title = '';
    this.#message = document.createElement('p');
    this.#message.className = 'message';
    this.#message.setAttribute('part', 'message');
    this.#message.hidden = true;
    root.append(this.#box, this.#message);
  }

  /** The element's Chart once it is drawn (null before, and once removed). */
  get chart() {
    return this.#chart;
  }

  connectedCallback() {
    this.#schedule();
  }

  disconnectedCallback() {
    this.#generation += 1;
    this.#teardown();
  }

  attributeChangedCallback(name, before, after) {
    if (before !== after && this.isConnected) this.#schedule();
  }

  /** One reload for the attribute changes of one task. */
  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      if (this.isConnected) this.#reload().catch((e) => this.#fail(e));
    });
  }

  async #reload() {
    const generation = ++this.#generation;
    wasm ??= init();
    await wasm;
    if (generation !== this.#generation || !this.isConnected) return;
    this.#showMessage('');
    const options = this.#options();
    const source = this.#sourceKey();
    if (this.#chart && source !== this.#source) this.#teardown();
    if (!this.#chart) {
      const chart = new Chart(this.#box, { legend: true, ...options });
      this.#chart = chart;
      chart.onRangeChange((from, to) => {
        this.#loader?.prioritise(from, to);
        this.dispatchEvent(new CustomEvent('rangechange', { detail: { from, to } }));
      });
      chart.onCursorMove((time) => this.dispatchEvent(new CustomEvent('cursormove', { detail: { time } })));
      this.#resize = new ResizeObserver(() => this.#chart?.draw());
      this.#resize.observe(this);
    } else {
      this.#chart.setOptions(options);
    }
    if (source === this.#source) {
      this.#chart.draw();
      return;
    }
    await this.#load(generation, source);
  }

  async #load(generation, source) {
    const chart = this.#chart;
    const [from, to] = this.#window();
    chart.setRange(from, to);
    chart.draw();
    const series = await this.#series();
    if (generation !== this.#generation) return;
    this.#source = source;
    this.#loader = new Loader(chart, { source: series, pool });
    const width = chart.describe()?.columns ?? Math.round(this.clientWidth * devicePixelRatio);
    const result = await this.#loader.load({ from, to, width });
    if (generation !== this.#generation || result.aborted) return;
    chart.draw();
    if (result.errors.length > 0) this.#showMessage(result.errors[0]);
    this.dispatchEvent(new CustomEvent('load', { detail: result }));
  }

  /** The chart options the style attributes give. */
  #options() {
    const options = { title: this.getAttribute('title') ?? '' };
    for (const name of ['theme', 'unit', 'kind', 'group']) {
      const value = this.getAttribute(name);
      if (value !== null) options[name] = value;
    }
    return options;
  }

  #sourceKey() {
    return JSON.stringify(SOURCE.map((name) => this.getAttribute(name)));
  }

  /** [from, to] in epoch seconds: `from`/`to`, else `range` (default 1d) up to now. */
  #window() {
    const [from, to] = [timeOf(this.getAttribute('from')), timeOf(this.getAttribute('to'))];
    if (from !== null || to !== null) {
      if (!(Number.isFinite(from) && Number.isFinite(to) && from < to)) {
        throw new Error(`<saba-plot>: from="${this.getAttribute('from')}" and to="${this.getAttribute('to')}" must both be times (epoch seconds or dates), from before to`);
      }
      return [from, to];
    }
    const text = this.getAttribute('range') ?? '1d';
    const seconds = rangeSeconds(text);
    if (seconds === null) {
      throw new Error(`<saba-plot>: range="${text}" is not a length such as 90m, 1h, 7d or 460d`);
    }
    const now = Math.floor(Date.now() / 1000 / MINUTE) * MINUTE;
    return [now - seconds + MINUTE, now];
  }

  /** The loader's source for the attributes. */
  async #series() {
    const api = this.getAttribute('api') ?? 'mackerel';
    const baseUrl = this.getAttribute('base-url') ?? undefined;
    if (ENGINES.includes(api)) {
      const query = this.getAttribute('query');
      if (!query) throw new Error(`<saba-plot api="${api}"> needs a query attribute (PromQL)`);
      return { api, baseUrl, queries: [query], name: (n) => /instance="([^"]+)"/.exec(n)?.[1] ?? n };
    }
    if (api !== 'mackerel') {
      throw new Error(`<saba-plot>: api="${api}" is not "mackerel" or one of ${ENGINES.map((e) => `"${e}"`).join(', ')}`);
    }
    const metric = this.getAttribute('metric');
    if (!metric) throw new Error('<saba-plot> needs a metric attribute (such as loadavg5)');
    const host = this.getAttribute('host');
    if (host) return { api, baseUrl, series: [{ name: metric, host, metric }] };
    const role = this.getAttribute('role');
    const [service, roleName] = (role ?? '').split(':');
    if (!service || !roleName) {
      throw new Error('<saba-plot> needs a host attribute (a host id) or a role attribute ("service:role")');
    }
    const hosts = await this.#roleHosts(baseUrl ?? '', service, roleName);
    return { api, baseUrl, series: hosts.map((h) => ({ name: h.name, host: h.id, metric })) };
  }

  /** The hosts of a Mackerel role, by name. */
  async #roleHosts(baseUrl, service, role) {
    const params = new URLSearchParams({ service, role });
    const response = await fetch(`${baseUrl.replace(/\/$/, '')}/api/v0/hosts?${params}`, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`the hosts of role ${service}:${role}: the metrics API answered HTTP ${response.status}`);
    const body = await response.json();
    const hosts = (Array.isArray(body?.hosts) ? body.hosts : [])
      .filter((h) => typeof h?.id === 'string' && h.roles?.[service]?.includes?.(role))
      .map((h) => ({ id: h.id, name: typeof h.name === 'string' ? h.name : h.id }))
      .sort((a, b) => a.name.localeCompare(b.name));
    if (hosts.length === 0) throw new Error(`role ${service}:${role} has no hosts`);
    return hosts;
  }

  #fail(error) {
    const message = error instanceof Error ? error.message : String(error);
    this.#showMessage(message);
    this.dispatchEvent(new CustomEvent('error', { detail: { message } }));
  }

  /** A message under the chart, as text. */
  #showMessage(text) {
    this.#message.textContent = text;
    this.#message.hidden = text === '';
  }

  #teardown() {
    this.#loader?.abort();
    this.#loader = null;
    this.#resize?.disconnect();
    this.#resize = null;
    // free() takes the chart's canvas, legend and listeners away too.
    this.#chart?.free();
    this.#chart = null;
    this.#source = '';
  }
}

if (!customElements.get('saba-plot')) customElements.define('saba-plot', SabaPlotElement);
