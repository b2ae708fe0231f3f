import { Observable, type OperatorFunction } from 'rxjs';
import type { LeakEstimate, SeriesRef } from '../model/events.js';
import { MICROS_PER_HOUR } from '../model/sample.js';
import type { Sample } from '../model/sample.js';
import { seriesRefOf } from '../model/seriesKey.js';
import { guarded } from './guarded.js';
import { mannKendall } from '../stats/mannKendall.js';
import { median } from '../stats/median.js';
import { theilSen } from '../stats/theilSen.js';

/** Options of {@link leakSlope}. */
export interface LeakSlopeOptions {
  /** Envelope bucket, µs: longer than the GC period, so each bucket's minimum is a post-GC floor. Default 2 min. */
  readonly bucket?: number;
  /** Event time of envelope the trend is fitted over, µs. Default 60 min. */
  readonly fitWindow?: number;
  /** Shortest envelope span before any verdict, µs. Default 20 min. */
  readonly minSpan?: number;
  /** Confidence level of the Theil–Sen slope interval. Default 0.99. */
  readonly confidence?: number;
  /** Significance level of the Mann–Kendall trend test. Default 0.001. */
  readonly alpha?: number;
  /** Practical threshold in units per hour. Default 0. */
  readonly minSlopePerHour?: number;
  /** Practical threshold relative to the envelope level, per hour (0.01 = 1%/h). Default 0.01. */
  readonly minRelativeSlopePerHour?: number;
  readonly ref?: SeriesRef;
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
 * bucket once `minSpan` is covered (a last, partial bucket is not used). O(1) per sample;
 * O(P² log P) per bucket for P points.
 */
export function leakSlope(options: LeakSlopeOptions = {}): OperatorFunction<Sample, LeakEstimate> {
  const bucket = options.bucket ?? 120_000_000;
  const fitWindow = options.fitWindow ?? 3_600_000_000;
  const minSpan = options.minSpan ?? 1_200_000_000;
  const confidence = options.confidence ?? 0.99;
  const alpha = options.alpha ?? 0.001;
  const minSlope = options.minSlopePerHour ?? 0;
  const minRelative = options.minRelativeSlopePerHour ?? 0.01;
  if (!(bucket > 0) || !(fitWindow > bucket) || !(minSpan >= 0)) {
    throw new RangeError(
      `leakSlope: need bucket > 0 and fitWindow > bucket (µs), got bucket ${bucket}, fitWindow ${fitWindow}, minSpan ${minSpan}`,
    );
  }
  if (!(confidence > 0 && confidence < 1) || !(alpha > 0 && alpha < 1))
    throw new RangeError(`leakSlope: confidence and alpha must be in (0, 1)`);

  return (source) =>
    new Observable<LeakEstimate>((subscriber) => {
      const pointTs: number[] = [];
      const pointValues: number[] = [];
      let ref = options.ref;
      let bucketEnd = Number.NEGATIVE_INFINITY;
      let bucketMin = Number.POSITIVE_INFINITY;
      let bucketMinTs = 0;
      let leaking = false;

      const closeBucket = (seriesRef: SeriesRef): void => {
        pointTs.push(bucketMinTs);
        pointValues.push(bucketMin);
        const horizon = bucketEnd - fitWindow;
        let drop = 0;
        while (drop < pointTs.length && (pointTs[drop] as number) < horizon) drop++;
        if (drop > 0) {
          pointTs.splice(0, drop);
          pointValues.splice(0, drop);
        }
        const n = pointTs.length;
        const span = n > 0 ? (pointTs[n - 1] as number) - (pointTs[0] as number) : 0;
        if (n < 5 || span < minSpan) return;
        const origin = pointTs[0] as number;
        const hours = pointTs.map((t) => (t - origin) / MICROS_PER_HOUR);
        const fit = theilSen(hours, pointValues, confidence);
        const trend = mannKendall(pointValues);
        const level = median(pointValues);
        const threshold = Math.max(minSlope, minRelative * Math.abs(level));
        leaking = leaking
          ? fit.lower > 0 && fit.slope >= threshold / 2
          : trend.pValue < alpha && fit.lower > 0 && fit.slope >= threshold;
        subscriber.next({
          ...seriesRef,
          ts: bucketEnd,
          slopePerHour: fit.slope,
          lowerPerHour: fit.lower,
          upperPerHour: fit.upper,
          pValue: trend.pValue,
          level,
          points: n,
          spanMicros: span,
          leaking,
        });
      };

      const subscription = source.subscribe({
        next: guarded(subscriber, (sample: Sample) => {
          ref ??= seriesRefOf(sample);
          const ts = sample.ts;
          if (ts >= bucketEnd) {
            if (bucketMin !== Number.POSITIVE_INFINITY) closeBucket(ref);
            bucketEnd = (Math.floor(ts / bucket) + 1) * bucket;
            bucketMin = Number.POSITIVE_INFINITY;
          }
          if (sample.value < bucketMin) {
            bucketMin = sample.value;
            bucketMinTs = ts;
          }
        }),
        error: (err: unknown) => subscriber.error(err),
        // The last, partial bucket is left out on purpose: it may hold no collection, and its
        // pre-GC minimum would bend the envelope upwards at the end of every replay.
        complete: () => subscriber.complete(),
      });
      return () => subscription.unsubscribe();
    });
}
