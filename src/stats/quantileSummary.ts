import { quantileSorted } from './quantileSorted.js';

/**
 * Fixed-size quantile summary of an ascending sample: `points` order statistics at the plotting
 * positions (i + 0.5)/points, i = 0..points−1, by Hyndman & Fan (1996) type 7 interpolation.
 * A sample no longer than `points` is returned as is. Rank-based estimators evaluated on the
 * summary (e.g. a Hodges–Lehmann shift) err by at most about 1/(2·points) in rank.
 * O(points); never mutates its input.
 */
export function quantileSummary(sorted: Float64Array, points: number): Float64Array {
  if (!Number.isInteger(points) || points < 1)
    throw new RangeError(`quantileSummary: points must be a positive integer, got ${points}`);
  const n = sorted.length;
  if (n <= points) return sorted;
  const out = new Float64Array(points);
  for (let i = 0; i < points; i++) out[i] = quantileSorted(sorted, (i + 0.5) / points);
  return out;
}
