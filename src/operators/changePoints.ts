import { Observable, type OperatorFunction } from 'rxjs';
import type { ChangePoint, SeriesRef } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { seriesRefOf } from '../model/seriesKey.js';
import { Cusum } from '../stats/cusum.js';
import { mad } from '../stats/mad.js';
import { MAD_NORMAL_CONSISTENCY } from '../stats/madNormalConsistency.js';
import { median } from '../stats/median.js';
import { PageHinkley } from '../stats/pageHinkley.js';
import { guarded } from './guarded.js';

/** Options of {@link changePoints}. */
export interface ChangePointsOptions {
  /** 'cusum' (tabular CUSUM) or 'page-hinkley'. Default 'cusum'. */
  readonly detector?: 'cusum' | 'page-hinkley';
  /** Samples are reduced to one median per bucket (µs) before detection. Default 10 s. */
  readonly bucket?: number;
  /** Bucket medians that form the reference after the start and after every change. Default 90 (15 min of 10 s buckets). */
  readonly referenceBuckets?: number;
  /** CUSUM allowance k and decision interval h, in robust standard deviations. Defaults 0.5 and 12. */
  readonly k?: number;
  readonly h?: number;
  /** Page–Hinkley magnitude δ and threshold λ, in robust standard deviations. Defaults 0.5 and 20. */
  readonly delta?: number;
  readonly threshold?: number;
  /** Standardised values are clipped to ±clip so single outliers cannot trigger a change. Default 4. */
  readonly clip?: number;
  readonly ref?: SeriesRef;
}

/**
 * Change points of one series by CUSUM (Page 1954) or Page–Hinkley (Hinkley 1971) on robustly
 * standardised input: each bucket's median m gives z = (m − median_ref) / (1.4826 · MAD_ref),
 * clipped, where the reference is the first `referenceBuckets` bucket medians (re-learnt after
 * each change). Bucket medians make the detector indifferent to spikes and to short-range
 * autocorrelation within a bucket; a long reference (15 min) keeps the error of its centre and
 * scale, which would otherwise look like a change, small. The change time reported is the end of
 * the last bucket at which a one-sided CUSUM statistic (allowance 0.5) in the change's direction
 * was zero (Page's estimate of the onset), for either detector. The last, partial bucket is
 * closed on completion. O(b log b) per bucket of b samples.
 */
export function changePoints(options: ChangePointsOptions = {}): OperatorFunction<Sample, ChangePoint> {
  const detectorKind = options.detector ?? 'cusum';
  const bucket = options.bucket ?? 10_000_000;
  const referenceBuckets = options.referenceBuckets ?? 90;
  const clip = options.clip ?? 4;
  if (!(bucket > 0) || !Number.isInteger(referenceBuckets) || referenceBuckets < 3) {
    throw new RangeError(
      `changePoints: need bucket > 0 µs and referenceBuckets ≥ 3, got ${bucket}, ${referenceBuckets}`,
    );
  }
  const makeDetector = (): { push(z: number): 'up' | 'down' | null; reset(): void } =>
    detectorKind === 'cusum'
      ? new Cusum({ k: options.k ?? 0.5, h: options.h ?? 12 })
      : new PageHinkley({ delta: options.delta ?? 0.5, threshold: options.threshold ?? 20 });

  return (source) =>
    new Observable<ChangePoint>((subscriber) => {
      const detector = makeDetector();
      let ref = options.ref;
      let values: number[] = [];
      let bucketEnd = Number.NEGATIVE_INFINITY;
      let reference: number[] = [];
      let center = 0;
      let scale = 0;
      // Page's onset estimate: the last bucket at which a one-sided CUSUM statistic (allowance
      // 0.5) of the alarm's direction was zero. Tracked for either detector; z is clipped, so
      // with h at the largest double it never signals.
      const onset = new Cusum({ k: 0.5, h: Number.MAX_VALUE });
      let upSince = Number.NaN;
      let downSince = Number.NaN;
      let upMedians: number[] = [];
      let downMedians: number[] = [];

      const closeBucket = (seriesRef: SeriesRef): void => {
        const m = median(values);
        values = [];
        if (reference.length < referenceBuckets) {
          reference.push(m);
          if (reference.length === referenceBuckets) {
            center = median(reference);
            scale = MAD_NORMAL_CONSISTENCY * mad(reference);
            onset.reset();
            upSince = bucketEnd;
            downSince = bucketEnd;
            upMedians = [];
            downMedians = [];
          }
          return;
        }
        const raw = scale > 0 ? (m - center) / scale : m === center ? 0 : Math.sign(m - center) * clip;
        const z = Math.max(-clip, Math.min(clip, raw));
        onset.push(z);
        upMedians.push(m);
        downMedians.push(m);
        const direction = detector.push(z);
        if (direction !== null) {
          const up = direction === 'up';
          subscriber.next({
            ...seriesRef,
            ts: up ? upSince : downSince,
            detector: detectorKind,
            direction,
            before: center,
            after: median(up ? upMedians : downMedians),
          });
          detector.reset();
          reference = [];
          return;
        }
        if (onset.upper === 0) {
          upSince = bucketEnd;
          upMedians = [];
        }
        if (onset.lower === 0) {
          downSince = bucketEnd;
          downMedians = [];
        }
      };

      const subscription = source.subscribe({
        next: guarded(subscriber, (sample: Sample) => {
          ref ??= seriesRefOf(sample);
          if (sample.ts >= bucketEnd) {
            if (values.length > 0) closeBucket(ref);
            bucketEnd = (Math.floor(sample.ts / bucket) + 1) * bucket;
          }
          values.push(sample.value);
        }),
        error: (err: unknown) => subscriber.error(err),
        complete: guarded<void>(subscriber, () => {
          // The last, partial bucket still counts.
          if (values.length > 0 && ref !== undefined) closeBucket(ref);
          subscriber.complete();
        }),
      });
      return () => subscription.unsubscribe();
    });
}
