import type { Chart } from './sabaplot.js';
import type { LoadResult } from './loader.js';

/**
 * `<saba-plot>`, registered by importing `sabaplot/element`. Attributes:
 * - source: `api` (`mackerel`, the default, or an engine that speaks
 *   Prometheus' API: `prometheus`, `thanos`, `mimir`, `cortex`,
 *   `victoriametrics`), `base-url` (default: the page's origin), and
 *   `metric` with `host` (a host id) or `role` (`service:role`, every host
 *   of it) for Mackerel, `query` (PromQL) for the engines;
 * - window: `range` (`90m`, `1h`, `7d`, `460d`; default `1d`, up to now) or
 *   `from` and `to` (epoch seconds or dates);
 * - style: `title`, `theme`, `unit`, `kind`, `group` (the chart options of
 *   those names).
 * Events: `load` (detail: the loader's result), `rangechange` (detail:
 * `{from, to}`, when the reader zooms or pans), `cursormove` (detail:
 * `{time}`, null when the pointer leaves), `error` (detail: `{message}`).
 */
/** The events of `<saba-plot>`, beside those of every element. */
export interface SabaPlotEventMap extends Omit<HTMLElementEventMap, 'load' | 'error'> {
  load: CustomEvent<LoadResult>;
  rangechange: CustomEvent<{ from: number; to: number }>;
  cursormove: CustomEvent<{ time: number | null }>;
  error: CustomEvent<{ message: string }>;
}

export declare class SabaPlotElement extends HTMLElement {
  static observedAttributes: string[];
  /** The element's chart once drawn; null before and after it is in the page. */
  readonly chart: Chart | null;
  connectedCallback(): void;
  disconnectedCallback(): void;
  attributeChangedCallback(name: string, before: string | null, after: string | null): void;
  addEventListener<K extends keyof SabaPlotEventMap>(type: K,
    listener: (this: SabaPlotElement, event: SabaPlotEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof SabaPlotEventMap>(type: K,
    listener: (this: SabaPlotElement, event: SabaPlotEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject,
    options?: boolean | EventListenerOptions): void;
}

/** The seconds of a `range` attribute (`90m`, `1h`, `7d`), or null. */
export declare function rangeSeconds(text: string | null): number | null;

declare global {
  interface HTMLElementTagNameMap {
    'saba-plot': SabaPlotElement;
  }
}
