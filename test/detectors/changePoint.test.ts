import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChangePoint } from '../../src/model/events.js';
import type { Sample } from '../../src/model/sample.js';
import { changePoints } from '../../src/operators/changePoints.js';
import { createRandom } from '../../src/stats/random.js';
import { SequentialSegmentation } from '../../src/stats/sequentialSegmentation.js';
import { approxEqual } from '../support/approxEqual.js';
import { runOperator } from '../support/runOperator.js';
import { sample } from '../support/sample.js';
import { testScheduler } from '../support/testScheduler.js';
import { medianOf } from '../support/medianOf.js';

interface Expected {
  readonly ts: number;
  readonly onset: number;
  readonly direction: 'up' | 'down';
  readonly before: number;
  readonly after: number;
  readonly at: number;
}

/**
 * Batch model: bucket medians from a plain grouping of the samples, then the documented rule
 * (robust standardisation against the reference buckets, clipping, tabular CUSUM, onset at
 * the end of the last neutral bucket, reference re-learnt after each change). A bucket is
 * closed by the first later sample, so the last bucket is never tested.
 */
function batchChangePoints(
  samples: readonly Sample[],
  bucket: number,
  referenceBuckets: number,
  k: number,
  h: number,
  clip: number,
): Expected[] {
  const buckets: { end: number; values: number[]; closedBy: number }[] = [];
  for (const s of samples) {
    const end = (Math.floor(s.ts / bucket) + 1) * bucket;
    const last = buckets.at(-1);
    if (last !== undefined && s.ts < last.end) last.values.push(s.value);
    else buckets.push({ end, values: [s.value], closedBy: -1 });
  }
  const out: Expected[] = [];
  let reference: number[] = [];
  let center = 0;
  let scale = 0;
  let upper = 0;
  let lower = 0;
  // Onset: the last bucket at which a one-sided CUSUM statistic (allowance 0.5) in the alarm's
  // direction was zero; `after` is the median of the bucket medians since then.
  let upShadow = 0;
  let downShadow = 0;
  let upSince = Number.NaN;
  let downSince = Number.NaN;
  let upMedians: number[] = [];
  let downMedians: number[] = [];
  // Every bucket is closed, the last one on completion.
  buckets.forEach((b, i) => {
    const m = medianOf(b.values);
    if (reference.length < referenceBuckets) {
      reference.push(m);
      if (reference.length === referenceBuckets) {
        center = medianOf(reference);
        scale = 1.4826 * medianOf(reference.map((x) => Math.abs(x - center)));
        upShadow = 0;
        downShadow = 0;
        upSince = b.end;
        downSince = b.end;
        upMedians = [];
        downMedians = [];
      }
      return;
    }
    const raw = scale > 0 ? (m - center) / scale : m === center ? 0 : Math.sign(m - center) * clip;
    const z = Math.min(clip, Math.max(-clip, raw));
    upShadow = Math.max(0, upShadow + z - 0.5);
    downShadow = Math.max(0, downShadow - z - 0.5);
    upMedians.push(m);
    downMedians.push(m);
    upper = Math.max(0, upper + z - k);
    lower = Math.max(0, lower - z - k);
    const direction = upper > h ? 'up' : lower > h ? 'down' : null;
    if (direction !== null) {
      // `at`: index of the bucket whose first sample closes this one (buckets.length: completion).
      const up = direction === 'up';
      out.push({
        ts: b.end,
        onset: up ? upSince : downSince,
        direction,
        before: center,
        after: medianOf(up ? upMedians : downMedians),
        at: i + 1,
      });
      upper = 0;
      lower = 0;
      reference = [];
      return;
    }
    if (upShadow === 0) {
      upSince = b.end;
      upMedians = [];
    }
    if (downShadow === 0) {
      downSince = b.end;
      downMedians = [];
    }
  });
  return out;
}

/** Bucket medians ~ N(level, σ) with `perBucket` samples per 1 s bucket; level shifts by `step` at `stepAt` µs. */
function steppedSeries(seed: number, buckets: number, stepAt: number, step: number, perBucket = 10): Sample[] {
  const random = createRandom(seed);
  const out: Sample[] = [];
  for (let i = 0; i < buckets * perBucket; i++) {
    const ts = (i * 1_000_000) / perBucket;
    out.push(sample(ts, 100 + (ts >= stepAt ? step : 0) + random.normal()));
  }
  return out;
}

