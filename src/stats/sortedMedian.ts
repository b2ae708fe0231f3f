import { quantileSorted } from './quantileSorted.js';

/**
 * Median of an ascending array: the middle value, or the mean of the two middle values for an
 * even count (the sample median of Hyndman & Fan 1996, type 7 at p = 0.5). NaN when empty. O(1).
 */
export function sortedMedian(sorted: ArrayLike<number>): number {
  return sorted.length === 0 ? Number.NaN : quantileSorted(sorted, 0.5);
}
