/**
 * Running mean and sample variance of a sliding window from sums of x − K for a reference K
 * near the data ("shifted data", Chan, Golub & LeVeque 1983), so a large common offset such as
 * 1e9 does not cancel. `refresh` recomputes the sums exactly by the two-pass algorithm and
 * re-centres K; windows call it once per turnover, which bounds rounding drift at O(1)
 * amortised cost. O(1) per add/remove.
 */
export class ShiftedMoments {
  private reference = 0;
  private sum = 0;
  private sumSquares = 0;
  private total = 0;
  private removalsSinceRefresh = 0;

  /** Number of values held. */
  get count(): number {
    return this.total;
  }

  /** True once as many values were removed as remain: time to call `refresh`. */
  get refreshDue(): boolean {
    return this.removalsSinceRefresh >= this.total;
  }

  /** Mean K + Σ(x − K)/n; NaN when empty. */
  get mean(): number {
    return this.total === 0 ? Number.NaN : this.reference + this.sum / this.total;
  }

  /** Sample variance (Σd² − (Σd)²/n)/(n − 1) with d = x − K; NaN below two values. */
  get variance(): number {
    if (this.total < 2) return Number.NaN;
    return Math.max(0, (this.sumSquares - (this.sum * this.sum) / this.total) / (this.total - 1));
  }

  /** Adds x. */
  add(x: number): void {
    if (this.total === 0) this.reference = x;
    const deviation = x - this.reference;
    this.sum += deviation;
    this.sumSquares += deviation * deviation;
    this.total++;
  }

  /** Removes a value added earlier. */
  remove(x: number): void {
    const deviation = x - this.reference;
    this.sum -= deviation;
    this.sumSquares -= deviation * deviation;
    this.total--;
    this.removalsSinceRefresh++;
    if (this.total === 0) this.clear();
  }

  /** Recomputes the sums from `count` values of a ring buffer starting at `head`. O(count). */
  refresh(ring: Float64Array, head: number, count: number): void {
    const length = ring.length;
    let plain = 0;
    for (let offset = 0, index = head; offset < count; offset++, index = index + 1 === length ? 0 : index + 1)
      plain += ring[index] as number;
    const reference = count === 0 ? 0 : plain / count;
    let sum = 0;
    let sumSquares = 0;
    for (let offset = 0, index = head; offset < count; offset++, index = index + 1 === length ? 0 : index + 1) {
      const deviation = (ring[index] as number) - reference;
      sum += deviation;
      sumSquares += deviation * deviation;
    }
    this.reference = reference;
    this.sum = sum;
    this.sumSquares = sumSquares;
    this.total = count;
    this.removalsSinceRefresh = 0;
  }

  /** Forgets every value. */
  clear(): void {
    this.reference = 0;
    this.sum = 0;
    this.sumSquares = 0;
    this.total = 0;
    this.removalsSinceRefresh = 0;
  }
}
