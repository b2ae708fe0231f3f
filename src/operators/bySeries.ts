import { Observable, Subject, type OperatorFunction, type Subscription } from 'rxjs';
import type { Diagnostic, SeriesRef } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { seriesKeyCache } from '../model/seriesKey.js';

/** Options of {@link bySeries}. */
export interface BySeriesOptions {
  /** Most series tracked at once; samples of further series are counted and reported. Default 10,000. */
  readonly maxSeries?: number;
  /** A series with no sample for this long (event time, µs) is completed and its state freed. Default 30 min. */
  readonly idleAfter?: number;
  /** Receives 'series-limit' and 'series-evicted' diagnostics. */
  readonly onDiagnostic?: (diagnostic: Diagnostic) => void;
}

interface Group {
  readonly subject: Subject<Sample>;
  readonly subscription: Subscription;
  lastTs: number;
}

const DEFAULT_MAX_SERIES = 10_000;
const DEFAULT_IDLE_AFTER = 30 * 60 * 1_000_000;
// Past this many distinct rejected series only the sample count keeps growing.
const MAX_TRACKED_REJECTED = 100_000;

/**
 * Splits a sample stream by series (metric + sorted tags) and runs `project` once per series
 * (given the series' identity and first sample), with state created per series, merging the results. Event time drives idle eviction: when the
 * newest timestamp seen passes a series' last sample by `idleAfter`, its stream completes (so
 * its operators flush) and a 'series-evicted' diagnostic is reported; a later sample starts it
 * afresh. Beyond `maxSeries` live series, samples of new series are not analysed: every one is
 * counted and reported in a 'series-limit' diagnostic, never dropped silently.
 * O(1) amortised per sample plus O(S) per idle scan, which runs once per idleAfter/4 of event time.
 */
export function bySeries<R>(
  project: (series: Observable<Sample>, ref: SeriesRef, first: Sample) => Observable<R>,
  options: BySeriesOptions = {},
): OperatorFunction<Sample, R> {
  const maxSeries = options.maxSeries ?? DEFAULT_MAX_SERIES;
  const idleAfter = options.idleAfter ?? DEFAULT_IDLE_AFTER;
  if (!Number.isInteger(maxSeries) || maxSeries < 1)
    throw new RangeError(`bySeries: maxSeries must be a positive integer, got ${maxSeries}`);
  if (!(idleAfter > 0)) throw new RangeError(`bySeries: idleAfter must be > 0 µs, got ${idleAfter}`);
  const report = options.onDiagnostic;

  return (source) =>
    new Observable<R>((subscriber) => {
      const groups = new Map<string, Group>();
      const keyOf = seriesKeyCache();
      const rejectedSeries = new Set<string>();
      let rejectedSamples = 0;
      let reportedSamples = 0;
      let lastRejected = '';
      let newest = Number.NEGATIVE_INFINITY;
      let nextScan = Number.NEGATIVE_INFINITY;
      let closed = false;

      const open = (key: string, sample: Sample): Group => {
        const subject = new Subject<Sample>();
        const ref: SeriesRef = { series: key, metric: sample.metric, tags: sample.tags };
        // Project and subscribe before the first sample arrives, so the group sees all of them.
        const groupSubscription = project(subject, ref, sample).subscribe({
          next: (value) => subscriber.next(value),
          error: (err: unknown) => fail(err),
        });
        const group: Group = { subject, subscription: groupSubscription, lastTs: sample.ts };
        groups.set(key, group);
        return group;
      };

      const evictIdle = (): void => {
        const horizon = newest - idleAfter;
        for (const [key, group] of groups) {
          if (group.lastTs < horizon) {
            groups.delete(key);
            group.subject.complete();
            report?.({
              ts: newest,
              kind: 'series-evicted',
              count: 1,
              series: key,
              message: `series ${key} idle since ${group.lastTs} µs; state released`,
            });
          }
        }
      };

      const reportLimit = (ts: number): void => {
        reportedSamples = rejectedSamples;
        report?.({
          ts,
          kind: 'series-limit',
          count: rejectedSamples,
          series: lastRejected,
          message: `series limit of ${maxSeries} reached: ${rejectedSamples} samples of ${rejectedSeries.size}${rejectedSeries.size >= MAX_TRACKED_REJECTED ? '+' : ''} further series not analysed (latest: ${lastRejected})`,
        });
      };

      const completeAll = (): void => {
        for (const group of groups.values()) group.subject.complete();
        groups.clear();
      };

      const fail = (err: unknown): void => {
        if (closed) return;
        closed = true;
        for (const group of groups.values()) group.subscription.unsubscribe();
        groups.clear();
        subscriber.error(err);
      };

      const accept = (sample: Sample): void => {
        if (sample.ts > newest) {
          newest = sample.ts;
          if (newest >= nextScan) {
            if (nextScan !== Number.NEGATIVE_INFINITY) evictIdle();
            nextScan = newest + idleAfter / 4;
          }
        }
        const key = keyOf(sample.metric, sample.tags);
        let group = groups.get(key);
        if (group === undefined) {
          if (groups.size >= maxSeries) {
            rejectedSamples++;
            const isNew = !rejectedSeries.has(key) && rejectedSeries.size < MAX_TRACKED_REJECTED;
            if (isNew) rejectedSeries.add(key);
            lastRejected = key;
            if (isNew || rejectedSamples % 10_000 === 0) reportLimit(sample.ts);
            return;
          }
          group = open(key, sample);
        }
        if (sample.ts > group.lastTs) group.lastTs = sample.ts;
        group.subject.next(sample);
      };

      const subscription = source.subscribe({
        next: (sample) => {
          if (closed) return;
          try {
            accept(sample);
          } catch (err) {
            fail(err); // e.g. a projection that throws while building a series' graph
          }
        },
        error: (err: unknown) => fail(err),
        complete: () => {
          if (closed) return;
          closed = true;
          // The throttled reports above may lag; the last one covers every rejected sample.
          if (rejectedSamples > reportedSamples) reportLimit(newest);
          completeAll();
          subscriber.complete();
        },
      });

      return () => {
        closed = true;
        subscription.unsubscribe();
        for (const group of groups.values()) group.subscription.unsubscribe();
        groups.clear();
      };
    });
}
