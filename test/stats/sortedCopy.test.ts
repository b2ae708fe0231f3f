import { describe, expect, it } from 'vitest';
import { sortedCopy } from '../../src/stats/sortedCopy.js';

describe('sortedCopy', () => {
  it('sorts numerically into a new array and leaves the input alone', () => {
    const input = [10, 9, -1, 100, 2];
    expect(Array.from(sortedCopy(input, 'test'))).toEqual([-1, 2, 9, 10, 100]);
    expect(input).toEqual([10, 9, -1, 100, 2]);
  });

  it('names the caller when rejecting empty input or NaN', () => {
    expect(() => sortedCopy([], 'median')).toThrow(/median: no data/);
    expect(() => sortedCopy([1, Number.NaN], 'mad')).toThrow(/mad: NaN at index 1/);
  });
});
