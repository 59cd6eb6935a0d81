// sabaplot/loader: fills a Chart from a metrics API, coarse picture first,
// then 1-minute chunks (visible first, newest first) with bounded
// concurrency, progress on the chart, cancellation of outdated loads, retry
// with backoff, and chunks that finally failed drawn as "not loaded".
//
// It never sends an API key: requests go to `baseUrl` (same origin by
// default), which is the place for a proxy that adds the key server-side.
import { planRequests, parseMackerelChunk, parsePrometheus, parseVictoriaExport } from './sabaplot.js';

const MINUTE = 60;

/** Resolves in a task of its own, after the browser has had its turn (input, drawing). */
const nextTask = () => new Promise((resolve) => {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    resolve();
  };
  channel.port2.postMessage(0);
});

/** After this many requests of one series finally failed and none loaded, its other requests are not sent. */
/**
 * Waits one request may be told to make (`429`/`503` with `Retry-After`)
 * before it counts as failed: they are the API pacing the client, not the
 * request failing, so they do not use up its retries.
 */
const MAX_WAITS = 30;

/** The longest `Retry-After` obeyed, in ms; a longer one is waited this long (a header is not trusted to be sensible). */
const LONGEST_WAIT_MS = 300_000;

/**
 * The wait an answer asks for, in ms: its `Retry-After` (seconds, or an
 * HTTP date) on a 429 or 503; null when there is none or it cannot be read.
 */
function retryAfterMs(response) {
  if (response.status !== 429 && response.status !== 503) return null;
  const value = response.headers.get('retry-after')?.trim();
  if (!value) return null;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(LONGEST_WAIT_MS, Math.max(0, ms)) : null;
}

const GIVE_UP_AFTER = 3;

/**
 * The most points one Prometheus answer is asked for (all its series
 * together): parsed in one go, an answer this size takes well under 50 ms
 * of the main thread. A query found to return more series than this allows
 * in a planned chunk has the chunk asked in parts.
 */
const ANSWER_POINTS = 44_000;

/**
 * The same for an export answer of stored samples (JSON lines, numbers
 * rather than strings, no lookback): twice as many. Measured with
 * `make bench-load` (460 days of 16 hosts from the demo's export): 248
 * answers of 44,000 took 6.4–7.8 s over 100 Mbps, 125 of 88,000 took
 * 4.9–5.9 s with no main-thread task over 50 ms; 64 of 176,000 took 5.2–6.3
 * s but made tasks of 64 ms.
 */
const SAMPLES_ANSWER_POINTS = 88_000;

/**
 * Why a request failed; `retry` says whether asking again may help, and
 * `waitMs` how long the API asked to wait first (with the `status` that asked).
 */
class RequestError extends Error {
  constructor(message, retry, waitMs = null, status = null) {
    super(message);
    this.retry = retry;
    this.waitMs = waitMs;
    this.status = status;
  }
}

/** Resolves after `ms`, or rejects at once when `signal` aborts. */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

const isAbort = (e, signal) => signal.aborted || e?.name === 'AbortError';

/**
 * The name a Prometheus series is shown under. Functions such as
 * `min_over_time` drop the metric name, so envelope series come back as
 * `{labels}`: they get the query's metric name back, to match the 1-minute
 * series they stand in for.
 */
function prometheusName(name, query) {
  const metric = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{|$)/.exec(query)?.[1];
  if (!metric) return name;
  if (name === '{}') return metric;
  return name.startsWith('{') ? metric + name : name;
}

/** The engines that speak Prometheus' query API, by the name a source gives. */
export const ENGINES = Object.freeze(['prometheus', 'thanos', 'mimir', 'cortex', 'victoriametrics']);

/**
 * The statuses with which an engine says it does not serve an endpoint (or
 * a proxy in front of it refuses it): a chunk of VictoriaMetrics' export
 * asked for with one of these is asked of query_range instead.
 */
const NOT_SERVED = new Set([403, 404, 405, 501]);

/**
 * Points a series per query_range request when the export is refused:
 * Prometheus' 11,000, the strictest rule of the engines, since whatever
 * refused the export may not be the engine itself.
 */
const FALLBACK_POINTS = 11_000;

/** Whether a planned request brings detail (1-minute points or stored samples). */
const isDetail = (r) => r.kind === 'minute' || r.kind === 'samples';

/** A run's counts of requests, retries, waits, points, bytes and parse time, all zero. */
const counters = () => ({ requests: 0, done: 0, retries: 0, waits: 0, points: 0, bytes: 0, parseMs: 0 });

