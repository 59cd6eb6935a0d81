/** Unit of a chart's values: axis labels, tooltip and legend follow it. */
export type Unit = "float" | "integer" | "percentage" | "seconds" | "milliseconds"
  | "bytes" | "bytes/sec" | "bits/sec" | "iops";

/** A horizontal alert line. */
export interface Threshold {
  value: number;
  level?: "warning" | "critical";
  /** Written at the line's right end; by default the level and value. */
  label?: string | null;
}

/** A band over [from, to] (epoch seconds) with a title. */
export interface Annotation {
  from: number;
  to: number;
  title?: string;
}

/** A Mackerel graph annotation (`parseMackerelAnnotations`). */
export interface GraphAnnotation {
  from: number;
  to: number;
  title: string;
  description: string;
  service: string;
  roles: string[];
}

/**
 * One request of a load plan (`planRequests`): the points from `from` to `to`
 * (epoch seconds, both included) `step` seconds apart. "min"/"max" are the
 * two edges of Prometheus' coarse envelope, "coarse" Mackerel's answer for
 * the whole range, "minute" a 1-minute chunk, "samples" a chunk of stored
 * samples at their own times (VictoriaMetrics' `/api/v1/export`). `promql`
 * is the query to send when the plan was made with one.
 */
export interface PlannedRequest {
  kind: "coarse" | "min" | "max" | "minute" | "samples";
  from: number;
  to: number;
  step: number;
  visible: boolean;
  promql?: string;
}

/**
 * The API a load plan is for. Engines that speak Prometheus' query API
 * differ in their limits: "prometheus" and "thanos" answer at most 11,000
 * points a series (chunks of a week), "mimir" (and "cortex") split by day,
 * "victoriametrics" answers 30,000 and gives the stored samples of a plain
 * selector through `/api/v1/export` (chunks of 30 days). An engine with
 * other limits: `{ maxPoints, splitBy }` (points a series per query_range;
 * seconds a chunk).
 */
export type Api =
  | "mackerel"
  | "prometheus"
  | "thanos"
  | "mimir"
  | "cortex"
  | "victoriametrics"
  | { maxPoints: number; splitBy: number };

/** Chart options; all optional. Unknown fields are refused. */
export interface ChartOptions {
  title?: string;
  unit?: Unit;
  /** "auto" follows the reader's prefers-color-scheme, and its changes. */
  theme?: "light" | "dark" | "auto";
  /** Charts with the same group share the crosshair (and the window with syncRange). */
  group?: string | null;
  syncRange?: boolean;
  /** Rows the tooltip shows at most (the largest values); default 10. */
  tooltipRows?: number;
  /** Show the legend; default true. */
  legend?: boolean;
  /** IANA zone ("Europe/Berlin"), "UTC" or an offset ("+09:00"); default: the browser's. */
  timeZone?: string | null;
  kind?: "line" | "area" | "stacked" | "envelope";
  thresholds?: Threshold[];
  annotations?: Annotation[];
  /** Per-series style, applied in order to the series each rule matches. */
  series?: SeriesRule[];
  /** "index" (default): the n-th series gets the n-th of 20 colours; "name":
   * each name gets the next colour the first time the page draws it and
   * keeps it on every chart. */
  colorBy?: "index" | "name";
  /** BCP 47 tag ("ja-JP") the time labels and the tooltip's time are written
   * in; by default the browser's. */
  locale?: string | null;
  /** The unit of the time arrays handed to setSeriesArrays, setSeriesColumns
   * and appendSeries: epoch seconds (default) or milliseconds. Windows,
   * annotations and readouts are in seconds either way. */
  timeUnit?: "s" | "ms";
  /** The value axes: series are read against the left one unless their
   * rule says axis "right"; the right one is drawn only for such series. */
  axes?: { left?: Axis; right?: Axis };
}

/** A value axis' ends. */
export interface Axis {
  /** A fixed end; values beyond it are drawn at the edge. */
  min?: number;
  max?: number;
  /** Ends the axis always reaches, and passes only when the data does. */
  softMin?: number;
  softMax?: number;
  /** "log": powers of ten equally apart, zero and negative values as gaps. */
  scale?: "linear" | "log";
  /** The unit of the values read against this axis; by default the chart's. */
  unit?: Unit | null;
  /** The axis' name, written above it. */
  label?: string | null;
}

/** Style for the series a rule matches; fields left out keep what earlier
 * rules gave. */
