import fc from 'fast-check';
import { errorFunction } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { mannKendall } from '../../src/stats/mannKendall.js';
import { approxEqual } from '../support/approxEqual.js';

/** All-pairs S, tie-corrected variance and tau-b, straight from the definitions. */
function naiveMannKendall(y: number[]) {
  const n = y.length;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.sign(y[j]! - y[i]!);
  const counts = new Map<number, number>();
  for (const v of y) counts.set(v, (counts.get(v) ?? 0) + 1);
  let penalty = 0;
  let tiedPairs = 0;
  for (const t of counts.values()) {
    penalty += t * (t - 1) * (2 * t + 5);
    tiedPairs += (t * (t - 1)) / 2;
  }
  const pairs = (n * (n - 1)) / 2;
  return { s, varS: (n * (n - 1) * (2 * n + 5) - penalty) / 18, tau: s / Math.sqrt((pairs - tiedPairs) * pairs) };
}

describe('mannKendall', () => {
  it('reproduces the worked example of EPA QA/G-9S (2006), p. 109', () => {
    // Published: S = 22, Var(S) = 155.33 (tie groups of 4 and 2), Z = 1.685.
    const result = mannKendall([10, 10, 10, 5, 10, 20, 18, 17, 15, 24, 15]);
    expect(result.s).toBe(22);
    approxEqual(result.varS, 155.33, 1e-4);
    approxEqual(result.z, 1.685, 5e-4);
    // Two-sided p = 2(1 − Φ(z)) = 1 − erf(z/√2), erf from simple-statistics.
    approxEqual(result.pValue, 1 - errorFunction(1.685 / Math.SQRT2), 0, 2e-4);
  });

  it('gives S = n(n−1)/2, tau = 1 for a strictly increasing series and mirrors for a decreasing one', () => {
    const up = mannKendall([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(up.s).toBe(28);
    expect(up.tau).toBe(1);
    const down = mannKendall([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(down.s).toBe(-28);
    expect(down.z).toBe(-up.z);
    expect(down.pValue).toBe(up.pValue);
  });

  it('reports no trend for a constant series', () => {
    const result = mannKendall([5, 5, 5, 5, 5]);
    expect(result.s).toBe(0);
    expect(result.z).toBe(0);
    expect(result.pValue).toBe(1);
  });

  it('matches the all-pairs definitions, with ties', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 3, maxLength: 60 }), (y) => {
        const result = mannKendall(y);
        const reference = naiveMannKendall(y);
        expect(result.s).toBe(reference.s);
        approxEqual(result.varS, reference.varS, 1e-12);
        if (Number.isFinite(reference.tau)) approxEqual(result.tau, reference.tau, 1e-12, 1e-15);
        if (reference.s !== 0 && reference.varS > 0) {
          approxEqual(result.z, (reference.s - Math.sign(reference.s)) / Math.sqrt(reference.varS), 1e-12);
        }
      }),
    );
  });

  it('does not modify its input and rejects short or NaN series', () => {
    const y = [3, 1, 2, 5, 4];
    mannKendall(y);
    expect(y).toEqual([3, 1, 2, 5, 4]);
    expect(() => mannKendall([1, 2])).toThrow(RangeError);
    expect(() => mannKendall([1, Number.NaN, 2])).toThrow(RangeError);
  });
});
