/**
 * Exponential backoff with "equal jitter" (AWS Architecture Blog, "Exponential Backoff and
 * Jitter", 2015): the n-th delay is d/2 + uniform(0, d/2) with d = min(max, min · 2^(n−1)), so
 * retries spread out yet never come sooner than half the nominal delay.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {
    if (!(minMs > 0) || !(maxMs >= minMs))
      throw new RangeError(`backoff: need 0 < min ≤ max, got min ${minMs} ms and max ${maxMs} ms`);
  }

  /** The next delay in ms. */
  next(): number {
    const nominal = Math.min(this.maxMs, this.minMs * 2 ** this.attempt);
    this.attempt++;
    return nominal / 2 + this.random() * (nominal / 2);
  }

  reset(): void {
    this.attempt = 0;
  }
}
