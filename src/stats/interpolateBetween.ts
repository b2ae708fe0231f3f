/**
 * Linear interpolation between two adjacent order statistics, written as R's `quantile` type 7
 * does it: (1 − h)·lower + h·upper, skipped when both are equal so infinities survive. Shared by
 * the batch and the streaming quantiles so both round identically. O(1).
 */
export function interpolateBetween(lower: number, upper: number, fraction: number): number {
  if (fraction === 0 || lower === upper) return lower;
  return (1 - fraction) * lower + fraction * upper;
}
