import { quantileSorted } from './quantileSorted.js';
import { sortedCopy } from './sortedCopy.js';

/**
 * Quantile by Hyndman & Fan (1996) type 7 (R's default) of unsorted data; sorts a copy, never
 * mutates the input. O(n log n).
 * @example quantile([4, 2, 5, 3], 0.15) // 2.45 (as pandas Series([2, 3, 4, 5]).quantile(0.15))
 */
export function quantile(xs: ArrayLike<number>, p: number): number {
  return quantileSorted(sortedCopy(xs, 'quantile'), p);
}
