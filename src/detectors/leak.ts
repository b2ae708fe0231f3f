import type { LeakEstimate, SeriesRef } from '../model/events.js';
import { Duration, PositiveDuration } from '../model/fields/duration.js';
import { Fraction, NonNegative, Probability } from '../model/fields/fraction.js';
import { formatDuration, formatPValue, formatQuantity } from '../model/formatQuantity.js';
import { MICROS_PER_HOUR, type Sample } from '../model/sample.js';
import { mannKendall } from '../stats/mannKendall.js';
import { median } from '../stats/median.js';
import { theilSen } from '../stats/theilSen.js';
import { identityOf, stretch, stretchFactor, type DetectorDefinition, type SeriesContext } from './definition.js';
import { EventTimeBuckets } from './eventTimeBuckets.js';
import { NONE, type Processor } from './processor.js';

/** Options of the leak detector. */
export interface LeakOptions {
  /** Envelope bucket, µs: longer than the GC period, so each bucket's minimum is a post-GC floor. Default 2 min. */
  readonly bucket: number;
  /** Event time of envelope the trend is fitted over, µs. Default 60 min. */
  readonly fitWindow: number;
  /** Shortest envelope span before any verdict, µs. Default 20 min. */
  readonly minSpan: number;
  /** Confidence level of the Theil–Sen slope interval. Default 0.99. */
  readonly confidence: number;
  /** Significance level of the Mann–Kendall trend test. Default 0.001. */
  readonly alpha: number;
  /** Practical threshold in units per hour. Default 0. */
  readonly minSlopePerHour: number;
  /** Practical threshold relative to the envelope level, per hour (0.01 = 1%/h). Default 0.01. */
  readonly minRelativeSlopePerHour: number;
}

function validate(options: LeakOptions): void {
  const { bucket, fitWindow, minSpan, confidence, alpha } = options;
  if (!(bucket > 0) || !(fitWindow > bucket) || !(minSpan >= 0)) {
    throw new RangeError(
      `leakSlope: need bucket > 0 and fitWindow > bucket (µs), ` +
        `got bucket ${bucket}, fitWindow ${fitWindow}, minSpan ${minSpan}`,
    );
  }
  if (!(confidence > 0 && confidence < 1) || !(alpha > 0 && alpha < 1))
    throw new RangeError(`leakSlope: confidence and alpha must be in (0, 1)`);
}

/**
 * Leak slope of a memory-like series (heap, RSS, fds, handles, threads). Garbage collection
 * makes such series a sawtooth whose teeth hide the trend; what leaks is the floor after each
 * collection. The post-GC lower envelope is the minimum of each `bucket`; over the last
 * `fitWindow` of envelope points the Theil–Sen slope (Theil 1950; Sen 1968) with its
 * confidence interval and the Mann–Kendall trend test (Mann 1945; Kendall 1975) give the leak
 * rate in units per hour. A leak is reported when the trend is significant, the interval
 * excludes zero and the slope passes the practical threshold; it clears (hysteresis) when the
 * slope falls below half the threshold or the interval reaches zero. Emits one estimate per
 * bucket once `minSpan` is covered; the last, partial bucket is not used (it may hold no
 * collection, and its pre-GC minimum would bend the envelope upwards at the end of every replay).
 * O(1) per sample; O(P² log P) per bucket for P points.
 */
export class LeakSlope implements Processor<Sample, LeakEstimate> {
  /** The series' identity, as every result carries it. */
  private readonly ref: SeriesRef;
  private readonly pointTs: number[] = [];
  private readonly pointValues: number[] = [];
  private readonly buckets: EventTimeBuckets;
  private bucketMin = Number.POSITIVE_INFINITY;
  private bucketMinTs = 0;
  private leaking = false;

  constructor(
    private readonly options: LeakOptions,
    series: SeriesContext,
  ) {
    this.ref = identityOf(series);
    this.buckets = new EventTimeBuckets(options.bucket);
  }

  push(sample: Sample): readonly LeakEstimate[] {
    const ts = sample.ts;
    let out: readonly LeakEstimate[] = NONE;
    const closed = this.buckets.advance(ts);
    if (closed !== null) {
      if (this.bucketMin !== Number.POSITIVE_INFINITY) {
        const estimate = this.closeBucket(closed);
        if (estimate !== null) out = [estimate];
      }
      this.bucketMin = Number.POSITIVE_INFINITY;
    }
    if (sample.value < this.bucketMin) {
      this.bucketMin = sample.value;
      this.bucketMinTs = ts;
    }
    return out;
  }

