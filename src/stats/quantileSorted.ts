import { interpolateBetween } from './interpolateBetween.js';

/**
 * Quantile of ascending data by Hyndman & Fan (1996) type 7 (R's default, numpy's 'linear'):
 * position h = (n − 1)·p, linear between the order statistics around it. O(1).
 * @example quantileSorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) // 9.1
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const count = sorted.length;
  if (count === 0) throw new RangeError('quantileSorted: no data (empty input)');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantileSorted: p must lie in [0, 1], got ${p}`);
  const position = (count - 1) * p;
  const lowerIndex = Math.floor(position);
  const lower = sorted[lowerIndex] as number;
  if (lowerIndex >= count - 1) return lower;
  return interpolateBetween(lower, sorted[lowerIndex + 1] as number, position - lowerIndex);
}
