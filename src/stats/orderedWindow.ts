import type { OrderStatisticMultiset } from './orderStatisticMultiset.js';
import { ShiftedMoments } from './shiftedMoments.js';

/**
 * What the sliding windows share: ring buffers of timestamps and values (oldest at `head`), exact
 * order statistics from an OrderStatisticMultiset (median/quantile/min/max O(log W), MAD
 * O(log² W)) and shifted running moments (mean, stdev O(1)). Subclasses decide what enters and
 * leaves (a count or a time span) and may replace the rings to grow them; every query on an
 * empty window throws RangeError naming the window and the query.
 */
export abstract class OrderedWindow {
  protected readonly moments = new ShiftedMoments();
  protected count = 0;
  protected head = 0;

  protected constructor(
    protected readonly order: OrderStatisticMultiset,
    private readonly windowName: string,
    protected timestamps: Float64Array,
    protected values: Float64Array,
  ) {}

  /** Samples held. */
  get size(): number {
    return this.count;
  }

  /** Timestamp of the oldest sample held. */
  get oldestTs(): number {
    this.requireSamples('oldestTs');
    return this.timestamps[this.head] as number;
  }

  /** Timestamp of the newest sample held. */
  get newestTs(): number {
    this.requireSamples('newestTs');
    return this.timestamps[this.indexOf(this.count - 1)] as number;
  }

  /** Empties the window, keeping its buffers. */
  clear(): void {
    this.head = 0;
    this.count = 0;
    this.order.clear();
    this.moments.clear();
  }

  /** Median (type 7). O(log W). */
  median(): number {
    this.requireSamples('median');
    return this.order.median();
  }

  /** Hyndman & Fan type 7 quantile. O(log W). */
  quantile(p: number): number {
    this.requireSamples('quantile');
    return this.order.quantile(p);
  }

  /** Raw median absolute deviation; pass the window's median when already computed. O(log² W). */
  mad(center?: number): number {
    this.requireSamples('mad');
    return this.order.mad(center);
  }

  /** Smallest value. O(1). */
  min(): number {
    this.requireSamples('min');
    return this.order.min();
  }

  /** Largest value. O(1). */
  max(): number {
    this.requireSamples('max');
    return this.order.max();
  }

  /** Arithmetic mean. O(1). */
  mean(): number {
    this.requireSamples('mean');
    return this.moments.mean;
  }

  /** Sample standard deviation (n − 1); NaN with one sample, exactly 0 when every value is equal. O(1). */
  stdev(): number {
    this.requireSamples('stdev');
    // Running sums leave a residue of about scale·√ε after large values leave the window; a
    // window of equal values (a steady fd or thread count) must still report exactly 0.
    if (this.count > 1 && this.order.min() === this.order.max()) return 0;
    return Math.sqrt(this.moments.variance);
  }

  /** Values in ascending order. O(W). */
  copySorted(out?: Float64Array): Float64Array {
    return this.order.copySorted(out);
  }

  /** Ring index of the sample `offset` places after the oldest. */
  protected indexOf(offset: number): number {
    const index = this.head + offset;
    return index >= this.values.length ? index - this.values.length : index;
  }

  /** Removes the oldest sample from the ring, the order statistics and the moments. */
  protected evictOldest(): void {
    const value = this.values[this.head] as number;
    this.order.remove(value);
    this.moments.remove(value);
    this.head = this.head + 1 === this.values.length ? 0 : this.head + 1;
    this.count--;
  }

  protected requireSamples(method: string): void {
    if (this.count === 0) throw new RangeError(`${this.windowName}.${method}: the window is empty`);
  }
}
