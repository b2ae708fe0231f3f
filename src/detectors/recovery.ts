import * as t from 'io-ts';
import type { FaultRecovery, MeasureRecovery, SeriesRef } from '../model/events.js';
import { FAULT_METRIC, faultOf, type FaultRecord } from '../model/faultRecord.js';
import { PositiveDuration } from '../model/fields/duration.js';
import { Fraction, NonNegative } from '../model/fields/fraction.js';
import type { Sample, Tags } from '../model/sample.js';
import { MICROS_PER_SECOND } from '../model/sample.js';
import { seriesKey } from '../model/seriesKey.js';
import { quantile } from '../stats/quantile.js';
import { Recovery } from '../stats/recovery.js';
import type { DetectorDefinition } from './definition.js';
import { NONE, type Processor } from './processor.js';

/** Options of the recovery detector. Durations in µs. */
export interface RecoveryOptions {
  /** The latency metric (ms per request) and the 0/1-per-request error metric the recovery is judged on. */
  readonly latencyMetric: string;
  readonly errorMetric: string;
  /** The latency quantile each interval is summarised by. Default 0.95. */
  readonly quantile: number;
  /** Length of the intervals the measures are taken over: the resolution of every time reported. Default 1 s. */
  readonly interval: number;
  /** How much time before a fault forms its reference band. Default 30 s. */
  readonly reference: number;
  /** How long every measure must stay back in its band for the service to count as recovered. Default 5 s. */
  readonly hold: number;
  /** Not recovered this long after the fault ended: the alert `not-recovered`. Default 60 s. */
  readonly recoverWithin: number;
  /** Band half-width in robust standard deviations (1.4826·MAD). Default 4. */
  readonly k: number;
  /**
   * Smallest latency band half-width relative to the reference level. Default 50%: recovered means
   * back to the service's usual latency give or take half of it, not identical to before.
   */
  readonly latencyTolerance: number;
  /** Smallest throughput band half-width (requests completed per second) relative to its level. Default 50%. */
  readonly throughputTolerance: number;
  /** Smallest error-rate band half-width (an absolute fraction). Default 5%. */
  readonly errorTolerance: number;
  /** Tags of the samples a recovery group keeps (one group per value); default ['scenario']. */
  readonly groupBy: readonly string[];
}

/** A result of the recovery tracker: the fault event it reports (if any) and the fault overdue now (if any). */
export interface RecoveryCheck {
  readonly ts: number;
  /** A fault's start, end, recovery or verdict to store and show; null for a plain check. */
  readonly event: FaultRecovery | null;
  /** The earliest fault past its deadline and not recovered, null when none is: the alert's condition. */
  readonly overdue: FaultRecovery | null;
}

const MEASURES = ['latency', 'errors', 'throughput'] as const;
/** Intervals without a completed request that a gap in the stream may stand for; a longer gap is no data. */
const MAX_EMPTY_INTERVALS = 10_000;
type Measure = (typeof MEASURES)[number];

/** One fault occurrence being followed. */
interface Tracked {
  readonly fault: string;
  readonly action: string;
  readonly occurrence: number;
  readonly start: number;
  end: number | null;
  deadline: number | null;
  /** One kernel per measure that had enough reference points before the fault. */
  readonly kernels: Partial<Record<Measure, Recovery>>;
  readonly last: Partial<Record<Measure, { at: number; value: number }>>;
  /** Whether a point at or after the end has been seen. */
  pointAfterEnd: boolean;
  recoveredAt: number | null;
  reportedOverdue: boolean;
}

/**
 * Follows every fault of a run (the fault records in the stream) and judges, online and on event
 * time only, whether and when the service recovered. Requests are summarised per interval: the
 * latency quantile, the error rate and the throughput (requests completed per second; an interval
 * in which none completed, as during a pause or a black hole, counts 0). Before each fault the last
 * `reference` of them (taken while no earlier fault was still being followed) give a band per
 * measure, median ± max(k·1.4826·MAD, tolerance), and a {@link Recovery} kernel per measure finds
 * the impact (first interval outside) and the recovery (first of `hold` intervals in a row back
 * inside; an SPC run rule, Montgomery §5.3). The service has recovered once the fault has ended and
 * every measure is back: the time to recover is that point minus the fault's start (Mean Time To
 * Recovery, averaged by the run summary). Past end + recoverWithin without recovery it is
 * `not-recovered`. Each interval's time is its start (the fault's start for the interval a fault
 * begins in). Requests count in the interval they completed in. O(1) per sample, O(interval samples
 * · log) per interval.
 */
