import { describe, expect, it } from 'vitest';
import { interpolateBetween } from '../../src/stats/interpolateBetween.js';
import { approxEqual } from '../support/approxEqual.js';

describe('interpolateBetween', () => {
  it('interpolates linearly', () => {
    approxEqual(interpolateBetween(2, 4, 0.25), 2.5);
    expect(interpolateBetween(2, 4, 0)).toBe(2);
  });

  it('does not overflow on the midpoint of two huge values', () => {
    approxEqual(interpolateBetween(1.6e308, 1.7e308, 0.5), 1.65e308);
  });

  it('returns the shared value when both ends are equal, infinite ones included', () => {
    expect(interpolateBetween(-Infinity, -Infinity, 0.5)).toBe(-Infinity);
  });
});
