/**
 * Event-time buckets aligned to multiples of `size` since the epoch, [k·size, (k+1)·size), so a
 * replay closes every bucket (a rolling-stats hop, an evaluation, an envelope or change-point
 * bucket) at the same instants as the live run. O(1) per sample.
 */
export class EventTimeBuckets {
  private end = Number.NEGATIVE_INFINITY;

  constructor(readonly size: number) {
    if (!(size > 0) || !Number.isFinite(size)) throw new RangeError(`bucket size must be > 0 µs, got ${size}`);
  }

  /**
   * Moves to the bucket holding `ts`. Returns the end of the bucket it leaves (the event time at
   * which that bucket closed), or null while `ts` is still in the current bucket and at the first
   * sample. Timestamps must not decrease.
   */
  advance(ts: number): number | null {
    if (ts < this.end) return null;
    const left = this.end;
    this.end = (Math.floor(ts / this.size) + 1) * this.size;
    return left === Number.NEGATIVE_INFINITY ? null : left;
  }

  /** End of the current bucket (−∞ before the first sample). */
  get currentEnd(): number {
    return this.end;
  }
}