export class RecoveryTracker implements Processor<Sample, RecoveryCheck> {
  private readonly out: RecoveryCheck[] = [];
  private bucketStart: number | null = null;
  private bucketEnd = 0;
  private latencies: number[] = [];
  private requests = 0;
  private failed = 0;
  private readonly reference: Record<Measure, number[]> = { latency: [], errors: [], throughput: [] };
  private readonly referencePoints: number;
  private readonly holdPoints: number;
  private readonly tracked: Tracked[] = [];
  private readonly occurrences = new Map<string, number>();
  private seenFault = false;
  private lastTs = 0;

  constructor(
    private readonly options: RecoveryOptions,
    private readonly group: SeriesRef,
  ) {
    this.referencePoints = Math.max(3, Math.round(options.reference / options.interval));
    this.holdPoints = Math.max(1, Math.round(options.hold / options.interval));
  }

  push(sample: Sample): readonly RecoveryCheck[] {
    this.out.length = 0;
    this.lastTs = sample.ts;
    if (this.bucketStart !== null && sample.ts >= this.bucketEnd) {
      // The intervals in between completed no request: their throughput was 0 (an outage, a pause).
      let next = this.bucketEnd;
      this.closeBucket(next);
      const empty = Math.floor((sample.ts - next) / this.options.interval);
      if (empty <= MAX_EMPTY_INTERVALS)
        for (let i = 0; i < empty; i++, next += this.options.interval) {
          this.openBucket(next);
          this.closeBucket(this.bucketEnd);
        }
    }
    if (this.bucketStart === null)
      this.openBucket(Math.floor(sample.ts / this.options.interval) * this.options.interval);
    const fault = faultOf(sample);
    if (fault !== null) this.onFault(fault);
    else if (sample.metric === this.options.latencyMetric) this.latencies.push(sample.value);
    else if (sample.metric === this.options.errorMetric) {
      this.requests++;
      if (sample.value !== 0) this.failed++;
    }
    return this.out.length > 0 ? this.out : NONE;
  }

  end(): readonly RecoveryCheck[] {
    this.out.length = 0;
    if (this.bucketStart !== null) this.closeBucket(this.lastTs);
    for (const tracked of this.tracked)
      if (tracked.recoveredAt === null && !tracked.reportedOverdue)
        this.emit(this.lastTs, this.result(tracked, 'unfinished', this.lastTs));
    return this.out.length > 0 ? this.out : NONE;
  }

  /** Opens the interval from `ts` to the next multiple of the interval length. */
  private openBucket(ts: number): void {
    const interval = this.options.interval;
    this.bucketStart = ts;
    this.bucketEnd = Math.floor(ts / interval) * interval + interval;
  }

  private onFault(record: FaultRecord): void {
    this.seenFault = true;
    if (record.phase === 'start') {
      // What came before the fault is reference; the fault's own interval starts with it.
      this.closeBucket(record.ts);
      this.openBucket(record.ts);
      const occurrence = (this.occurrences.get(record.fault) ?? 0) + 1;
      this.occurrences.set(record.fault, occurrence);
      const kernels: Partial<Record<Measure, Recovery>> = {};
      for (const measure of MEASURES) {
        const points = this.reference[measure];
        if (points.length < 3) continue;
        const kernel = new Recovery({
          referencePoints: this.referencePoints,
          hold: this.holdPoints,
          k: this.options.k,
          minRelativeWidth:
            measure === 'latency'
              ? this.options.latencyTolerance
              : measure === 'throughput'
                ? this.options.throughputTolerance
                : 0,
          minWidth: measure === 'errors' ? this.options.errorTolerance : 0,
        });
        for (const value of points) kernel.push(0, value);
        kernel.start(record.ts);
        kernels[measure] = kernel;
      }
      const tracked: Tracked = {
        fault: record.fault,
        action: record.action,
        occurrence,
        start: record.ts,
        end: null,
        deadline: null,
        kernels,
        last: {},
        pointAfterEnd: false,
        recoveredAt: null,
        reportedOverdue: false,
      };
      this.tracked.push(tracked);
      this.emit(record.ts, this.result(tracked, 'start', record.ts));
      return;
    }
    // The end of the latest occurrence of this fault that has not ended.
    for (let i = this.tracked.length - 1; i >= 0; i--) {
      const tracked = this.tracked[i] as Tracked;
      if (tracked.fault !== record.fault || tracked.end !== null) continue;
      tracked.end = record.ts;
      tracked.deadline = record.ts + this.options.recoverWithin;
      this.emit(record.ts, this.result(tracked, 'end', record.ts));
      return;
    }
  }

