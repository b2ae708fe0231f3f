import { describe, expect, it } from 'vitest';
import { bootstrapMedianRatio } from '../../src/stats/bootstrapMedianRatio.js';
import { createRandom } from '../../src/stats/random.js';

/** Exponential deviates by inversion; the median of Exp(rate) is ln 2 / rate. */
const exponential = (random: ReturnType<typeof createRandom>, rate: number, n: number): number[] =>
  Array.from({ length: n }, () => -Math.log(1 - random.next()) / rate);

describe('bootstrapMedianRatio', () => {
  it('returns the plain ratio of medians', () => {
    // median(x) = 6, median(y) = 2.5.
    const result = bootstrapMedianRatio([1, 6, 9], [1, 2, 3, 10], { resamples: 50 });
    expect(result.ratio).toBe(2.4);
    expect(result.lower).toBeLessThanOrEqual(result.upper);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const random = createRandom(2);
    const x = exponential(random, 1, 80);
    const y = exponential(random, 2, 90);
    const first = bootstrapMedianRatio(x, y, { seed: 9, resamples: 500 });
    expect(bootstrapMedianRatio(x, y, { seed: 9, resamples: 500 })).toEqual(first);
    expect(bootstrapMedianRatio(x, y, { seed: 10, resamples: 500 })).not.toEqual(first);
    expect([...x]).toEqual(x);
  });

  it('brackets the true ratio for large samples', () => {
    const random = createRandom(3);
    // Medians ln2/1 and ln2/4: true ratio 4.
    // With n = 10000 the ratio's relative standard error is about 0.02, so a 99.9% interval
    // spans roughly ±0.27 around an estimate that itself lies within a few tenths of 4.
    const result = bootstrapMedianRatio(exponential(random, 1, 10_000), exponential(random, 4, 10_000), {
      resamples: 400,
      confidence: 0.999,
    });
    expect(result.lower).toBeLessThan(4);
    expect(result.upper).toBeGreaterThan(4);
    expect(result.upper - result.lower).toBeLessThan(1);
    expect(result.lower).toBeLessThanOrEqual(result.ratio);
    expect(result.upper).toBeGreaterThanOrEqual(result.ratio);
  });

  it('covers the true ratio at roughly the nominal rate', () => {
    const random = createRandom(4);
    const trials = 200;
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      // Lognormal samples: median e^μ, so the true ratio is e^(0.5 − 0) ≈ 1.6487.
      const x = Array.from({ length: 60 }, () => Math.exp(0.5 + random.normal()));
      const y = Array.from({ length: 60 }, () => Math.exp(random.normal()));
      const { lower, upper } = bootstrapMedianRatio(x, y, { resamples: 400, confidence: 0.9, seed: t + 1 });
      if (lower <= Math.exp(0.5) && Math.exp(0.5) <= upper) covered++;
    }
    // Nominal 0.90; with 200 trials the binomial standard error is about 0.021.
    expect(covered / trials).toBeGreaterThan(0.82);
    expect(covered / trials).toBeLessThan(0.97);
  });

  it('narrows as the confidence drops and rejects bad options', () => {
    const x = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const y = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const wide = bootstrapMedianRatio(x, y, { confidence: 0.99 });
    const narrow = bootstrapMedianRatio(x, y, { confidence: 0.5 });
    expect(narrow.upper - narrow.lower).toBeLessThan(wide.upper - wide.lower);
    expect(() => bootstrapMedianRatio([], [1])).toThrow(RangeError);
    expect(() => bootstrapMedianRatio([1], [1], { resamples: 0 })).toThrow(RangeError);
    expect(() => bootstrapMedianRatio([1], [1], { confidence: 1 })).toThrow(RangeError);
  });
});