/** Priorities from this one on are 1-minute chunks; below, coarse pictures. */
const DETAIL = 1e6;

/**
 * Request slots shared by loaders: at most `concurrency` requests in flight,
 * handed out lowest priority first (every chart's coarse picture before any
 * chart's 1-minute chunks, visible chunks before the rest). While a coarse
 * picture is asked for, chunks wait (up to `holdMs`) so that it does not
 * share the server and the page with them. Give one pool to all loaders of
 * a dashboard.
 */
export class RequestPool {
  /**
   * `requestsPerSecond` (default unlimited) spaces the requests it lets go
   * evenly, so no second holds more: a whole dashboard within an API's
   * rate limit.
   */
  constructor(concurrency = 6, holdMs = 1000, { requestsPerSecond = Infinity } = {}) {
    this.free = Math.max(1, concurrency | 0);
    this.holdMs = holdMs;
    const rate = Number(requestsPerSecond);
    if (!(rate > 0)) throw new Error('RequestPool: requestsPerSecond must be a number above 0');
    // A millisecond over 1/rate apart: timers and clocks are coarse, and
    // requests exactly 1/rate apart put rate + 1 of them in a closed second.
    this.spacingMs = Number.isFinite(rate) ? 1000 / rate + 1 : 0;
    this.nextAt = 0;
    this.waiting = [];
    this.seq = 0;
    this.coarseInFlight = 0;
    this.holdUntil = 0;
    /** No request goes out before this (the API asked every client to wait). */
    this.pausedUntil = 0;
    this.pauseStatus = null;
    this.timer = null;
  }

  /** Holds every request of the pool for `ms` (an API's `Retry-After` concerns them all). */
  pause(ms, status) {
    const until = performance.now() + ms;
    if (until > this.pausedUntil) {
      this.pausedUntil = until;
      this.pauseStatus = status;
    }
  }

  /** The pause under way: {seconds left, status}, or null. */
  paused() {
    const left = this.pausedUntil - performance.now();
    return left > 0 ? { seconds: left / 1000, status: this.pauseStatus } : null;
  }

  /** Resolves to a release function once a slot is free; rejects if `signal` aborts first. */
  acquire(priority, signal) {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const entry = { priority, seq: this.seq++ };
      const onAbort = () => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal.reason);
        this.pump();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      entry.grant = () => {
        signal.removeEventListener('abort', onAbort);
        const coarse = priority < DETAIL;
        if (coarse) this.coarseInFlight += 1;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          if (coarse) this.coarseInFlight -= 1;
          this.free += 1;
          this.pump();
        });
      };
      if (priority < DETAIL) this.holdUntil = Math.max(this.holdUntil, performance.now() + this.holdMs);
      this.waiting.push(entry);
      this.pump();
    });
  }

  pump() {
    this.waiting.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
    while (this.free > 0 && this.waiting.length > 0) {
      const now = performance.now();
      const notBefore = Math.max(this.pausedUntil, this.nextAt);
      if (now < notBefore) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.pump(), notBefore - now);
        return;
      }
      const next = this.waiting[0];
      const coarseBusy = this.coarseInFlight > 0 || next.priority < DETAIL;
      const wait = this.holdUntil - performance.now();
      if (next.priority >= DETAIL && coarseBusy && wait > 0) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.pump(), wait);
        return;
      }
      this.free -= 1;
      if (this.spacingMs > 0) this.nextAt = Math.max(now, this.nextAt) + this.spacingMs;
      this.waiting.shift().grant();
    }
  }
}

