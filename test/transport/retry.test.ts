import { describe, expect, test } from 'vitest';
import { Backoff } from '../../src/transport/retry.js';

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
