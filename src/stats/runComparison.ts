import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { quantileSorted } from './quantileSorted.js';
import { serialVarianceInflation } from './serialVarianceInflation.js';
import { sortedCopy } from './sortedCopy.js';

/** A statistic of one run and its standard error. */
export interface RunEstimate {
  readonly value: number;
  readonly se: number;
}

/**
 * The lag-1 variance inflation (1 + ρ)/(1 − ρ) of a time-ordered run (Zwiers & von Storch 1995),
 * on values winsorized at its 1st and 99th percentiles, as the online regression test computes it:
 * n/inflation is the run's effective sample size (Bayley & Hammersley 1946).
 */
function inflationOf(timeOrdered: ArrayLike<number>, sorted: Float64Array): number {
  const n = sorted.length;
  return serialVarianceInflation(
    timeOrdered,
    sorted[Math.floor(0.01 * (n - 1))] as number,
    sorted[Math.ceil(0.99 * (n - 1))] as number,
  );
}

/**
 * The q-quantile of a run (Hyndman & Fan type 7) and its standard error from the order statistics
 * one binomial standard deviation of rank either side of it, √(n_eff·q(1−q)) in an effective
 * sample of n_eff = n/inflation, scaled back to the run's n ranks (the distribution-free interval
 * of Conover 1999, §3.2, with the effective sample size for serial correlation). Needs n ≥ 2. O(n log n).
 */
export function quantileEstimate(timeOrdered: ArrayLike<number>, q: number): RunEstimate {
  const sorted = sortedCopy(timeOrdered, 'quantileEstimate');
  const n = sorted.length;
  if (n < 2) throw new RangeError(`quantileEstimate: a run needs at least 2 values, got ${n}`);
  const spread = Math.sqrt((q * (1 - q) * inflationOf(timeOrdered, sorted)) / n);
  const lower = quantileSorted(sorted, Math.max(0, q - spread));
  const upper = quantileSorted(sorted, Math.min(1, q + spread));
  return { value: quantileSorted(sorted, q), se: (upper - lower) / 2 };
}

/** The mean of a run and its standard error s·√(inflation/n) for serial correlation. Needs n ≥ 2. O(n log n). */
export function meanEstimate(timeOrdered: ArrayLike<number>): RunEstimate {
  const n = timeOrdered.length;
  if (n < 2) throw new RangeError(`meanEstimate: a run needs at least 2 values, got ${n}`);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += timeOrdered[i] as number;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += ((timeOrdered[i] as number) - mean) ** 2;
  const sd = Math.sqrt(squares / (n - 1));
  const inflation = sd > 0 ? inflationOf(timeOrdered, sortedCopy(timeOrdered, 'meanEstimate')) : 1;
  return { value: mean, se: sd * Math.sqrt(inflation / n) };
}

/** One side of a comparison (its runs of one statistic), on the scale the test works on. */
export interface SideSummary {
  /** Mean of the runs' statistics (of their logarithms on the log scale). */
  readonly center: number;
  /** Variance of that mean. */
  readonly variance: number;
  /** Its degrees of freedom: k − 1 for runs of one value each, ∞ (normal) for runs with their own errors. */
  readonly df: number;
  readonly runs: number;
}

/** 'log' compares ratios (positive statistics), 'linear' differences. */
export type ComparisonScale = 'log' | 'linear';

/**
 * Pools the runs of one side into the mean of their statistics and its variance.
 * - Runs that carry their own standard errors (long runs) are pooled as a random-effects
 *   meta-analysis (DerSimonian & Laird 1986): the between-run variance τ² is estimated from
 *   Cochran's Q of the runs around their inverse-variance mean, τ² = max(0, (Q − (k − 1)) /
 *   (Σw − Σw²/Σw)), and each run weighs 1/(se² + τ²); the variance of the pooled mean is
 *   1/Σ 1/(se² + τ²), on the normal distribution. Runs that agree within their errors are pooled
 *   as one long run; runs that disagree widen the interval, so a difference between runs is not
 *   taken for a change between builds.
 * - Runs of one value each (no error of their own, such as a Go benchmark's ns/op) are the sample
 *   they form: mean, s²/k, on k − 1 degrees of freedom (with one run: no variance, NaN).
 * On the log scale values and errors are ln θ and se/θ (the delta method). `decay` weights the runs
 * further (a baseline's older runs count less): the pooled mean weighs run i by decayᵢ·wᵢ and its
 * variance is Σ decayᵢ²·wᵢ / (Σ decayᵢ·wᵢ)², the variance of that weighted mean; τ² is estimated
 * without them. All weights 1 give the formulas above. O(k).
 */
