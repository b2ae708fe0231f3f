import { OrderStatisticMultiset } from './orderStatisticMultiset.js';
import type { OrderStatisticMultisetOptions } from './orderStatisticMultiset.js';
import { OrderedWindow } from './orderedWindow.js';
import type { SlidingWindow } from './slidingWindow.js';

/**
 * Samples of the last `durationMicros` of event time: after a push at time t the window holds
 * exactly the samples with ts > t − duration (the lower bound is exclusive, the newest inclusive).
 * Growable ring buffers (doubling, never shrinking) plus an OrderStatisticMultiset and shifted
 * running sums. push O(log W + B) amortised per sample pushed or evicted; queries as CountWindow.
 */
export class TimeWindow extends OrderedWindow implements SlidingWindow {
  private readonly duration: number;

  constructor(durationMicros: number, initialCapacity = 64, options: OrderStatisticMultisetOptions = {}) {
    if (!(durationMicros > 0 && Number.isFinite(durationMicros)))
      throw new RangeError(`TimeWindow: duration must be positive and finite, got ${durationMicros}`);
    if (!Number.isInteger(initialCapacity) || initialCapacity < 1)
      throw new RangeError(`TimeWindow: initialCapacity must be a positive integer, got ${initialCapacity}`);
    // Time windows are often small (a minute of one sample a second): blocks of 64 keep the memory
    // near the samples held, and a large window just has more of them.
    super(
      new OrderStatisticMultiset({ blockSize: 64, ...options }),
      'TimeWindow',
      new Float64Array(initialCapacity),
      new Float64Array(initialCapacity),
    );
    this.duration = durationMicros;
  }

  /** Window length in microseconds. */
  get durationMicros(): number {
    return this.duration;
  }

  /** Appends a sample (timestamps must not decrease), then evicts samples with ts ≤ ts − duration. */
  push(ts: number, x: number): void {
    if (!Number.isFinite(x)) throw new RangeError(`TimeWindow.push: value must be finite, got ${x}`);
    if (!Number.isFinite(ts)) throw new RangeError(`TimeWindow.push: timestamp must be finite, got ${ts}`);
    if (this.count > 0 && ts < (this.timestamps[this.indexOf(this.count - 1)] as number)) {
      throw new RangeError(`TimeWindow.push: timestamp ${ts} precedes the newest ${this.newestTs}`);
    }
    if (this.count === this.values.length) this.grow();
    const slot = this.indexOf(this.count);
    this.timestamps[slot] = ts;
    this.values[slot] = x;
    this.count++;
    this.order.insert(x);
    this.moments.add(x);
    this.evictBefore(ts);
  }

  /**
   * Expires by an external clock (a watermark): removes the samples that are out of the window
   * at time `clockTs`, i.e. those with ts ≤ clockTs − duration. O((evicted)·(log W + B)).
   */
  evictBefore(clockTs: number): void {
    const cutoff = clockTs - this.duration;
    let evicted = false;
    while (this.count > 0 && (this.timestamps[this.head] as number) <= cutoff) {
      this.evictOldest();
      evicted = true;
    }
    if (evicted && this.count > 0 && this.moments.refreshDue) this.moments.refresh(this.values, this.head, this.count);
  }

  /** Doubles the ring buffers, unrolling them so the oldest sample sits at index 0. */
  private grow(): void {
    const capacity = this.values.length;
    const timestamps = new Float64Array(capacity * 2);
    const values = new Float64Array(capacity * 2);
    const firstPart = capacity - this.head;
    timestamps.set(this.timestamps.subarray(this.head), 0);
    timestamps.set(this.timestamps.subarray(0, this.head), firstPart);
    values.set(this.values.subarray(this.head), 0);
    values.set(this.values.subarray(0, this.head), firstPart);
    this.timestamps = timestamps;
    this.values = values;
    this.head = 0;
  }
}
