/** A stage of an open model: arrival rate from `from` to `to` requests/s, linearly, over `durationMs`. */
export interface RateStage {
  readonly from: number;
  readonly to: number;
  readonly durationMs: number;
}

/**
 * Time (ms from the stage start) of the n-th arrival (n = 0, 1, ...) of a stage whose rate ramps
 * linearly: the arrivals are where the cumulative count ∫₀ᵗ r(s) ds reaches n, r(s) = from + a·s,
 * a = (to − from)/duration, so t = (−from + √(from² + 2·a·n)) / a, or n/from for a constant rate.
 * Infinity when the stage never reaches n arrivals. O(1).
 */
export function arrivalTime(stage: RateStage, n: number): number {
  const seconds = stage.durationMs / 1000;
  const slope = (stage.to - stage.from) / seconds;
  let t: number;
  if (Math.abs(slope) < 1e-12) {
    t = stage.from > 0 ? n / stage.from : Number.POSITIVE_INFINITY;
  } else {
    const discriminant = stage.from * stage.from + 2 * slope * n;
    t = discriminant < 0 ? Number.POSITIVE_INFINITY : (-stage.from + Math.sqrt(discriminant)) / slope;
  }
  return t * 1000 < stage.durationMs ? t * 1000 : Number.POSITIVE_INFINITY;
}