export interface SeriesRule {
  /** An exact name, a Mackerel wildcard ("custom.ecs.*.port.8080") or a
   * "/regular expression/"; without it the rule applies to every series. */
  match?: string;
  /** A colour: #rgb or #rrggbb. */
  color?: string;
  /** Line width in CSS pixels, 0.5 to 10. */
  width?: number;
  /** A dashed line: lengths in CSS pixels of dash, gap, dash, … (0 to 100
   * each, up to 8); [] for a solid line again. */
  dash?: number[];
  /** The value axis the series is read against. */
  axis?: "left" | "right";
  /** The unit its tooltip and legend values are written in; by default its
   * axis' unit. */
  unit?: Unit;
  /** Shown in the legend and tooltip instead of the name. */
  label?: string;
  /** Hidden when the series is added; a legend click shows it. */
  hidden?: boolean;
  /** How the series is drawn, over the chart's kind: a line, a line with
   * the area to zero filled, a dot per point, or bars from zero (one per
   * slot zoomed in, one per pixel column reaching its extremes further out). */
  kind?: "line" | "area" | "points" | "bars";
  /** The stack the series is a layer of: series with the same name stack on
   * one another (others stay lines), "percent" scales each minute to 100 %,
   * and negative values stack below zero. */
  stack?: string;
}

/** One row of the tooltip: a raw value at the slot nearest the cursor. */
export interface ReadoutRow {
  /** The series' label (its name unless its options give another). */
  name: string;
  /** CSS colour of the series. */
  color: string;
  /** Epoch seconds of the slot shown. */
  time: number;
  /** The raw value; null for a gap. */
  value: number | null;
  label: string;
}

/** What the tooltip shows at one time. */
export interface Readout {
  time: number;
  timeLabel: string;
  /** Largest value first, gaps last, at most tooltipRows. */
  rows: ReadoutRow[];
  /** Rows left out because of tooltipRows. */
  more: number;
}

/** One legend item: exact statistics over the visible window. */
export interface LegendEntry {
  /** The series' name, as setVisible takes it. */
  name: string;
  /** What the legend shows: the name, or its options' label. */
  label: string;
  color: string;
  visible: boolean;
  count: number;
  min: number | null;
  avg: number | null;
  max: number | null;
  last: number | null;
  summary: string;
}

/** What the last frame shows, in CSS pixels with the device pixel ratio
 * beside them. */
export interface Frame {
  /** The canvas' size. */
  width: number;
  height: number;
  /** Device pixels per CSS pixel. */
  ratio: number;
  /** The plot's edges from the canvas' top left: left, top, right, bottom
   * (right - left is its width). */
  plot: [number, number, number, number];
  /** Device-pixel columns across the plot: the width a load plans for. */
  columns: number;
  view: [number, number];
  /** The left axis' range, and the right one's when it is drawn. */
  valueRange: [number, number];
  rightRange: [number, number] | null;
  timeLabels: string[];
  valueLabels: string[];
  rightLabels: string[];
  pointsInView: number;
  verticesDrawn: number;
  /**
   * Plot columns whose lines were kept from the last frame and moved by a
   * pan of whole columns (a drag, a key) rather than drawn again.
   */
  columnsKept: number;
  /**
   * Slots of stacked layers the chart has added up since it was made
   * (layers × slots): all of them each time a stack is made anew, only
   * those merges changed (a live tail's new minutes) when one is brought
   * up to date.
   */
  stackedSlots: number;
  runsDrawn: number;
  annotationsDrawn: number;
  thresholdsDrawn: number;
  /** Coarse slots drawn where 1-minute data is not loaded yet. */
  coarseDrawn: number;
  /** Not-loaded stretches in the window. */
  notLoadedDrawn: number;
  /** The progress written over the plot while a load runs. */
  progress: string | null;
}

/** A stretch a load finally failed to fetch, drawn hatched as "not loaded". */
export interface NotLoaded {
  from: number;
  to: number;
  /** Why, in a few words (the API's message). */
  reason?: string;
}

/**
 * How far a load has come: requests answered of planned, points loaded;
 * while the API has asked to wait (a `Retry-After`), the seconds left and
 * the status that asked ("waiting for the API: rate limited, 12 s").
 */
export interface Progress {
  done: number;
  total: number;
  points?: number;
  waitSeconds?: number | null;
  waitStatus?: number | null;
}
