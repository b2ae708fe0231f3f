import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mannWhitneyExactCdf } from '../../src/stats/mannWhitneyExactCdf.js';
import { approxEqual } from '../support/approxEqual.js';

/** Null counts by the recursion of Mann & Whitney (1947): f(u; n, m) = f(u − m; n − 1, m) + f(u; n, m − 1). */
function recursiveCounts(n: number, m: number): number[] {
  const memo = new Map<string, number>();
  const f = (u: number, a: number, b: number): number => {
    if (u < 0) return 0;
    if (a === 0 || b === 0) return u === 0 ? 1 : 0;
    const key = `${u},${a},${b}`;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    const value = f(u - b, a - 1, b) + f(u, a, b - 1);
    memo.set(key, value);
    return value;
  };
  return Array.from({ length: n * m + 1 }, (_, u) => f(u, n, m));
}

describe('mannWhitneyExactCdf', () => {
  it('matches hand-counted probabilities for n = 3, m = 4', () => {
    // C(7, 3) = 35 equally likely arrangements; U = 0 and U = 1 arise once each, U = 2 twice
    // (partitions {2} and {1, 1}), so P(U ≤ 0) = 1/35, P(U ≤ 1) = 2/35, P(U ≤ 2) = 4/35.
    approxEqual(mannWhitneyExactCdf(0, 3, 4), 1 / 35, 1e-12);
    approxEqual(mannWhitneyExactCdf(1, 3, 4), 2 / 35, 1e-12);
    approxEqual(mannWhitneyExactCdf(2, 3, 4), 4 / 35, 1e-12);
  });

  it('matches the additive recursion at every u', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 12 }), (n, m) => {
        const counts = recursiveCounts(n, m);
        const total = counts.reduce((a, b) => a + b, 0);
        let cumulative = 0;
        for (let u = 0; u <= n * m; u++) {
          cumulative += counts[u]!;
          approxEqual(mannWhitneyExactCdf(u, n, m), cumulative / total, 1e-10, 1e-14, `u=${u}`);
          approxEqual(mannWhitneyExactCdf(u, m, n), cumulative / total, 1e-10, 1e-14, `swapped u=${u}`);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('is 0 below the support, 1 at its top, and symmetric for a large unbalanced design', () => {
    expect(mannWhitneyExactCdf(-1, 5, 7)).toBe(0);
    expect(mannWhitneyExactCdf(35, 5, 7)).toBe(1);
    const n = 8;
    const m = 400;
    for (const u of [0, 10, 500, 1599]) {
      approxEqual(mannWhitneyExactCdf(u, n, m) + mannWhitneyExactCdf(n * m - u - 1, n, m), 1, 1e-9, 1e-12, `u=${u}`);
    }
    // Only the arrangement with every x below every y gives U = 0: 1 / C(408, 8).
    let combinations = 1;
    for (let i = 1; i <= n; i++) combinations = (combinations * (m + i)) / i;
    approxEqual(mannWhitneyExactCdf(0, n, m), 1 / combinations, 1e-9);
  });

  it('rejects non-integer sample sizes', () => {
    expect(() => mannWhitneyExactCdf(1, 0, 3)).toThrow(RangeError);
    expect(() => mannWhitneyExactCdf(1, 2.5, 3)).toThrow(RangeError);
  });
});
