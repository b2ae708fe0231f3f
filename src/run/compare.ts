import type { RunSummary, SeriesSummary } from '../model/baseline.js';
import type { MetricKind } from '../model/metricKind.js';

export type { RunSummary, SeriesSummary } from '../model/baseline.js';
import { SoakstreamError } from '../model/errors.js';
import type { Sample, Tags } from '../model/sample.js';
import { MICROS_PER_HOUR, MICROS_PER_MINUTE } from '../model/sample.js';
import { formatQuantity } from '../model/formatQuantity.js';
import { seriesKey } from '../model/seriesKey.js';
import type { MetricSpec } from '../rules/rule.js';
import { seriesOf } from '../rules/seriesOf.js';
import { readSampleFile, type SampleFileOptions } from '../sources/files/readSampleFile.js';
import { mannWhitney } from '../stats/mannWhitney.js';
import { median } from '../stats/median.js';
import { quantileSummary } from '../stats/quantileSummary.js';
import { mser5 } from '../stats/mser5.js';
import {
  combineRuns,
  compareSides,
  meanEstimate,
  quantileEstimate,
  type ComparisonScale,
  type RunEstimate,
} from '../stats/runComparison.js';
import { theilSen } from '../stats/theilSen.js';

/** Tags that differ from run to run of the same test and are ignored when series are matched. */
export const DEFAULT_IGNORED_TAGS: readonly string[] = ['run', 'pid', 'host'];

/** How the two sides are tested: Welch's test on runs pooled with their own errors, or benchstat's U test over runs. */
export type CompareMethod = 'welch' | 'utest';

/** Options of {@link compareRuns}. */
export interface CompareOptions {
  /** Tags left out of the series key (default run, pid, host). */
  readonly ignoreTags?: readonly string[];
  /** Warm-up dropped from each run: µs from the run's first sample, or 'auto' (MSER-5 per series). Default 'auto'. */
  readonly skip?: number | 'auto';
  /** Significance level of the verdict. Default 0.01. */
  readonly alpha?: number;
  /** Smallest relative change in the bad direction that counts as a regression. Default 0. */
  readonly threshold?: number;
  readonly method?: CompareMethod;
  /** Kinds and units by metric glob, as in rules files. */
  readonly metrics?: readonly MetricSpec[];
  /** Metric, tags and unit of CSV files. */
  readonly file?: SampleFileOptions;
}

/** One series of one run: its samples' times and values in time order. */
export interface RunSeries {
  readonly metric: string;
  readonly tags: Tags;
  readonly kind: MetricKind;
  readonly unit: string | undefined;
  readonly ts: number[];
  readonly values: number[];
}

/** One run: its series by key, and how many samples it had and dropped as warm-up. */
export interface Run {
  readonly label: string;
  readonly series: Map<string, RunSeries>;
  readonly samples: number;
  readonly dropped: number;
}

/** A statistic compared: what it is, how it is estimated per run, and which way is worse. */
interface StatSpec {
  readonly stat: string;
  readonly scale: ComparisonScale | 'positive';
  /** 'up' when a rise is a regression, 'down' when a fall is, null when neither. */
  readonly worse: 'up' | 'down' | null;
  /** The unit of the estimate when it is not the series' own (a slope is per hour). */
  readonly unit?: (unit: string | undefined) => string | undefined;
  readonly estimate: (series: RunSeries) => RunEstimate | null;
}

/** Post-GC floor points: the minimum of each 2-minute bucket (as the leak detector takes them). */
const FLOOR_BUCKET = 2 * MICROS_PER_MINUTE;
const Z95 = 1.959963984540054;

function floors(series: RunSeries): { hours: number[]; values: number[] } {
  const hours: number[] = [];
  const values: number[] = [];
  let bucket = Number.NaN;
  for (let i = 0; i < series.ts.length; i++) {
    const ts = series.ts[i] as number;
    const value = series.values[i] as number;
    const b = Math.floor(ts / FLOOR_BUCKET);
    if (b !== bucket) {
      bucket = b;
      hours.push(ts / MICROS_PER_HOUR);
      values.push(value);
    } else if (value < (values[values.length - 1] as number)) {
      values[values.length - 1] = value;
      hours[hours.length - 1] = ts / MICROS_PER_HOUR;
    }
  }
  return { hours, values };
}

