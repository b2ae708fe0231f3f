import { setTimeout as sleep } from 'node:timers/promises';

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

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Delays grow from min to max, doubling, with equal jitter (see Backoff). */
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** Give up once retrying would go on past this long. Default: never. */
  readonly maxTimeMs?: number;
  /** Whether an error is worth another attempt; others are thrown at once. */
  readonly retriable: (error: unknown) => boolean;
  /** Told about every failed attempt that will be retried. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Stops retrying when aborted: the wait ends and the last error comes wrapped in RetriesExhausted. */
  readonly signal?: AbortSignal;
}

/** Thrown by {@link retry} when it gives up: the last error, how many attempts and how long they took. */
export class RetriesExhausted extends Error {
  constructor(
    readonly lastError: unknown,
    readonly attempts: number,
    readonly elapsedMs: number,
  ) {
    super(`gave up after ${attempts} attempts over ${(elapsedMs / 1000).toFixed(1)} s`, { cause: lastError });
  }
}

/**
 * The one retry loop (CONVENTIONS.md §6): runs `task` until it succeeds, waiting with exponential
 * backoff and jitter between attempts; an error `retriable` refuses is thrown as it is, and when
 * `maxTimeMs` would be passed the last error comes wrapped in RetriesExhausted. kafkajs retries its
 * own requests with the same policy (its retry module); this serves the HTTP sinks.
 */
export async function retry<T>(task: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const backoff = new Backoff(options.minDelayMs, options.maxDelayMs);
  const started = Date.now();
  const limit = options.maxTimeMs ?? Number.POSITIVE_INFINITY;
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      if (!options.retriable(error)) throw error;
      const delay = backoff.next();
      if (Date.now() + delay - started > limit || options.signal?.aborted === true)
        throw new RetriesExhausted(error, attempt, Date.now() - started);
      options.onRetry?.(error, attempt, delay);
      try {
        await sleep(delay, undefined, options.signal !== undefined ? { signal: options.signal } : undefined);
      } catch {
        throw new RetriesExhausted(error, attempt, Date.now() - started);
      }
    }
  }
}
