import fc from 'fast-check';
import { linearRegression, rSquared } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { olsSlope } from '../../src/stats/olsSlope.js';
import { approxEqual } from '../support/approxEqual.js';

// Anscombe (1973), "Graphs in statistical analysis", The American Statistician 27(1), data set I.
const anscombeX = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5];
const anscombeY = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68];

// R `datasets::cars` (Ezekiel 1930): stopping distance (ft) against speed (mph).
const carsSpeed = [
  4, 4, 7, 7, 8, 9, 10, 10, 10, 11, 11, 12, 12, 12, 12, 13, 13, 13, 13, 14, 14, 14, 14, 15, 15, 15, 16, 16, 17, 17, 17,
  18, 18, 18, 18, 19, 19, 19, 20, 20, 20, 20, 20, 22, 23, 24, 24, 24, 24, 25,
];
const carsDistance = [
  2, 10, 4, 22, 16, 10, 18, 26, 34, 17, 28, 14, 20, 24, 28, 26, 34, 34, 46, 26, 36, 60, 80, 20, 26, 54, 32, 40, 32, 40,
  50, 42, 56, 76, 84, 36, 46, 68, 32, 48, 52, 56, 64, 66, 54, 70, 92, 93, 120, 85,
];

describe('olsSlope', () => {
  it("reproduces Anscombe's quartet set I (slope 0.5001, intercept 3.0001, r² 0.6665)", () => {
    const fit = olsSlope(anscombeX, anscombeY);
    approxEqual(fit.slope, 0.5001, 1e-4);
    approxEqual(fit.intercept, 3.0001, 1e-4);
    approxEqual(fit.r2, 0.6665, 1e-4);
    // R summary(lm(y1 ~ x1, anscombe)): slope standard error 0.1179; t(0.975, 9) = 2.262 from tables.
    approxEqual(fit.stderr, 0.1179, 5e-4);
    approxEqual(fit.lower, 0.5001 - 2.262 * 0.1179, 1e-3);
    approxEqual(fit.upper, 0.5001 + 2.262 * 0.1179, 1e-3);
    expect(fit.n).toBe(11);
  });

  it('reproduces R lm(dist ~ speed, cars) and confint', () => {
    // R: coefficients −17.5791 and 3.9324, slope std. error 0.4155, multiple R² 0.6511;
    // confint(): speed 3.096964 to 4.767853.
    const fit = olsSlope(carsSpeed, carsDistance);
    approxEqual(fit.intercept, -17.5791, 1e-5);
    approxEqual(fit.slope, 3.9324, 1e-5);
    approxEqual(fit.stderr, 0.4155, 1e-4);
    approxEqual(fit.r2, 0.6511, 1e-4);
    approxEqual(fit.lower, 3.096964, 1e-6);
    approxEqual(fit.upper, 4.767853, 1e-6);
  });

  it('widens the interval as the confidence grows', () => {
    const narrow = olsSlope(carsSpeed, carsDistance, 0.5);
    const wide = olsSlope(carsSpeed, carsDistance, 0.99);
    expect(wide.upper - wide.lower).toBeGreaterThan(narrow.upper - narrow.lower);
    approxEqual((narrow.lower + narrow.upper) / 2, narrow.slope, 1e-12);
  });

  it('agrees with simple-statistics on random data', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: -1e3, max: 1e3, noNaN: true })),
          { minLength: 3, maxLength: 40 },
        ),
        (pairs) => {
          const x = pairs.map(([a]) => a);
          const y = pairs.map(([, b]) => b);
          const spread = Math.max(...x) - Math.min(...x);
          fc.pre(spread >= 1);
          const fit = olsSlope(x, y);
          const reference = linearRegression(pairs);
          approxEqual(fit.slope, reference.m, 1e-6, 1e-9, 'slope');
          approxEqual(fit.intercept, reference.b, 1e-6, 1e-6, 'intercept');
          const line = (v: number): number => reference.b + reference.m * v;
          if (Number.isFinite(fit.r2)) approxEqual(fit.r2, rSquared(pairs, line), 1e-6, 1e-9, 'r2');
        },
      ),
    );
  });

  it('rejects too few points, mismatched lengths and constant x', () => {
    expect(() => olsSlope([1, 2], [1, 2])).toThrow(RangeError);
    expect(() => olsSlope([1, 2, 3], [1, 2])).toThrow(RangeError);
    expect(() => olsSlope([2, 2, 2], [1, 2, 3])).toThrow(RangeError);
    expect(() => olsSlope([1, 2, 3], [1, 2, 3], 1)).toThrow(RangeError);
  });
});
