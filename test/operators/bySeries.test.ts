import fc from 'fast-check';
import { finalize, map, scan, Subject, tap, toArray, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Diagnostic, SeriesRef } from '../../src/model/events.js';
import type { Sample } from '../../src/model/sample.js';
import { seriesKey } from '../../src/model/seriesKey.js';
import { bySeries } from '../../src/operators/bySeries.js';
import { runOperator } from '../support/runOperator.js';
import { sample } from '../support/sample.js';
import { testScheduler } from '../support/testScheduler.js';

const x = (ts: number, value: number): Sample => sample(ts, value, 'latency', { host: 'x' });
const y = (ts: number, value: number): Sample => sample(ts, value, 'latency', { host: 'y' });
const X = seriesKey('latency', { host: 'x' });
const Y = seriesKey('latency', { host: 'y' });

/** Project that numbers the samples of its own series: `series#n`. */
const countPerSeries = (series: Observable<Sample>, ref: SeriesRef): Observable<string> =>
  series.pipe(
    scan((n) => n + 1, 0),
    map((n) => `${ref.series}#${n}`),
  );

describe('bySeries', () => {
  it('runs the projection per series with separate state and merges the results', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-|', { a: x(1, 1), b: y(2, 1), c: x(3, 1), d: x(4, 1) });
      expectObservable(source.pipe(bySeries(countPerSeries))).toBe('-a-b-c-d-|', {
        a: `${X}#1`,
        b: `${Y}#1`,
        c: `${X}#2`,
        d: `${X}#3`,
      });
      expectSubscriptions(source.subscriptions).toBe('^--------!');
    });
  });

  it('completes every series on completion, so their operators flush before the output completes', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c-|', { a: x(1, 1), b: y(2, 2), c: x(3, 3) });
      const sums = source.pipe(
        bySeries((series, ref) =>
          series.pipe(
            toArray(),
            map((all) => `${ref.series}=${all.length}`),
          ),
        ),
      );
      expectObservable(sums).toBe('-------(ab|)', { a: `${X}=2`, b: `${Y}=1` });
    });
  });

  it('propagates a source error and unsubscribes every series projection', () => {
    const released: string[] = [];
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-#', { a: x(1, 1), b: y(2, 1) });
      const out = source.pipe(
        bySeries((series, ref) => countPerSeries(series, ref).pipe(finalize(() => released.push(ref.series)))),
      );
      expectObservable(out).toBe('-a-b-#', { a: `${X}#1`, b: `${Y}#1` });
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
    expect(released.sort()).toEqual([X, Y].sort());
  });

  it('turns an error of one series projection into an error of the output and unsubscribes the source', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|', { a: x(1, 1), b: y(2, -1), c: x(3, 1) });
      const out = source.pipe(
        bySeries((series) =>
          series.pipe(
            map((s) => {
              if (s.value < 0) throw new Error('negative');
              return s.value;
            }),
          ),
        ),
      );
      expectObservable(out).toBe('-a-#', { a: 1 }, new Error('negative'));
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('sends an exception thrown by the projection itself to the error channel', () => {
    const run = runOperator(
      [x(1, 1), y(2, 2), x(3, 3)],
      bySeries((series, ref) => {
        if (ref.series === Y) throw new Error('cannot build the graph of y');
        return series;
      }),
    );
    expect(run.values.map((s) => s.value)).toEqual([1]);
    expect(run.error).toEqual(new Error('cannot build the graph of y'));
    expect(run.completed).toBe(false);
  });

  it('completes without output and without projecting on an empty source', () => {
    let projected = 0;
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<Sample>('--|').pipe(bySeries((series) => (projected++, series)))).toBe('--|');
    });
    expect(projected).toBe(0);
  });

  it('unsubscribes the source and every projection when the consumer unsubscribes early', () => {
    const released: string[] = [];
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('-a-b-c-|', { a: x(1, 1), b: y(2, 1), c: x(3, 1) });
      const out = source.pipe(
        bySeries((series, ref) => countPerSeries(series, ref).pipe(finalize(() => released.push(ref.series)))),
      );
      expectObservable(out, '^--!').toBe('-a-', { a: `${X}#1` });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
    expect(released).toEqual([X]);
  });

  it('calls project once per series with its identity and first sample', () => {
    const calls: { ref: SeriesRef; first: Sample }[] = [];
    const input = [x(1, 10), y(2, 20), x(3, 30), y(4, 40), sample(5, 50, 'heap'), x(6, 60)];
    const run = runOperator(
      input,
      bySeries((series, ref, first) => {
        calls.push({ ref, first });
        return series.pipe(map((s) => s.value));
      }),
    );
    expect(run.values).toEqual([10, 20, 30, 40, 50, 60]);
    expect(calls.map((c) => c.ref)).toEqual([
      { series: X, metric: 'latency', tags: { host: 'x' }, metricKind: 'latency' },
      { series: Y, metric: 'latency', tags: { host: 'y' }, metricKind: 'latency' },
      { series: 'heap', metric: 'heap', tags: {}, metricKind: 'memory' },
    ]);
    expect(calls.map((c) => c.first.value)).toEqual([10, 20, 50]);
  });

  it('counts every sample of series beyond maxSeries in series-limit diagnostics and never projects them', () => {
    const diagnostics: Diagnostic[] = [];
    const projected: string[] = [];
    const z = (ts: number): Sample => sample(ts, 0, 'latency', { host: 'z' });
    const w = (ts: number): Sample => sample(ts, 0, 'latency', { host: 'w' });
    const input = [x(1, 0), y(2, 0), z(3), z(4), w(5), x(6, 0), z(7), w(8), y(9, 0)];
    const run = runOperator(
      input,
      bySeries(
        (series, ref) => {
          projected.push(ref.series);
          return series.pipe(map((s) => s.ts));
        },
        { maxSeries: 2, onDiagnostic: (d) => diagnostics.push(d) },
      ),
    );
    expect(run.values).toEqual([1, 2, 6, 9]);
    expect(projected).toEqual([X, Y]);
    const limits = diagnostics.filter((d) => d.kind === 'series-limit');
    expect(limits.length).toBeGreaterThan(0);
    // The counts never decrease and the last one covers every rejected sample: z ×3, w ×2.
    for (let i = 1; i < limits.length; i++)
      expect((limits[i] as Diagnostic).count).toBeGreaterThanOrEqual((limits[i - 1] as Diagnostic).count);
    expect(limits.at(-1)?.count).toBe(5);
    expect(new Set(limits.map((d) => d.series))).toEqual(
      new Set([seriesKey('latency', { host: 'z' }), seriesKey('latency', { host: 'w' })]),
    );
  });

  it('completes an idle series on event time and re-opens it fresh when it returns', () => {
    const diagnostics: Diagnostic[] = [];
    const completed: string[] = [];
    // Two samples of x 5 apart: its usual interval is known, and 10 of them are less than idleAfter.
    const input: Sample[] = [x(0, 0), x(5, 0)];
    for (let ts = 10; ts <= 300; ts += 10) input.push(y(ts, 0));
    input.push(x(310, 0), x(320, 0));
    const run = runOperator(
      input,
      bySeries((series, ref) => countPerSeries(series, ref).pipe(tap({ complete: () => completed.push(ref.series) })), {
        idleAfter: 100,
        onDiagnostic: (d) => diagnostics.push(d),
      }),
    );
    const evictions = diagnostics.filter((d) => d.kind === 'series-evicted');
    expect(evictions.map((d) => d.series)).toEqual([X]);
    const eviction = evictions[0] as Diagnostic;
    // Evicted once it has been idle for more than idleAfter, within one scan period (idleAfter / 4).
    expect(eviction.ts).toBeGreaterThan(105);
    expect(eviction.ts).toBeLessThanOrEqual(105 + 25 + 10);
    expect(completed[0]).toBe(X);
    const xs = run.values.filter((v) => v.startsWith(X));
    // Fresh state after the return: the count restarts at 1.
    expect(xs).toEqual([`${X}#1`, `${X}#2`, `${X}#1`, `${X}#2`]);
    expect(completed.sort()).toEqual([X, X, Y].sort());
  });

  it('does not evict a series that keeps receiving samples', () => {
    const diagnostics: Diagnostic[] = [];
    const input: Sample[] = [];
    for (let ts = 0; ts <= 1_000; ts += 50) input.push(x(ts, 0));
    runOperator(
      input,
      bySeries((series) => series, { idleAfter: 60, onDiagnostic: (d) => diagnostics.push(d) }),
    );
    expect(diagnostics).toEqual([]);
  });

  it('creates its groups per subscription', () => {
    const operator = bySeries(countPerSeries);
    expect(runOperator([x(1, 0), x(2, 0)], operator).values).toEqual([`${X}#1`, `${X}#2`]);
    expect(runOperator([x(1, 0)], operator).values).toEqual([`${X}#1`]);
  });

  it('refuses a bad maxSeries or idleAfter', () => {
    expect(() => bySeries((s) => s, { maxSeries: 0 })).toThrow(RangeError);
    expect(() => bySeries((s) => s, { maxSeries: 1.5 })).toThrow(RangeError);
    expect(() => bySeries((s) => s, { idleAfter: 0 })).toThrow(RangeError);
  });

  it('streaming == batch: each series sees exactly its own samples in arrival order; the rest is counted', () => {
    const metrics = ['latency', 'heap'];
    const hosts = ['a', 'b', 'c'];
    const input = fc.array(
      fc.record({ metric: fc.constantFrom(...metrics), host: fc.constantFrom(...hosts), value: fc.integer() }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(input, fc.integer({ min: 1, max: 7 }), (raw, maxSeries) => {
        const samples = raw.map((r, i) => sample(i, r.value, r.metric, { host: r.host }));
        // Batch: group in arrival order; the first maxSeries distinct series are admitted.
        const groups = new Map<string, Sample[]>();
        let rejected = 0;
        for (const s of samples) {
          const key = seriesKey(s.metric, s.tags);
          const group = groups.get(key);
          if (group !== undefined) group.push(s);
          else if (groups.size < maxSeries) groups.set(key, [s]);
          else rejected++;
        }
        const diagnostics: Diagnostic[] = [];
        const run = runOperator(
          samples,
          bySeries(
            (series, ref) =>
              series.pipe(
                toArray(),
                map((all) => [ref.series, all] as const),
              ),
            { maxSeries, onDiagnostic: (d) => diagnostics.push(d) },
          ),
        );
        expect(run.completed).toBe(true);
        expect(new Map(run.values)).toEqual(groups);
        expect(run.values).toHaveLength(groups.size);
        const limits = diagnostics.filter((d) => d.kind === 'series-limit');
        expect(limits.at(-1)?.count ?? 0).toBe(rejected);
      }),
      { numRuns: 200 },
    );
  });

  it('feeds a series its samples as they arrive, not at the end', () => {
    const input = new Subject<Sample>();
    const seen: number[] = [];
    input.pipe(bySeries((series) => series.pipe(map((s) => s.value)))).subscribe((v) => seen.push(v));
    input.next(x(1, 1));
    expect(seen).toEqual([1]);
    input.next(y(2, 2));
    expect(seen).toEqual([1, 2]);
    input.complete();
  });
});
