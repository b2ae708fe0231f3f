import fc from 'fast-check';
import { median } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { sortedMedian } from '../../src/stats/sortedMedian.js';
import { approxEqual } from '../support/approxEqual.js';

describe('sortedMedian', () => {
  it('takes the middle value or the mean of the two middle values', () => {
    expect(sortedMedian([1, 2, 9])).toBe(2);
    expect(sortedMedian([1, 2, 4, 9])).toBe(3);
    expect(sortedMedian(Float64Array.of(5))).toBe(5);
    expect(sortedMedian([])).toBeNaN();
  });

  it('agrees with simple-statistics median', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (values) => {
          const sorted = [...values].sort((a, b) => a - b);
          // Averaging two middle values that nearly cancel rounds at the scale of the inputs.
          const scale = Math.max(...values.map(Math.abs));
          approxEqual(sortedMedian(sorted), median(values), 1e-15, 1e-15 * scale + 1e-300);
        },
      ),
    );
  });
});
