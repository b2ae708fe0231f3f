import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitUsl } from '../../src/stats/usl.js';
import { uslThroughput } from '../../src/stats/uslThroughput.js';
import { approxEqual } from '../support/approxEqual.js';

// Cisco benchmark from Baron Schwartz, "Practical Scalability Analysis with the Universal
// Scalability Law" (VividCortex, 2015), as used by codahale/usl4j ModelTest.java; the book lists
// the fitted σ = 0.02671591, κ = 7.690945e-4, λ = 995.6486, N_max = 35, X_max = 12341.
const cisco: Array<[number, number]> = [
  [1, 955.16],
  [2, 1878.91],
  [3, 2688.01],
  [4, 3548.68],
  [5, 4315.54],
  [6, 5130.43],
  [7, 5931.37],
  [8, 6531.08],
  [9, 7219.8],
  [10, 7867.61],
  [11, 8278.71],
  [12, 8646.7],
  [13, 9047.84],
  [14, 9426.55],
  [15, 9645.37],
  [16, 9897.24],
  [17, 10097.6],
  [18, 10240.5],
  [19, 10532.39],
  [20, 10798.52],
  [21, 11151.43],
  [22, 11518.63],
  [23, 11806],
  [24, 12089.37],
  [25, 12075.41],
  [26, 12177.29],
  [27, 12211.41],
  [28, 12158.93],
  [29, 12155.27],
  [30, 12118.04],
  [31, 12140.4],
  [32, 12074.39],
];
const points = (pairs: Array<[number, number]>) =>
  pairs.map(([concurrency, throughput]) => ({ concurrency, throughput }));

describe('fitUsl', () => {
  it('reproduces the published fit of the Cisco benchmark (within usl4j’s 0.02%)', () => {
    const fit = fitUsl(points(cisco));
    approxEqual(fit.sigma, 0.02671591, 2e-4);
    approxEqual(fit.kappa, 7.690945e-4, 2e-4);
    approxEqual(fit.lambda, 995.6486, 2e-4);
    // The book floors N* = sqrt((1 − σ)/κ) ≈ 35.57 to 35 and reports X(35) = 12341.
    expect(Math.floor(fit.peakConcurrency)).toBe(35);
    approxEqual(uslThroughput(35, fit), 12341, 2e-4);
    approxEqual(fit.peakConcurrency, Math.sqrt((1 - fit.sigma) / fit.kappa), 1e-12);
    approxEqual(fit.peakThroughput, uslThroughput(fit.peakConcurrency, fit), 1e-12);
    expect(fit.r2).toBeGreaterThan(0.99);
    expect(fit.r2).toBeLessThan(1);
  });

  it('recovers exact parameters from noiseless curves, including the κ = 0 (Amdahl) boundary', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.oneof(fc.constant(0), fc.double({ min: 1e-4, max: 0.01, noNaN: true })),
        fc.double({ min: 1, max: 1e4, noNaN: true }),
        (sigma, kappa, lambda) => {
          const levels = [1, 2, 4, 8, 16, 32, 64];
          const fit = fitUsl(
            levels.map((n) => ({ concurrency: n, throughput: uslThroughput(n, { sigma, kappa, lambda }) })),
          );
          approxEqual(fit.lambda, lambda, 1e-5, 0, 'lambda');
          approxEqual(fit.sigma, sigma, 1e-4, 1e-6, 'sigma');
          approxEqual(fit.kappa, kappa, 1e-4, 1e-8, 'kappa');
          approxEqual(fit.r2, 1, 0, 1e-8, 'r2');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reports an unbounded peak when κ = 0', () => {
    const fit = fitUsl([1, 2, 4, 8].map((n) => ({ concurrency: n, throughput: (100 * n) / (1 + 0.1 * (n - 1)) })));
    expect(fit.kappa).toBe(0);
    expect(fit.peakConcurrency).toBe(Number.POSITIVE_INFINITY);
    // Amdahl's asymptote λ/σ = 100/0.1.
    approxEqual(fit.peakThroughput, 1000, 1e-6);
  });

  it('needs three distinct concurrency levels and valid measurements', () => {
    expect(() => fitUsl([])).toThrow(RangeError);
    expect(() =>
      fitUsl(
        points([
          [1, 10],
          [2, 19],
          [2, 18],
          [1, 11],
        ]),
      ),
    ).toThrow(RangeError);
    expect(() =>
      fitUsl(
        points([
          [0, 10],
          [2, 19],
          [3, 25],
        ]),
      ),
    ).toThrow(RangeError);
    expect(() =>
      fitUsl(
        points([
          [1, Number.NaN],
          [2, 19],
          [3, 25],
        ]),
      ),
    ).toThrow(RangeError);
  });
});
