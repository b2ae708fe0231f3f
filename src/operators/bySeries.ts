import { Observable, Subject, type OperatorFunction, type Subscription } from 'rxjs';
import { checkedSeriesLimits, SeriesTable, type SeriesTableOptions } from '../analysis/seriesTable.js';
import type { SeriesRef } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { seriesOf } from '../rules/seriesOf.js';

/** Options of {@link bySeries}: the cardinality limit, idle eviction and diagnostics of SeriesTable. */
export type BySeriesOptions = SeriesTableOptions;

interface Group {
  readonly subject: Subject<Sample>;
  readonly subscription: Subscription;
}

/**
 * Splits a sample stream by series (metric + sorted tags) and runs `project` once per series
 * (given the series' identity with its kind, and its first sample), with state created per
 * series, merging the results. The series are kept by a {@link SeriesTable}: idle series complete
 * (so their operators flush) and are reported, a later sample starts them afresh, and samples of
 * series beyond `maxSeries` are counted and reported instead of analysed. The analysis itself
 * (Analysis) dispatches to plain objects instead; this operator is for RxJS graphs of one's own.
 * O(1) amortised per sample plus the projections' cost.
 */
export function bySeries<R>(
  project: (series: Observable<Sample>, ref: SeriesRef, first: Sample) => Observable<R>,
  options: BySeriesOptions = {},
): OperatorFunction<Sample, R> {
  checkedSeriesLimits(options); // now, not at subscription
  return (source) =>
    new Observable<R>((subscriber) => {
      let closed = false;
      const groups = new Set<Group>();
      const fail = (error: unknown): void => {
        if (closed) return;
        closed = true;
        for (const group of groups) group.subscription.unsubscribe();
        groups.clear();
        table.clear();
        subscriber.error(error);
      };
      const table = new SeriesTable<Group>(
        {
          open: (key, first) => {
            const subject = new Subject<Sample>();
            const { unit: _unit, ...ref } = seriesOf(first, key);
            // Project and subscribe before the first sample arrives, so the group sees all of them.
            const subscription = project(subject, ref, first).subscribe({
              next: (value) => subscriber.next(value),
              error: fail,
            });
            const group = { subject, subscription };
            groups.add(group);
            return group;
          },
          close: (group) => {
            groups.delete(group);
            group.subject.complete();
          },
        },
        options,
      );
      const subscription = source.subscribe({
        next: (sample) => {
          if (closed) return;
          try {
            table.stateOf(sample)?.subject.next(sample);
          } catch (error) {
            fail(error); // e.g. a projection that throws while building a series' graph
          }
        },
        error: fail,
        complete: () => {
          if (closed) return;
          closed = true;
          table.closeAll();
          subscriber.complete();
        },
      });
      return () => {
        closed = true;
        subscription.unsubscribe();
        for (const group of groups) group.subscription.unsubscribe();
        groups.clear();
      };
    });
}
