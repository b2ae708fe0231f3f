import fc from 'fast-check';
import { median as referenceMedian } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { median } from '../../src/stats/median.js';
import { approxEqual } from '../support/approxEqual.js';

describe('median', () => {
  it('takes the middle value or the midpoint of the two middle values', () => {
    expect(median([5, 1, 3])).toBe(3);
    approxEqual(median([4, 1, 3, 2]), 2.5);
  });

  it('agrees with simple-statistics median', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 60 }), (xs) => {
        // The mean of the two middle values may be computed as (a + b)/2 or a + (b − a)/2: when they
        // nearly cancel the results differ by rounding at the scale of the inputs, not of the result.
        const scale = Math.max(...xs.map(Math.abs));
        approxEqual(median(xs), referenceMedian(xs), 1e-12, 1e-15 * scale + 1e-300);
      }),
    );
  });

  it('throws RangeError on empty input', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});
