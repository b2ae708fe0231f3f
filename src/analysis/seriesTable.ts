import type { Diagnostic } from '../model/events.js';
import type { Sample, Tags } from '../model/sample.js';
import { seriesKey } from '../model/seriesKey.js';
import { median } from '../stats/median.js';

/** Options of {@link SeriesTable}. */
export interface SeriesTableOptions {
  /** Most series tracked at once; samples of further series are counted and reported. Default 10,000. */
  readonly maxSeries?: number;
  /**
   * A series with no sample for this long (event time, µs), and for 10 of its usual intervals
   * (10 × idleAfter while it has only one sample), is closed and its state freed. Default 30 min.
   */
  readonly idleAfter?: number;
  /** Receives 'series-limit' and 'series-evicted' diagnostics. */
  readonly onDiagnostic?: (diagnostic: Diagnostic) => void;
}

/** How a table opens and closes the state of one series. */
export interface SeriesLifecycle<S> {
  /** Creates the state of a new series from its key and first sample. */
  open(key: string, first: Sample): S;
  /**
   * Ends a series: flush what it holds. `evictedAt` is the event time at which it was released for
   * idleness; absent at the end of the stream.
   */
  close(state: S, key: string, evictedAt?: number): void;
}

interface Entry<S> {
  readonly state: S;
  lastTs: number;
  /** The last gaps between the series' samples (µs), in a ring: its usual interval is their median. */
  readonly gaps: Float64Array;
  gapCount: number;
  /** Set when the series is closed: a cached reference to this entry is then stale. */
  closed: boolean;
}

/** What a tags object and metric resolve to: the series key, and the entry while the series is open. */
interface Slot<S> {
  readonly metric: string;
  readonly key: string;
  entry: Entry<S> | null;
}

const DEFAULT_MAX_SERIES = 10_000;
const DEFAULT_IDLE_AFTER = 30 * 60 * 1_000_000;
/** Gaps kept per series to know its usual interval. */
const GAPS_KEPT = 8;
/** A series is idle only after this many of its usual intervals, so hourly data is not idle at every sample. */
export const IDLE_INTERVALS = 10;

/** The median of a series' recent gaps (µs), 0 before any. */
function usualInterval(entry: { readonly gaps: Float64Array; readonly gapCount: number }): number {
  const n = Math.min(entry.gapCount, GAPS_KEPT);
  return n === 0 ? 0 : median(entry.gaps.subarray(0, n));
}
// Past this many distinct rejected series only the sample count keeps growing.
const MAX_TRACKED_REJECTED = 100_000;

/** The series limit and idle time of `options`, defaults filled in; RangeError when one is out of range. */
export function checkedSeriesLimits(options: SeriesTableOptions): { maxSeries: number; idleAfter: number } {
  const maxSeries = options.maxSeries ?? DEFAULT_MAX_SERIES;
  const idleAfter = options.idleAfter ?? DEFAULT_IDLE_AFTER;
  if (!Number.isInteger(maxSeries) || maxSeries < 1)
    throw new RangeError(`bySeries: maxSeries must be a positive integer, got ${maxSeries}`);
  if (!(idleAfter > 0)) throw new RangeError(`bySeries: idleAfter must be > 0 µs, got ${idleAfter}`);
  return { maxSeries, idleAfter };
}

/**
 * The per-series state of a keyed stream (series = metric + sorted tags), within a cardinality
 * limit and with idle eviction on event time: when the newest timestamp seen passes a series'
 * last sample by `idleAfter` and by 10 of the series' usual intervals (the median of its last 8
 * gaps; idleAfter until it has two samples), the series is closed and a 'series-evicted' diagnostic reported; a
 * later sample opens it afresh. Beyond `maxSeries` live series, samples of new series are not
 * analysed: every one is counted and reported in a 'series-limit' diagnostic, never dropped
 * silently.
 * O(1) amortised per sample plus O(S) per idle scan, which runs once per idleAfter/4 of event time.
 */
