import type { SeriesRef } from '../model/events.js';
import { WindowCodec, type WindowSpec } from '../model/fields/window.js';
import type { Sample } from '../model/sample.js';
import type { Stat } from '../model/stat.js';
import type { SlidingWindow } from '../stats/slidingWindow.js';
import { EventTimeBuckets } from './eventTimeBuckets.js';
import { NONE, type Processor } from './processor.js';
import { createWindow, validateWindowSpec } from './window.js';
import { showValue } from '../model/showValue.js';

/** Options of {@link RollingStats}: the window, and how often a Stat is emitted. */
export interface RollingStatsOptions {
  /** Window by sample count or event-time duration (µs). */
  readonly window: WindowSpec;
  /** Emit every `count` samples or at every multiple of `duration` µs of event time. */
  readonly hop: WindowSpec;
}

/** The rules file's `stats:` fields, decoded with these codecs. */
export const ROLLING_STATS_FIELDS = { window: WindowCodec, hop: WindowCodec } as const;

/** 60 s windows every 10 s. */
export const ROLLING_STATS_DEFAULTS: RollingStatsOptions = {
  window: { duration: 60_000_000 },
  hop: { duration: 10_000_000 },
};

/** Samples a duration window of rolling stats holds at least, stretched for slowly sampled series. */
export const MIN_SAMPLES_PER_STATS_WINDOW = 10;

/**
 * Rolling-stats options for a series sampled every `interval` µs: a duration window shorter than
 * 10 samples is stretched to hold them, and a duration hop shorter than one interval to one
 * interval (one Stat per sample at most); count windows stay. The same object when nothing changes.
 */
export function scaleRollingStats(options: RollingStatsOptions, interval: number): RollingStatsOptions {
  const { window, hop } = options;
  if ('count' in window) return options;
  const least = MIN_SAMPLES_PER_STATS_WINDOW * interval;
  const hopShort = !('count' in hop) && hop.duration < interval;
  if (window.duration >= least && !hopShort) return options;
  return {
    window: { duration: Math.max(window.duration, least) },
    hop: 'count' in hop ? hop : { duration: Math.max(hop.duration, interval) },
  };
}

/** Throws a RangeError naming what is wrong with rolling-stats options. */
export function validateRollingStats(options: RollingStatsOptions): void {
  validateWindowSpec(options.window, 'rollingStats');
  const hop = options.hop;
  if ('count' in hop ? !(Number.isInteger(hop.count) && hop.count >= 1) : !(hop.duration > 0))
    throw new RangeError(`rollingStats: hop must be a positive count or duration, got ${showValue(hop)}`);
}

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
    metricKind: ref.metricKind,
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
 * first sample at or after b arrives. At the end a last Stat covers what arrived since the
 * previous hop. Exact order statistics (Hyndman & Fan 1996 type 7 quantiles; Hampel 1974 MAD)
 * from an OrderStatisticMultiset: O(log W) per sample, O(log² W) per hop.
 */
export class RollingStats implements Processor<Sample, Stat> {
  private readonly window: SlidingWindow & { evictBefore?(ts: number): void };
  private readonly buckets: EventTimeBuckets | null;
  private readonly hopCount: number;
  private sinceHop = 0;

  constructor(
    options: RollingStatsOptions,
    private readonly ref: SeriesRef,
  ) {
    validateRollingStats(options);
    this.window = createWindow(options.window, 'rollingStats');
    this.buckets = 'duration' in options.hop ? new EventTimeBuckets(options.hop.duration) : null;
    this.hopCount = 'count' in options.hop ? options.hop.count : 0;
  }

  push(sample: Sample): readonly Stat[] {
    const ts = sample.ts;
    let out: readonly Stat[] = NONE;
    if (this.buckets !== null) {
      const closed = this.buckets.advance(ts);
      if (closed !== null && this.sinceHop > 0) {
        this.window.evictBefore?.(closed);
        if (this.window.size > 0) out = [statOf(this.window, closed, this.ref)];
        this.sinceHop = 0;
      }
      this.window.push(ts, sample.value);
      this.sinceHop++;
      return out;
    }
    this.window.push(ts, sample.value);
    if (++this.sinceHop >= this.hopCount) {
      this.sinceHop = 0;
      out = [statOf(this.window, ts, this.ref)];
    }
    return out;
  }

  end(): readonly Stat[] {
    if (this.sinceHop === 0 || this.window.size === 0) return NONE;
    this.sinceHop = 0;
    return [statOf(this.window, this.window.newestTs, this.ref)];
  }
}
