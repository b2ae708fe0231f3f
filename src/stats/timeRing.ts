/**
 * Time-ordered ring buffer of (timestamp, value) pairs covering the last `duration` of event
 * time, with no ordering index: the cheapest window when order statistics are needed only now
 * and then. `sortedSince(t)` copies the values newer than t and sorts them (introsort,
 * O(k log k)). Each sample may also carry up to two integer marks ≥ 0, kept as running sums, so
 * the sum of a mark over the samples newer than any t is a difference of two sums (O(log n)): how
 * a regression test keeps U against a fixed baseline without merging. Mark 0 is any integer ≥ 0,
 * its sums kept modulo 2^32 (exact as long as its sum over any tail held stays below 2^32); mark
 * 1 is a flag, 0 or 1, whose sums are kept modulo 2^16 while the ring holds fewer than 2^16
 * samples (so a tail's count is exact) and modulo 2^32 beyond. The rings grow by a quarter when
 * full. push O(1) amortised; memory 16 B per sample, plus 4 B for mark 0 and 2 B for mark 1.
 */
export class TimeRing {
  private timestamps: Float64Array;
  private values: Float64Array;
  /** Running sums of each mark channel (see the class), aligned with the ring: the sum up to and including a slot. */
  private sums: (Uint32Array | Uint16Array)[];
  /** The running sum of each channel just before the oldest sample held (of the last one evicted). */
  private readonly base: number[];
  private head = 0;
  private count = 0;
  /** Samples ever pushed: sample number k (from 0) is the k-th pushed, whether held or evicted. */
  private pushed = 0;

  constructor(
    private readonly duration: number,
    initialCapacity = 64,
    marks: 0 | 1 | 2 = 0,
  ) {
    if (!(duration > 0) || !Number.isFinite(duration))
      throw new RangeError(`TimeRing: duration must be positive and finite, got ${duration}`);
    if (!Number.isInteger(initialCapacity) || initialCapacity < 1)
      throw new RangeError(`TimeRing: initialCapacity must be a positive integer, got ${initialCapacity}`);
    this.timestamps = new Float64Array(initialCapacity);
    this.values = new Float64Array(initialCapacity);
    this.sums = Array.from({ length: marks }, (_, channel) => sumsArray(channel, initialCapacity));
    this.base = this.sums.map(() => 0);
  }

  /** Samples held. */
  get size(): number {
    return this.count;
  }

  /**
   * Appends a sample (timestamps must not decrease) with its marks (integers ≥ 0; 0 when the ring
   * keeps none), then drops samples with ts ≤ ts − duration.
   */
  push(ts: number, value: number, mark0 = 0, mark1 = 0): void {
    if (this.count > 0 && ts < (this.timestamps[this.slot(this.count - 1)] as number)) {
      throw new RangeError(`TimeRing.push: timestamp ${ts} precedes the newest one`);
    }
    if (mark1 !== 0 && mark1 !== 1) throw new RangeError(`TimeRing.push: mark 1 is a flag, 0 or 1, got ${mark1}`);
    if (this.count === this.values.length) this.grow();
    const slot = this.slot(this.count);
    this.timestamps[slot] = ts;
    this.values[slot] = value;
    const sums = this.sums;
    if (sums.length > 0) {
      // Running sums continue from the newest sample held, or from what the evicted ones summed to.
      const last = this.count > 0 ? this.slot(this.count - 1) : -1;
      const first = sums[0] as Uint32Array;
      first[slot] = (last >= 0 ? (first[last] as number) : (this.base[0] as number)) + mark0;
      const second = sums[1];
      if (second !== undefined)
        second[slot] = (last >= 0 ? (second[last] as number) : (this.base[1] as number)) + mark1;
    }
    this.count++;
    this.pushed++;
    this.evictBefore(ts);
  }

  /** The number of the oldest sample held (samples are numbered from 0 in push order). */
  get oldestNumber(): number {
    return this.pushed - this.count;
  }

  /** The number the next sample pushed will get. */
  get nextNumber(): number {
    return this.pushed;
  }

  /** The number of the first sample with ts > t (`nextNumber` when there is none). O(log n). */
  numberAfter(t: number): number {
    return this.oldestNumber + this.firstAfter(t);
  }

  /** Copies the values of held samples numbered [from, to) into `out`, in push order. O(to − from). */
  copyNumbered(from: number, to: number, out: Float64Array): void {
    if (from < this.oldestNumber || to > this.pushed || from > to)
      throw new RangeError(
        `TimeRing.copyNumbered: [${from}, ${to}) is not held ([${this.oldestNumber}, ${this.pushed}))`,
      );
    const capacity = this.values.length;
    let index = this.slot(from - this.oldestNumber);
    for (let k = 0; k < to - from; k++) {
      out[k] = this.values[index] as number;
      index = index + 1 === capacity ? 0 : index + 1;
    }
  }

  /** Drops the samples that are out of the window at clock time t: those with ts ≤ t − duration. */
  evictBefore(clockTs: number): void {
    const cutoff = clockTs - this.duration;
    const capacity = this.values.length;
    while (this.count > 0 && (this.timestamps[this.head] as number) <= cutoff) {
      for (let channel = 0; channel < this.sums.length; channel++)
        this.base[channel] = (this.sums[channel] as Uint32Array | Uint16Array)[this.head] as number;
      this.head = this.head + 1 === capacity ? 0 : this.head + 1;
      this.count--;
    }
  }

