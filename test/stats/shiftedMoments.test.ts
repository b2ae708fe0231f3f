import { mean, sampleVariance } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { ShiftedMoments } from '../../src/stats/shiftedMoments.js';
import { approxEqual } from '../support/approxEqual.js';

describe('ShiftedMoments', () => {
  it('adds and removes without losing a 1e9 offset', () => {
    const moments = new ShiftedMoments();
    const xs = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16, 1e9 + 100];
    xs.forEach((x) => moments.add(x));
    moments.remove(1e9 + 100);
    approxEqual(moments.mean, 1e9 + 10, 1e-15);
    approxEqual(moments.variance, 30, 1e-12);
  });

  it('refresh recomputes exactly from a wrapped ring buffer and asks for refreshes after a turnover', () => {
    const ring = new Float64Array([5, 6, 1, 2, 3, 4]);
    const moments = new ShiftedMoments();
    [1, 2, 3, 4, 5, 6].forEach((x) => moments.add(x));
    [1, 2, 3].forEach((x) => moments.remove(x));
    expect(moments.refreshDue).toBe(true);
    moments.refresh(ring, 5, 3);
    expect(moments.refreshDue).toBe(false);
    expect(moments.count).toBe(3);
    approxEqual(moments.mean, mean([4, 5, 6]));
    approxEqual(moments.variance, sampleVariance([4, 5, 6]));
  });

  it('is NaN when empty and below two values', () => {
    const moments = new ShiftedMoments();
    expect(moments.mean).toBeNaN();
    moments.add(3);
    expect(moments.variance).toBeNaN();
    moments.remove(3);
    expect(moments.count).toBe(0);
  });
});