/** Loads series from a metrics API into one chart. */
export class Loader {
  /**
   * @param chart a sabaplot Chart
   * @param options see loader.d.ts: {source, concurrency, pool, retries,
   *   backoffMs, random, fetch, onProgress}
   */
  constructor(chart, options) {
    const { source, concurrency = 6, pool = null, retries = 2, backoffMs = 250, random = Math.random,
      fetch: fetchImpl = globalThis.fetch.bind(globalThis), onProgress = null, onBegin = null,
      onPoll = null } = options ?? {};
    if (!source || (source.api !== 'mackerel' && !ENGINES.includes(source.api))) {
      throw new Error('Loader: options.source must be {api: "mackerel", series: [...]} or {api: "prometheus" '
        + '(or "thanos", "mimir", "cortex", "victoriametrics"), queries: [...]}');
    }
    if (source.api === 'mackerel' && !(source.series?.length > 0)) {
      throw new Error('Loader: a Mackerel source needs series: [{name, host or service, metric}, ...]');
    }
    if (source.api !== 'mackerel' && !(source.queries?.length > 0)) {
      throw new Error(`Loader: a ${source.api} source needs queries: ["expr", ...]`);
    }
    if (source.limits !== undefined && source.api === 'mackerel') {
      throw new Error('Loader: limits are for engines that speak Prometheus\' query API, not Mackerel');
    }
    this.chart = chart;
    this.source = source;
    this.concurrency = Math.max(1, concurrency | 0);
    this.pool = pool ?? new RequestPool(this.concurrency);
    this.retries = Math.max(0, retries | 0);
    this.backoffMs = backoffMs;
    if (typeof random !== 'function') throw new Error('Loader: options.random must be a function returning a number in [0, 1)');
    this.random = random;
    this.fetch = fetchImpl;
    this.onProgress = onProgress;
    this.onBegin = onBegin;
    this.onPoll = onPoll;
    /** The live tail under way (`load({ live: true })`), if any. */
    this.live = null;
    /** Whether 1-minute detail comes from a Prometheus-compatible engine. */
    this.promql = source.api !== 'mackerel';
    /** Set once VictoriaMetrics' export was found not served: query_range from then on. */
    this.exportRefused = false;
    /** The stretch of each 1-minute chunk already in the chart, by chunk. */
    this.loaded = new Map();
    /** Series names already reserved over the current range. */
    this.reserved = new Set();
    /** The targets (series, queries) some answer had data for. */
    this.found = new Set();
    this.current = null;
  }

  /** Cancels the load under way, if any; what it drew stays. */
  abort() {
    this.current?.controller.abort(new DOMException('superseded by a newer load', 'AbortError'));
    this.current = null;
    if (this.live) {
      clearTimeout(this.live.timer);
      this.live.controller.abort(new DOMException('the live tail stopped', 'AbortError'));
      this.live = null;
    }
  }

  /**
   * Loads [from, to] (epoch seconds) for a plot `width` columns wide showing
   * [visibleFrom, visibleTo]. Cancels the previous load. Resolves when every
   * request is answered or has finally failed (never rejects for a failed
   * request: see `errors` and `notLoaded`), or at once with `aborted` when a
   * newer load or `abort()` cancels it.
   */
  load({ from, to, visibleFrom = from, visibleTo = to, width = 1000, replace = false, live = false, pollMs = 60_000 }) {
    this.abort();
    // The window a live tail slides: the one shown as the load starts (a
    // window the user moves to while it loads stays where they put it).
    const shown = this.chart.getRange() ?? null;
    const controller = new AbortController();
    const run = { controller, from, to, visibleFrom, visibleTo, queue: [], notLoaded: new Map(), errors: [],
      // With `replace`, the chart's series give way once this load has data
      // to show; until then (and if it never has) the chart is left alone.
      untouched: replace,
      waitTimer: null,
      stats: { ...counters(), startedAt: performance.now(), firstPictureMs: null, coarseMs: null, coarseLeft: 0 } };
    this.current = run;
    // A load that replaces the chart's series starts from nothing.
    if (replace) {
      this.loaded.clear();
      this.found.clear();
    }
    // Whole columns, within the planner's limit (more would not be seen).
    const columns = Math.min(16_384, Math.max(1, Math.round(width) || 1));
    return this.prepare(run, columns, replace)
      .then(() => Promise.all(Array.from({ length: Math.min(this.concurrency, run.queue.length) },
        () => this.work(run))))
      .then(() => this.finish(run))
      .then((result) => {
        if (live && !result.aborted) this.startLive(to, pollMs, shown);
        return result;
      });
  }

  /**
   * Keeps the chart's window ending at now: every `pollMs` asks each target
   * for the minutes since the newest one asked (and that one again, which
   * may have been incomplete), merges them (the summary and a stack take
   * O(new minutes)), and slides the window by as much unless the user has
   * moved it. A poll that fails is retried as any request is, and what it
   * missed is asked again by the next one: no minute is skipped.
   */
  startLive(newest, pollMs, shown) {
    const live = { controller: new AbortController(), newest, timer: null, window: shown,
      pollMs: Math.max(1000, Number(pollMs) || 60_000) };
    this.live = live;
    const schedule = () => {
      live.timer = setTimeout(async () => {
        await this.poll(live);
        if (this.live === live) schedule();
      }, live.pollMs);
    };
    schedule();
  }

