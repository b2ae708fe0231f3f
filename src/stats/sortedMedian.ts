/**
 * Median of an ascending array: the middle value, or the mean of the two middle values for an
 * even count (the sample median of Hyndman & Fan 1996, type 7 at p = 0.5). NaN when empty. O(1).
 */
export function sortedMedian(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const half = n >> 1;
  const upper = sorted[half] as number;
  if (n % 2 === 1) return upper;
  const lower = sorted[half - 1] as number;
  return (lower + upper) / 2;
}
