/** Iglewicz & Hoaglin's 0.6745 ≈ Φ⁻¹(3/4): scales MAD to σ for normal data. */
const MAD_SCALE = 0.6745;
/** √(π/2) ≈ 1.253314: scales the mean absolute deviation to σ for normal data. */
const MEAN_ABSOLUTE_DEVIATION_SCALE = 1.253314;

/**
 * Modified z-score M = 0.6745·(x − median)/MAD, Iglewicz & Hoaglin (1993) "How to Detect and
 * Handle Outliers" (|M| > 3.5 flags an outlier). When MAD = 0 (over half the values equal) it
 * falls back, as IBM SPSS documents for this score, to (x − median)/(1.253314·meanAbsoluteDeviation)
 * when a positive mean absolute deviation is given; otherwise 0 at the median and ±Infinity
 * elsewhere. O(1).
 */
export function modifiedZ(x: number, median: number, mad: number, meanAbsoluteDeviation?: number): number {
  const offset = x - median;
  if (mad > 0) return (MAD_SCALE * offset) / mad;
  if (meanAbsoluteDeviation !== undefined && meanAbsoluteDeviation > 0) {
    return offset / (MEAN_ABSOLUTE_DEVIATION_SCALE * meanAbsoluteDeviation);
  }
  if (offset === 0) return 0;
  return offset > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}
