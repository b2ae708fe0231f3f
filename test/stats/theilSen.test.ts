import fc from 'fast-check';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { describe, expect, it } from 'vitest';
import { theilSen } from '../../src/stats/theilSen.js';
import { approxEqual } from '../support/approxEqual.js';
import { medianOf } from '../support/medianOf.js';

/** Direct transcription of Sen (1968) eq. 2.6 as scipy.stats.theilslopes applies it, over all pairs. */
function naiveTheilSen(x: number[], y: number[], confidence: number) {
  const slopes: number[] = [];
  for (let i = 0; i < x.length; i++) {
    for (let j = 0; j < x.length; j++) if (x[j]! > x[i]!) slopes.push((y[j]! - y[i]!) / (x[j]! - x[i]!));
  }
  slopes.sort((a, b) => a - b);
  const slope = medianOf(slopes);
  const penalty = (values: number[]): number => {
    const counts = new Map<number, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    let sum = 0;
    for (const t of counts.values()) sum += t * (t - 1) * (2 * t + 5);
    return sum;
  };
  const n = x.length;
  const sigma = Math.sqrt((n * (n - 1) * (2 * n + 5) - penalty(x) - penalty(y)) / 18);
  const z = normalQuantile((1 - confidence) / 2, 0, 1);
  const roundEven = (v: number): number =>
    Math.abs(v - Math.trunc(v)) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v);
  const upperRank = Math.min(roundEven((slopes.length - z * sigma) / 2), slopes.length - 1);
  const lowerRank = Math.max(roundEven((slopes.length + z * sigma) / 2) - 1, 0);
  // With ties in x and in y the tie-corrected variance can come out negative for tiny samples:
  // no interval then (scipy's indices would be NaN too).
  const bound = (rank: number): number => (Number.isFinite(sigma) ? (slopes[rank] as number) : Number.NaN);
  return { slope, intercept: medianOf(y) - slope * medianOf(x), lower: bound(lowerRank), upper: bound(upperRank) };
}

describe('theilSen', () => {
  it('recovers an exact line with a degenerate interval', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const fit = theilSen(
      x,
      x.map((v) => 3 - 2 * v),
    );
    expect(fit.slope).toBe(-2);
    expect(fit.intercept).toBe(3);
    expect(fit.lower).toBe(-2);
    expect(fit.upper).toBe(-2);
    expect(fit.n).toBe(10);
  });

  it('ignores a gross outlier that drags least squares', () => {
    // Slopes of all pairs not involving the outlier are exactly 1; 36 of the 45 pairs.
    const x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const y = [0, 1, 2, 3, 4, 5, 6, 7, 8, 1000];
    expect(theilSen(x, y).slope).toBe(1);
  });

  it('matches a naive all-pairs version, ties in x and y included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: -20, max: 20 })), {
          minLength: 2,
          maxLength: 40,
        }),
        fc.constantFrom(0.8, 0.9, 0.95, 0.99),
        (pairs, confidence) => {
          const x = pairs.map(([a]) => a);
          const y = pairs.map(([, b]) => b);
          fc.pre(new Set(x).size > 1);
          const fit = theilSen(x, y, confidence);
          const reference = naiveTheilSen(x, y, confidence);
          approxEqual(fit.slope, reference.slope, 1e-12, 1e-12, 'slope');
          approxEqual(fit.intercept, reference.intercept, 1e-12, 1e-12, 'intercept');
          approxEqual(fit.lower, reference.lower, 1e-12, 1e-12, 'lower');
          approxEqual(fit.upper, reference.upper, 1e-12, 1e-12, 'upper');
          if (!Number.isNaN(fit.lower)) expect(fit.lower).toBeLessThanOrEqual(fit.upper);
        },
      ),
    );
  });

  it('treats confidence c and 1 − c alike, as scipy does', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const y = [2.1, 2.9, 4.2, 3.8, 5.5, 6.1, 6.8, 8.4, 8.1, 9.9, 10.2, 12.5];
    expect(theilSen(x, y, 0.1)).toEqual(theilSen(x, y, 0.9));
  });

  it('gives no interval when the tie-corrected variance is negative (every y tied, x tied too)', () => {
    const fit = theilSen([0, 0, 1], [3, 3, 3], 0.8);
    expect(fit.slope).toBe(0);
    expect(fit.lower).toBeNaN();
    expect(fit.upper).toBeNaN();
  });

  it('returns NaN when every x is equal and rejects bad arguments', () => {
    expect(theilSen([1, 1, 1], [1, 2, 3]).slope).toBeNaN();
    expect(() => theilSen([1], [1])).toThrow(RangeError);
    expect(() => theilSen([1, 2], [1])).toThrow(RangeError);
    expect(() => theilSen([1, 2], [1, 2], 0)).toThrow(RangeError);
  });
});
