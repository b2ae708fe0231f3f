import { describe, expect, it } from 'vitest';
import {
  combineRuns,
  compareSides,
  meanEstimate,
  quantileEstimate,
  type RunEstimate,
} from '../../src/stats/runComparison.js';

// Runs of one value each: no within-run error, so a side is its runs' spread (Welch's test).
const single = (values: readonly number[]): RunEstimate[] => values.map((value) => ({ value, se: 0 }));
const BASE = [13.6, 13.7, 13.5, 13.8];
const NEXT = [11.8, 11.9, 11.7, 11.8, 11.9];

describe('run comparison statistics', () => {
  it('gives a quantile and its order-statistic error, widened for serial correlation', () => {
    // 1, 100, 2, 99, …: lag-1 autocorrelation strongly negative, so no inflation (n_eff = n = 100).
    const alternating = Array.from({ length: 50 }, (_, i) => [i + 1, 100 - i]).flat();
    // ±√(0.25/100) = ±0.05 in probability around the median: numpy's quantiles 45.55 and 55.45.
    const median = quantileEstimate(alternating, 0.5);
    expect(median.value).toBeCloseTo(50.5, 12);
    expect(median.se).toBeCloseTo((55.45 - 45.55) / 2, 10);
    // The same values in ascending order: ρ ≈ 1, capped at 0.9, inflation 19: a wider interval.
    const ascending = [...alternating].sort((a, b) => a - b);
    expect(quantileEstimate(ascending, 0.5).se).toBeGreaterThan(4 * median.se);
    expect(() => quantileEstimate([1], 0.5)).toThrow(RangeError);
  });

  it('gives a mean and its error s·√(inflation/n)', () => {
    const ascending = Array.from({ length: 100 }, (_, i) => i + 1);
    // numpy: sd (ddof 1) 29.0114919759; inflation 19 (ρ capped at 0.9): se = 12.6458161721.
    const estimate = meanEstimate(ascending);
    expect(estimate.value).toBeCloseTo(50.5, 12);
    expect(estimate.se).toBeCloseTo(12.645816172421084, 9);
    const alternating = Array.from({ length: 50 }, (_, i) => [i + 1, 100 - i]).flat();
    expect(meanEstimate(alternating).se).toBeCloseTo(29.011491975882016 / 10, 9);
  });

  it('pools runs as one long run when they agree, and widens the variance by τ² when they do not', () => {
    // ln 100, ln 110, ln 105 with errors 1/θ: Q 49.82, τ² 0.0021720 (DerSimonian–Laird), pooled
    // mean 4.6533254958 and variance 7.5437052659e−4 (numpy, from the published formulas).
    const disagree = combineRuns(
      [
        { value: 100, se: 1 },
        { value: 110, se: 1 },
        { value: 105, se: 1 },
      ],
      'log',
    );
    expect(disagree.center).toBeCloseTo(4.653325495756551, 11);
    expect(disagree.variance).toBeCloseTo(7.543705265938306e-4, 12);
    expect(disagree.df).toBe(Number.POSITIVE_INFINITY);
    // Runs that agree within their errors (Q 0.031 < k − 1): τ² = 0, variance 1/(1/4 + 1/4) = 2.
    const agree = combineRuns(
      [
        { value: 100, se: 2 },
        { value: 100.5, se: 2 },
      ],
      'linear',
    );
    expect(agree).toEqual({ center: 100.25, variance: 2, df: Number.POSITIVE_INFINITY, runs: 2 });
    // One run of one value: nothing to tell its variation from.
    expect(combineRuns([{ value: 5, se: 0 }], 'linear').variance).toBeNaN();
    expect(() => combineRuns([], 'log')).toThrow(RangeError);
    expect(() => combineRuns([{ value: 0, se: 1 }], 'log')).toThrow(/positive/);
  });

  it('weighs older runs less when given decay weights: the variance of the weighted mean', () => {
    // 10 and 20, errors 1: Q = 50, τ² = 49, weights 1/50 and 0.5/50: mean 13.333…, variance
    // (1 + 0.25)/50 / (1.5/50)² = 27.777…
    const pooled = combineRuns(
      [
        { value: 10, se: 1 },
        { value: 20, se: 1 },
      ],
      'linear',
      [1, 0.5],
    );
    expect(pooled.center).toBeCloseTo(40 / 3, 12);
    expect(pooled.variance).toBeCloseTo(1.25 / 50 / (1.5 / 50) ** 2, 10);
    expect(() => combineRuns([{ value: 1, se: 1 }], 'linear', [0])).toThrow(RangeError);
  });

  it("is Welch's test on single-value runs: scipy.stats.ttest_ind(equal_var=False)", () => {
    const base = combineRuns(single(BASE), 'linear');
    const next = combineRuns(single(NEXT), 'linear');
    const linear = compareSides(base, next, 'linear');
    // scipy 1.17: statistic −24.5275, p 2.38356e−6, df 4.93669, 95% CI [−2.02253, −1.63747].
    expect(linear.change).toBeCloseTo(-1.83, 12);
    expect(linear.df).toBeCloseTo(4.936688694831257, 9);
    expect(linear.p).toBeCloseTo(2.3835567485720705e-6, 11);
    expect(linear.ciLow).toBeCloseTo(-2.0225335371362103, 8);
    expect(linear.ciHigh).toBeCloseTo(-1.6374664628637863, 8);
    // On logarithms: p 7.04378e−7, df 5.47176, change −13.405%, CI [−14.632%, −12.162%].
    const log = compareSides(combineRuns(single(BASE), 'log'), combineRuns(single(NEXT), 'log'), 'log');
    expect(log.change).toBeCloseTo(-0.13405426565264628, 12);
    expect(log.df).toBeCloseTo(5.471757780045562, 9);
    expect(log.p).toBeCloseTo(7.043777074010145e-7, 12);
    expect(log.ciLow).toBeCloseTo(-0.14631693881923447, 8);
    expect(log.ciHigh).toBeCloseTo(-0.12161544613851012, 8);
  });

  it('uses the normal distribution when both sides lean on their own errors', () => {
    const base = { center: 0, variance: 1, df: Number.POSITIVE_INFINITY, runs: 1 };
    const next = { center: 1.959963984540054 * Math.SQRT2, variance: 1, df: Number.POSITIVE_INFINITY, runs: 1 };
    const result = compareSides(base, next, 'linear');
    expect(result.df).toBe(Number.POSITIVE_INFINITY);
    expect(result.p).toBeCloseTo(0.05, 9);
    expect(result.ciLow).toBeCloseTo(0, 9);
  });
});
