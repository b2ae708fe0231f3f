import { describe, expect, it } from 'vitest';
import { quantileSorted } from '../../src/stats/quantileSorted.js';
import { approxEqual } from '../support/approxEqual.js';

describe('quantileSorted (Hyndman & Fan type 7)', () => {
  it('matches R: quantile(1:10, 0.9) = 9.1', () => {
    approxEqual(quantileSorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9.1);
  });

  it('matches the pandas docs: Series([2, 3, 4, 5]).quantile([.15, .5, .55]) = 2.45, 3.5, 3.65', () => {
    approxEqual(quantileSorted([2, 3, 4, 5], 0.15), 2.45);
    approxEqual(quantileSorted([2, 3, 4, 5], 0.5), 3.5);
    approxEqual(quantileSorted([2, 3, 4, 5], 0.55), 3.65);
  });

  it('matches numpy.quantile(np.arange(8), [0.25, 0.5, 0.75]) = 1.75, 3.5, 5.25', () => {
    const data = [0, 1, 2, 3, 4, 5, 6, 7];
    approxEqual(quantileSorted(data, 0.25), 1.75);
    approxEqual(quantileSorted(data, 0.5), 3.5);
    approxEqual(quantileSorted(data, 0.75), 5.25);
  });

  it('matches the Excel PERCENTILE.INC example on [15, 20, 35, 40, 50]: P25 = 20, P30 = 23', () => {
    approxEqual(quantileSorted([15, 20, 35, 40, 50], 0.25), 20);
    approxEqual(quantileSorted([15, 20, 35, 40, 50], 0.3), 23);
  });

  it('returns the extremes at p = 0 and p = 1 and the only value of a singleton', () => {
    expect(quantileSorted([-3, 1, 8], 0)).toBe(-3);
    expect(quantileSorted([-3, 1, 8], 1)).toBe(8);
    expect(quantileSorted([42], 0.37)).toBe(42);
  });

  it('keeps infinities when both neighbours are equal', () => {
    expect(quantileSorted([1, Infinity, Infinity], 0.75)).toBe(Infinity);
  });

  it('rejects empty input and p outside [0, 1] with RangeError', () => {
    expect(() => quantileSorted([], 0.5)).toThrow(RangeError);
    expect(() => quantileSorted([1, 2], -0.1)).toThrow(RangeError);
    expect(() => quantileSorted([1, 2], 1.1)).toThrow(RangeError);
    expect(() => quantileSorted([1, 2], Number.NaN)).toThrow(RangeError);
  });
});
