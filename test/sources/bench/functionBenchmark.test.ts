import { setTimeout as sleep } from 'node:timers/promises';
import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { functionBenchmark } from '../../../src/sources/bench/functionBenchmark.js';

describe('functionBenchmark', () => {
  it('runs warm-up unmeasured, then emits a duration and a heap delta per measured iteration', async () => {
    let calls = 0;
    const work = (): string => {
      calls++;
      return JSON.stringify({ a: calls });
    };
    const samples = await firstValueFrom(
      functionBenchmark(work, { name: 'stringify', warmup: 5, iterations: 20, tags: { suite: 'unit' } }).pipe(
        toArray(),
      ),
    );
    expect(calls).toBe(25);
    const durations = samples.filter((s) => s.metric === 'function_duration_seconds');
    expect(durations).toHaveLength(20);
    expect(samples.filter((s) => s.metric === 'function_heap_delta_bytes')).toHaveLength(20);
    expect(durations.every((s) => s.value >= 0 && s.value < 1 && s.unit === 's')).toBe(true);
    expect(samples.every((s) => s.tags.function === 'stringify' && s.tags.suite === 'unit')).toBe(true);
  });

  it('awaits async functions, so a 5 ms sleep measures at least 4 ms', async () => {
    const pause = (): Promise<void> => sleep(5);
    const samples = await firstValueFrom(
      functionBenchmark(pause, { name: 'sleep', warmup: 0, iterations: 3 }).pipe(toArray()),
    );
    const durations = samples.filter((s) => s.metric === 'function_duration_seconds').map((s) => s.value);
    expect(durations).toHaveLength(3);
    // setTimeout never fires early by more than its 1 ms granularity.
    expect(durations.every((d) => d >= 0.004)).toBe(true);
  });

  it('ends with an error naming the failing iteration', async () => {
    let i = 0;
    const flaky = (): void => {
      if (++i === 4) throw new Error('boom');
    };
    const run = firstValueFrom(functionBenchmark(flaky, { name: 'flaky', warmup: 1, iterations: 10 }).pipe(toArray()));
    await expect(run).rejects.toThrow('functionBenchmark flaky: iteration 4 threw: boom');
  });

  it('stops when unsubscribed and validates its options', async () => {
    let calls = 0;
    const count = (): void => {
      calls++;
    };
    const first = await firstValueFrom(
      functionBenchmark(count, { name: 'count', warmup: 0, iterations: 1_000_000, yieldEvery: 10 }).pipe(
        take(4),
        toArray(),
      ),
    );
    expect(first).toHaveLength(4);
    await sleep(20);
    expect(calls).toBeLessThan(100);
    expect(() => functionBenchmark(() => 1, { name: ' ' })).toThrow(RangeError);
    expect(() => functionBenchmark(() => 1, { name: 'x', iterations: 0 })).toThrow(RangeError);
  });
});