  /** One poll of the live tail: the minutes from `live.newest` to now, into the chart. */
  async poll(live) {
    const from = live.newest;
    // At most six hours a poll (a page that slept catches up over several):
    // within every API's 1-minute answer.
    const now = Math.min(Math.floor(Date.now() / 60_000) * MINUTE, from + 6 * 3_600);
    if (now <= from) return;
    // What `ask` and `report` read of a load's run.
    const run = { controller: live.controller, visibleFrom: from, visibleTo: now, notLoaded: new Map(),
      waitTimer: null, stats: counters() };
    let error = null;
    try {
      const answers = await Promise.all(this.targets().map(async (target) => {
        // What the plan would ask for this stretch: 1-minute points, or
        // stored samples (a plain selector on VictoriaMetrics).
        const kind = planRequests(this.planApi(), from, now, from, now, 1, target.query ?? null)
          .find(isDetail)?.kind ?? 'minute';
        const request = { kind, from, to: now, step: MINUTE, visible: true, promql: target.query };
        const task = { kind: 'minute', target, order: 0, from, to: now };
        return { target, list: await this.ask(run, task, request) };
      }));
      for (const { target, list } of answers) {
        for (const data of list) {
          run.stats.points += this.chart.mergeSeries(this.nameOf(target, data), data, from, now + MINUTE);
        }
      }
    } catch (e) {
      if (isAbort(e, live.controller.signal)) return;
      error = e.message;
    }
    if (this.live !== live) return;
    if (error === null) {
      // Slide the window with the data, unless the user moved it.
      const [a, b] = this.chart.getRange() ?? [];
      if (live.window && a === live.window[0] && b === live.window[1]) {
        this.chart.setRange(a + now - from, b + now - from);
        live.window = this.chart.getRange() ?? null;
      }
      live.newest = now;
    }
    this.onPoll?.({ from, to: now, points: run.stats.points, error });
  }

  /**
   * Plans each target's requests and, unless the load replaces the chart's
   * series, readies the chart for them: one target per task, so a load of
   * many series (each plan and reservation takes a few ms) never holds the
   * main thread for long.
   */
  async prepare(run, columns, replace) {
    const { from, to, visibleFrom, visibleTo } = run;
    const targets = this.targets();
    run.targets = targets;
    for (const target of targets) {
      const plan = planRequests(this.planApi(), from, to, visibleFrom, visibleTo, columns, target.query);
      const tasks = this.tasks(target, plan, from, to);
      target.asked = tasks.length > 0;
      for (const task of tasks) run.queue.push(task);
      if (targets.length > 1) await nextTask();
      if (run.controller.signal.aborted) return;
    }
    // Every target's coarse picture first, then chunk by chunk across targets
    // (or, if the view moved while the plans were made, its chunks first).
    run.queue.sort((a, b) => a.order - b.order || a.targetIndex - b.targetIndex);
    if (run.prioritised) this.prioritise(run.visibleFrom, run.visibleTo);
    run.stats.requests = run.queue.reduce((n, t) => n + t.requests.length, 0);
    run.stats.coarseLeft = run.queue.filter((t) => t.kind === 'coarse').length;
    if (!replace) await this.beginSpread(run);
    if (run.controller.signal.aborted) return;
    this.report(run);
  }

  /** The API the planner plans for: the source's, its own limits, or query_range once export was refused. */
  planApi() {
    if (this.source.limits) return this.source.limits;
    if (this.exportRefused) return 'prometheus';
    return this.source.api;
  }

  /**
   * Moves the chunks overlapping [from, to] to the front of the queue (the
   * user zoomed or panned while loading).
   */
  prioritise(from, to) {
    const run = this.current;
    if (!run) return;
    run.visibleFrom = from;
    run.visibleTo = to;
    run.prioritised = true;
    const rank = (t) => (t.kind === 'coarse' ? 0 : t.from <= to && t.to >= from ? 1 : 2);
    run.queue.sort((a, b) => rank(a) - rank(b) || a.order - b.order || a.targetIndex - b.targetIndex);
  }

  /**
   * Readies the chart for this load's data: clears it (with `replace`),
   * reserves the series known up front in the order asked for (every
   * Mackerel one; Prometheus ones named in `source.names`), and drops the
   * previous not-loaded stretches.
   */
  begin(run) {
    if (run.untouched) {
      run.untouched = false;
      this.chart.clear();
      this.reserved.clear();
    }
    for (const name of this.reservedNames()) this.reserve(run, name);
    this.chart.setNotLoaded(this.notLoaded(run));
    this.onBegin?.();
  }

