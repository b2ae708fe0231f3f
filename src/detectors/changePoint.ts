import * as t from 'io-ts';
import type { ChangePoint, SeriesRef } from '../model/events.js';
import { PositiveDuration } from '../model/fields/duration.js';
import { NonNegative, NonNegativeInteger, PositiveInteger } from '../model/fields/fraction.js';
import { formatQuantity } from '../model/formatQuantity.js';
import type { Sample } from '../model/sample.js';
import { Cusum } from '../stats/cusum.js';
import { mad } from '../stats/mad.js';
import { MAD_NORMAL_CONSISTENCY } from '../stats/madNormalConsistency.js';
import { median } from '../stats/median.js';
import { PageHinkley } from '../stats/pageHinkley.js';
import { SequentialSegmentation } from '../stats/sequentialSegmentation.js';
import { identityOf, stretch, stretchFactor, type DetectorDefinition, type SeriesContext } from './definition.js';
import { EventTimeBuckets } from './eventTimeBuckets.js';
import { NONE, type Processor } from './processor.js';

/** Options of the change-point detector. */
export interface ChangePointOptions {
  /**
   * 'cusum' (tabular CUSUM), 'page-hinkley', or 'segment' (online segmentation into linear pieces:
   * changes of level or of trend). Default 'cusum'.
   */
  readonly method: 'cusum' | 'page-hinkley' | 'segment';
  /** Samples are reduced to one median per bucket (µs) before detection. Default 10 s. */
  readonly bucket: number;
  /**
   * Bucket medians that form the reference after the start and after every change. Default 90 (15
   * min of 10 s buckets).
   */
  readonly referenceBuckets: number;
  /** CUSUM allowance k and decision interval h, in robust standard deviations. Defaults 0.5 and 12. */
  readonly k: number;
  readonly h: number;
  /** Page–Hinkley magnitude δ and threshold λ, in robust standard deviations. Defaults 0.5 and 20. */
  readonly delta: number;
  readonly threshold: number;
  /** Standardised values are clipped to ±clip so single outliers cannot trigger a change. Default 4. */
  readonly clip: number;
  /** 'segment': λ of the penalty λ·ln N a split must gain, in variances of the series so far. Default 5. */
  readonly penalty: number;
  /** 'segment': fewest buckets on either side of a split. Default 5. */
  readonly minSegment: number;
  /** 'segment': buckets a split must keep its significance for before it is reported. Default 5. */
  readonly confirm: number;
  /** 'segment': most buckets the current segment keeps (cost per bucket is proportional). Default 1,000. */
  readonly maxSegment: number;
}

function validate(options: ChangePointOptions): void {
  const { bucket, referenceBuckets } = options;
  if (!(bucket > 0) || !Number.isInteger(referenceBuckets) || referenceBuckets < 3) {
    throw new RangeError(
      `changePoints: need bucket > 0 µs and referenceBuckets ≥ 3, got ${bucket}, ${referenceBuckets}`,
    );
  }
  // The segmentation kernel names what is wrong with its own options.
  if (options.method === 'segment') segmentationOf(options);
}

const segmentationOf = ({ penalty, minSegment, confirm, maxSegment }: ChangePointOptions): SequentialSegmentation =>
  new SequentialSegmentation({ penalty, minSegment, confirm, maxSegment });

/**
 * What both change-point methods share: samples reduced to one median per event-time bucket, each
 * closed bucket's median handed to {@link closeBucket} with the bucket's end, and the last, partial
 * bucket closed at the end of the stream. O(b log b) per bucket of b samples.
 */
abstract class BucketMedianDetector implements Processor<Sample, ChangePoint> {
  /** The series' identity, as every result carries it. */
  protected readonly ref: SeriesRef;
  private readonly buckets: EventTimeBuckets;
  private values: number[] = [];

  constructor(bucket: number, series: SeriesContext) {
    this.ref = identityOf(series);
    this.buckets = new EventTimeBuckets(bucket);
  }

