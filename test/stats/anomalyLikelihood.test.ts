import fc from 'fast-check';
import { errorFunction } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { AnomalyLikelihood } from '../../src/stats/anomalyLikelihood.js';

/** Φ(z) from the error function (simple-statistics), independent of the kernel's normal CDF. */
const phi = (z: number): number => 0.5 * (1 + errorFunction(z / Math.SQRT2));

/**
 * The published method written out per step (Ahmad et al. 2017): the mean and population
 * standard deviation of the raw scores before i (at most L of them), and the mean of the last k
 * scores up to i; null below minSamples. Each value comes with the accuracy a running-moments
 * kernel can give: its variance loses about ε·range² to cancellation (range over the scores seen
 * so far), which matters only when the window's variance is tiny next to that range.
 */
function naive(
  raw: readonly number[],
  L: number,
  k: number,
  minSamples: number,
): ({ likelihood: number; tolerance: number } | null)[] {
  return raw.map((_, i) => {
    const history = raw.slice(Math.max(0, i - L), i);
    if (history.length < minSamples) return null;
    const mean = history.reduce((a, b) => a + b, 0) / history.length;
    const sd = Math.max(Math.sqrt(history.reduce((a, b) => a + (b - mean) ** 2, 0) / history.length), 1e-6);
    const recent = raw.slice(Math.max(0, i - k + 1), i + 1);
    const seen = raw.slice(0, i + 1);
    const range = Math.max(...seen) - Math.min(...seen);
    return {
      likelihood: phi((recent.reduce((a, b) => a + b, 0) / recent.length - mean) / sd),
      tolerance: 1e-7 + (1e-14 * range ** 2) / sd ** 2,
    };
  });
}

describe('AnomalyLikelihood (Ahmad, Lavin, Purdy & Agha 2017)', () => {
  it('is Φ((recent mean − mean) / σ) of the raw scores before, for random scores and windows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 2, max: 60 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 2, max: 30 }),
        (raw, L, k, minSamples) => {
          const kernel = new AnomalyLikelihood({ longWindow: L, shortWindow: k, minSamples });
          const got = raw.map((r) => kernel.push(r));
          const expected = naive(raw, L, k, minSamples);
          got.forEach((value, i) => {
            const want = expected[i];
            if (want === null || want === undefined) expect(value).toBeNull();
            else expect(Math.abs((value as number) - want.likelihood)).toBeLessThan(want.tolerance);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps to that accuracy when a large score leaves a window of nearly equal ones', () => {
    // Found by the property above: 0.117 leaving a window of values within 4·10⁻⁶ of each other.
    const raw = [0.11741239582437292, 0.000003378777713287928, 0, 0, 0];
    const kernel = new AnomalyLikelihood({ longWindow: 3, shortWindow: 1, minSamples: 2 });
    const got = raw.map((r) => kernel.push(r));
    naive(raw, 3, 1, 2).forEach((want, i) => {
      if (want === null || want === undefined) expect(got[i]).toBeNull();
      else expect(Math.abs((got[i] as number) - want.likelihood)).toBeLessThan(want.tolerance);
    });
  });

  it('is 0.5 for a usual reading, near 1 after a run of surprises, and needs more surprise in a noisy series', () => {
    const quiet = new AnomalyLikelihood({ longWindow: 200, shortWindow: 5, minSamples: 100 });
    const noisy = new AnomalyLikelihood({ longWindow: 200, shortWindow: 5, minSamples: 100 });
    for (let i = 0; i < 200; i++) {
      quiet.push(i % 2 === 0 ? 0.5 : 1.5);
      noisy.push(i % 2 === 0 ? 0 : 4);
    }
    // Mean 1, σ 0.5 (quiet) and mean 2, σ 2 (noisy): five readings of 4 give z = 6 and z = 1.
    let lastQuiet = 0;
    let lastNoisy = 0;
    for (let i = 0; i < 5; i++) {
      lastQuiet = quiet.push(4) as number;
      lastNoisy = noisy.push(4) as number;
    }
    expect(lastQuiet).toBeGreaterThan(0.999);
    expect(lastNoisy).toBeLessThan(0.9);
    expect(() => new AnomalyLikelihood({ longWindow: 0, shortWindow: 5, minSamples: 10 })).toThrow(RangeError);
  });
});
