import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantile } from '../../src/stats/quantile.js';
import { approxEqual } from '../support/approxEqual.js';

describe('quantile', () => {
  it('matches the numpy docs: np.quantile([[10, 7, 4], [3, 2, 1]], 0.5) = 3.5', () => {
    approxEqual(quantile([10, 7, 4, 3, 2, 1], 0.5), 3.5);
  });

  it('matches R: quantile(c(10, 1, 9, 2, 8, 3, 7, 4, 6, 5), 0.9) = 9.1 on unsorted input', () => {
    approxEqual(quantile([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 0.9), 9.1);
  });

  it('never mutates its input', () => {
    const input = new Float64Array([3, 1, 2]);
    quantile(input, 0.5);
    expect(Array.from(input)).toEqual([3, 1, 2]);
  });

  it('equals a naive sort-and-interpolate at every p', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, p) => {
          const sorted = [...xs].sort((a, b) => a - b);
          const h = (sorted.length - 1) * p;
          const low = Math.floor(h);
          const high = Math.min(low + 1, sorted.length - 1);
          const expected = sorted[low]! + (h - low) * (sorted[high]! - sorted[low]!);
          approxEqual(quantile(xs, p), expected, 1e-12, 1e-9);
        },
      ),
    );
  });

  it('rejects NaN and empty input', () => {
    expect(() => quantile([1, Number.NaN], 0.5)).toThrow(RangeError);
    expect(() => quantile([], 0.5)).toThrow(RangeError);
  });
});
