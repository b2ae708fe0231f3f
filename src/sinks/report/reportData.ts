import { describeRecovery } from '../../detectors/recovery.js';
import type { Alert } from '../../model/alert.js';
import { FAULT_METRIC } from '../../model/faultRecord.js';
import { uslFitOf, type FaultRecovery, type LeakEstimate, type ScalingResult } from '../../model/events.js';
import type { MetricKind } from '../../model/metricKind.js';
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
  /** The rolling mean at the same times: what an error series (0/1 per request, or a ratio) is drawn as. */
  readonly mean: number[];
  /** What the metric measures (the kind its rules matched it by), from its first stat. */
  readonly kind: MetricKind;
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

/**
 * How a fault's course ended, as far as the report has seen: still followed (`in-progress`),
 * `recovered`, recovered only after it was declared not recovered (`recovered-late`),
 * `not-recovered`, or the stream ended before either (`unfinished`).
 */
export type FaultVerdict = 'in-progress' | 'recovered' | 'recovered-late' | 'not-recovered' | 'unfinished';

/** One fault occurrence: its course merged over the phases seen (start, end, verdict). Times in epoch µs. */
export interface ReportFault {
  /** The recovery group the fault was judged in (one per scenario by default), and its tags. */
  readonly series: string;
  readonly tags: Tags;
  readonly fault: string;
  readonly action: string;
  readonly occurrence: number;
  readonly start: number;
  end: number | null;
  impactAt: number | null;
  recoveredAt: number | null;
  recoveryTime: number | null;
  deadline: number | null;
  verdict: FaultVerdict;
  /** The latest phase in words (describeRecovery). */
  message: string;
}

/** The verdict after `phase`, given the verdict before it. */
const verdictAfter = (before: FaultVerdict, phase: FaultRecovery['phase']): FaultVerdict => {
  switch (phase) {
    case 'start':
    case 'end':
      return before;
    case 'recovered':
      return before === 'not-recovered' ? 'recovered-late' : 'recovered';
    case 'not-recovered':
      return 'not-recovered';
    case 'unfinished':
      return 'unfinished';
  }
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
  /** Faults injected, in order of their start; charts shade each from start to end. */
  readonly faults: ReportFault[];
  /** Faults beyond `maxFaults`, counted but not shown. */
  readonly omittedFaults: number;
  /** The earliest event time seen (epoch µs), which fault times are shown from; null before any. */
  readonly startedAt: number | null;
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
  /** Fault occurrences kept. Default 1000. */
  readonly maxFaults?: number;
}

interface Collected extends ReportSeries {
  stride: number;
  seen: number;
}

/**
 * Collects what the report draws, in memory bounded by maxSeries × maxPoints: per series the
 * p50/p95/p99 of its rolling stats (thinned by doubling the stride whenever maxPoints is
 * reached), the latest leak estimate, the latest scaling result per series, the alert
 * transitions, and each fault occurrence with its course (the phases of the recovery detector
 * merged into one row).
 */
export class ReportCollector {
  private readonly bySeries = new Map<string, Collected>();
  private omitted = new Set<string>();
  private readonly scaling = new Map<string, ScalingResult>();
  private readonly alerts: Alert[] = [];
  private readonly faults = new Map<string, ReportFault>();
  private omittedFaults = new Set<string>();
  private startedAt: number | null = null;
  private samples = 0;
  private readonly maxPoints: number;
  private readonly maxSeries: number;
  private readonly maxAlerts: number;
  private readonly maxFaults: number;

  constructor(private readonly options: ReportCollectorOptions = {}) {
    this.maxPoints = options.maxPoints ?? 1500;
    this.maxSeries = options.maxSeries ?? 60;
    this.maxAlerts = options.maxAlerts ?? 2000;
    this.maxFaults = options.maxFaults ?? 1000;
    for (const [name, value] of [
      ['maxPoints', this.maxPoints],
      ['maxSeries', this.maxSeries],
      ['maxAlerts', this.maxAlerts],
      ['maxFaults', this.maxFaults],
    ] as const) {
      if (!Number.isInteger(value) || value < 2)
        throw new RangeError(`report: ${name} must be an integer ≥ 2, got ${value}`);
    }
  }

