import { quantileSorted } from './quantileSorted.js';
import { sortedCopy } from './sortedCopy.js';

/**
 * Raw median absolute deviation median(|x − median(x)|), Hampel (1974); equals R's
 * `mad(x, constant = 1)`. Multiply by MAD_NORMAL_CONSISTENCY to estimate σ of normal data.
 * Sorts a copy twice, never mutates the input. O(n log n).
 * @example mad([1, 2, 3, 4, 100]) // 1
 */
export function mad(xs: ArrayLike<number>): number {
  const work = sortedCopy(xs, 'mad');
  const center = quantileSorted(work, 0.5);
  for (let index = 0; index < work.length; index++) work[index] = Math.abs((work[index] as number) - center);
  return quantileSorted(work.sort(), 0.5);
}
