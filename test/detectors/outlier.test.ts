import fc from 'fast-check';
import { map } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/model/sample.js';
import type { RobustZScore } from '../../src/detectors/outlier.js';
import { robustZ } from '../../src/operators/robustZ.js';
import type { WindowSpec } from '../../src/model/fields/window.js';
import { createRandom } from '../../src/stats/random.js';
import { approxEqual } from '../support/approxEqual.js';
import { runOperator } from '../support/runOperator.js';
import { sample } from '../support/sample.js';
import { testScheduler } from '../support/testScheduler.js';
import { medianOf } from '../support/medianOf.js';

/** Batch: the preceding samples the window holds when `current` arrives. */
function preceding(before: readonly Sample[], current: Sample, window: WindowSpec): number[] {
  const held =
    'count' in window ? before.slice(-window.count) : before.filter((s) => s.ts > current.ts - window.duration);
  return held.map((s) => s.value);
}

const brief = (score: RobustZScore): string => `${score.ts}:${score.median}:${score.mad}:${score.z.toFixed(4)}`;

describe('robustZ', () => {
  it('scores each sample against the window of samples before it, once minSamples are there', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-e-|', {
        a: sample(1, 1),
        b: sample(2, 2),
        c: sample(3, 3),
        d: sample(4, 10),
        e: sample(5, 3),
      });
      // d against {1, 2, 3}: median 2, MAD 1, M = 0.6745 · 8 = 5.396; e against {2, 3, 10}: median 3, MAD 1, M = 0.
      const out = source.pipe(robustZ({ window: { count: 3 }, minSamples: 3 }), map(brief));
      expectObservable(out).toBe('-------x-y-|', { x: '4:2:1:5.3960', y: '5:3:1:0.0000' });
      expectSubscriptions(source.subscriptions).toBe('^----------!');
    });
  });

  it('sends a window error (a timestamp going backwards) to the error channel', () => {
    const run = runOperator([sample(50, 1), sample(40, 2)], robustZ({ window: { duration: 100 }, minSamples: 1 }));
    expect(run.error).toBeInstanceOf(RangeError);
    expect(run.completed).toBe(false);
  });

  it('refuses a bad window or minSamples', () => {
    expect(() => robustZ({ window: { count: 0 } })).toThrow(RangeError);
    expect(() => robustZ({ minSamples: 0 })).toThrow(RangeError);
    expect(() => robustZ({ minSamples: 2.5 })).toThrow(RangeError);
  });

  it('flags a spike and does not let it mask itself or its neighbour', () => {
    const random = createRandom(7);
    const samples = Array.from({ length: 200 }, (_, i) => sample(i * 1_000, 100 + random.normal()));
    const spiked = samples.map((s, i) => (i === 150 || i === 151 ? { ...s, value: 130 } : s));
    const scores = runOperator(spiked, robustZ({ window: { count: 100 }, minSamples: 30 })).values;
    const flagged = scores.filter((s) => Math.abs(s.z) > 3.5).map((s) => s.ts);
    expect(flagged).toEqual([150_000, 151_000]);
  });

  const spec = fc.oneof(
    fc.integer({ min: 1, max: 10 }).map((count): WindowSpec => ({ count })),
    fc.integer({ min: 1, max: 30 }).map((duration): WindowSpec => ({ duration })),
  );
  const series = fc
    .array(
      fc.record({
        step: fc.integer({ min: 0, max: 6 }),
        value: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -100, max: 100, noNaN: true })),
      }),
      { maxLength: 60 },
    )
    .map((steps) => {
      let ts = 0;
      return steps.map(({ step, value }) => sample((ts += step), value));
    });

  it('streaming == batch: z is the modified z-score against the batch median and MAD of the preceding window', () => {
    fc.assert(
      fc.property(series, spec, fc.integer({ min: 1, max: 8 }), (samples, window, minSamples) => {
        const scores = runOperator(samples, robustZ({ window, minSamples })).values;
        const expected: { sample: Sample; median: number; mad: number }[] = [];
        samples.forEach((s, i) => {
          const before = preceding(samples.slice(0, i), s, window);
          if (before.length < minSamples) return;
          const center = medianOf(before);
          expected.push({ sample: s, median: center, mad: medianOf(before.map((x) => Math.abs(x - center))) });
        });
        expect(scores).toHaveLength(expected.length);
        scores.forEach((score, i) => {
          const want = expected[i] as { sample: Sample; median: number; mad: number };
          expect([score.ts, score.value]).toEqual([want.sample.ts, want.sample.value]);
          approxEqual(score.median, want.median, 1e-12, 1e-12, 'median');
          approxEqual(score.mad, want.mad, 1e-12, 1e-12, 'mad');
          // z from the median and MAD just checked against the batch values: with subnormal inputs
          // a last-unit difference in the median is within tolerance but large relative to the MAD.
          const deviation = want.sample.value - score.median;
          if (score.mad > 0) approxEqual(score.z, (0.6745 * deviation) / score.mad, 1e-9, 1e-9, 'z');
          else expect(score.z).toBe(deviation === 0 ? 0 : Math.sign(deviation) * Number.POSITIVE_INFINITY);
        });
      }),
      { numRuns: 400 },
    );
  });
});
