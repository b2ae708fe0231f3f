import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { sortedMedian } from './sortedMedian.js';
import { tieGroups } from './tieGroups.js';

/** Theil–Sen line with Sen's distribution-free confidence interval for the slope. */
export interface TheilSenResult {
  readonly slope: number;
  /** median(y) − slope · median(x) (Conover 1980), as scipy's default `method='separate'`. */
  readonly intercept: number;
  readonly lower: number;
  readonly upper: number;
  readonly n: number;
}

/**
 * Theil (1950) / Sen (1968) estimator: the median of the slopes over all pairs with distinct x,
 * and Sen's confidence interval, whose order-statistic ranks come from the tie-corrected
 * variance of Kendall's S (Sen 1968, eq. 2.6), computed exactly as scipy.stats.theilslopes does
 * (tie groups of x and of y both subtracted; ranks rounded half to even). Slope and bounds are
 * NaN when every x is equal. O(n² log n) time, O(n²) memory: meant for n up to a few hundred.
 */
export function theilSen(x: ArrayLike<number>, y: ArrayLike<number>, confidence = 0.95): TheilSenResult {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`theilSen: x and y differ in length (${n} vs ${y.length})`);
  if (n < 2) throw new RangeError(`theilSen: needs at least 2 points, got ${n}`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`theilSen: confidence must lie in (0, 1), got ${confidence}`);

  const slopes = new Float64Array((n * (n - 1)) / 2);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    const yi = y[i] as number;
    for (let j = 0; j < n; j++) {
      const dx = (x[j] as number) - xi;
      if (dx > 0) slopes[count++] = ((y[j] as number) - yi) / dx;
    }
  }
  const sorted = slopes.subarray(0, count).sort();
  const slope = sortedMedian(sorted);
  const sortedX = Float64Array.from(x).sort();
  const sortedY = Float64Array.from(y).sort();
  const intercept = sortedMedian(sortedY) - slope * sortedMedian(sortedX);

  // scipy treats `confidence` and 1 − confidence alike: both name the same two-sided interval.
  const tail = Math.min(confidence, 1 - confidence) / 2;
  const z = normalQuantile(tail, 0, 1);
  const variance = (n * (n - 1) * (2 * n + 5) - tieGroups(sortedX).penalty - tieGroups(sortedY).penalty) / 18;
  const sigma = Math.sqrt(variance);
  let lower = Number.NaN;
  let upper = Number.NaN;
  if (count > 0 && Number.isFinite(sigma)) {
    const upperRank = Math.min(roundHalfEven((count - z * sigma) / 2), count - 1);
    const lowerRank = Math.max(roundHalfEven((count + z * sigma) / 2) - 1, 0);
    lower = sorted[lowerRank] as number;
    upper = sorted[upperRank] as number;
  }
  return { slope, intercept, lower, upper, n };
}

/** numpy's `round`: halves go to the even neighbour. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
