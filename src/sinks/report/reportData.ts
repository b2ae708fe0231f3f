import type { Alert } from '../../model/alert.js';
import { uslFitOf, type LeakEstimate, type ScalingResult } from '../../model/events.js';
import type { Tags } from '../../model/sample.js';
import { uslThroughput } from '../../stats/uslThroughput.js';
import type { SinkRecord } from '../sink.js';

/** One series' rolling stats, thinned to at most `maxPoints` (every k-th hop, k doubling as needed). */
export interface ReportSeries {
  readonly series: string;
  readonly metric: string;
  readonly tags: Tags;
  /** Event times in epoch seconds, and the quantiles at them. */
  readonly t: number[];
  readonly p50: number[];
  readonly p95: number[];
  readonly p99: number[];
  /** Latest leak estimate of the series, if a leak detector watches it. */
  leak: LeakEstimate | null;
}

/** A scaling result with what its chart draws: measured levels and the USL curve on one axis. */
export interface ReportScaling extends ScalingResult {
  /** Concurrency: the measured levels and 61 evenly spaced points from 1 to the highest level. */
  readonly x: number[];
  /** Measured throughput at x (null between levels) and the fitted USL X(N) (null without a fit). */
  readonly measured: (number | null)[];
  readonly usl: (number | null)[];
}

/** Measured levels and the USL curve on a shared concurrency axis (stats/uslThroughput). */
const chartOf = (result: ScalingResult): ReportScaling => {
  const byLevel = new Map(result.levels.map((level) => [level.concurrency, level.throughput]));
  const top = Math.max(1, ...result.levels.map((level) => level.concurrency));
  const x = [...new Set([...byLevel.keys(), ...Array.from({ length: 61 }, (_, i) => 1 + ((top - 1) * i) / 60)])].sort(
    (a, b) => a - b,
  );
  const fit = uslFitOf(result);
  return {
    ...result,
    x,
    measured: x.map((n) => byLevel.get(n) ?? null),
    usl: x.map((n) => (fit === null ? null : uslThroughput(n, fit))),
  };
};

/** Everything the HTML report shows. */
export interface ReportData {
  readonly title: string;
  readonly generatedAt: string;
  readonly series: ReportSeries[];
  /** Series beyond `maxSeries`, counted but not drawn. */
  readonly omittedSeries: number;
  readonly scaling: ReportScaling[];
  readonly alerts: Alert[];
  readonly samples: number;
}

/** Options of {@link ReportCollector}. */
export interface ReportCollectorOptions {
  readonly title?: string;
  /** Points kept per series. Default 1500. */
  readonly maxPoints?: number;
  /** Series drawn. Default 60 (alerting series first, then in order of appearance). */
  readonly maxSeries?: number;
  /** Alert transitions kept. Default 2000. */
  readonly maxAlerts?: number;
}

interface Collected extends ReportSeries {
  stride: number;
  seen: number;
}

/**
 * Collects what the report draws, in memory bounded by maxSeries × maxPoints: per series the
 * p50/p95/p99 of its rolling stats (thinned by doubling the stride whenever maxPoints is
 * reached), the latest leak estimate, the latest scaling result per series, and the alert
 * transitions.
 */
export class ReportCollector {
  private readonly bySeries = new Map<string, Collected>();
  private omitted = new Set<string>();
  private readonly scaling = new Map<string, ScalingResult>();
  private readonly alerts: Alert[] = [];
  private samples = 0;
  private readonly maxPoints: number;
  private readonly maxSeries: number;
  private readonly maxAlerts: number;

  constructor(private readonly options: ReportCollectorOptions = {}) {
    this.maxPoints = options.maxPoints ?? 1500;
    this.maxSeries = options.maxSeries ?? 60;
    this.maxAlerts = options.maxAlerts ?? 2000;
    for (const [name, value] of [
      ['maxPoints', this.maxPoints],
      ['maxSeries', this.maxSeries],
      ['maxAlerts', this.maxAlerts],
    ] as const) {
      if (!Number.isInteger(value) || value < 2)
        throw new RangeError(`report: ${name} must be an integer ≥ 2, got ${value}`);
    }
  }

  add(record: SinkRecord): void {
    switch (record.type) {
      case 'sample':
        this.samples++;
        return;
      case 'stat': {
        const { stat } = record;
        const entry = this.entry(stat.series, stat.metric, stat.tags);
        if (entry === null) return;
        entry.seen++;
        if ((entry.seen - 1) % entry.stride !== 0) return;
        entry.t.push(stat.ts / 1e6);
        entry.p50.push(stat.p50);
        entry.p95.push(stat.p95);
        entry.p99.push(stat.p99);
        if (entry.t.length >= this.maxPoints) {
          for (const column of [entry.t, entry.p50, entry.p95, entry.p99]) {
            let w = 0;
            for (let r = 0; r < column.length; r += 2) column[w++] = column[r] as number;
            column.length = w;
          }
          entry.stride *= 2;
        }
        return;
      }
      case 'leak': {
        const entry = this.entry(record.leak.series, record.leak.metric, record.leak.tags);
        if (entry !== null) entry.leak = record.leak;
        return;
      }
      case 'scaling':
        this.scaling.set(record.scaling.series, record.scaling);
        return;
      case 'alert':
        if (this.alerts.length < this.maxAlerts) this.alerts.push(record.alert);
        return;
      default:
        return;
    }
  }

  private entry(series: string, metric: string, tags: Tags): Collected | null {
    let entry = this.bySeries.get(series);
    if (entry === undefined) {
      if (this.bySeries.size >= this.maxSeries) {
        this.omitted.add(series);
        return null;
      }
      entry = { series, metric, tags, t: [], p50: [], p95: [], p99: [], leak: null, stride: 1, seen: 0 };
      this.bySeries.set(series, entry);
    }
    return entry;
  }

  data(now: Date = new Date()): ReportData {
    const alerting = new Set(this.alerts.map((a) => a.series));
    const series = [...this.bySeries.values()]
      .map(({ series: s, metric, tags, t, p50, p95, p99, leak }) => ({
        series: s,
        metric,
        tags,
        t,
        p50,
        p95,
        p99,
        leak,
      }))
      .sort((a, b) => Number(alerting.has(b.series)) - Number(alerting.has(a.series)));
    return {
      title: this.options.title ?? 'soakstream report',
      generatedAt: now.toISOString(),
      series,
      omittedSeries: this.omitted.size,
      scaling: [...this.scaling.values()].map(chartOf),
      alerts: [...this.alerts],
      samples: this.samples,
    };
  }
}
