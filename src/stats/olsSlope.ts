import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** Least-squares line with a Student-t confidence interval for its slope. */
export interface OlsSlopeResult {
  readonly slope: number;
  readonly intercept: number;
  /** Standard error of the slope, sqrt(SSE / (n − 2) / Sxx). */
  readonly stderr: number;
  readonly lower: number;
  readonly upper: number;
  /** Coefficient of determination 1 − SSE/SST; NaN when every y is equal. */
  readonly r2: number;
  readonly n: number;
}

/**
 * Ordinary least squares y = intercept + slope·x with the slope's two-sided confidence interval
 * from Student's t on n − 2 degrees of freedom (e.g. Draper & Smith, Applied Regression
 * Analysis, 3rd ed., §1.4; R `lm` + `confint`). Two passes over centred data. O(n).
 */
export function olsSlope(x: ArrayLike<number>, y: ArrayLike<number>, confidence = 0.95): OlsSlopeResult {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`olsSlope: x and y differ in length (${n} vs ${y.length})`);
  if (n < 3) throw new RangeError(`olsSlope: needs at least 3 points, got ${n}`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`olsSlope: confidence must lie in (0, 1), got ${confidence}`);

  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < n; i++) {
    sumX += x[i] as number;
    sumY += y[i] as number;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  // Centring first keeps Sxx and Sxy accurate when x are large epoch timestamps.
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - meanX;
    const dy = (y[i] as number) - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (!(sxx > 0)) throw new RangeError('olsSlope: x has no spread (all values equal or not finite)');

  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const residual = (y[i] as number) - intercept - slope * (x[i] as number);
    sse += residual * residual;
  }
  const stderr = Math.sqrt(sse / (n - 2) / sxx);
  const critical = tQuantile(1 - (1 - confidence) / 2, n - 2);
  return {
    slope,
    intercept,
    stderr,
    lower: slope - critical * stderr,
    upper: slope + critical * stderr,
    r2: syy > 0 ? 1 - sse / syy : Number.NaN,
    n,
  };
}
