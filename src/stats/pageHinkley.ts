/** Options of {@link PageHinkley}, in the units of the input. */
export interface PageHinkleyOptions {
  /** Magnitude of change tolerated without alarm, δ. Default 0.005. */
  readonly delta?: number;
  /** Alarm threshold λ on the cumulative deviation. Default 50. */
  readonly threshold?: number;
  /** Fading factor α ∈ (0, 1] applied to the cumulative sums; 1 disables fading. Default 0.9999. */
  readonly alpha?: number;
}

/**
 * Two-sided Page–Hinkley test (Page 1954; Hinkley 1971) in the streaming form of Gama et al.,
 * "A survey on concept drift adaptation", ACM Computing Surveys 46(4), 2014: with x̄_t the running
 * mean and m_0 = m'_0 = 0, m_t = α·m_{t−1} + (x_t − x̄_t − δ) alarms 'up' when m_t − min m > λ, and
 * m'_t = α·m'_{t−1} + (x_t − x̄_t + δ) alarms 'down' when max m' − m'_t > λ. After an alarm the
 * whole state restarts so the new regime becomes the reference. O(1) per sample.
 */
export class PageHinkley {
  private readonly delta: number;
  private readonly threshold: number;
  private readonly alpha: number;
  private count = 0;
  private mean = 0;
  private sumUp = 0;
  private minimumUp = 0;
  private sumDown = 0;
  private maximumDown = 0;

  constructor(options: PageHinkleyOptions = {}) {
    this.delta = options.delta ?? 0.005;
    this.threshold = options.threshold ?? 50;
    this.alpha = options.alpha ?? 0.9999;
    if (!(this.delta >= 0 && Number.isFinite(this.delta)))
      throw new RangeError(`PageHinkley: delta must be finite and ≥ 0, got ${this.delta}`);
    if (!(this.threshold > 0 && Number.isFinite(this.threshold)))
      throw new RangeError(`PageHinkley: threshold must be finite and > 0, got ${this.threshold}`);
    if (!(this.alpha > 0 && this.alpha <= 1))
      throw new RangeError(`PageHinkley: alpha must lie in (0, 1], got ${this.alpha}`);
  }

  /** Adds one observation; returns the direction of a detected change in mean, if any. */
  push(x: number): 'up' | 'down' | null {
    this.count++;
    this.mean += (x - this.mean) / this.count;
    const deviation = x - this.mean;
    this.sumUp = this.alpha * this.sumUp + deviation - this.delta;
    this.sumDown = this.alpha * this.sumDown + deviation + this.delta;
    this.minimumUp = Math.min(this.minimumUp, this.sumUp);
    this.maximumDown = Math.max(this.maximumDown, this.sumDown);
    if (this.sumUp - this.minimumUp > this.threshold) {
      this.reset();
      return 'up';
    }
    if (this.maximumDown - this.sumDown > this.threshold) {
      this.reset();
      return 'down';
    }
    return null;
  }

  /** Forgets every observation. */
  reset(): void {
    this.count = 0;
    this.mean = 0;
    this.sumUp = 0;
    this.minimumUp = 0;
    this.sumDown = 0;
    this.maximumDown = 0;
  }
}
