import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cusum } from '../../src/stats/cusum.js';
import { approxEqual } from '../support/approxEqual.js';

/** Batch recomputation of the tabular CUSUM (Montgomery §9.1, eqs. 9.2–9.3) with restart on signal. */
function naiveCusum(zs: number[], k: number, h: number) {
  let upper = 0;
  let lower = 0;
  return zs.map((z) => {
    upper = Math.max(0, upper + z - k);
    lower = Math.max(0, lower - z - k);
    let signal: 'up' | 'down' | null = null;
    if (upper > h) {
      signal = 'up';
      upper = 0;
    } else if (lower > h) {
      signal = 'down';
      lower = 0;
    }
    return { signal, upper, lower };
  });
}

describe('Cusum', () => {
  it('follows a hand-computed sequence (μ0 = 10, σ = 1, k = 0.5, h = 5)', () => {
    // x:        9.45  11.66  12.16  10.18  8.04  11.46  12.29  11.50  11.62  11.31
    // C⁺ = max(0, C⁺ + x − 10.5):
    //   0 (9.45 − 10.5 < 0), 1.16, 1.16 + 1.66 = 2.82, 2.82 − 0.32 = 2.50, 2.50 − 2.46 = 0.04,
    //   0.04 + 0.96 = 1.00, 1.00 + 1.79 = 2.79, 2.79 + 1.00 = 3.79, 3.79 + 1.12 = 4.91,
    //   4.91 + 0.81 = 5.72 > 5 → 'up', C⁺ restarts at 0.
    // C⁻ = max(0, C⁻ + 9.5 − x): 0.05, then 0 while x > 9.5, 9.5 − 8.04 = 1.46 at x = 8.04, then 0.
    const xs = [9.45, 11.66, 12.16, 10.18, 8.04, 11.46, 12.29, 11.5, 11.62, 11.31];
    const expectedUpper = [0, 1.16, 2.82, 2.5, 0.04, 1.0, 2.79, 3.79, 4.91, 0];
    const expectedLower = [0.05, 0, 0, 0, 1.46, 0, 0, 0, 0, 0];
    const cusum = new Cusum({ k: 0.5, h: 5 });
    xs.forEach((x, i) => {
      const signal = cusum.push(x - 10);
      expect(signal).toBe(i === 9 ? 'up' : null);
      approxEqual(cusum.upper, expectedUpper[i]!, 0, 1e-9, `C+ at ${i + 1}`);
      approxEqual(cusum.lower, expectedLower[i]!, 0, 1e-9, `C- at ${i + 1}`);
    });
  });

  it('signals downward shifts symmetrically and resets on demand', () => {
    const cusum = new Cusum();
    const signals = [-1.5, -1.5, -1.5, -1.5, -1.5].map((z) => cusum.push(z));
    // C⁻ grows by 1.5 − 0.5 = 1 per step: 1, 2, 3, 4, 5 — not yet above h = 5.
    expect(signals).toEqual([null, null, null, null, null]);
    expect(cusum.lower).toBe(5);
    expect(cusum.push(-1.5)).toBe('down');
    cusum.push(3);
    cusum.reset();
    expect(cusum.upper).toBe(0);
    expect(cusum.lower).toBe(0);
  });

  it('matches a batch recomputation on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { maxLength: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (zs, k) => {
          const cusum = new Cusum({ k, h: 4 });
          naiveCusum(zs, k, 4).forEach((step, i) => {
            expect(cusum.push(zs[i]!)).toBe(step.signal);
            expect(cusum.upper).toBe(step.upper);
            expect(cusum.lower).toBe(step.lower);
          });
        },
      ),
    );
  });

  it('never signals on in-control input inside the allowance', () => {
    const cusum = new Cusum({ k: 0.5, h: 5 });
    for (let i = 0; i < 1000; i++) expect(cusum.push(i % 2 ? 0.4 : -0.4)).toBeNull();
  });

  it('rejects invalid parameters', () => {
    expect(() => new Cusum({ k: -1 })).toThrow(RangeError);
    expect(() => new Cusum({ h: 0 })).toThrow(RangeError);
  });
});