describe('changePoints', () => {
  const values = { a: sample(0, 10), b: sample(10, 11), c: sample(20, 9), d: sample(30, 20), e: sample(40, 20) };
  // Reference {10, 11, 9}: median 10, MAD 1; bucket [30, 40) has median 20, z clipped to 4, C⁺ = 3.5 > h.
  const change: ChangePoint = {
    series: 'latency',
    metric: 'latency',
    tags: {},
    metricKind: 'latency',
    ts: 40,
    onset: 30,
    detector: 'cusum',
    direction: 'up',
    before: 10,
    after: 20,
  };
  const options = { bucket: 10, referenceBuckets: 3, h: 2 };

  it('reports a step when the bucket that shows it closes, its onset at the last neutral bucket', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-e-|', values);
      expectObservable(source.pipe(changePoints(options))).toBe('---------x-|', { x: change });
      expectSubscriptions(source.subscriptions).toBe('^----------!');
    });
  });

  it('refuses a bad bucket or reference length', () => {
    expect(() => changePoints({ bucket: 0 })).toThrow(RangeError);
    expect(() => changePoints({ referenceBuckets: 2 })).toThrow(RangeError);
  });

  // A long reference keeps the estimated centre and scale accurate: with the default 30 buckets
  // and h = 8 the estimation error alone raises a false alarm in ~30% of 150 stationary buckets.
  const tuned = { bucket: 1_000_000, referenceBuckets: 200, h: 12 };

  it('finds a +3σ step within a few buckets of its onset, with CUSUM and Page–Hinkley', () => {
    for (const detector of ['cusum', 'page-hinkley'] as const) {
      for (const seed of [1, 2, 3]) {
        const samples = steppedSeries(seed, 300, 250_000_000, 3);
        const found = runOperator(samples, changePoints({ ...tuned, method: detector })).values;
        expect(found, `${detector} seed ${seed}`).toHaveLength(1);
        const [point] = found as [ChangePoint];
        expect(point.direction).toBe('up');
        expect(Math.abs(point.onset - 250_000_000)).toBeLessThanOrEqual(4_000_000);
        // Detected causally: after the step, once the bucket that crossed h had closed.
        expect(point.ts).toBeGreaterThan(250_000_000);
        expect(point.ts).toBeGreaterThanOrEqual(point.onset);
        approxEqual(point.before, 100, 0, 0.2, 'before');
        expect(point.after - point.before).toBeGreaterThan(1);
      }
    }
  });

  it('finds a downward step as direction down', () => {
    const found = runOperator(steppedSeries(4, 260, 220_000_000, -3), changePoints(tuned)).values;
    expect(found.map((p) => p.direction)).toEqual(['down']);
  });

  it('finds nothing on stationary data', () => {
    for (const detector of ['cusum', 'page-hinkley'] as const) {
      for (const seed of [11, 12, 13, 14, 15]) {
        const found = runOperator(
          steppedSeries(seed, 350, Number.POSITIVE_INFINITY, 0),
          changePoints({ ...tuned, method: detector }),
        ).values;
        expect(found, `${detector} seed ${seed}`).toEqual([]);
      }
    }
  });

  it('is indifferent to single spikes within a bucket', () => {
    const samples = steppedSeries(21, 350, Number.POSITIVE_INFINITY, 0).map((s, i) =>
      i % 37 === 0 ? { ...s, value: 1e6 } : s,
    );
    expect(runOperator(samples, changePoints(tuned)).values).toEqual([]);
  });

  it('streaming == batch: change points equal the documented rule applied to batch bucket medians', () => {
    const series = fc
      .record({
        levels: fc.array(
          fc.record({ buckets: fc.integer({ min: 1, max: 8 }), level: fc.integer({ min: -3, max: 3 }) }),
          { minLength: 1, maxLength: 8 },
        ),
        seed: fc.integer(),
        perBucket: fc.integer({ min: 1, max: 5 }),
        start: fc.integer({ min: -50, max: 50 }),
      })
      .map(({ levels, seed, perBucket, start }) => {
        const random = createRandom(seed);
        const out: Sample[] = [];
        let bucket = start;
        for (const { buckets, level } of levels) {
          for (let b = 0; b < buckets; b++, bucket += 1 + random.nextInt(2)) {
            for (let j = 0; j < perBucket; j++)
              out.push(sample(bucket * 10 + random.nextInt(10), level + Math.round(random.normal() * 4) / 4));
          }
        }
        return out.sort((a, b) => a.ts - b.ts);
      });
    fc.assert(
      fc.property(
        series,
        fc.integer({ min: 3, max: 6 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.5, max: 6, noNaN: true }),
        (samples, referenceBuckets, k, h) => {
          const expected = batchChangePoints(samples, 10, referenceBuckets, k, h, 4);
          const found = runOperator(samples, changePoints({ bucket: 10, referenceBuckets, k, h })).values;
          expect(found.map((p) => [p.ts, p.onset, p.direction, p.before, p.after])).toEqual(
            expected.map((e) => [e.ts, e.onset, e.direction, e.before, e.after]),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('changePoints, method segment (online segmentation into linear pieces)', () => {
  const segment = { method: 'segment', bucket: 1_000_000 } as const;

  it('finds a +3σ step: onset at the first bucket of the new piece, reported once confirmed', () => {
    for (const seed of [1, 2, 3]) {
      const found = runOperator(steppedSeries(seed, 300, 250_000_000, 3), changePoints(segment)).values;
      expect(found, `seed ${seed}`).toHaveLength(1);
      const [point] = found as [ChangePoint];
      expect(point.detector).toBe('segment');
      expect(point.direction).toBe('up');
      expect(Math.abs(point.onset - 250_000_000)).toBeLessThanOrEqual(2_000_000);
      // Confirmed causally: it must stay significant for `confirm` (5) buckets after the step shows.
      expect(point.ts).toBeGreaterThan(250_000_000 + 5_000_000);
      approxEqual(point.before, 100, 0, 0.3, 'before');
      approxEqual(point.after, 103, 0, 0.5, 'after');
    }
  });

  it('finds nothing on stationary data nor in a steady trend, and finds where a trend begins', () => {
    for (const seed of [11, 12, 13, 14, 15]) {
      const flat = steppedSeries(seed, 350, Number.POSITIVE_INFINITY, 0);
      expect(runOperator(flat, changePoints(segment)).values, `seed ${seed}`).toEqual([]);
      // Rising by 0.2σ per bucket from the start: one piece.
      const rising = flat.map((s) => ({ ...s, value: s.value + (0.2 * s.ts) / 1_000_000 }));
      expect(runOperator(rising, changePoints(segment)).values, `seed ${seed} rising`).toEqual([]);
      // Flat, then rising by 0.2σ per bucket from 200 s: the knee is a change, up.
      const knee = flat.map((s) => ({ ...s, value: s.value + Math.max(0, (0.2 * (s.ts - 200_000_000)) / 1_000_000) }));
      const found = runOperator(knee, changePoints(segment)).values;
      expect(found.length, `seed ${seed} knee`).toBeGreaterThanOrEqual(1);
      expect(Math.abs((found[0] as ChangePoint).onset - 200_000_000), `seed ${seed} knee`).toBeLessThanOrEqual(
        10_000_000,
      );
      expect((found[0] as ChangePoint).direction).toBe('up');
    }
  });

  it('streaming == the segmentation kernel applied to batch bucket medians', () => {
    const samples = steppedSeries(5, 400, 150_000_000, -4).map((s) =>
      s.ts >= 300_000_000 ? { ...s, value: s.value + 6 } : s,
    );
    const byBucket = new Map<number, number[]>();
    for (const s of samples) {
      const start = Math.floor(s.ts / 1_000_000) * 1_000_000;
      byBucket.set(start, [...(byBucket.get(start) ?? []), s.value]);
    }
    const starts = [...byBucket.keys()];
    const kernel = new SequentialSegmentation({ penalty: 5, minSegment: 5, confirm: 5, maxSegment: 1000 });
    const expected = starts.flatMap((start, i) => {
      const split = kernel.push(medianOf(byBucket.get(start) as number[]));
      return split === null ? [] : [{ ts: start + 1_000_000, onset: starts[split.at] as number, i }];
    });
    const found = runOperator(samples, changePoints(segment)).values;
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect(found.map((p) => ({ ts: p.ts, onset: p.onset }))).toEqual(expected.map(({ ts, onset }) => ({ ts, onset })));
  });

  it('refuses segmentation options it cannot work with, naming them', () => {
    expect(() => changePoints({ method: 'segment', minSegment: 2 })).toThrow(/minSegment ≥ 3/);
    expect(() => changePoints({ method: 'segment', maxSegment: 6 })).toThrow(/maxSegment/);
  });
});