  /**
   * `begin`, one reservation a task (each writes a series' worth of
   * memory). Every series first gets its place, and so its colour, in the
   * order asked for, one slot long; then each is sized for the whole range.
   */
  async beginSpread(run) {
    const names = this.reservedNames();
    for (const name of names) this.chart.reserveSeries(name, run.from, run.from, MINUTE);
    for (const name of names) {
      await nextTask();
      if (run.controller.signal.aborted) return;
      this.reserve(run, name);
    }
    this.begin(run);
  }

  /** The series known before any answer: every Mackerel one, and `source.names`. */
  reservedNames() {
    const mackerel = this.source.api === 'mackerel' ? this.targets().map((t) => t.name) : [];
    return [...mackerel, ...(this.source.names ?? [])];
  }

  /** The series to load: one per Mackerel series, one per Prometheus query. */
  targets() {
    if (this.source.api === 'mackerel') {
      return this.source.series.map((s, i) => ({ index: i, key: `m${i}:${s.name}`, name: s.name, spec: s }));
    }
    return this.source.queries.map((q, i) => ({ index: i, key: `p${i}:${q}`, query: q }));
  }

  /** The tasks of one target's plan; chunks already in the chart are left out. */
  tasks(target, plan, from, to) {
    const minutes = plan.filter(isDetail);
    const have = (r) => {
      const span = this.loaded.get(`${target.key}|${r.from}`);
      return span !== undefined && span[0] <= Math.max(r.from, from) && span[1] >= Math.min(r.to, to);
    };
    const fresh = minutes.filter((r) => !have(r));
    const tasks = [];
    const coarse = plan.filter((r) => !isDetail(r));
    if (coarse.length > 0 && fresh.length > 0) {
      target.coarse = new Promise((resolve) => { target.coarseSettled = resolve; });
      tasks.push({ kind: 'coarse', target, targetIndex: target.index, order: -1,
        from: plan[0].from, to: plan[0].to, requests: coarse });
    }
    minutes.forEach((r, order) => {
      if (!have(r)) {
        tasks.push({ kind: 'minute', target, targetIndex: target.index, order,
          from: r.from, to: r.to, requests: [r] });
      }
    });
    return tasks;
  }

  async work(run) {
    const { signal } = run.controller;
    while (run.queue.length > 0 && !signal.aborted) {
      const next = run.queue.shift();
      // A query's coarse answer says how many series it returns, and so
      // whether its chunks are asked in parts. (Chunks wait for the coarse
      // picture in the pool anyway.)
      if (next.kind === 'minute' && this.promql) await next.target.coarse;
      if (signal.aborted) return;
      const parts = this.parts(run, next);
      const task = parts.shift();
      run.queue.unshift(...parts);
      if (task.target.dead) {
        this.fail(run, task, task.target.dead, false);
        if (task.kind === 'coarse') task.target.coarseSettled();
        continue;
      }
      try {
        // Every request is waited for, so that when one fails or the load
        // is cancelled, what the others parsed is freed, not left in wasm
        // memory until the garbage collector gets to it.
        const settled = await Promise.allSettled(task.requests.map((r) => this.ask(run, task, r)));
        const failed = settled.find((s) => s.status === 'rejected');
        if (failed || signal.aborted) {
          for (const s of settled) if (s.status === 'fulfilled') for (const data of s.value) data.free();
          if (failed) throw failed.reason;
          return;
        }
        await this.apply(run, task, settled.map((s) => s.value));
      } catch (e) {
        if (isAbort(e, signal)) return;
        // A 4xx answer (bad name, unknown host) will not change, and a
        // series whose first requests all failed is down: give up its other
        // requests rather than send them all.
        task.target.failures = (task.target.failures ?? 0) + 1;
        if (!e.retry || (!task.target.loadedAny && task.target.failures >= GIVE_UP_AFTER)) {
          task.target.dead ??= e.message;
        }
        this.fail(run, task, e.message, true);
      } finally {
        if (task.kind === 'coarse') task.target.coarseSettled();
      }
    }
  }