const quantileStat = (stat: string, q: number, worse: StatSpec['worse']): StatSpec => ({
  stat,
  scale: 'positive',
  worse,
  estimate: (s) => (s.values.length >= 2 ? quantileEstimate(s.values, q) : null),
});

const FLOOR_STATS: readonly StatSpec[] = [
  {
    stat: 'floor',
    scale: 'positive',
    worse: 'up',
    estimate: (s) => {
      const points = floors(s).values;
      return points.length >= 2 ? quantileEstimate(points, 0.5) : null;
    },
  },
  {
    stat: 'slope',
    scale: 'linear',
    worse: 'up',
    unit: (unit) => `${unit ?? ''}/h`,
    estimate: (s) => {
      const { hours, values } = floors(s);
      if (values.length < 5) return null;
      const fit = theilSen(hours, values, 0.95);
      return { value: fit.slope, se: (fit.upper - fit.lower) / (2 * Z95) };
    },
  },
];

/** The statistics compared for each kind of metric. */
export const STATS_BY_KIND: Readonly<Record<MetricKind, readonly StatSpec[]>> = {
  latency: [quantileStat('p50', 0.5, 'up'), quantileStat('p95', 0.95, 'up'), quantileStat('p99', 0.99, 'up')],
  errors: [
    {
      stat: 'rate',
      scale: 'linear',
      worse: 'up',
      estimate: (s) => (s.values.length >= 2 ? meanEstimate(s.values) : null),
    },
  ],
  throughput: [
    {
      stat: 'mean',
      scale: 'positive',
      worse: 'down',
      estimate: (s) => (s.values.length >= 2 ? meanEstimate(s.values) : null),
    },
  ],
  memory: FLOOR_STATS,
  resource: FLOOR_STATS,
  other: [quantileStat('p50', 0.5, null)],
};

/** One row of a comparison: one statistic of one series. */
export interface CompareRow {
  readonly series: string;
  readonly metric: string;
  readonly kind: MetricKind;
  readonly stat: string;
  readonly unit?: string;
  /** 'log': change is relative (0.05 = +5%); 'linear': change is a difference in the statistic's unit. */
  readonly scale: ComparisonScale;
  readonly base: number;
  readonly new: number;
  readonly change: number;
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  readonly p: number;
  /** '~' (no significant change) or the signed change. */
  readonly verdict: string;
  /** Significant, in the bad direction, and at least the threshold. */
  readonly regression: boolean;
  readonly runs: readonly [number, number];
}

/** What a comparison found. */
export interface CompareResult {
  readonly rows: readonly CompareRow[];
  /** Geometric means of the relative (log-scale) rows' centres, and their change. */
  readonly geomean: { readonly base: number; readonly new: number; readonly change: number } | null;
  /** Series found on one side only. */
  readonly onlyBase: readonly string[];
  readonly onlyNew: readonly string[];
  readonly method: CompareMethod;
  readonly alpha: number;
  readonly threshold: number;
  /** Samples read and dropped as warm-up, per side. */
  readonly samples: readonly [number, number];
  readonly dropped: readonly [number, number];
}

/**
 * Collects one run's samples into series (keyed without the ignored tags) as plain arrays of times
 * and values, about 16 bytes a sample, so a long recording is not held as sample objects.
 */
class RunBuilder {
  private readonly ignored: ReadonlySet<string>;
  private readonly bySeries = new Map<
    string,
    { metric: string; tags: Tags; first: Sample; ts: number[]; values: number[] }
  >();
  private count = 0;
  private start = Number.POSITIVE_INFINITY;

  constructor(private readonly options: Pick<CompareOptions, 'skip' | 'metrics' | 'ignoreTags'>) {
    this.ignored = new Set(options.ignoreTags ?? DEFAULT_IGNORED_TAGS);
  }

  add(sample: Sample): void {
    this.count++;
    if (sample.ts < this.start) this.start = sample.ts;
    const tags = Object.fromEntries(Object.entries(sample.tags).filter(([key]) => !this.ignored.has(key)));
    const key = seriesKey(sample.metric, tags);
    let entry = this.bySeries.get(key);
    if (entry === undefined)
      this.bySeries.set(key, (entry = { metric: sample.metric, tags, first: sample, ts: [], values: [] }));
    entry.ts.push(sample.ts);
    entry.values.push(sample.value);
  }