  end(): readonly LeakEstimate[] {
    return NONE;
  }

  private closeBucket(bucketEnd: number): LeakEstimate | null {
    const { pointTs, pointValues, options } = this;
    pointTs.push(this.bucketMinTs);
    pointValues.push(this.bucketMin);
    const horizon = bucketEnd - options.fitWindow;
    let drop = 0;
    while (drop < pointTs.length && (pointTs[drop] as number) < horizon) drop++;
    if (drop > 0) {
      pointTs.splice(0, drop);
      pointValues.splice(0, drop);
    }
    const n = pointTs.length;
    const span = n > 0 ? (pointTs[n - 1] as number) - (pointTs[0] as number) : 0;
    if (n < 5 || span < options.minSpan) return null;
    const origin = pointTs[0] as number;
    const hours = pointTs.map((t) => (t - origin) / MICROS_PER_HOUR);
    const fit = theilSen(hours, pointValues, options.confidence);
    const trend = mannKendall(pointValues);
    const level = median(pointValues);
    const threshold = Math.max(options.minSlopePerHour, options.minRelativeSlopePerHour * Math.abs(level));
    this.leaking = this.leaking
      ? fit.lower > 0 && fit.slope >= threshold / 2
      : trend.pValue < options.alpha && fit.lower > 0 && fit.slope >= threshold;
    return {
      series: this.ref.series,
      metric: this.ref.metric,
      tags: this.ref.tags,
      metricKind: this.ref.metricKind,
      ts: bucketEnd,
      slopePerHour: fit.slope,
      lowerPerHour: fit.lower,
      upperPerHour: fit.upper,
      pValue: trend.pValue,
      level,
      points: n,
      spanMicros: span,
      leaking: this.leaking,
    };
  }
}

/**
 * A fit's span for messages: whole minutes from 10 minutes on, whole seconds below (a seconds-long
 * benchmark must not read "over 0s").
 */
const roundSpan = (micros: number): number =>
  micros >= 600_000_000 ? Math.round(micros / 60_000_000) * 60_000_000 : Math.round(micros / 1_000_000) * 1_000_000;

/** The leak detector: slope of the post-GC floor (see {@link LeakSlope}). */
export const leakDetector: DetectorDefinition<'leak', LeakOptions, Sample, LeakEstimate, never> = {
  type: 'leak',
  input: 'samples',
  fields: {
    bucket: PositiveDuration,
    fitWindow: PositiveDuration,
    minSpan: Duration,
    confidence: Probability,
    alpha: Probability,
    minSlopePerHour: NonNegative,
    minRelativeSlopePerHour: Fraction,
  },
  required: [],
  defaults: {
    bucket: 120_000_000,
    fitWindow: 3_600_000_000,
    minSpan: 1_200_000_000,
    confidence: 0.99,
    alpha: 0.001,
    minSlopePerHour: 0,
    minRelativeSlopePerHour: 0.01,
  },
  scale(options, interval) {
    // Each envelope bucket needs two samples for its minimum to be a floor.
    const factor = stretchFactor(options.bucket, interval, 2);
    if (factor === 1) return options;
    return {
      ...options,
      bucket: stretch(options.bucket, factor),
      fitWindow: stretch(options.fitWindow, factor),
      minSpan: stretch(options.minSpan, factor),
    };
  },
  compile(options) {
    validate(options);
    return (series) => new LeakSlope(options, series);
  },
  event: (leak) => ({ type: 'leak', leak }),
  active: (leak) => leak.leaking,
  describe: (leak, _options, { series, unit }) => ({
    value: leak.slopePerHour,
    baseline: 0,
    effect: leak.level !== 0 ? leak.slopePerHour / Math.abs(leak.level) : 0,
    pValue: leak.pValue,
    message:
      `${series}: post-GC floor grows ${formatQuantity(leak.slopePerHour, unit)}/h ` +
      `(CI ${formatQuantity(leak.lowerPerHour, unit)}..${formatQuantity(leak.upperPerHour, unit)}/h, ` +
      `level ${formatQuantity(leak.level, unit)}, Mann–Kendall p = ${formatPValue(leak.pValue)}, ` +
      `${leak.points} points over ${formatDuration(roundSpan(leak.spanMicros))})`,
  }),
};
