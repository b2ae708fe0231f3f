/** Options of {@link Cusum}, both in units of the input's standard deviation. */
export interface CusumOptions {
  /** Reference value (allowance) k: half the shift to detect quickly. Default 0.5. */
  readonly k?: number;
  /** Decision interval h. Default 5 (in-control ARL ≈ 465 for k = 0.5). */
  readonly h?: number;
}

/**
 * Tabular two-sided CUSUM on standardised input z = (x − μ0)/σ (Page 1954; Montgomery,
 * Introduction to Statistical Quality Control, §9.1): C⁺ = max(0, C⁺ + z − k),
 * C⁻ = max(0, C⁻ − z − k); a side that exceeds h signals its direction and restarts at zero.
 * O(1) per sample.
 */
export class Cusum {
  private readonly k: number;
  private readonly h: number;
  private high = 0;
  private low = 0;

  constructor(options: CusumOptions = {}) {
    this.k = options.k ?? 0.5;
    this.h = options.h ?? 5;
    if (!(this.k >= 0 && Number.isFinite(this.k)))
      throw new RangeError(`Cusum: k must be finite and ≥ 0, got ${this.k}`);
    if (!(this.h > 0 && Number.isFinite(this.h)))
      throw new RangeError(`Cusum: h must be finite and > 0, got ${this.h}`);
  }

  /** Upper cumulative sum C⁺ (evidence of an upward shift). */
  get upper(): number {
    return this.high;
  }

  /** Lower cumulative sum C⁻ (evidence of a downward shift), kept non-negative. */
  get lower(): number {
    return this.low;
  }

  /** Adds one standardised observation; returns the direction of a signal, if any. */
  push(z: number): 'up' | 'down' | null {
    this.high = Math.max(0, this.high + z - this.k);
    this.low = Math.max(0, this.low - z - this.k);
    // Both sides start each step at ≤ h and a step raises at most one of them, so one signal at most.
    if (this.high > this.h) {
      this.high = 0;
      return 'up';
    }
    if (this.low > this.h) {
      this.low = 0;
      return 'down';
    }
    return null;
  }

  /** Restarts both sums at zero. */
  reset(): void {
    this.high = 0;
    this.low = 0;
  }
}