  push(sample: Sample): readonly ChangePoint[] {
    const closed = this.buckets.advance(sample.ts);
    const change = closed !== null && this.values.length > 0 ? this.close(closed) : null;
    this.values.push(sample.value);
    return change !== null ? [change] : NONE;
  }

  end(): readonly ChangePoint[] {
    // The last, partial bucket still counts.
    const change = this.values.length > 0 ? this.close(this.buckets.currentEnd) : null;
    return change !== null ? [change] : NONE;
  }

  private close(bucketEnd: number): ChangePoint | null {
    const m = median(this.values);
    this.values = [];
    return this.closeBucket(bucketEnd, m);
  }

  /** One closed bucket: its end and the median of its samples. Returns the change it reveals, or null. */
  protected abstract closeBucket(bucketEnd: number, bucketMedian: number): ChangePoint | null;
}

/**
 * Change points of one series by CUSUM (Page 1954) or Page–Hinkley (Hinkley 1971) on robustly
 * standardised input: each bucket's median m gives z = (m − median_ref) / (1.4826 · MAD_ref),
 * clipped, where the reference is the first `referenceBuckets` bucket medians (re-learnt after
 * each change). Bucket medians make the detector indifferent to spikes and to short-range
 * autocorrelation within a bucket; a long reference (15 min) keeps the error of its centre and
 * scale, which would otherwise look like a change, small. The change time reported is the end of
 * the bucket at which the statistic crossed its threshold (`ts`, the detection time: causal); its
 * `onset` is the end of the last bucket at which a one-sided CUSUM statistic (allowance 0.5) in the
 * change's direction was zero (Page's estimate of when the change began), for either detector.
 * The last, partial bucket is closed at the end. O(b log b) per bucket of b samples.
 */
export class ChangePoints extends BucketMedianDetector {
  private readonly detector: { push(z: number): 'up' | 'down' | null; reset(): void };
  private reference: number[] = [];
  private center = 0;
  private scale = 0;
  // Page's onset estimate: the last bucket at which a one-sided CUSUM statistic (allowance
  // 0.5) of the alarm's direction was zero. Tracked for either detector; z is clipped, so
  // with h at the largest double it never signals.
  private readonly onset = new Cusum({ k: 0.5, h: Number.MAX_VALUE });
  private upSince = Number.NaN;
  private downSince = Number.NaN;
  private upMedians: number[] = [];
  private downMedians: number[] = [];

  constructor(
    private readonly options: ChangePointOptions,
    series: SeriesContext,
  ) {
    super(options.bucket, series);
    this.detector =
      options.method === 'cusum'
        ? new Cusum({ k: options.k, h: options.h })
        : new PageHinkley({ delta: options.delta, threshold: options.threshold });
  }

  protected closeBucket(bucketEnd: number, m: number): ChangePoint | null {
    const { options, onset } = this;
    if (this.reference.length < options.referenceBuckets) {
      this.reference.push(m);
      if (this.reference.length === options.referenceBuckets) {
        this.center = median(this.reference);
        this.scale = MAD_NORMAL_CONSISTENCY * mad(this.reference);
        onset.reset();
        this.upSince = bucketEnd;
        this.downSince = bucketEnd;
        this.upMedians = [];
        this.downMedians = [];
      }
      return null;
    }
    const { center, scale } = this;
    const raw = scale > 0 ? (m - center) / scale : m === center ? 0 : Math.sign(m - center) * options.clip;
    const z = Math.max(-options.clip, Math.min(options.clip, raw));
    onset.push(z);
    this.upMedians.push(m);
    this.downMedians.push(m);
    const direction = this.detector.push(z);
    if (direction !== null) {
      const up = direction === 'up';
      this.detector.reset();
      this.reference = [];
      return {
        ...this.ref,
        ts: bucketEnd,
        onset: up ? this.upSince : this.downSince,
        detector: options.method,
        direction,
        before: center,
        after: median(up ? this.upMedians : this.downMedians),
      };
    }
    if (onset.upper === 0) {
      this.upSince = bucketEnd;
      this.upMedians = [];
    }
    if (onset.lower === 0) {
      this.downSince = bucketEnd;
      this.downMedians = [];
    }
    return null;
  }
}

