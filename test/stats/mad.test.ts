import fc from 'fast-check';
import { medianAbsoluteDeviation } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { mad } from '../../src/stats/mad.js';
import { approxEqual } from '../support/approxEqual.js';

describe('mad (raw median absolute deviation)', () => {
  it('matches R: mad(c(1, 2, 3, 4, 100), constant = 1) = 1', () => {
    expect(mad([1, 2, 3, 4, 100])).toBe(1);
  });

  it('matches the Wikipedia example {1, 1, 2, 2, 4, 6, 9}: MAD = 1', () => {
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1);
  });

  it('averages the two middle deviations for even n (30, 41, 37, 92: median 39, deviations 2, 2, 9, 53)', () => {
    approxEqual(mad([30, 41, 37, 92]), 5.5);
  });

  it('is 0 when over half the values are equal', () => {
    expect(mad([7, 7, 7, 7, 1000])).toBe(0);
  });

  it('agrees with simple-statistics medianAbsoluteDeviation and leaves the input alone', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }), (xs) => {
        const copy = [...xs];
        approxEqual(mad(xs), medianAbsoluteDeviation(xs), 1e-9, 1e-9);
        expect(xs).toEqual(copy);
      }),
    );
  });

  it('throws RangeError on empty input', () => {
    expect(() => mad([])).toThrow(RangeError);
  });
});
