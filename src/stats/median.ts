import { quantile } from './quantile.js';

/** Sample median: the type 7 quantile at p = 0.5 (midpoint of the two middle values when n is even). O(n log n). */
export function median(xs: ArrayLike<number>): number {
  return quantile(xs, 0.5);
}
