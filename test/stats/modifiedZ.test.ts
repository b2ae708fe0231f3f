import { describe, expect, it } from 'vitest';
import { mad } from '../../src/stats/mad.js';
import { median } from '../../src/stats/median.js';
import { modifiedZ } from '../../src/stats/modifiedZ.js';
import { approxEqual } from '../support/approxEqual.js';

describe('modifiedZ (Iglewicz & Hoaglin 1993)', () => {
  it('computes 0.6745 (x − median) / MAD', () => {
    const data = [1, 2, 3, 4, 100];
    // median 3, MAD 1 (R: mad(c(1, 2, 3, 4, 100), constant = 1)), so M(100) = 0.6745 · 97.
    approxEqual(modifiedZ(100, median(data), mad(data)), 0.6745 * 97);
    approxEqual(modifiedZ(1, 3, 1), -1.349);
  });

  it('flags the outlier of the example above beyond the 3.5 cut-off only', () => {
    const data = [1, 2, 3, 4, 100];
    const flagged = data.filter((x) => Math.abs(modifiedZ(x, median(data), mad(data))) > 3.5);
    expect(flagged).toEqual([100]);
  });

  it('falls back to (x − median)/(1.253314 · mean absolute deviation) when MAD = 0', () => {
    // [5, 5, 5, 5, 10]: median 5, MAD 0, mean absolute deviation about the median 1.
    approxEqual(modifiedZ(10, 5, 0, 1), 5 / 1.253314);
  });

  it('gives 0 at the median and ±Infinity elsewhere when no scale is available', () => {
    expect(modifiedZ(5, 5, 0)).toBe(0);
    expect(modifiedZ(6, 5, 0)).toBe(Infinity);
    expect(modifiedZ(4, 5, 0, 0)).toBe(-Infinity);
  });
});
