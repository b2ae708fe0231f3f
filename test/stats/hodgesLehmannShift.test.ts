import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hodgesLehmannShift } from '../../src/stats/hodgesLehmannShift.js';
import { createRandom } from '../../src/stats/random.js';
import { approxEqual } from '../support/approxEqual.js';

/** Median of all n·m differences, materialised and sorted. */
function naiveShift(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const differences = new Float64Array(x.length * y.length);
  let k = 0;
  for (let i = 0; i < x.length; i++) for (let j = 0; j < y.length; j++) differences[k++] = x[i]! - y[j]!;
  differences.sort();
  const half = differences.length >> 1;
  return differences.length % 2 ? differences[half]! : (differences[half - 1]! + differences[half]!) / 2;
}

describe('hodgesLehmannShift', () => {
  it('gives the median of pairwise differences on the Hollander & Wolfe permeability data', () => {
    // R ?wilcox.test data; 50 differences, so the estimate is the mean of the 25th and 26th.
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    approxEqual(hodgesLehmannShift(x, y), naiveShift(x, y), 1e-15);
  });

  it('handles hand-checkable cases', () => {
    // Differences 3−1, 3−2, 5−1, 5−2 = {2, 1, 4, 3}: median (2 + 3)/2.
    expect(hodgesLehmannShift([3, 5], [1, 2])).toBe(2.5);
    expect(hodgesLehmannShift([7], [4])).toBe(3);
    expect(hodgesLehmannShift([1, 1, 1], [1, 1])).toBe(0);
  });

  it('equals the naive median of all differences, ties included', () => {
    const sample = fc.oneof(
      fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 60 }),
      fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 1, maxLength: 60 }),
    );
    fc.assert(
      fc.property(sample, sample, (x, y) => {
        expect(hodgesLehmannShift(x, y)).toBe(naiveShift(x, y));
        const sortedX = [...x].sort((a, b) => a - b);
        const sortedY = [...y].sort((a, b) => a - b);
        expect(hodgesLehmannShift(sortedX, sortedY, { sorted: true })).toBe(naiveShift(x, y));
      }),
      { numRuns: 300 },
    );
  });

  it('equals the naive median on large samples where the selection loop runs many rounds', () => {
    const random = createRandom(11);
    const x = Float64Array.from({ length: 700 }, () => random.normal() + 1);
    const y = Float64Array.from({ length: 900 }, () => Math.round(random.normal() * 4) / 4);
    expect(hodgesLehmannShift(x, y)).toBe(naiveShift(x, y));
    expect(hodgesLehmannShift(x.subarray(1), y)).toBe(naiveShift(x.subarray(1), y));
  });

  it('moves with a location shift of x and does not modify its inputs', () => {
    const random = createRandom(5);
    const x = Array.from({ length: 3000 }, () => random.normal());
    const y = Array.from({ length: 3000 }, () => random.normal());
    const copy = [...x];
    const base = hodgesLehmannShift(x, y);
    expect(x).toEqual(copy);
    approxEqual(
      hodgesLehmannShift(
        x.map((v) => v + 2),
        y,
      ),
      base + 2,
      1e-9,
      1e-9,
    );
    // For two N(0, 1) samples of 3000 the estimate's standard error is about sqrt(π/3000) ≈ 0.032.
    expect(Math.abs(base)).toBeLessThan(0.15);
  });

  it('rejects empty, NaN and unsorted "sorted" input', () => {
    expect(() => hodgesLehmannShift([], [1])).toThrow(RangeError);
    expect(() => hodgesLehmannShift([Number.NaN], [1])).toThrow(RangeError);
    expect(() => hodgesLehmannShift([2, 1], [1], { sorted: true })).toThrow(RangeError);
  });
});
