import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/stats/random.js';
import { SequentialSegmentation } from '../../src/stats/sequentialSegmentation.js';

/** Residual sum of squares of the least-squares line through (i, ys[i]), solved from its normal equations. */
function lineRss(ys: readonly number[]): number {
  const n = ys.length;
  const xs = ys.map((_, i) => i);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const sxy = xs.reduce((a, x, i) => a + (x - mx) * ((ys[i] as number) - my), 0);
  const slope = sxx > 0 ? sxy / sxx : 0;
  return ys.reduce((a, y, i) => a + (y - (my + slope * (i - mx))) ** 2, 0);
}

/**
 * The method written out directly: at each value, every split of the values since the last change
 * is fitted by two lines from scratch; the best gain over one line, divided by the population
 * variance of all values so far, is compared with λ·ln N; a split reported after `confirm` further
 * values in a row moves the segment start to it. O(n³) per value: for checking only.
 */
function naive(values: readonly number[], penalty: number, minSegment: number, confirm: number): number[] {
  const found: number[] = [];
  let start = 0;
  let since: number | null = null;
  for (let t = 0; t < values.length; t++) {
    const seen = values.slice(0, t + 1);
    const segment = values.slice(start, t + 1);
    const n = segment.length;
    if (n < 2 * minSegment) continue;
    const mean = seen.reduce((a, b) => a + b, 0) / seen.length;
    const variance = seen.reduce((a, b) => a + (b - mean) ** 2, 0) / seen.length;
    const scale = Math.max(variance, 1e-12 * mean * mean, Number.MIN_VALUE);
    const whole = lineRss(segment);
    let best = Number.NEGATIVE_INFINITY;
    let split = -1;
    for (let k = minSegment; k <= n - minSegment; k++) {
      const gain = whole - lineRss(segment.slice(0, k)) - lineRss(segment.slice(k));
      if (split < 0 || gain > best + 1e-9 * Math.max(1, Math.abs(best))) {
        best = gain;
        split = k;
      }
    }
    if (!(best / scale > penalty * Math.log(seen.length))) {
      since = null;
      continue;
    }
    since ??= seen.length;
    if (seen.length - since < confirm) continue;
    since = null;
    found.push(start + split);
    start += split;
  }
  return found;
}

function run(values: readonly number[], penalty: number, minSegment: number, confirm: number): number[] {
  const kernel = new SequentialSegmentation({ penalty, minSegment, confirm, maxSegment: 10_000 });
  const found: number[] = [];
  for (const value of values) {
    const split = kernel.push(value);
    if (split !== null) found.push(split.at);
  }
  return found;
}

/** Noise of standard deviation 1 around a function of the index. */
function noisy(n: number, seed: number, level: (i: number) => number): number[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, (_, i) => level(i) + random.normal());
}

describe('SequentialSegmentation (two-phase regression, binary segmentation, Schwarz-type penalty)', () => {
  it('reports the splits of the method written out directly, for random piecewise-linear series', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.array(
          fc.record({
            length: fc.integer({ min: 3, max: 25 }),
            jump: fc.double({ min: -6, max: 6, noNaN: true }),
            slope: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.constantFrom(2, 4, 6),
        fc.integer({ min: 3, max: 6 }),
        fc.integer({ min: 0, max: 4 }),
        (seed, pieces, penalty, minSegment, confirm) => {
          const random = createRandom(seed);
          const values: number[] = [];
          let level = 0;
          for (const piece of pieces) {
            level += piece.jump;
            for (let i = 0; i < piece.length; i++) values.push(level + piece.slope * i + random.normal());
          }
          expect(run(values, penalty, minSegment, confirm)).toEqual(naive(values, penalty, minSegment, confirm));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('finds a 4σ level step within two values of its onset and nothing in a steady trend', () => {
    const step = noisy(300, 7, (i) => (i >= 180 ? 4 : 0));
    const found = run(step, 5, 5, 5);
    expect(found).toHaveLength(1);
    expect(Math.abs((found[0] as number) - 180)).toBeLessThanOrEqual(2);

    // Growth of 0.5σ per value for 500 values: one line fits it, so there is nothing to split.
    expect(
      run(
        noisy(500, 11, (i) => 0.5 * i),
        5,
        5,
        5,
      ),
    ).toEqual([]);
    // A constant series has nothing to split either.
    expect(
      run(
        Array.from({ length: 100 }, () => 3),
        5,
        5,
        5,
      ),
    ).toEqual([]);
  });

  it('finds a change of slope, and gives the level before it and the level now', () => {
    // Flat at 10 for 200 values, then rising by 0.2 per value: the knee is a change.
    const knee = noisy(300, 3, (i) => 10 + (i >= 200 ? 0.2 * (i - 200) : 0));
    const kernel = new SequentialSegmentation({ penalty: 5, minSegment: 5, confirm: 5, maxSegment: 1000 });
    const splits = knee.map((value) => kernel.push(value)).filter((split) => split !== null);
    expect(splits).toHaveLength(1);
    const split = splits[0] as { at: number; before: number; after: number };
    expect(Math.abs(split.at - 200)).toBeLessThanOrEqual(5);
    expect(Math.abs(split.before - 10)).toBeLessThan(1);
    expect(split.after).toBeGreaterThan(split.before);
  });

  it('keeps at most maxSegment values, and refuses options it cannot work with', () => {
    // The segment never holds more than 100 values, and the step is found where it is.
    const kernel = new SequentialSegmentation({ penalty: 5, minSegment: 5, confirm: 5, maxSegment: 100 });
    const values = noisy(800, 5, (i) => (i >= 100 ? 0 : 50));
    const late = values.slice(0, 100).map((value) => kernel.push(value));
    expect(late.every((split) => split === null)).toBe(true);
    const after = values
      .slice(100)
      .map((value) => kernel.push(value))
      .filter((split) => split !== null);
    expect(after.map((split) => split?.at)).toEqual([100]);
    expect(kernel.seen).toBe(800);

    expect(() => new SequentialSegmentation({ penalty: 0, minSegment: 5, confirm: 0, maxSegment: 100 })).toThrow(
      RangeError,
    );
    expect(() => new SequentialSegmentation({ penalty: 5, minSegment: 2, confirm: 0, maxSegment: 100 })).toThrow(
      RangeError,
    );
    expect(() => new SequentialSegmentation({ penalty: 5, minSegment: 5, confirm: 0, maxSegment: 9 })).toThrow(
      RangeError,
    );
  });
});