  /**
   * Ends the current interval at `end` (its end, or earlier when a fault starts): its measures go to
   * every fault followed, or to the reference when none is. Throughput is requests completed per
   * second, taken only from intervals at least half as long as the others.
   */
  private closeBucket(end: number): void {
    const start = this.bucketStart;
    if (start === null) return;
    const points: Partial<Record<Measure, number>> = {};
    if (this.latencies.length > 0) points.latency = quantile(this.latencies, this.options.quantile);
    if (this.requests > 0) points.errors = this.failed / this.requests;
    if (end - start >= this.options.interval / 2)
      points.throughput = Math.max(this.requests, this.latencies.length) / ((end - start) / MICROS_PER_SECOND);
    this.latencies = [];
    this.requests = 0;
    this.failed = 0;
    this.bucketStart = null;
    const following = this.tracked.filter((tracked) => tracked.recoveredAt === null);
    if (following.length === 0) {
      for (const measure of MEASURES) {
        const value = points[measure];
        if (value === undefined) continue;
        const ring = this.reference[measure];
        ring.push(value);
        if (ring.length > this.referencePoints) ring.shift();
      }
    }
    for (const tracked of following) this.follow(tracked, start, points);
    if (!this.seenFault) return;
    const overdue = this.tracked.find((tracked) => tracked.reportedOverdue && tracked.recoveredAt === null) ?? null;
    this.emit(start, null, overdue !== null ? this.result(overdue, 'not-recovered', start) : null);
  }

  private follow(tracked: Tracked, bucketStart: number, points: Partial<Record<Measure, number>>): void {
    const at = Math.max(bucketStart, tracked.start);
    let any = false;
    for (const measure of MEASURES) {
      const value = points[measure];
      const kernel = tracked.kernels[measure];
      if (value === undefined || kernel === undefined) continue;
      kernel.push(at, value);
      tracked.last[measure] = { at, value };
      any = true;
    }
    if (any && tracked.end !== null && at >= tracked.end) tracked.pointAfterEnd = true;
    const measures = Object.values(tracked.kernels);
    if (tracked.pointAfterEnd && measures.length > 0) {
      const recovered = measures.map((kernel) => kernel.result()?.recoveredAt ?? null);
      if (recovered.every((r) => r !== null)) {
        tracked.recoveredAt = Math.max(...(recovered as number[]));
        this.emit(at, this.result(tracked, 'recovered', at));
        return;
      }
    }
    if (tracked.deadline !== null && at >= tracked.deadline && !tracked.reportedOverdue) {
      tracked.reportedOverdue = true;
      this.emit(at, this.result(tracked, 'not-recovered', at));
    }
  }

  private emit(ts: number, event: FaultRecovery | null, overdue: FaultRecovery | null = null): void {
    this.out.push({ ts, event, overdue: overdue ?? (event?.phase === 'not-recovered' ? event : null) });
  }

  private result(tracked: Tracked, phase: FaultRecovery['phase'], ts: number): FaultRecovery {
    const measures: MeasureRecovery[] = [];
    let impactAt: number | null = null;
    for (const measure of MEASURES) {
      const outcome = tracked.kernels[measure]?.result();
      if (outcome === undefined || outcome === null) continue;
      const last = tracked.last[measure];
      if (outcome.impactAt !== null) impactAt = Math.min(impactAt ?? outcome.impactAt, outcome.impactAt);
      measures.push({
        measure,
        center: outcome.center,
        halfWidth: outcome.halfWidth,
        impactAt: outcome.impactAt,
        recoveredAt: outcome.impactAt === null ? null : outcome.recoveredAt,
        lastAt: last?.at ?? null,
        last: last?.value ?? null,
      });
    }
    return {
      series: this.group.series,
      metric: this.group.metric,
      tags: this.group.tags,
      metricKind: this.group.metricKind,
      ts,
      fault: tracked.fault,
      action: tracked.action,
      occurrence: tracked.occurrence,
      phase,
      start: tracked.start,
      end: tracked.end,
      impactAt,
      recoveredAt: tracked.recoveredAt,
      recoveryTime: tracked.recoveredAt !== null ? tracked.recoveredAt - tracked.start : null,
      deadline: tracked.deadline,
      quantile: this.options.quantile,
      measures,
    };
  }
}

const percent = (fraction: number): string => `${(fraction * 100).toFixed(1)}%`;
const seconds = (micros: number): string => `${(micros / MICROS_PER_SECOND).toFixed(1)} s`;

/** "latency p95 120.3 ms (band 5.1 ± 1.0 ms)" for each measure still outside its band. */
function outsideBands(recovery: FaultRecovery): string {
  const parts: string[] = [];
  for (const m of recovery.measures) {
    if (m.last === null || Math.abs(m.last - m.center) <= m.halfWidth) continue;
    parts.push(
      m.measure === 'latency'
        ? `latency p${Math.round(recovery.quantile * 100)} ${m.last.toFixed(1)} ms (band ${m.center.toFixed(1)} ± ` +
            `${m.halfWidth.toFixed(1)} ms)`
        : m.measure === 'throughput'
          ? `throughput ${m.last.toFixed(1)}/s (band ${m.center.toFixed(1)} ± ${m.halfWidth.toFixed(1)}/s)`
          : `errors ${percent(m.last)} (band ≤ ${percent(m.center + m.halfWidth)})`,
    );
  }
  return parts.length > 0 ? `: ${parts.join(', ')}` : '';
}

