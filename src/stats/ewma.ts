/**
 * Exponentially weighted mean and variance, Finch (2009) "Incremental calculation of weighted
 * mean and variance" §9: δ = x − μ, μ += αδ, S = (1 − α)(S + αδ²). The first value seeds the
 * mean, so the weights are (1 − α)ⁿ⁻¹ for it and α(1 − α)ⁿ⁻ⁱ for the i-th later value. O(1) per push.
 */
export class Ewma {
  private readonly alpha: number;
  private total = 0;
  private runningMean = 0;
  private runningVariance = 0;

  /** alpha ∈ (0, 1]: the weight of the newest value. */
  constructor(alpha: number) {
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`Ewma: alpha must lie in (0, 1], got ${alpha}`);
    this.alpha = alpha;
  }

  /** Number of values pushed. */
  get count(): number {
    return this.total;
  }

  /** Exponentially weighted mean; NaN before the first push. */
  get mean(): number {
    return this.total === 0 ? Number.NaN : this.runningMean;
  }

  /** Exponentially weighted variance Σ wᵢ(xᵢ − μ)² with the weights above; NaN before the first push. */
  get variance(): number {
    return this.total === 0 ? Number.NaN : this.runningVariance;
  }

  /** √variance. */
  get stdev(): number {
    return Math.sqrt(this.variance);
  }

  /** Folds in x. */
  push(x: number): void {
    if (this.total === 0) {
      this.runningMean = x;
      this.runningVariance = 0;
    } else {
      const delta = x - this.runningMean;
      const increment = this.alpha * delta;
      this.runningMean += increment;
      this.runningVariance = (1 - this.alpha) * (this.runningVariance + delta * increment);
    }
    this.total++;
  }
}