/**
 * Change points of one series by online segmentation into linear pieces
 * ({@link SequentialSegmentation}) of its bucket medians: a change of level or of trend is reported
 * at the end of the bucket that confirms it (`ts`, causal), its `onset` the start of the first
 * bucket of the new piece; `before` is the old piece's line at its end, `after` the new piece's at
 * the newest bucket. A steady trend is one piece, not a staircase of level changes. The kernel keeps
 * at most `maxSegment` buckets: O(b log b + maxSegment) per bucket of b samples.
 */
export class SegmentChanges extends BucketMedianDetector {
  private readonly segmentation: SequentialSegmentation;
  /** Start times of the buckets the kernel may still split at, oldest first, and the index of the first. */
  private starts: number[] = [];
  private firstIndex = 0;

  constructor(
    private readonly options: ChangePointOptions,
    series: SeriesContext,
  ) {
    super(options.bucket, series);
    this.segmentation = segmentationOf(options);
  }

  protected closeBucket(bucketEnd: number, m: number): ChangePoint | null {
    this.starts.push(bucketEnd - this.options.bucket);
    if (this.starts.length > this.options.maxSegment) {
      this.starts.shift();
      this.firstIndex++;
    }
    const split = this.segmentation.push(m);
    if (split === null) return null;
    const onset = this.starts[split.at - this.firstIndex] as number;
    this.starts = this.starts.slice(split.at - this.firstIndex);
    this.firstIndex = split.at;
    return {
      ...this.ref,
      ts: bucketEnd,
      onset,
      detector: 'segment',
      direction: split.after >= split.before ? 'up' : 'down',
      before: split.before,
      after: split.after,
    };
  }
}

/** The change-point detector (see {@link ChangePoints} and {@link SegmentChanges}). */
export const changePointDetector: DetectorDefinition<'changepoint', ChangePointOptions, Sample, ChangePoint, never> = {
  type: 'changepoint',
  input: 'samples',
  fields: {
    method: t.keyof({ cusum: null, 'page-hinkley': null, segment: null }, '"cusum" | "page-hinkley" | "segment"'),
    bucket: PositiveDuration,
    referenceBuckets: PositiveInteger,
    k: NonNegative,
    h: NonNegative,
    delta: NonNegative,
    threshold: NonNegative,
    clip: NonNegative,
    penalty: NonNegative,
    minSegment: PositiveInteger,
    confirm: NonNegativeInteger,
    maxSegment: PositiveInteger,
  },
  required: [],
  defaults: {
    method: 'cusum',
    bucket: 10_000_000,
    referenceBuckets: 90,
    k: 0.5,
    h: 12,
    delta: 0.5,
    threshold: 20,
    clip: 4,
    penalty: 5,
    minSegment: 5,
    confirm: 5,
    maxSegment: 1_000,
  },
  scale(options, interval) {
    // A bucket holds at least one sample; the reference is a number of buckets already.
    const factor = stretchFactor(options.bucket, interval, 1);
    return factor === 1 ? options : { ...options, bucket: stretch(options.bucket, factor) };
  },
  compile(options) {
    validate(options);
    return options.method === 'segment'
      ? (series) => new SegmentChanges(options, series)
      : (series) => new ChangePoints(options, series);
  },
  event: (changePoint) => ({ type: 'changepoint', changePoint }),
  episodic: true,
  active: () => true,
  describe: (cp, _options, { series, unit }) => ({
    onset: cp.onset,
    value: cp.after,
    baseline: cp.before,
    effect: cp.before !== 0 ? cp.after / cp.before - 1 : 0,
    pValue: null,
    message:
      `${series}: ${cp.detector} change ${cp.direction} from ${formatQuantity(cp.before, unit)} ` +
      `to ${formatQuantity(cp.after, unit)}`,
  }),
};