  /**
   * A 1-minute Prometheus chunk of a query known to return many series (its
   * coarse picture or an earlier chunk said how many), cut to the load's
   * range and along time into parts of at most ANSWER_POINTS points
   * (SAMPLES_ANSWER_POINTS for the export); any
   * other task as it is.
   */
  parts(run, task) {
    const series = task.target.series ?? 0;
    if (task.kind !== 'minute' || !this.promql || task.whole || series <= 1) {
      return [task];
    }
    const [request] = task.requests;
    // Only the part of the chunk inside the load's range is kept.
    const [start, end] = [Math.max(request.from, run.from), Math.min(request.to, run.to)];
    const steps = Math.floor((end - start) / request.step) + 1;
    const most = request.kind === 'samples' ? SAMPLES_ANSWER_POINTS : ANSWER_POINTS;
    const count = Math.max(1, Math.min(steps, Math.ceil((steps * series) / most)));
    if (count === 1 && start === request.from && end === request.to) return [task];
    const per = Math.ceil(steps / count) * request.step;
    const parts = [];
    for (let from = start; from <= end; from += per) {
      const to = Math.min(end, from + per - request.step);
      parts.push({ ...task, whole: task, from, to, requests: [{ ...request, from, to }] });
    }
    task.partsLeft = parts.length;
    run.stats.requests += parts.length - 1;
    return parts;
  }

  /**
   * Notes a 1-minute task's stretch as in the chart; a part of a chunk
   * notes the whole chunk once every part is in.
   */
  loadedTask(run, task) {
    if (task.whole && --task.whole.partsLeft > 0) return;
    this.remember(run, task.whole ?? task);
  }