export class SeriesTable<S> {
  private readonly entries = new Map<string, Entry<S>>();
  /**
   * Sources share one tags object per series (the load recorder, the probes, the decoders of a
   * batch): a sample finds its series through its tags object and metric, without building or
   * hashing the key string. Held weakly.
   */
  private readonly slots = new WeakMap<Tags, Slot<S> | Map<string, Slot<S>>>();
  private readonly maxSeries: number;
  private readonly idleAfter: number;
  private readonly report: ((diagnostic: Diagnostic) => void) | undefined;
  private readonly rejectedSeries = new Set<string>();
  private rejectedSamples = 0;
  private reportedSamples = 0;
  private lastRejected = '';
  private newest = Number.NEGATIVE_INFINITY;
  private nextScan = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly lifecycle: SeriesLifecycle<S>,
    options: SeriesTableOptions = {},
  ) {
    ({ maxSeries: this.maxSeries, idleAfter: this.idleAfter } = checkedSeriesLimits(options));
    this.report = options.onDiagnostic;
  }

  /** Series open now. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The state of the sample's series, opened on its first sample; null when the series limit
   * refuses it. Closes idle series as event time advances, once the sample's own series has
   * taken it (a series that comes back after a long gap keeps its state).
   */
  stateOf(sample: Sample): S | null {
    const ts = sample.ts;
    const scan = ts > this.newest && ts >= this.nextScan;
    if (ts > this.newest) this.newest = ts;
    const state = this.openOrFind(sample);
    if (scan) {
      if (this.nextScan !== Number.NEGATIVE_INFINITY) this.evictIdle();
      this.nextScan = ts + this.idleAfter / 4;
    }
    return state;
  }

  private openOrFind(sample: Sample): S | null {
    const ts = sample.ts;
    const slot = this.slotOf(sample);
    let entry = slot.entry;
    if (entry === null || entry.closed) {
      entry = this.entries.get(slot.key) ?? null;
      if (entry === null) {
        if (this.entries.size >= this.maxSeries) {
          this.reject(slot.key, ts);
          return null;
        }
        const state = this.lifecycle.open(slot.key, sample);
        entry = { state, lastTs: ts, gaps: new Float64Array(GAPS_KEPT), gapCount: 0, closed: false };
        this.entries.set(slot.key, entry);
      }
      slot.entry = entry;
    }
    if (ts > entry.lastTs) {
      entry.gaps[entry.gapCount++ % GAPS_KEPT] = ts - entry.lastTs;
      entry.lastTs = ts;
    }
    return entry.state;
  }

  /**
   * The slot of a sample's tags object and metric: held directly while the tags object serves one
   * metric, else by metric.
   */
  private slotOf(sample: Sample): Slot<S> {
    const { tags, metric } = sample;
    const held = this.slots.get(tags);
    if (held === undefined) {
      const slot = this.newSlot(sample);
      this.slots.set(tags, slot);
      return slot;
    }
    if (!(held instanceof Map)) {
      if (held.metric === metric) return held;
      const byMetric = new Map<string, Slot<S>>([[held.metric, held]]);
      this.slots.set(tags, byMetric);
      const slot = this.newSlot(sample);
      byMetric.set(metric, slot);
      return slot;
    }
    let slot = held.get(metric);
    if (slot === undefined) held.set(metric, (slot = this.newSlot(sample)));
    return slot;
  }

  private newSlot(sample: Sample): Slot<S> {
    return { metric: sample.metric, key: seriesKey(sample.metric, sample.tags), entry: null };
  }

  /** Closes every series, in the order they opened, after a last report of refused samples. */
  closeAll(): void {
    // The throttled reports may lag; the last one covers every refused sample.
    if (this.rejectedSamples > this.reportedSamples) this.reportLimit(this.newest);
    const entries = [...this.entries];
    this.entries.clear();
    for (const [key, entry] of entries) {
      entry.closed = true;
      this.lifecycle.close(entry.state, key);
    }
  }

  /** Forgets every series without closing them (a failed stream). */
  clear(): void {
    for (const entry of this.entries.values()) entry.closed = true;
    this.entries.clear();
  }

  private evictIdle(): void {
    const horizon = this.newest - this.idleAfter;
    for (const [key, entry] of this.entries) {
      // A series of one sample so far has no known interval: idleAfter stands in for it.
      const interval = entry.gapCount === 0 ? this.idleAfter : usualInterval(entry);
      if (entry.lastTs < horizon && entry.lastTs < this.newest - IDLE_INTERVALS * interval) {
        this.entries.delete(key);
        entry.closed = true;
        this.lifecycle.close(entry.state, key, this.newest);
        this.report?.({
          ts: this.newest,
          kind: 'series-evicted',
          count: 1,
          series: key,
          message: `series ${key} idle since ${entry.lastTs} µs; state released`,
        });
      }
    }
  }

  private reject(key: string, ts: number): void {
    this.rejectedSamples++;
    const isNew = !this.rejectedSeries.has(key) && this.rejectedSeries.size < MAX_TRACKED_REJECTED;
    if (isNew) this.rejectedSeries.add(key);
    this.lastRejected = key;
    if (isNew || this.rejectedSamples % 10_000 === 0) this.reportLimit(ts);
  }

  private reportLimit(ts: number): void {
    this.reportedSamples = this.rejectedSamples;
    const tracked = this.rejectedSeries.size;
    this.report?.({
      ts,
      kind: 'series-limit',
      count: this.rejectedSamples,
      series: this.lastRejected,
      limit: this.maxSeries,
      message:
        `series limit of ${this.maxSeries} reached: ${this.rejectedSamples} samples of ` +
        `${tracked}${tracked >= MAX_TRACKED_REJECTED ? '+' : ''} further series not analysed ` +
        `(latest: ${this.lastRejected})`,
    });
  }
}
