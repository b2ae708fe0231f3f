/** Observations per batch of MSER-5. */
const BATCH = 5;

/**
 * The warm-up to drop from a time-ordered output series by MSER-5 (White 1997, "An effective
 * truncation heuristic for bias reduction in simulation output", Simulation 69(6); Franklin & White
 * 2008): the series is cut into batches of 5 and their means Z₁…Z_b; for every truncation d of the
 * first half, MSER(d) = Σ_{j>d} (Z_j − Z̄_d)² / (b − d)², the squared standard error of the mean of
 * what is kept; the d that minimises it, times 5, is the number of observations to drop. A series
 * without a transient keeps (nearly) everything; an initial ramp or offset is cut where the rest
 * is steadiest. Fewer than two batches: 0. O(n).
 */
export function mser5(timeOrdered: ArrayLike<number>): number {
  const b = Math.floor(timeOrdered.length / BATCH);
  if (b < 2) return 0;
  const means = new Float64Array(b);
  for (let j = 0; j < b; j++) {
    let sum = 0;
    for (let i = 0; i < BATCH; i++) sum += timeOrdered[j * BATCH + i] as number;
    means[j] = sum / BATCH;
  }
  // Suffix sums give every truncation's mean and sum of squares in one pass; values are centred
  // on the overall mean first, so large levels do not cancel.
  let centre = 0;
  for (let j = 0; j < b; j++) centre += means[j] as number;
  centre /= b;
  let sum = 0;
  let squares = 0;
  let best = Number.POSITIVE_INFINITY;
  let bestD = 0;
  const statistics = new Float64Array(b);
  for (let j = b - 1; j >= 0; j--) {
    const z = (means[j] as number) - centre;
    sum += z;
    squares += z * z;
    const kept = b - j;
    statistics[j] = Math.max(squares - (sum * sum) / kept, 0) / (kept * kept);
  }
  // Only the first half is a candidate: near the end MSER falls for want of data, not of bias.
  for (let d = 0; d <= Math.floor(b / 2); d++) {
    const value = statistics[d] as number;
    if (value < best) {
      best = value;
      bestD = d;
    }
  }
  return bestD * BATCH;
}