  /** The run: each series in time order, its warm-up dropped. Throws a usage error for an empty run. */
  finish(label: string): Run {
    const { options, start } = this;
    if (this.count === 0)
      throw new SoakstreamError('USAGE_ERROR', `${label}: no samples: an empty run cannot be compared`);
    const series = new Map<string, RunSeries>();
    let dropped = 0;
    for (const [key, entry] of this.bySeries) {
      let { ts, values } = entry;
      if (!ts.every((t, i) => i === 0 || t >= (ts[i - 1] as number))) {
        const order = ts.map((_, i) => i).sort((i, j) => (ts[i] as number) - (ts[j] as number));
        ts = order.map((i) => ts[i] as number);
        values = order.map((i) => values[i] as number);
      }
      const context = seriesOf({ ...entry.first, tags: entry.tags }, key, options.metrics ?? []);
      const skip = options.skip ?? 'auto';
      // MSER-5 never takes more than half a series; a fixed skip counts from the run's first sample.
      const cut =
        skip === 'auto'
          ? Math.min(mser5(values), Math.floor(values.length / 2))
          : ts.findIndex((t) => t >= start + skip);
      const from = cut < 0 ? ts.length : cut;
      dropped += from;
      series.set(key, {
        metric: entry.metric,
        tags: entry.tags,
        kind: context.metricKind,
        unit: context.unit,
        ts: ts.slice(from),
        values: values.slice(from),
      });
    }
    return { label, series, samples: this.count, dropped };
  }
}

/** Samples of one run grouped into series (keyed without the ignored tags), warm-up dropped, each in time order. */
export function runOf(
  label: string,
  samples: Iterable<Sample>,
  options: Pick<CompareOptions, 'skip' | 'metrics' | 'ignoreTags'> = {},
): Run {
  const builder = new RunBuilder(options);
  for (const sample of samples) builder.add(sample);
  return builder.finish(label);
}

/** Reads one recording as one run (see {@link runOf}), sample by sample. */
async function readRun(path: string, options: CompareOptions): Promise<Run> {
  const builder = new RunBuilder(options);
  for await (const sample of readSampleFile(path, options.file ?? {})) builder.add(sample);
  return builder.finish(path);
}

/** Points of the quantile summary a run summary keeps of each series' values. */
export const REFERENCE_POINTS = 513;

