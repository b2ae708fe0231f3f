import { describe, expect, it } from 'vitest';
import { assertAscending } from '../../src/stats/assertAscending.js';

describe('assertAscending', () => {
  it('returns ascending input (ties allowed) unchanged', () => {
    const xs = [1, 2, 2, 5];
    expect(assertAscending(xs, 'k', 'x')).toBe(xs);
    expect(assertAscending([], 'k', 'x')).toEqual([]);
  });

  it('names the caller, the argument and the first index out of order', () => {
    expect(() => assertAscending([1, 3, 2], 'kernel', 'y')).toThrow(
      'kernel: y is not ascending at index 2 although sorted: true',
    );
    expect(() => assertAscending([Number.NaN], 'kernel', 'x')).toThrow('kernel: NaN in x');
    expect(() => assertAscending([1, Number.NaN], 'kernel', 'x')).toThrow(RangeError);
  });
});
