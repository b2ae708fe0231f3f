import { describe, expect, test } from 'vitest';
import { Backoff, retry, RetriesExhausted } from '../../src/transport/retry.js';

describe('Backoff (exponential, equal jitter)', () => {
  test('doubles from min to max; with jitter 0 each delay is half the nominal one, with jitter →1 the whole', () => {
    const low = new Backoff(100, 1000, () => 0);
    expect(Array.from({ length: 6 }, () => low.next())).toEqual([50, 100, 200, 400, 500, 500]);
    const high = new Backoff(100, 1000, () => 1);
    expect(Array.from({ length: 6 }, () => high.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  test('reset starts over', () => {
    const backoff = new Backoff(10, 100, () => 0.5);
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(7.5);
  });

  test('rejects min ≤ 0 or max < min', () => {
    expect(() => new Backoff(0, 10)).toThrow(/0 < min ≤ max/);
    expect(() => new Backoff(10, 5)).toThrow(/got min 10 ms and max 5 ms/);
  });
});

describe('retry', () => {
  const quick = { minDelayMs: 1, maxDelayMs: 2 };

  test('retries what is retriable until it succeeds, telling onRetry of each failed attempt', async () => {
    const seen: number[] = [];
    const result = await retry(
      async (attempt) => {
        if (attempt < 3) throw new Error(`attempt ${attempt}`);
        return 'stored';
      },
      { ...quick, retriable: () => true, onRetry: (_error, attempt) => seen.push(attempt) },
    );
    expect(result).toBe('stored');
    expect(seen).toEqual([1, 2]);
  });

  test('throws an error that is not retriable at once, as it is', async () => {
    let attempts = 0;
    const refused = new Error('HTTP 404');
    await expect(
      retry(
        async () => {
          attempts++;
          throw refused;
        },
        { ...quick, retriable: (error) => error !== refused },
      ),
    ).rejects.toBe(refused);
    expect(attempts).toBe(1);
  });

  test('gives up once retrying would pass maxTimeMs, with the last error, the attempts and the time', async () => {
    const error = await retry(
      async (attempt) => {
        throw new Error(`down ${attempt}`);
      },
      { minDelayMs: 5, maxDelayMs: 10, maxTimeMs: 30, retriable: () => true },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhausted);
    const exhausted = error as RetriesExhausted;
    expect(exhausted.attempts).toBeGreaterThanOrEqual(2);
    expect((exhausted.lastError as Error).message).toBe(`down ${exhausted.attempts}`);
    expect(exhausted.message).toMatch(/^gave up after \d+ attempts over \d+\.\d s$/);
  });
});
