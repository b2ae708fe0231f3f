import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';
import { Observable } from 'rxjs';
import type { Sample } from '../../model/sample.js';

/** Progress of a replay, reported about every `progressEveryMs` of wall time and at the end. */
export interface ReplayProgress {
  readonly samples: number;
  /** Event time of the latest sample replayed, epoch µs (NaN before the first). */
  readonly eventTime: number;
  readonly elapsedMs: number;
  readonly done: boolean;
}

/** Options of {@link replaySource}. */
export interface ReplaySourceOptions {
  /** 'max' (default): as fast as possible. A number: event time runs this many times faster than wall time. */
  readonly speed?: 'max' | number;
  readonly onProgress?: (progress: ReplayProgress) => void;
  /** Default 2000 ms. */
  readonly progressEveryMs?: number;
}

/**
 * Replays a recorded sample sequence (readRecording, readNdjson, readCsvSamples, merged files)
 * as an Observable: as fast as possible, yielding to the event loop every 4,096 samples, or paced
 * so that a sample with timestamp ts is emitted at start + (ts − first ts) / speed of wall time.
 * Samples are pulled one at a time, so a recording is never held in memory. A read error (a
 * truncated file, say) arrives after every intact sample before it. Unsubscribing stops reading
 * and closes the input.
 */
export function replaySource(
  samples: AsyncIterable<Sample> | Iterable<Sample>,
  options: ReplaySourceOptions = {},
): Observable<Sample> {
  const speed = options.speed ?? 'max';
  if (speed !== 'max' && !(speed > 0 && Number.isFinite(speed)))
    throw new RangeError(`replaySource: speed must be 'max' or a positive number, got ${speed}`);
  const progressEvery = options.progressEveryMs ?? 2000;
  return new Observable<Sample>((subscriber) => {
    let stopped = false;
    const iterator =
      Symbol.asyncIterator in samples
        ? (samples as AsyncIterable<Sample>)[Symbol.asyncIterator]()
        : (samples as Iterable<Sample>)[Symbol.iterator]();
    const run = async (): Promise<void> => {
      const started = Date.now();
      let lastProgress = started;
      let count = 0;
      let firstTs = Number.NaN;
      let eventTime = Number.NaN;
      try {
        for (;;) {
          const next = await iterator.next();
          if (stopped) return;
          if (next.done === true) break;
          const sample = next.value;
          if (speed !== 'max') {
            if (Number.isNaN(firstTs)) firstTs = sample.ts;
            const due = started + (sample.ts - firstTs) / 1000 / speed;
            const wait = due - Date.now();
            if (wait > 1) await sleep(wait);
            if (stopped) return;
          } else if ((count & 4095) === 4095) {
            await yieldToEventLoop();
            if (stopped) return;
          }
          subscriber.next(sample);
          count++;
          eventTime = sample.ts;
          if (options.onProgress !== undefined) {
            const now = Date.now();
            if (now - lastProgress >= progressEvery) {
              lastProgress = now;
              options.onProgress({ samples: count, eventTime, elapsedMs: now - started, done: false });
            }
          }
        }
        options.onProgress?.({ samples: count, eventTime, elapsedMs: Date.now() - started, done: true });
        subscriber.complete();
      } catch (error) {
        if (!stopped) subscriber.error(error);
      }
    };
    void run();
    return () => {
      stopped = true;
      void iterator.return?.();
    };
  });
}