export function combineRuns(
  estimates: readonly RunEstimate[],
  scale: ComparisonScale,
  decay: readonly number[] = estimates.map(() => 1),
): SideSummary {
  const k = estimates.length;
  if (k === 0) throw new RangeError('combineRuns: no runs');
  if (decay.length !== k || !decay.every((a) => a > 0 && Number.isFinite(a)))
    throw new RangeError(`combineRuns: need ${k} positive weights, got ${decay.length}`);
  const values = estimates.map((e) => (scale === 'log' ? Math.log(e.value) : e.value));
  const errors = estimates.map((e) => (scale === 'log' ? e.se / e.value : e.se));
  if (!values.every(Number.isFinite) || !errors.every(Number.isFinite))
    throw new RangeError(`combineRuns: ${scale} scale needs finite${scale === 'log' ? ', positive' : ''} statistics`);
  const weightedMean = (weights: readonly number[]): { center: number; variance: number } => {
    const total = weights.reduce((a, b) => a + b, 0);
    const center = weights.reduce((a, w, i) => a + w * (values[i] as number), 0) / total;
    return { center, variance: total };
  };
  if (errors.some((se) => !(se > 0))) {
    const { center, variance: total } = weightedMean(decay);
    if (k < 2) return { center, variance: Number.NaN, df: 0, runs: k };
    const s2 = (decay.reduce((a, w, i) => a + w * ((values[i] as number) - center) ** 2, 0) / total) * (k / (k - 1));
    const variance = (s2 * decay.reduce((a, w) => a + w * w, 0)) / (total * total);
    return { center, variance, df: k - 1, runs: k };
  }
  const weights = errors.map((se) => 1 / (se * se));
  const total = weights.reduce((a, b) => a + b, 0);
  const fixed = weights.reduce((a, w, i) => a + w * (values[i] as number), 0) / total;
  const q = weights.reduce((a, w, i) => a + w * ((values[i] as number) - fixed) ** 2, 0);
  const c = total - weights.reduce((a, w) => a + w * w, 0) / total;
  const tau2 = c > 0 ? Math.max(0, (q - (k - 1)) / c) : 0;
  const random = errors.map((se, i) => (decay[i] as number) / (se * se + tau2));
  const { center, variance: sumRandom } = weightedMean(random);
  const spread = errors.reduce((a, se, i) => a + (decay[i] as number) ** 2 / (se * se + tau2), 0);
  return { center, variance: spread / (sumRandom * sumRandom), df: Number.POSITIVE_INFINITY, runs: k };
}

/** The change from base to next of one statistic. */
export interface Comparison {
  /** Relative change (0.05 = +5%) on the log scale, difference on the linear scale. */
  readonly change: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  /** Two-sided p-value of no change. */
  readonly p: number;
  /** Welch–Satterthwaite degrees of freedom (∞: normal). */
  readonly df: number;
}

/**
 * Welch's test of the two sides' pooled statistics (Welch 1947), its degrees of freedom by
 * Satterthwaite (1946) from each side's (∞ for a side that leans on its own errors: normal), and
 * the confidence interval of the change: exp(Δ ± t·SE) − 1 on the log scale, Δ ± t·SE on the
 * linear one. O(1).
 */
export function compareSides(
  base: SideSummary,
  next: SideSummary,
  scale: ComparisonScale,
  confidence = 0.95,
): Comparison {
  const delta = next.center - base.center;
  const variance = base.variance + next.variance;
  const se = Math.sqrt(variance);
  const part = (side: SideSummary): number => (Number.isFinite(side.df) ? side.variance ** 2 / side.df : 0);
  const denominator = part(base) + part(next);
  const df = denominator > 0 ? variance ** 2 / denominator : Number.POSITIVE_INFINITY;
  const tail = (1 + confidence) / 2;
  const critical = Number.isFinite(df) ? tQuantile(tail, df) : normalQuantile(tail, 0, 1);
  let p: number;
  if (Number.isNaN(se)) p = Number.NaN;
  else if (se === 0) p = delta === 0 ? 1 : 0;
  else {
    const z = Math.abs(delta) / se;
    p = 2 * (Number.isFinite(df) ? 1 - tCdf(z, df) : 1 - normalCdf(z, 0, 1));
  }
  const low = delta - critical * se;
  const high = delta + critical * se;
  return scale === 'log'
    ? { change: Math.expm1(delta), ciLow: Math.expm1(low), ciHigh: Math.expm1(high), p, df }
    : { change: delta, ciLow: low, ciHigh: high, p, df };
}