  /** Fetches and parses one request, retrying with backoff. */
  async ask(run, task, request) {
    const { signal } = run.controller;
    const visible = task.kind === 'minute' && task.from <= run.visibleTo && task.to >= run.visibleFrom;
    const priority = (task.kind === 'coarse' ? 0 : visible ? 1 : 2) * DETAIL + task.order;
    let waits = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const release = await this.pool.acquire(priority, signal);
        let answer;
        try {
          answer = await this.fetchOnce(run, task.target, request);
        } finally {
          release();
        }
        run.stats.done += 1;
        this.report(run);
        return answer;
      } catch (e) {
        if (isAbort(e, signal)) throw e;
        if (Number.isFinite(e?.waitMs) && waits < MAX_WAITS) {
          // The API paces us: every request of the pool waits, and this
          // one is asked again without using up a retry.
          waits += 1;
          attempt -= 1;
          run.stats.waits += 1;
          this.pool.pause(e.waitMs, e.status);
          this.showWait(run);
          continue;
        }
        if (!e.retry || attempt >= this.retries) {
          run.stats.done += 1;
          throw e;
        }
        run.stats.retries += 1;
        const delay = this.backoffMs * 2 ** attempt * (0.75 + 0.5 * Math.min(1, Math.max(0, Number(this.random()) || 0)));
        await sleep(delay, signal);
      }
    }
  }

  async fetchOnce(run, target, request) {
    if (request.kind === 'samples' && this.exportRefused) return this.fetchRange(run, target, request);
    const { signal } = run.controller;
    const url = this.url(target, request);
    let response, bytes;
    try {
      response = await this.fetch(url, { signal, credentials: 'same-origin' });
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (e) {
      if (isAbort(e, signal)) throw e;
      const unreachable = new RequestError(`could not reach the metrics API (${e.message})`, true);
      if (request.kind !== 'samples') throw unreachable;
      // The browser hides why: a network failure, or an export without the
      // CORS headers query_range has (VictoriaMetrics 1.79 sends none on it).
      // If query_range answers, it was the export.
      try {
        return await this.refuseExport(run, target, request);
      } catch (e2) {
        if (isAbort(e2, signal)) throw e2;
        throw unreachable;
      }
    }
    run.stats.bytes += bytes.length;
    if (request.kind === 'samples' && NOT_SERVED.has(response.status)) {
      // The export is not served here (or a proxy refuses it).
      return this.refuseExport(run, target, request);
    }
    const retry = response.status >= 500 || response.status === 429 || response.status === 408
      || response.ok;
    const waitMs = retryAfterMs(response);
    if (waitMs !== null) {
      throw new RequestError(`the metrics API answered HTTP ${response.status} and asked to wait ${Math.ceil(waitMs / 1000)} s`,
        true, waitMs, response.status);
    }
    const t0 = performance.now();
    try {
      if (request.kind === 'samples') return parseVictoriaExport(response.status, bytes);
      if (this.promql) return parsePrometheus(response.status, bytes);
      // No points is an answer too: a stretch without data.
      const data = parseMackerelChunk(response.status, bytes);
      return data ? [data] : [];
    } catch (e) {
      throw new RequestError(e.message, retry);
    } finally {
      run.stats.parseMs += performance.now() - t0;
    }
  }

  /** The stretch of `request` from query_range; once it answers, every later chunk too. */
  async refuseExport(run, target, request) {
    const answer = await this.fetchRange(run, target, request);
    this.exportRefused = true;
    return answer;
  }

  /**
   * A chunk of stored samples asked of query_range instead, at 1 minute, in
   * as many requests as FALLBACK_POINTS needs; their series together.
   */
  async fetchRange(run, target, request) {
    const per = FALLBACK_POINTS * request.step;
    const lists = [];
    for (let from = request.from; from <= request.to; from += per) {
      const to = Math.min(request.to, from + per - request.step);
      lists.push(await this.fetchOnce(run, target, { ...request, kind: 'minute', from, to }));
    }
    return lists.flat();
  }

  url(target, request) {
    const base = (this.source.baseUrl ?? '').replace(/\/$/, '');
    if (request.kind === 'samples') {
      const params = new URLSearchParams({ 'match[]': request.promql, start: request.from, end: request.to });
      return `${base}/api/v1/export?${params}`;
    }
    if (this.promql) {
      const params = new URLSearchParams({ query: request.promql, start: request.from,
        end: request.to, step: request.step });
      return `${base}/api/v1/query_range?${params}`;
    }
    const { host, service, metric } = target.spec;
    const params = new URLSearchParams({ name: metric, from: request.from, to: request.to });
    const owner = host !== undefined
      ? `hosts/${encodeURIComponent(host)}` : `services/${encodeURIComponent(service)}`;
    return `${base}/api/v0/${owner}/metrics?${params}`;
  }

  /** Puts one task's answers into the chart. */
  async apply(run, task, answers) {
    const { chart } = this;
    task.target.loadedAny = true;
    if (answers.some((list) => list.length > 0)) this.found.add(task.target.key);
    if (answers.every((list) => list.length === 0)) {
      // Nothing in this stretch: nothing to draw, but it is loaded.
      if (task.kind === 'minute') this.loadedTask(run, task);
      return;
    }
    if (run.untouched) this.begin(run);
    const named = (list) => list.map((data) => ({ data, name: this.nameOf(task.target, data) }));
    // Series to size for the whole range once the picture is in.
    let sizeLater = [];
    if (task.kind === 'coarse' && !this.promql) {
      const [[data]] = answers;
      this.reserve(run, task.target.name);
      if (data) chart.setCoarse(task.target.name, data, undefined, false, run.from, run.to + MINUTE);
    } else if (task.kind === 'coarse') {
      const [lows, highs] = answers.map(named);
      // In the order of their names, as Prometheus sorts them and other
      // engines (VictoriaMetrics) may not: the same colours every load.
      lows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      task.target.series = Math.max(lows.length, highs.length);
      // Each series placed (and so coloured) in the answer's order, one slot
      // long; sized for the whole range one a task, as in beginSpread.
      for (const { data: low, name } of lows) {
        const high = highs.find((h) => h.name === name);
        if (!this.reserved.has(this.reservedKey(run, name))) chart.reserveSeries(name, run.from, run.from, MINUTE);
        if (high) highs.splice(highs.indexOf(high), 1);
        chart.setCoarse(name, low, high?.data, true, run.from, run.to + MINUTE);
      }
      for (const { data } of highs) data.free();
      sizeLater = lows.map((l) => l.name);
    } else {
      // The chunk within the load's range: the series keeps the size reserved.
      const from = Math.max(task.from, run.from);
      const to = Math.min(task.to, run.to) + MINUTE;
      if (this.source.api === 'mackerel') this.reserve(run, task.target.name);
      for (const { data, name } of named(answers[0])) {
        this.reserve(run, name);
        run.stats.points += chart.mergeSeries(name, data, from, to);
      }
      task.target.series = Math.max(task.target.series ?? 0, answers[0].length);
      this.loadedTask(run, task);
    }
    const elapsed = performance.now() - run.stats.startedAt;
    run.stats.firstPictureMs ??= elapsed;
    if (task.kind === 'coarse' && --run.stats.coarseLeft === 0) run.stats.coarseMs = elapsed;
    this.report(run);
    for (const name of sizeLater) {
      await nextTask();
      if (run.controller.signal.aborted) return;
      this.reserve(run, name);
    }
  }

  /**
   * Notes which stretch of a chunk is in the chart (the chunk within the
   * load's range): a wider range later asks for the rest.
   */
  remember(run, task) {
    const key = `${task.target.key}|${task.from}`;
    const [from, to] = [Math.max(task.from, run.from), Math.min(task.to, run.to)];
    const had = this.loaded.get(key);
    this.loaded.set(key, had ? [Math.min(had[0], from), Math.max(had[1], to)] : [from, to]);
  }

  nameOf(target, data) {
    if (!this.promql) return target.name;
    const name = prometheusName(data.name, target.query);
    return this.source.name ? this.source.name(name) : name;
  }

  /** Sizes a series once for the whole range, so chunks merge in place. */
  reserve(run, name) {
    const key = this.reservedKey(run, name);
    if (this.reserved.has(key)) return;
    this.chart.reserveSeries(name, run.from, run.to, MINUTE);
    this.reserved.add(key);
  }

  reservedKey(run, name) {
    return `${name}|${run.from}|${run.to}`;
  }

  /** Records a task that finally failed; a 1-minute chunk is drawn as not loaded. */
  fail(run, task, message, report) {
    const label = this.source.api === 'mackerel' ? `${task.target.name}: ${message}` : message;
    if (report) run.errors.push(`${task.kind === 'coarse' ? 'coarse picture' : 'chunk'} ` +
      `${new Date(task.from * 1000).toISOString()}–${new Date(task.to * 1000).toISOString()}: ${label}`);
    if (task.kind !== 'minute') return;
    if (!report) run.stats.done += task.requests.length;
    const span = `${task.from}|${task.to}`;
    const reasons = run.notLoaded.get(span) ?? new Set();
    reasons.add(label);
    run.notLoaded.set(span, reasons);
    if (!run.untouched) this.chart.setNotLoaded(this.notLoaded(run));
    this.report(run);
  }

  notLoaded(run) {
    return [...run.notLoaded].map(([span, reasons]) => {
      const [from, to] = span.split('|').map(Number);
      return { from, to: to + MINUTE, reason: [...reasons].join('; ') };
    });
  }

  report(run) {
    if (run.controller.signal.aborted) return;
    const { done, requests: total, points } = run.stats;
    const paused = this.pool.paused();
    const wait = paused ? { waitSeconds: paused.seconds, waitStatus: paused.status } : {};
    this.chart.setProgress(done < total ? { done, total, points, ...wait } : null);
    this.onProgress?.({ done, total, points, failed: run.notLoaded.size, ...wait });
  }

  /** Shows the pool's pause on the chart, counting down, until it ends. */
  showWait(run) {
    if (run.waitTimer) return;
    const tick = () => {
      this.report(run);
      run.waitTimer = this.pool.paused() && !run.controller.signal.aborted ? setTimeout(tick, 250) : null;
    };
    tick();
  }

  /**
   * Reports each series or query that every answer of this load, all of
   * them successful, had nothing for (and no earlier load had data for):
   * in the result's errors, and on the chart over the load's range (unless
   * the load was to replace the chart's series, and so leaves it alone).
   */
  reportNothingFound(run) {
    const empty = (run.targets ?? []).filter((t) => t.asked && t.loadedAny && !t.failures
      && !this.found.has(t.key));
    if (empty.length === 0) return;
    const range = `${new Date(run.from * 1000).toISOString()}–${new Date(run.to * 1000).toISOString()}`;
    const reasons = empty.map((t) => (this.promql
      ? `query matched no series: ${t.query}`
      : `${t.name}: no data points for metric ${t.spec.metric} of ${t.spec.host !== undefined ? `host ${t.spec.host}` : `service ${t.spec.service}`}`));
    for (const reason of reasons) run.errors.push(`${range}: ${reason}`);
    // A load meant to replace the chart's series that found nothing leaves
    // the chart as it was, as when its requests fail.
    if (run.untouched) return;
    const span = `${run.from}|${run.to}`;
    run.notLoaded.set(span, new Set([...(run.notLoaded.get(span) ?? []), ...reasons]));
    this.chart.setNotLoaded(this.notLoaded(run));
  }

  finish(run) {
    const aborted = run.controller.signal.aborted;
    if (!aborted) {
      this.reportNothingFound(run);
      this.chart.setProgress(null);
      if (this.current === run) this.current = null;
    }
    const { stats } = run;
    return {
      aborted,
      /** With `replace`: nothing arrived, and the chart still shows what it showed. */
      replaced: !run.untouched,
      requests: stats.requests,
      retries: stats.retries,
      waits: stats.waits,
      points: stats.points,
      bytes: stats.bytes,
      parseMs: stats.parseMs,
      firstPictureMs: stats.firstPictureMs,
      coarseMs: stats.coarseMs,
      totalMs: performance.now() - stats.startedAt,
      notLoaded: this.notLoaded(run),
      errors: run.errors,
    };
  }
}
