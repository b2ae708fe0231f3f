import { Observable, type OperatorFunction } from 'rxjs';
import type { SeriesRef } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { seriesRefOf } from '../model/seriesKey.js';
import type { Stat } from '../model/stat.js';
import type { SlidingWindow } from '../stats/slidingWindow.js';
import { createWindow, validateWindowSpec, type WindowSpec } from './windowSpec.js';
import { guarded } from './guarded.js';

/** Options of {@link rollingStats}. */
export interface RollingStatsOptions {
  /** Window by sample count or event-time duration (µs). Default: 60 s. */
  readonly window?: WindowSpec;
  /** Emit every `count` samples or at every multiple of `duration` µs of event time. Default: 10 s. */
  readonly hop?: WindowSpec;
  /** Identity of the series; taken from the first sample when absent. */
  readonly ref?: SeriesRef;
}

const DEFAULT_WINDOW: WindowSpec = { duration: 60_000_000 };
const DEFAULT_HOP: WindowSpec = { duration: 10_000_000 };

/** Snapshot of a window as a Stat (stdev 0 for a single sample, so every field stays finite). */
export function statOf(window: SlidingWindow, ts: number, ref: SeriesRef): Stat {
  const n = window.size;
  const median = window.median();
  return {
    ts,
    windowStart: window.oldestTs,
    series: ref.series,
    metric: ref.metric,
    tags: ref.tags,
    n,
    min: window.min(),
    max: window.max(),
    mean: window.mean(),
    stdev: n > 1 ? window.stdev() : 0,
    median,
    mad: window.mad(median),
    p50: median,
    p90: window.quantile(0.9),
    p95: window.quantile(0.95),
    p99: window.quantile(0.99),
  };
}

/**
 * Rolling n, min, max, mean, stdev, median, MAD and p50/p90/p95/p99 of one series, on event
 * time. Duration hops are aligned to multiples of the hop since the epoch, so replays emit at
 * the same instants; a hop at boundary b describes the window ending at b, emitted when the
 * first sample at or after b arrives. On completion a last Stat covers what arrived since the
 * previous hop. Exact order statistics (see OrderStatisticMultiset): O(log W) per sample,
 * O(log² W) per hop.
 */
export function rollingStats(options: RollingStatsOptions = {}): OperatorFunction<Sample, Stat> {
  const windowSpec = options.window ?? DEFAULT_WINDOW;
  const hop = options.hop ?? DEFAULT_HOP;
  validateWindowSpec(windowSpec, 'rollingStats'); // eagerly, before subscription
  if ('count' in hop ? !(Number.isInteger(hop.count) && hop.count >= 1) : !(hop.duration > 0)) {
    throw new RangeError(`rollingStats: hop must be a positive count or duration, got ${JSON.stringify(hop)}`);
  }
  return (source) =>
    new Observable<Stat>((subscriber) => {
      const window = createWindow(windowSpec, 'rollingStats');
      let ref = options.ref;
      let sinceHop = 0;
      let nextBoundary = Number.NEGATIVE_INFINITY;
      const hopCount = 'count' in hop ? hop.count : 0;
      const hopDuration = 'duration' in hop ? hop.duration : 0;

      const subscription = source.subscribe({
        // The window throws on a timestamp that goes backwards; that belongs on the error channel.
        next: guarded(subscriber, (sample: Sample) => {
          ref ??= seriesRefOf(sample);
          const ts = sample.ts;
          if (hopDuration > 0) {
            if (ts >= nextBoundary) {
              if (nextBoundary !== Number.NEGATIVE_INFINITY && sinceHop > 0) {
                window.evictBefore?.(nextBoundary);
                if (window.size > 0) subscriber.next(statOf(window, nextBoundary, ref));
                sinceHop = 0;
              }
              nextBoundary = (Math.floor(ts / hopDuration) + 1) * hopDuration;
            }
            window.push(ts, sample.value);
            sinceHop++;
          } else {
            window.push(ts, sample.value);
            if (++sinceHop >= hopCount) {
              subscriber.next(statOf(window, ts, ref));
              sinceHop = 0;
            }
          }
        }),
        error: (err: unknown) => subscriber.error(err),
        complete: () => {
          if (sinceHop > 0 && window.size > 0 && ref !== undefined)
            subscriber.next(statOf(window, window.newestTs, ref));
          subscriber.complete();
        },
      });
      return () => subscription.unsubscribe();
    });
}