/** The statistics of every series of a run (those with enough samples for them). O(N log N). */
export function summariseRun(run: Run): RunSummary {
  const series: Record<string, SeriesSummary> = {};
  for (const [key, s] of run.series) {
    const stats: Record<string, RunEstimate> = {};
    for (const spec of STATS_BY_KIND[s.kind]) {
      const estimate = spec.estimate(s);
      if (estimate !== null) stats[spec.stat] = estimate;
    }
    // The distribution of the run's values, for an online regression rule's stored reference.
    const reference =
      s.values.length >= 2 ? Array.from(quantileSummary(Float64Array.from(s.values).sort(), REFERENCE_POINTS)) : null;
    series[key] = {
      metric: s.metric,
      tags: s.tags,
      kind: s.kind,
      ...(s.unit !== undefined ? { unit: s.unit } : {}),
      stats,
      ...(reference !== null ? { reference } : {}),
    };
  }
  return { label: run.label, samples: run.samples, dropped: run.dropped, series };
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** The side's centre in the statistic's own units: the geometric mean on the log scale. */
const centreOf = (center: number, scale: ComparisonScale): number => (scale === 'log' ? Math.exp(center) : center);

/** One statistic of one series across the runs of both sides, or null when a side has no estimate. */
function compareStat(
  key: string,
  spec: StatSpec,
  first: SeriesSummary,
  baseEstimates: readonly (RunEstimate & { weight: number })[],
  nextEstimates: readonly RunEstimate[],
  settings: { alpha: number; threshold: number; method: CompareMethod },
): CompareRow | null {
  if (baseEstimates.length === 0 || nextEstimates.length === 0) return null;
  const positive = [...baseEstimates, ...nextEstimates].every((e) => e.value > 0);
  const scale: ComparisonScale = spec.scale === 'positive' && positive ? 'log' : 'linear';
  let baseValue: number;
  let nextValue: number;
  let change: number;
  let ciLow: number | null;
  let ciHigh: number | null;
  let p: number;
  if (settings.method === 'utest') {
    // benchstat: each side's centre is the median of its runs; U test over the runs' values.
    baseValue = median(baseEstimates.map((e) => e.value));
    nextValue = median(nextEstimates.map((e) => e.value));
    change = scale === 'log' ? nextValue / baseValue - 1 : nextValue - baseValue;
    // Run counts are small: the exact null distribution, as benchstat uses it, even with ties.
    const exact = baseEstimates.length * nextEstimates.length <= 2500;
    p = mannWhitney(
      nextEstimates.map((e) => e.value),
      baseEstimates.map((e) => e.value),
      { method: exact ? 'exact' : 'asymptotic' },
    ).pValue;
    ciLow = null;
    ciHigh = null;
  } else {
    const baseSide = combineRuns(
      baseEstimates,
      scale,
      baseEstimates.map((e) => e.weight),
    );
    const nextSide = combineRuns(nextEstimates, scale);
    const result = compareSides(baseSide, nextSide, scale);
    baseValue = centreOf(baseSide.center, scale);
    nextValue = centreOf(nextSide.center, scale);
    ({ change, ciLow, ciHigh, p } = result);
  }
  const significant = p < settings.alpha;
  const relative = relativeChange({ scale, change, base: baseValue });
  const worse = spec.worse === 'up' ? relative > 0 : spec.worse === 'down' ? relative < 0 : false;
  const unit = spec.unit !== undefined ? spec.unit(first.unit) : first.unit;
  return {
    series: key,
    metric: first.metric,
    kind: first.kind,
    stat: spec.stat,
    ...(unit !== undefined ? { unit } : {}),
    scale,
    base: baseValue,
    new: nextValue,
    change,
    ciLow,
    ciHigh,
    p,
    verdict: significant
      ? formatChange(change, { stat: spec.stat, scale, ...(unit !== undefined ? { unit } : {}) })
      : '~',
    regression: significant && worse && Math.abs(relative) >= settings.threshold,
    runs: [baseEstimates.length, nextEstimates.length],
  };
}

/** A row's change relative to its base: the change itself on the log scale, change / |base| on the linear one. */
export function relativeChange(row: Pick<CompareRow, 'scale' | 'change' | 'base'>): number {
  if (row.scale === 'log') return row.change;
  if (row.base !== 0) return row.change / Math.abs(row.base);
  return row.change === 0 ? 0 : Math.sign(row.change) * Number.POSITIVE_INFINITY;
}

/**
 * A statistic's value in human units: rates as percentages, slopes (unit "…/h") as the series'
 * unit per hour (MB/h for bytes), anything else with formatQuantity.
 */
export function formatValue(value: number, row: Pick<CompareRow, 'stat' | 'unit'>): string {
  if (row.stat === 'rate') return `${(100 * value).toFixed(2)}%`;
  if (row.unit?.endsWith('/h') === true) {
    const unit = row.unit.slice(0, -2);
    return `${formatQuantity(value, unit === '' ? undefined : unit)}/h`;
  }
  return formatQuantity(value, row.unit);
}

/**
 * A change as the verdict column shows it: +5.12% on the log scale; on the linear one the signed
 * difference in the statistic's units (+0.12 pp for a rate, +40.9 MB/h for a slope).
 */
export function formatChange(change: number, row: Pick<CompareRow, 'stat' | 'unit' | 'scale'>): string {
  const sign = change >= 0 ? '+' : '−';
  if (row.scale === 'log') return `${sign}${Math.abs(change * 100).toFixed(2)}%`;
  if (row.stat === 'rate') return `${sign}${Math.abs(100 * change).toFixed(2)} pp`;
  return `${sign}${formatValue(Math.abs(change), row)}`;
}

/**
 * Compares the runs of a base build with the runs of a new one (`soakstream compare`): each file
 * is one run; series are matched by metric and tags without the per-run tags; each run's warm-up
 * is dropped; per series, the statistics of its kind (latency p50/p95/p99, error rate, throughput
 * mean, memory and resource post-GC floor and its slope) are estimated per run with their serial
 * correlation taken into account, pooled per side with the between-run spread, and tested
 * (Welch–Satterthwaite), or, with method 'utest', benchstat's Mann–Whitney U test over the runs.
 * Throws a usage error naming the file for an empty run, and when no series is on both sides.
 * O(N log N) for N samples.
 */
export async function compareRuns(
  basePaths: readonly string[],
  nextPaths: readonly string[],
  options: CompareOptions = {},
): Promise<CompareResult> {
  if (basePaths.length === 0 || nextPaths.length === 0)
    throw new SoakstreamError('USAGE_ERROR', 'compare needs at least one run on each side');
  const [baseRuns, nextRuns] = await Promise.all([
    summariseFiles(basePaths, options),
    summariseFiles(nextPaths, options),
  ]);
  return compareSummaries(baseRuns, nextRuns, options);
}

/** Reads recordings, each one run, into their summaries (see {@link summariseRun}). */
export async function summariseFiles(paths: readonly string[], options: CompareOptions = {}): Promise<RunSummary[]> {
  const runs = await Promise.all(paths.map((path) => readRun(path, options)));
  return runs.map(summariseRun);
}

/** The comparison of runs already read (see {@link compareRuns}); O(N log N) for N samples. */
export function compareRunData(
  baseRuns: readonly Run[],
  nextRuns: readonly Run[],
  options: CompareOptions = {},
): CompareResult {
  return compareSummaries(baseRuns.map(summariseRun), nextRuns.map(summariseRun), options);
}

/**
 * The comparison of run summaries (see {@link compareRuns}): the base side may be a baseline's
 * runs, each with a weight (its decay; 1 by default). O(series · statistics · runs).
 */
export function compareSummaries(
  baseRuns: readonly RunSummary[],
  nextRuns: readonly RunSummary[],
  options: CompareOptions = {},
  baseWeights: readonly number[] = baseRuns.map(() => 1),
): CompareResult {
  const ignored = new Set(options.ignoreTags ?? DEFAULT_IGNORED_TAGS);
  const keysOf = (runs: readonly RunSummary[]): Set<string> => new Set(runs.flatMap((run) => Object.keys(run.series)));
  const baseKeys = keysOf(baseRuns);
  const nextKeys = keysOf(nextRuns);
  const common = [...baseKeys].filter((key) => nextKeys.has(key)).sort();
  const onlyBase = [...baseKeys].filter((key) => !nextKeys.has(key)).sort();
  const onlyNew = [...nextKeys].filter((key) => !baseKeys.has(key)).sort();
  if (common.length === 0) {
    const some = (keys: readonly string[]): string =>
      keys.length === 0 ? 'none' : keys.slice(0, 3).join(', ') + (keys.length > 3 ? ', …' : '');
    throw new SoakstreamError(
      'USAGE_ERROR',
      `no series in common: base has ${some(onlyBase)}; new has ${some(onlyNew)} ` +
        `(tags ignored when matching: ${[...ignored].join(', ') || 'none'}; --ignore-tags sets them)`,
    );
  }
  const settings = {
    alpha: options.alpha ?? 0.01,
    threshold: options.threshold ?? 0,
    method: options.method ?? 'welch',
  };
  const rows: CompareRow[] = [];
  for (const key of common) {
    const first = baseRuns.map((run) => run.series[key]).find((s) => s !== undefined) as SeriesSummary;
    // Each of a series' k statistics is judged at α/k (Bonferroni; Dunn 1961), so a series
    // without a change is flagged with probability at most α, however many statistics it has.
    const specs = STATS_BY_KIND[first.kind];
    const perStatistic = { ...settings, alpha: settings.alpha / specs.length };
    for (const spec of specs) {
      const base = baseRuns.flatMap((run, i) => {
        const estimate = run.series[key]?.stats[spec.stat];
        return estimate === undefined ? [] : [{ ...estimate, weight: baseWeights[i] ?? 1 }];
      });
      const next = nextRuns.flatMap((run) => {
        const estimate = run.series[key]?.stats[spec.stat];
        return estimate === undefined ? [] : [estimate];
      });
      const row = compareStat(key, spec, first, base, next, perStatistic);
      if (row !== null) rows.push(row);
    }
  }
  const relative = rows.filter((row) => row.scale === 'log');
  const geo = (values: readonly number[]): number => Math.exp(sum(values.map(Math.log)) / values.length);
  const geomean =
    relative.length === 0
      ? null
      : (() => {
          const base = geo(relative.map((row) => row.base));
          const next = geo(relative.map((row) => row.new));
          return { base, new: next, change: next / base - 1 };
        })();
  return {
    rows,
    geomean,
    onlyBase,
    onlyNew,
    ...settings,
    samples: [sum(baseRuns.map((r) => r.samples)), sum(nextRuns.map((r) => r.samples))],
    dropped: [sum(baseRuns.map((r) => r.dropped)), sum(nextRuns.map((r) => r.dropped))],
  };
}
