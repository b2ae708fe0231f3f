/**
 * Online mean and variance by Welford (1962), Knuth TAOCP vol. 2 §4.2.2, with the exact
 * reverse update for evicting a value pushed earlier (for sliding windows). O(1) per update.
 */
export class Welford {
  private total = 0;
  private runningMean = 0;
  private sumSquaredDeviations = 0;

  /** Number of values currently held. */
  get count(): number {
    return this.total;
  }

  /** Arithmetic mean; NaN when empty. */
  get mean(): number {
    return this.total === 0 ? Number.NaN : this.runningMean;
  }

  /** Sample variance (n − 1 denominator); NaN below two values, as R's `var`. */
  get variance(): number {
    if (this.total < 2) return Number.NaN;
    return Math.max(0, this.sumSquaredDeviations / (this.total - 1));
  }

  /** Sample standard deviation √variance. */
  get stdev(): number {
    return Math.sqrt(this.variance);
  }

  /** Adds x: δ = x − mean, mean += δ/n, M2 += δ·(x − new mean). */
  push(x: number): void {
    this.total++;
    const delta = x - this.runningMean;
    this.runningMean += delta / this.total;
    this.sumSquaredDeviations += delta * (x - this.runningMean);
  }

  /** Removes a value that was pushed earlier by inverting push; evicting anything else corrupts the moments. */
  evict(x: number): void {
    if (this.total === 0) throw new RangeError('Welford.evict: nothing to evict (empty)');
    if (this.total === 1) {
      this.clear();
      return;
    }
    const remaining = this.total - 1;
    const delta = x - this.runningMean;
    const previousMean = this.runningMean - delta / remaining;
    this.sumSquaredDeviations -= (x - previousMean) * delta;
    this.runningMean = previousMean;
    this.total = remaining;
  }

  /** Forgets every value. */
  clear(): void {
    this.total = 0;
    this.runningMean = 0;
    this.sumSquaredDeviations = 0;
  }
}
