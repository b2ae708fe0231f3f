/**
 * Time-ordered ring buffer of (timestamp, value) pairs covering the last `duration` of event
 * time, with no ordering index: the cheapest window when order statistics are needed only now
 * and then. `sortedSince(t)` copies the values newer than t into a scratch array and sorts it
 * (introsort, O(k log k)). Growable (doubling). push O(1) amortised; memory 16 B per sample.
 */
export class TimeRing {
  private timestamps: Float64Array;
  private values: Float64Array;
  private head = 0;
  private count = 0;
  private scratch = new Float64Array(64);
  private ordered = new Float64Array(64);

  constructor(
    private readonly duration: number,
    initialCapacity = 64,
  ) {
    if (!(duration > 0) || !Number.isFinite(duration))
      throw new RangeError(`TimeRing: duration must be positive and finite, got ${duration}`);
    if (!Number.isInteger(initialCapacity) || initialCapacity < 1)
      throw new RangeError(`TimeRing: initialCapacity must be a positive integer, got ${initialCapacity}`);
    this.timestamps = new Float64Array(initialCapacity);
    this.values = new Float64Array(initialCapacity);
  }

  /** Samples held. */
  get size(): number {
    return this.count;
  }

  /** Appends a sample (timestamps must not decrease), then drops samples with ts ≤ ts − duration. */
  push(ts: number, value: number): void {
    if (this.count > 0 && ts < (this.timestamps[(this.head + this.count - 1) % this.values.length] as number)) {
      throw new RangeError(`TimeRing.push: timestamp ${ts} precedes the newest one`);
    }
    if (this.count === this.values.length) this.grow();
    const slot = (this.head + this.count) % this.values.length;
    this.timestamps[slot] = ts;
    this.values[slot] = value;
    this.count++;
    this.evictBefore(ts);
  }

  /** Drops the samples that are out of the window at clock time t: those with ts ≤ t − duration. */
  evictBefore(clockTs: number): void {
    const cutoff = clockTs - this.duration;
    const capacity = this.values.length;
    while (this.count > 0 && (this.timestamps[this.head] as number) <= cutoff) {
      this.head = this.head + 1 === capacity ? 0 : this.head + 1;
      this.count--;
    }
  }

  /** Number of samples with ts > t. O(log n) by binary search over the time-ordered ring. */
  countSince(t: number): number {
    let lo = 0;
    let hi = this.count;
    const capacity = this.values.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.timestamps[(this.head + mid) % capacity] as number) > t) hi = mid;
      else lo = mid + 1;
    }
    return this.count - lo;
  }

  /**
   * Values of the samples with ts > t in ascending order, in a scratch array owned by the ring
   * (valid until the next call). O(k log k) for k such samples.
   */
  sortedSince(t: number): Float64Array {
    const k = this.countSince(t);
    if (this.scratch.length < k) this.scratch = new Float64Array(Math.max(k, this.scratch.length * 2));
    const capacity = this.values.length;
    const first = this.head + this.count - k;
    for (let i = 0; i < k; i++) this.scratch[i] = this.values[(first + i) % capacity] as number;
    return this.scratch.subarray(0, k).sort();
  }

  /**
   * Values of the samples with ts > t in time order, in a second scratch array owned by the ring
   * (valid until the next call). O(k).
   */
  timeOrderedSince(t: number): Float64Array {
    const k = this.countSince(t);
    if (this.ordered.length < k) this.ordered = new Float64Array(Math.max(k, this.ordered.length * 2));
    const capacity = this.values.length;
    const first = this.head + this.count - k;
    for (let i = 0; i < k; i++) this.ordered[i] = this.values[(first + i) % capacity] as number;
    return this.ordered.subarray(0, k);
  }

  private grow(): void {
    const capacity = this.values.length;
    const timestamps = new Float64Array(capacity * 2);
    const values = new Float64Array(capacity * 2);
    for (let i = 0; i < this.count; i++) {
      timestamps[i] = this.timestamps[(this.head + i) % capacity] as number;
      values[i] = this.values[(this.head + i) % capacity] as number;
    }
    this.timestamps = timestamps;
    this.values = values;
    this.head = 0;
  }
}