/** A fault's name as messages show it: `kill-target #2 (kill)`. */
export const faultLabel = (recovery: Pick<FaultRecovery, 'fault' | 'occurrence' | 'action'>): string =>
  `${recovery.fault} #${recovery.occurrence} (${recovery.action})`;

/** One line on a fault's course: its start, end, recovery or verdict. */
export function describeRecovery(recovery: FaultRecovery): string {
  const label = faultLabel(recovery);
  switch (recovery.phase) {
    case 'start':
      return `fault ${label} started`;
    case 'end':
      return `fault ${label} ended after ${seconds((recovery.end ?? recovery.ts) - recovery.start)}`;
    case 'recovered': {
      const impact = recovery.impactAt !== null ? `impact after ${seconds(recovery.impactAt - recovery.start)}, ` : '';
      return (
        `fault ${label}: ${impact}recovered ${seconds(recovery.recoveryTime ?? 0)} after it began` +
        `${recovery.impactAt === null ? ' (no visible impact)' : ''}`
      );
    }
    case 'not-recovered':
      return (
        `fault ${label}: not recovered ${seconds(recovery.ts - (recovery.end ?? recovery.start))} after it ended` +
        outsideBands(recovery)
      );
    case 'unfinished':
      return `fault ${label}: the stream ended before it recovered${outsideBands(recovery)}`;
  }
}

const groupOf = (tags: Tags, groupBy: readonly string[]): Tags => {
  const out: Record<string, string> = {};
  for (const key of groupBy) if (Object.hasOwn(tags, key)) out[key] = tags[key] as string;
  return out;
};

/**
 * The recovery detector: a fault's impact and recovery on the requests of the run (see
 * {@link RecoveryTracker}). It looks across series: the fault records, the latency metric and the
 * error metric of one scenario form one group, named after the fault metric.
 */
export const recoveryDetector: DetectorDefinition<'recovery', RecoveryOptions, Sample, RecoveryCheck, never> = {
  type: 'recovery',
  input: 'samples',
  fields: {
    latencyMetric: t.string,
    errorMetric: t.string,
    quantile: Fraction,
    interval: PositiveDuration,
    reference: PositiveDuration,
    hold: PositiveDuration,
    recoverWithin: PositiveDuration,
    k: NonNegative,
    latencyTolerance: Fraction,
    throughputTolerance: Fraction,
    errorTolerance: Fraction,
    groupBy: t.array(t.string),
  },
  required: [],
  defaults: {
    latencyMetric: 'http_req_duration',
    errorMetric: 'http_req_failed',
    quantile: 0.95,
    interval: MICROS_PER_SECOND,
    reference: 30 * MICROS_PER_SECOND,
    hold: 5 * MICROS_PER_SECOND,
    recoverWithin: 60 * MICROS_PER_SECOND,
    k: 4,
    latencyTolerance: 0.5,
    throughputTolerance: 0.5,
    errorTolerance: 0.05,
    groupBy: ['scenario'],
  },
  group(options, series) {
    if (
      series.metric !== FAULT_METRIC &&
      series.metric !== options.latencyMetric &&
      series.metric !== options.errorMetric
    )
      return null;
    const tags = groupOf(series.tags, options.groupBy);
    return { series: seriesKey(FAULT_METRIC, tags), metric: FAULT_METRIC, tags, metricKind: 'other' };
  },
  compile(options) {
    if (options.quantile <= 0 || options.quantile >= 1)
      throw new RangeError(`recovery: quantile must be strictly between 0 and 1, got ${options.quantile}`);
    if (options.reference < 3 * options.interval)
      throw new RangeError('recovery: reference must hold at least 3 intervals');
    return (group) => new RecoveryTracker(options, group);
  },
  event: (check) => (check.event !== null ? { type: 'recovery', recovery: check.event } : null),
  active: (check) => check.overdue !== null,
  describe: (check, options) => {
    const recovery = check.overdue ?? check.event;
    if (recovery === null)
      return { value: 0, baseline: 0, effect: 0, pValue: null, message: 'every fault has recovered' };
    const waited = check.ts - (recovery.end ?? recovery.start);
    return {
      value: waited / MICROS_PER_SECOND,
      baseline: options.recoverWithin / MICROS_PER_SECOND,
      effect: waited / options.recoverWithin - 1,
      pValue: null,
      message: check.overdue !== null ? describeRecovery(check.overdue) : 'every fault has recovered',
    };
  },
};
