import type { Chart, NotLoaded } from './sabaplot.js';

/** One series of a Mackerel-compatible API: a host's or a service's metric. */
export type MackerelSeries =
  | { name: string; host: string; metric: string }
  | { name: string; service: string; metric: string };

/** Where the data comes from. `baseUrl` defaults to the page's origin. */
export type Source =
  | { api: 'mackerel'; baseUrl?: string; series: MackerelSeries[] }
  | {
      /**
       * An engine that speaks Prometheus' query API. Each has its own
       * limits, and so its own chunks: 'prometheus' and 'thanos' a week,
       * 'mimir' and 'cortex' a day; 'victoriametrics' takes the stored
       * samples of a plain selector from /api/v1/export a month at a time
       * (query_range, 20 days a chunk, for an expression; where the export
       * is not served or cannot be reached, query_range a week at a time).
       */
      api: 'prometheus' | 'thanos' | 'mimir' | 'cortex' | 'victoriametrics';
      /**
       * An engine's own limits, over those of `api`: the most points a
       * series per query_range (`-search.maxPointsPerTimeseries`,
       * `max_points`) and the seconds a chunk spans (a query splitter's
       * interval). With limits, 1-minute detail comes from query_range.
       */
      limits?: { maxPoints: number; splitBy: number };
      baseUrl?: string;
      /** PromQL expressions; each answer may hold several series. */
      queries: string[];
      /** The name to show for a series named `metric{label="value", …}`. */
      name?: (name: string) => string;
      /** Names (after `name`) expected, in the order to show them; others follow as they come. */
      names?: string[];
    };

/** The engines that speak Prometheus' query API, by the name a source gives them. */
export const ENGINES: readonly ['prometheus', 'thanos', 'mimir', 'cortex', 'victoriametrics'];

export interface LoaderOptions {
  source: Source;
  /** Requests in flight at most; default 6. */
  concurrency?: number;
  /** Slots shared with other loaders (a dashboard); by default the loader's own. */
  pool?: RequestPool | null;
  /** Retries of a failed request (network error, 5xx, 429 without Retry-After, bad body); default 2. */
  retries?: number;
  /** First retry delay in ms, doubled each time; default 250. */
  backoffMs?: number;
  /**
   * The jitter source for retry delays (each delay is backoffMs × 2^attempt ×
   * (0.75 + 0.5 × random())); default Math.random. Pass a seeded generator for
   * reproducible retries.
   */
  random?: () => number;
  /** The fetch to use (a wrapper adding same-origin credentials, a test double). */
  fetch?: typeof fetch;
  /** Called when the chart is readied for a load's data: at once, or with `replace` when its first data arrives. */
  onBegin?: (() => void) | null;
  /** Called as requests finish. */
  onProgress?: ((progress: LoadProgress) => void) | null;
  /** Called after each poll of a live tail (`load({ live: true })`). */
  onPoll?: ((poll: LivePoll) => void) | null;
}

/** One poll of a live tail: the minutes asked for, the points merged, or why it failed (asked again next time). */
export interface LivePoll {
  from: number;
  to: number;
  points: number;
  error: string | null;
}

export interface LoadProgress {
  done: number;
  total: number;
  points: number;
  /** Stretches finally not loaded so far. */
  failed: number;
  /** While the API has asked to wait: the seconds left, and the status that asked. */
  waitSeconds?: number;
  waitStatus?: number;
}

export interface LoadRange {
  from: number;
  to: number;
  visibleFrom?: number;
  visibleTo?: number;
  /** Plot width in columns: the coarse picture's resolution. Default 1000. */
  width?: number;
  /**
   * Replace the chart's series with this load's once its first data arrives;
   * if none ever does, the chart keeps showing what it showed. Default false.
   */
  replace?: boolean;
  /**
   * Once loaded, keep the window ending at now (`to` should be now): every
   * `pollMs` (default 60,000) the minutes since the newest one loaded are
   * asked for and merged, and the window slides with them unless the user
   * has moved it. A failed poll's minutes are asked again by the next poll.
   * `abort()` or a new `load()` stops it.
   */
  live?: boolean;
  pollMs?: number;
}

export interface LoadResult {
  /** A newer load or abort() cancelled this one. */
  aborted: boolean;
  /** False when a `replace` load got nothing and left the chart as it was. */
  replaced: boolean;
  requests: number;
  retries: number;
  /**
   * Waits the API asked for (`429`/`503` with `Retry-After`): each holds
   * every request of the pool for that long and is shown on the chart
   * ("waiting for the API: rate limited, 12 s"); they use up no retry (30
   * at most a request; a `Retry-After` over 5 minutes is waited 5 minutes).
   */
  waits: number;
  /** 1-minute points loaded. */
  points: number;
  /** Response bytes read. */
  bytes: number;
  /** Time spent parsing responses in wasm, ms. */
  parseMs: number;
  /** From the start to the first data (coarse or 1-minute) in the chart, ms. */
  firstPictureMs: number | null;
  /** From the start until every series' coarse picture is in the chart, ms (null: none was asked for, or it failed). */
  coarseMs: number | null;
  totalMs: number;
  /** Stretches drawn as not loaded, with why. */
  notLoaded: NotLoaded[];
  /**
   * One message per request that finally failed, and one per series or
   * query that every (successful) answer had nothing for, such as
   * `"<from>–<to>: query matched no series: up{job=\"x\"}"`; the chart
   * shows the latter over the range loaded (unless the load was to replace
   * its series: then it is left as it was).
   */
  errors: string[];
}

/**
 * Request slots shared by loaders: at most `concurrency` (6) in flight, every
 * chart's coarse picture first, then visible chunks, then the rest; while a
 * coarse picture is asked for, chunks wait for it up to `holdMs` (1000).
 */
export class RequestPool {
  /**
   * At most `concurrency` requests in flight (default 6); with
   * `requestsPerSecond`, requests are let go evenly spaced, so no second
   * holds more than that (a dashboard within an API's rate limit).
   */
  constructor(concurrency?: number, holdMs?: number, limits?: { requestsPerSecond?: number });
  /** Resolves to a release function once a slot is free. */
  acquire(priority: number, signal: AbortSignal): Promise<() => void>;
  /** Holds every request for `ms`: an API's `Retry-After` (`status` 429 or 503) concerns all of them. */
  pause(ms: number, status: number): void;
  /** The pause under way, or null. */
  paused(): { seconds: number; status: number } | null;
}

/** Loads series from a metrics API into one chart. */
export class Loader {
  constructor(chart: Chart, options: LoaderOptions);
  /** Loads [from, to], cancelling the load under way. Never rejects for a failed request. */
  load(range: LoadRange): Promise<LoadResult>;
  /** Moves the chunks overlapping [from, to] to the front of the queue. */
  prioritise(from: number, to: number): void;
  /** Cancels the load under way; what it drew stays. */
  abort(): void;
}