  /** Number of samples with ts > t. O(log n) by binary search over the time-ordered ring. */
  countSince(t: number): number {
    return this.count - this.firstAfter(t);
  }

  /** Sum of mark `channel` over the samples with ts > t. O(log n). */
  markSince(channel: 0 | 1, t: number): number {
    const running = this.sums[channel];
    if (running === undefined) throw new RangeError(`TimeRing.markSince: the ring keeps no mark ${channel}`);
    if (this.count === 0) return 0;
    const first = this.firstAfter(t);
    if (first === this.count) return 0;
    const before = first === 0 ? (this.base[channel] as number) : (running[this.slot(first - 1)] as number);
    // Both sums are modulo 2^32 (or 2^16): their difference, taken modulo the same, is the tail's sum.
    const difference = (running[this.slot(this.count - 1)] as number) - before;
    return running instanceof Uint16Array ? difference & 0xffff : difference >>> 0;
  }

  /** Replaces every held sample's marks with `marks(value)` (a new baseline, say). O(n) calls. */
  remark(marks: (value: number, into: [number, number]) => void): void {
    const pair: [number, number] = [0, 0];
    const totals = this.sums.map(() => 0);
    for (let i = 0; i < this.count; i++) {
      const slot = this.slot(i);
      pair[0] = 0;
      pair[1] = 0;
      marks(this.values[slot] as number, pair);
      for (let channel = 0; channel < this.sums.length; channel++) {
        const running = this.sums[channel] as Uint32Array | Uint16Array;
        totals[channel] =
          ((totals[channel] as number) + pair[channel as 0 | 1]) % (running instanceof Uint16Array ? 0x10000 : 2 ** 32);
        running[slot] = totals[channel] as number;
      }
    }
    for (let channel = 0; channel < this.base.length; channel++) this.base[channel] = 0;
  }

  /**
   * Values of the samples with ts > t in ascending order, in a scratch array shared by every ring
   * (valid until the next call on any ring). O(k log k) for k such samples.
   */
  sortedSince(t: number): Float64Array {
    const k = this.countSince(t);
    scratch.sorted = room(scratch.sorted, k);
    this.copyNumbered(this.pushed - k, this.pushed, scratch.sorted);
    return scratch.sorted.subarray(0, k).sort();
  }

  /**
   * Values of the samples with ts > t in time order, in a second scratch array shared by every
   * ring (valid until the next call on any ring). O(k).
   */
  timeOrderedSince(t: number): Float64Array {
    const k = this.countSince(t);
    scratch.ordered = room(scratch.ordered, k);
    this.copyNumbered(this.pushed - k, this.pushed, scratch.ordered);
    return scratch.ordered.subarray(0, k);
  }

  /** Offset (from the oldest) of the first sample with ts > t; `count` when there is none. */
  private firstAfter(t: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.timestamps[this.slot(mid)] as number) > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Ring index of the sample `offset` places after the oldest. */
  private slot(offset: number): number {
    const index = this.head + offset;
    return index >= this.values.length ? index - this.values.length : index;
  }

  /** Grows the rings by a quarter (at least 8), unrolling them so the oldest sample sits at index 0. */
  private grow(): void {
    const capacity = this.values.length;
    const grown = capacity + Math.max(8, capacity >> 2);
    const unroll = <A extends Float64Array | Uint32Array | Uint16Array>(ring: A, out: A): A => {
      for (let i = 0; i < this.count; i++) out[i] = ring[(this.head + i) % capacity] as number;
      return out;
    };
    this.timestamps = unroll(this.timestamps, new Float64Array(grown));
    this.values = unroll(this.values, new Float64Array(grown));
    this.sums = this.sums.map((sums, channel) => {
      const out = sumsArray(channel, grown);
      if (out instanceof Uint16Array || sums instanceof Uint32Array) return unroll(sums, out);
      // A flag channel outgrowing 2^16 samples: its sums modulo 2^16 become exact differences
      // modulo 2^32, starting from the base.
      const wide = out as Uint32Array;
      let total = this.base[channel] as number;
      let previous = this.base[channel] as number;
      for (let i = 0; i < this.count; i++) {
        const current = sums[(this.head + i) % capacity] as number;
        total += (current - previous) & 0xffff;
        previous = current;
        wide[i] = total >>> 0;
      }
      return wide;
    });
    this.head = 0;
  }
}

/** The running sums of a channel: mark 0 modulo 2^32; the flag channel modulo 2^16 below 2^16 samples. */
function sumsArray(channel: number, capacity: number): Uint32Array | Uint16Array {
  return channel === 1 && capacity < 0x10000 ? new Uint16Array(capacity) : new Uint32Array(capacity);
}

/** Copies handed out by sortedSince and timeOrderedSince: one pair for every ring, as they are read one at a time. */
const scratch: { sorted: Float64Array; ordered: Float64Array } = {
  sorted: new Float64Array(64),
  ordered: new Float64Array(64),
};

/** `array` when it holds `size` values, else a larger one. */
function room(array: Float64Array, size: number): Float64Array {
  return array.length >= size ? array : new Float64Array(Math.max(size, array.length * 2));
}
