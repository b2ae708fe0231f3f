import fc from 'fast-check';
import { map } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { LeakEstimate } from '../../src/model/events.js';
import { MICROS_PER_HOUR, MICROS_PER_SECOND, type Sample } from '../../src/model/sample.js';
import { leakSlope } from '../../src/operators/leakSlope.js';
import { mannKendall } from '../../src/stats/mannKendall.js';
import { createRandom } from '../../src/stats/random.js';
import { theilSen } from '../../src/stats/theilSen.js';
import { approxEqual } from '../support/approxEqual.js';
import { runOperator } from '../support/runOperator.js';
import { sample } from '../support/sample.js';
import { testScheduler } from '../support/testScheduler.js';
import { medianOf } from '../support/medianOf.js';

const MINUTE = 60 * MICROS_PER_SECOND;

/** Theil–Sen slope written out: the median of all pairwise slopes. */
function naiveSlope(x: readonly number[], y: readonly number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++)
      slopes.push(((y[j] as number) - (y[i] as number)) / ((x[j] as number) - (x[i] as number)));
  }
  return medianOf(slopes);
}

/**
 * Batch model: per closed bucket, the envelope points (bucket minimum, first at that minimum)
 * inside the fit window.
 */
function batchEnvelopes(
  samples: readonly Sample[],
  bucket: number,
  fitWindow: number,
): { end: number; ts: number[]; values: number[] }[] {
  const buckets: { end: number; min: number; minTs: number }[] = [];
  for (const s of samples) {
    const last = buckets.at(-1);
    if (last !== undefined && s.ts < last.end) {
      if (s.value < last.min) {
        last.min = s.value;
        last.minTs = s.ts;
      }
    } else buckets.push({ end: (Math.floor(s.ts / bucket) + 1) * bucket, min: s.value, minTs: s.ts });
  }
  // The last bucket is still open when the stream ends.
  return buckets.slice(0, -1).map((b, i) => {
    const inFit = buckets.slice(0, i + 1).filter((p) => p.minTs >= b.end - fitWindow);
    return { end: b.end, ts: inFit.map((p) => p.minTs), values: inFit.map((p) => p.min) };
  });
}

/** Heap-like sawtooth: a floor rising by `slopePerHour`, +60 units between collections every `gcEvery` µs. */
function sawtooth(
  seed: number,
  minutes: number,
  slopePerHour: number,
  noise = 0.2,
  gcEvery = 3 * MICROS_PER_SECOND,
): Sample[] {
  const random = createRandom(seed);
  const out: Sample[] = [];
  for (let ts = 0; ts < minutes * MINUTE; ts += 200_000) {
    const floor = 500 + (slopePerHour * ts) / MICROS_PER_HOUR + noise * random.normal();
    out.push(sample(ts, floor + (60 * (ts % gcEvery)) / gcEvery, 'heap_mb'));
  }
  return out;
}

const brief = (e: LeakEstimate): string =>
  `${e.ts}:${e.points}:${e.spanMicros}:${Math.round(e.slopePerHour)}:${e.leaking}`;

