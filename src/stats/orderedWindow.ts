import type { OrderStatisticMultiset } from './orderStatisticMultiset.js';
import { ShiftedMoments } from './shiftedMoments.js';

/**
 * The query half shared by the sliding windows: exact order statistics from an
 * OrderStatisticMultiset (median/quantile/min/max O(log W), MAD O(log² W)) and shifted running
 * moments (mean, stdev O(1)). Subclasses own the ring buffers and decide what enters and leaves;
 * every query on an empty window throws RangeError naming the window and the query.
 */
export abstract class OrderedWindow {
  protected readonly moments = new ShiftedMoments();
  protected count = 0;

  protected constructor(
    protected readonly order: OrderStatisticMultiset,
    private readonly windowName: string,
  ) {}

  /** Samples held. */
  get size(): number {
    return this.count;
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

  /** Forgets every sample held (subclasses reset their rings too). */
  protected clearOrdered(): void {
    this.count = 0;
    this.order.clear();
    this.moments.clear();
  }

  protected requireSamples(method: string): void {
    if (this.count === 0) throw new RangeError(`${this.windowName}.${method}: the window is empty`);
  }
}
