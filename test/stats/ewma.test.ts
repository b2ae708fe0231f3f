import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ewma } from '../../src/stats/ewma.js';
import { approxEqual } from '../support/approxEqual.js';

/** Brute force from the weights: (1 − α)ⁿ⁻¹ for the first value, α(1 − α)ⁿ⁻ⁱ for the i-th after it. */
function weightedMoments(xs: number[], alpha: number): { mean: number; variance: number } {
  const n = xs.length;
  const weights = xs.map((_, index) => (index === 0 ? (1 - alpha) ** (n - 1) : alpha * (1 - alpha) ** (n - 1 - index)));
  const mean = xs.reduce((sum, x, index) => sum + weights[index]! * x, 0);
  const variance = xs.reduce((sum, x, index) => sum + weights[index]! * (x - mean) ** 2, 0);
  return { mean, variance };
}

describe('Ewma (Finch 2009)', () => {
  it('equals the exponentially weighted mean and variance computed from the weights', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (xs, alpha) => {
          const ewma = new Ewma(alpha);
          xs.forEach((x) => ewma.push(x));
          const expected = weightedMoments(xs, alpha);
          expect(ewma.count).toBe(xs.length);
          approxEqual(ewma.mean, expected.mean, 1e-9, 1e-9);
          approxEqual(ewma.variance, expected.variance, 1e-7, 1e-7);
          approxEqual(ewma.stdev, Math.sqrt(expected.variance), 1e-7, 1e-6);
        },
      ),
    );
  });

  it('gives α(1 − α)(x₂ − x₁)² after two values (Finch §9 by hand)', () => {
    const ewma = new Ewma(0.25);
    ewma.push(10);
    ewma.push(14);
    approxEqual(ewma.mean, 11);
    approxEqual(ewma.variance, 0.25 * 0.75 * 16);
  });

  it('tracks only the newest value when α = 1', () => {
    const ewma = new Ewma(1);
    [3, 9, -2].forEach((x) => ewma.push(x));
    expect(ewma.mean).toBe(-2);
    expect(ewma.variance).toBe(0);
  });

  it('is NaN before the first value and rejects α outside (0, 1]', () => {
    expect(new Ewma(0.5).mean).toBeNaN();
    expect(new Ewma(0.5).variance).toBeNaN();
    expect(() => new Ewma(0)).toThrow(RangeError);
    expect(() => new Ewma(1.5)).toThrow(RangeError);
  });
});