  add(record: SinkRecord): void {
    switch (record.type) {
      case 'sample':
        this.samples++;
        this.seen(record.sample.ts);
        return;
      case 'stat': {
        const { stat } = record;
        this.seen(stat.windowStart);
        const entry = this.entry(stat.series, stat.metric, stat.tags, stat.metricKind);
        if (entry === null) return;
        entry.seen++;
        if ((entry.seen - 1) % entry.stride !== 0) return;
        entry.t.push(stat.ts / 1e6);
        entry.p50.push(stat.p50);
        entry.p95.push(stat.p95);
        entry.p99.push(stat.p99);
        entry.mean.push(stat.mean);
        if (entry.t.length >= this.maxPoints) {
          for (const column of [entry.t, entry.p50, entry.p95, entry.p99, entry.mean]) {
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
      case 'recovery':
        this.seen(record.recovery.start);
        this.addRecovery(record.recovery);
        return;
      default:
        return;
    }
  }

  private seen(ts: number): void {
    if (this.startedAt === null || ts < this.startedAt) this.startedAt = ts;
  }

  /** Merges a phase into its occurrence's row: the latest phase knows the most, the verdict follows the phases. */
  private addRecovery(r: FaultRecovery): void {
    const key = `${r.series}\u0000${r.fault}\u0000${r.occurrence}`;
    let row = this.faults.get(key);
    if (row === undefined) {
      if (this.faults.size >= this.maxFaults) {
        this.omittedFaults.add(key);
        return;
      }
      row = {
        series: r.series,
        tags: r.tags,
        fault: r.fault,
        action: r.action,
        occurrence: r.occurrence,
        start: r.start,
        end: null,
        impactAt: null,
        recoveredAt: null,
        recoveryTime: null,
        deadline: null,
        verdict: 'in-progress',
        message: '',
      };
      this.faults.set(key, row);
    }
    row.end = r.end ?? row.end;
    row.impactAt = r.impactAt ?? row.impactAt;
    row.recoveredAt = r.recoveredAt ?? row.recoveredAt;
    row.recoveryTime = r.recoveryTime ?? row.recoveryTime;
    row.deadline = r.deadline ?? row.deadline;
    row.verdict = verdictAfter(row.verdict, r.phase);
    row.message = describeRecovery(r);
  }

  private entry(series: string, metric: string, tags: Tags, kind: MetricKind = 'other'): Collected | null {
    // Fault records are events, drawn as the shaded spans of every chart, not a series of their own.
    if (metric === FAULT_METRIC) return null;
    let entry = this.bySeries.get(series);
    if (entry === undefined) {
      if (this.bySeries.size >= this.maxSeries) {
        this.omitted.add(series);
        return null;
      }
      entry = {
        series,
        metric,
        tags,
        t: [],
        p50: [],
        p95: [],
        p99: [],
        mean: [],
        kind,
        leak: null,
        stride: 1,
        seen: 0,
      };
      this.bySeries.set(series, entry);
    }
    return entry;
  }

  data(now: Date = new Date()): ReportData {
    const alerting = new Set(this.alerts.map((a) => a.series));
    const series = [...this.bySeries.values()]
      .map(({ series: s, metric, tags, t, p50, p95, p99, mean, kind, leak }) => ({
        series: s,
        metric,
        tags,
        t,
        p50,
        p95,
        p99,
        mean,
        kind,
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
      faults: [...this.faults.values()].map((row) => ({ ...row })).sort((a, b) => a.start - b.start),
      omittedFaults: this.omittedFaults.size,
      startedAt: this.startedAt,
      samples: this.samples,
    };
  }
}
