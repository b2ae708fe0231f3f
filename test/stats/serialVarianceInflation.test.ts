import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/stats/random.js';
import { serialVarianceInflation } from '../../src/stats/serialVarianceInflation.js';
import { approxEqual } from '../support/approxEqual.js';

const ar1 = (phi: number, n: number, seed: number): number[] => {
  const random = createRandom(seed);
  const xs: number[] = [];
  let x = 0;
  for (let i = 0; i < n; i++) {
    x = phi * x + Math.sqrt(1 - phi * phi) * random.normal();
    xs.push(x);
  }
  return xs;
};

describe('serialVarianceInflation', () => {
  it('computes (1 + r1)/(1 − r1) from the Box–Jenkins lag-1 autocorrelation (hand-worked)', () => {
    // x = 1, 2, 3, 4, 5: mean 3, deviations −2 −1 0 1 2; Σ lag products = 2 + 0 + 0 + 2 = 4,
    // Σ squares = 10, so r1 = 0.4 and the inflation is 1.4 / 0.6.
    approxEqual(serialVarianceInflation([1, 2, 3, 4, 5]), 1.4 / 0.6, 1e-12);
  });

  it('recovers the inflation of AR(1) noise', () => {
    for (const phi of [0.2, 0.4, 0.6]) {
      approxEqual(serialVarianceInflation(ar1(phi, 20_000, 3)), (1 + phi) / (1 - phi), 0.08, 0, `phi ${phi}`);
    }
  });

  it('is 1 for independent or negatively correlated data and for tiny samples', () => {
    expect(serialVarianceInflation(ar1(0, 20_000, 4))).toBeLessThan(1.05);
    expect(serialVarianceInflation([1, -1, 1, -1, 1, -1])).toBe(1);
    expect(serialVarianceInflation([1, 2])).toBe(1);
    expect(serialVarianceInflation([5, 5, 5, 5])).toBe(1);
  });

  it('winsorizes: one huge spike does not hide the dependence', () => {
    const xs = ar1(0.5, 5_000, 5);
    xs[2_500] = 1e6;
    expect(serialVarianceInflation(xs)).toBeLessThan(1.1);
    approxEqual(serialVarianceInflation(xs, -4, 4), 3, 0.15, 0, 'winsorized');
  });
});