describe('leakSlope', () => {
  const values = {
    a: sample(0, 1),
    b: sample(10, 2),
    c: sample(20, 3),
    d: sample(30, 4),
    e: sample(40, 5),
    f: sample(50, 9),
  };
  const options = { bucket: 10, fitWindow: 100, minSpan: 0 };

  it('emits an estimate per closed bucket once five envelope points cover minSpan', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-e-f-|', values);
      // Five points rising 1 unit per 10 µs: 3.6e8 units per hour; S = 10 over 5 points is not significant at 0.001.
      expectObservable(source.pipe(leakSlope(options), map(brief))).toBe('-----------x-|', {
        x: '50:5:40:360000000:false',
      });
      expectSubscriptions(source.subscriptions).toBe('^------------!');
    });
  });

  it('refuses inconsistent options', () => {
    expect(() => leakSlope({ bucket: 0 })).toThrow(RangeError);
    expect(() => leakSlope({ bucket: 10, fitWindow: 10 })).toThrow(RangeError);
    expect(() => leakSlope({ minSpan: -1 })).toThrow(RangeError);
    expect(() => leakSlope({ confidence: 1 })).toThrow(RangeError);
    expect(() => leakSlope({ alpha: 0 })).toThrow(RangeError);
  });

  const fast = { bucket: 10 * MICROS_PER_SECOND, fitWindow: 10 * MINUTE, minSpan: 5 * MINUTE };

  it('reports a sawtooth whose post-GC floor rises 30 units per hour as leaking, at about that slope', () => {
    for (const seed of [1, 2, 3]) {
      const estimates = runOperator(sawtooth(seed, 15, 30), leakSlope(fast)).values;
      expect(estimates.length).toBeGreaterThan(0);
      const last = estimates.at(-1) as LeakEstimate;
      expect(last.leaking, `seed ${seed}`).toBe(true);
      approxEqual(last.slopePerHour, 30, 0.15, 0, 'slope per hour');
      expect(last.lowerPerHour).toBeGreaterThan(0);
      expect(last.pValue).toBeLessThan(0.001);
    }
  });

  it('does not report a sawtooth with a flat floor', () => {
    for (const seed of [4, 5, 6]) {
      const estimates = runOperator(sawtooth(seed, 15, 0), leakSlope(fast)).values;
      expect(estimates.length).toBeGreaterThan(0);
      expect(
        estimates.filter((e) => e.leaking),
        `seed ${seed}`,
      ).toEqual([]);
    }
  });

  it('ignores a slope below the practical threshold even when it is significant', () => {
    // 2 units/h on a level of 500 is 0.4%/h, under the default 1%/h.
    const estimates = runOperator(sawtooth(7, 15, 2, 0.01), leakSlope(fast)).values;
    expect(estimates.some((e) => e.pValue < 0.001 && e.lowerPerHour > 0)).toBe(true);
    expect(estimates.some((e) => e.leaking)).toBe(false);
    // The same trend counts once the practical threshold is lowered under it.
    expect(
      runOperator(sawtooth(7, 15, 2, 0.01), leakSlope({ ...fast, minRelativeSlopePerHour: 0.001 })).values.at(-1)
        ?.leaking,
    ).toBe(true);
  });

  it('streaming == batch: slope is the Theil–Sen slope of the bucket minima in the fit window', () => {
    const series = fc
      .array(fc.record({ step: fc.integer({ min: 0, max: 15 }), value: fc.integer({ min: 0, max: 30 }) }), {
        maxLength: 80,
      })
      .map((steps) => {
        let ts = -100;
        return steps.map(({ step, value }) => sample((ts += step), value, 'heap'));
      });
    fc.assert(
      fc.property(
        series,
        fc.integer({ min: 5, max: 20 }),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 0, max: 150 }),
        (samples, bucket, fitBuckets, minSpan) => {
          const fitWindow = bucket * fitBuckets;
          const estimates = runOperator(
            samples,
            leakSlope({ bucket, fitWindow, minSpan, alpha: 0.2, confidence: 0.8 }),
          ).values;
          const expected = batchEnvelopes(samples, bucket, fitWindow).filter(
            (e) => e.ts.length >= 5 && (e.ts.at(-1) as number) - (e.ts[0] as number) >= minSpan,
          );
          expect(estimates.map((e) => e.ts)).toEqual(expected.map((e) => e.end));
          let leaking = false;
          estimates.forEach((estimate, i) => {
            const { ts, values } = expected[i] as { ts: number[]; values: number[] };
            const hours = ts.map((t) => t / MICROS_PER_HOUR);
            expect(estimate.points).toBe(ts.length);
            expect(estimate.spanMicros).toBe((ts.at(-1) as number) - (ts[0] as number));
            approxEqual(estimate.slopePerHour, naiveSlope(hours, values), 1e-9, 1e-6, 'slope');
            const interval = theilSen(hours, values, 0.8);
            approxEqual(estimate.lowerPerHour, interval.lower, 1e-9, 1e-6, 'lower');
            approxEqual(estimate.upperPerHour, interval.upper, 1e-9, 1e-6, 'upper');
            approxEqual(estimate.pValue, mannKendall(values).pValue, 1e-12, 1e-12, 'pValue');
            expect(estimate.level).toBe(medianOf(values));
            // Hysteresis: on at the full threshold, off below half of it (minRelativeSlopePerHour 0.01).
            const threshold = 0.01 * Math.abs(estimate.level);
            leaking = leaking
              ? interval.lower > 0 && estimate.slopePerHour >= threshold / 2
              : estimate.pValue < 0.2 && interval.lower > 0 && estimate.slopePerHour >= threshold;
            expect(estimate.leaking).toBe(leaking);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
