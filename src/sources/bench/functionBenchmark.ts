import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { getHeapStatistics } from 'node:v8';
import { Observable } from 'rxjs';
import { MICROS_PER_MS, type Sample, type Tags } from '../../model/sample.js';
import { SoakstreamError } from '../../model/errors.js';

/** Options of {@link functionBenchmark}. */
export interface FunctionBenchmarkOptions {
  /** Name of the function; becomes the `function` tag. */
  readonly name: string;
  /** Iterations run and discarded first, so JIT compilation and caches settle. Default 100. */
  readonly warmup?: number;
  /** Measured iterations, one sample each. Default 10,000. */
  readonly iterations?: number;
  /** Tags added to every sample. */
  readonly tags?: Tags;
  /** Yield to the event loop every this many iterations so timers and I/O keep running. Default 100. */
  readonly yieldEvery?: number;
}

/**
 * Soak-tests a JavaScript function: runs it (sync or async) `warmup` times unmeasured, then
 * `iterations` times, emitting per iteration `function_duration_seconds` (high-resolution
 * process.hrtime.bigint around the call, awaiting a returned promise) and
 * `function_heap_delta_bytes` (heapUsed after − before, which includes collections that ran
 * meanwhile). A thrown error or rejected promise ends the stream with an error naming the
 * iteration. Unsubscribing stops after the current iteration. Timestamps are wall-clock epoch µs.
 */
export function functionBenchmark(fn: () => unknown, options: FunctionBenchmarkOptions): Observable<Sample> {
  const warmup = options.warmup ?? 100;
  const iterations = options.iterations ?? 10_000;
  const yieldEvery = options.yieldEvery ?? 100;
  if (options.name.trim() === '') throw new RangeError('functionBenchmark: name must not be empty');
  for (const [key, value] of [
    ['warmup', warmup],
    ['iterations', iterations],
    ['yieldEvery', yieldEvery],
  ] as const) {
    if (!Number.isInteger(value) || value < (key === 'warmup' ? 0 : 1))
      throw new RangeError(
        `functionBenchmark: ${key} must be a ${key === 'warmup' ? 'non-negative' : 'positive'} integer, got ${value}`,
      );
  }
  const tags: Tags = { ...options.tags, function: options.name };

  return new Observable<Sample>((subscriber) => {
    let stopped = false;
    // process.memoryUsage() also reads RSS from /proc (~10 µs); V8's heap statistics give the same heapUsed cheaply.
    const heapUsed = (): number => getHeapStatistics().used_heap_size;
    const run = async (): Promise<void> => {
      for (let i = 0; i < warmup + iterations && !stopped; i++) {
        const measured = i >= warmup;
        const heapBefore = measured ? heapUsed() : 0;
        const started = process.hrtime.bigint();
        try {
          // A synchronous function is timed without an async wrapper around it; only a thenable is awaited.
          const result = fn();
          if (
            result !== null &&
            typeof result === 'object' &&
            typeof (result as { then?: unknown }).then === 'function'
          )
            await result;
        } catch (error) {
          subscriber.error(
            new SoakstreamError(
              'BENCHMARK_FAILED',
              `functionBenchmark ${options.name}: iteration ${i + 1}${measured ? '' : ' (warm-up)'} ` +
                `threw: ${(error as Error).message}`,
              { context: { iteration: i + 1 }, cause: error },
            ),
          );
          return;
        }
        const elapsed = Number(process.hrtime.bigint() - started);
        if (measured) {
          const ts = Date.now() * MICROS_PER_MS;
          subscriber.next({ ts, metric: 'function_duration_seconds', value: elapsed / 1e9, tags, unit: 's' });
          subscriber.next({
            ts,
            metric: 'function_heap_delta_bytes',
            value: heapUsed() - heapBefore,
            tags,
            unit: 'bytes',
          });
        }
        if ((i + 1) % yieldEvery === 0) await yieldToEventLoop();
      }
      if (!stopped) subscriber.complete();
    };
    void run();
    return () => {
      stopped = true;
    };
  });
}
