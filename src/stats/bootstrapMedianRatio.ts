import { quantileSorted } from './quantileSorted.js';
import { createRandom } from './random.js';

/** Options of {@link bootstrapMedianRatio}. */
export interface BootstrapMedianRatioOptions {
  /** Number of bootstrap replicates B. Default 2000. */
  readonly resamples?: number;
  /** Two-sided confidence level of the percentile interval. Default 0.95. */
  readonly confidence?: number;
  /** Seed of the generator, so an interval can be reproduced. Default 1. */
  readonly seed?: number;
}

/** Ratio of medians with its bootstrap percentile interval. */
export interface BootstrapMedianRatioResult {
  /** median(x) / median(y) on the observed samples. */
  readonly ratio: number;
  readonly lower: number;
  readonly upper: number;
}

/**
 * Ratio of medians median(x)/median(y) with a percentile bootstrap confidence interval
 * (Efron & Tibshirani, An Introduction to the Bootstrap, 1993, ch. 13): each replicate resamples x
 * and y independently with replacement, the bounds are the α/2 and 1 − α/2 quantiles of the
 * replicate ratios (linear interpolation, Hyndman & Fan type 7). Deterministic for a seed.
 * O(B·(n + m)) expected time (medians by quickselect), O(B + n + m) memory.
 */
export function bootstrapMedianRatio(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: BootstrapMedianRatioOptions = {},
): BootstrapMedianRatioResult {
  const resamples = options.resamples ?? 2000;
  const confidence = options.confidence ?? 0.95;
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0)
    throw new RangeError(`bootstrapMedianRatio: both samples must be non-empty (got ${n} and ${m})`);
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`bootstrapMedianRatio: resamples must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`bootstrapMedianRatio: confidence must lie in (0, 1), got ${confidence}`);

  const random = createRandom(options.seed ?? 1);
  const scratchX = Float64Array.from(x);
  const scratchY = Float64Array.from(y);
  const ratio = selectMedian(scratchX) / selectMedian(scratchY);
  const ratios = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) scratchX[i] = x[random.nextInt(n)] as number;
    for (let j = 0; j < m; j++) scratchY[j] = y[random.nextInt(m)] as number;
    ratios[b] = selectMedian(scratchX) / selectMedian(scratchY);
  }
  ratios.sort();
  const tail = (1 - confidence) / 2;
  return { ratio, lower: quantileSorted(ratios, tail), upper: quantileSorted(ratios, 1 - tail) };
}

/** Median by Hoare's quickselect (Hoare 1961); reorders `values`. Expected O(n). */
function selectMedian(values: Float64Array): number {
  const n = values.length;
  const upper = select(values, n >> 1, 0, n - 1);
  if (n % 2 === 1) return upper;
  // After selection everything left of n/2 is ≤ upper, so the lower middle is their maximum.
  let lower = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n >> 1; i++) lower = Math.max(lower, values[i] as number);
  return (lower + upper) / 2;
}

function select(values: Float64Array, k: number, from: number, to: number): number {
  let left = from;
  let right = to;
  while (right > left) {
    // Median of three keeps sorted or constant resamples from degrading to quadratic time.
    const middle = (left + right) >> 1;
    const pivot = medianOfThree(values[left] as number, values[middle] as number, values[right] as number);
    let i = left;
    let j = right;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const swap = values[i] as number;
        values[i] = values[j] as number;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return values[k] as number;
  }
  return values[k] as number;
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}
