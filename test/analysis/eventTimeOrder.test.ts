import fc from 'fast-check';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/model/events.js';
import type { Sample } from '../../src/model/sample.js';
import { eventTime } from '../../src/operators/eventTime.js';
import { runOperator } from '../support/runOperator.js';
import { sample } from '../support/sample.js';
import { testScheduler } from '../support/testScheduler.js';

/** Batch model: which samples the watermark rule accepts, and how many are late / out of order. */
function batchEventTime(
  input: readonly Sample[],
  lateness: number,
): { accepted: Sample[]; late: Sample[]; outOfOrder: number } {
  let newest = Number.NEGATIVE_INFINITY;
  const accepted: Sample[] = [];
  const late: Sample[] = [];
  let outOfOrder = 0;
  for (const s of input) {
    if (s.ts < newest - lateness) {
      late.push(s);
      continue;
    }
    if (s.ts < newest) outOfOrder++;
    else newest = s.ts;
    accepted.push(s);
  }
  // Array.prototype.sort is stable: equal timestamps keep their arrival order.
  return { accepted: [...accepted].sort((a, b) => a.ts - b.ts), late, outOfOrder };
}

describe('eventTime', () => {
  const a = sample(10, 1);
  const b = sample(12, 2);
  const c = sample(11, 3);
  const d = sample(15, 4);
  const old = sample(5, 5);

  it('holds samples until the watermark passes them, re-sorts within the lateness and flushes on completion', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-----|', { a, b, c, d });
      // lateness 2: b (12) moves the watermark to 10 and releases a; d (15) moves it to 13 and releases c, b.
      expectObservable(source.pipe(eventTime({ allowedLateness: 2 }))).toBe('---a---(cb)--(d|)', { a, b, c, d });
      expectSubscriptions(source.subscriptions).toBe('^------------!');
    });
  });

  it('passes in-order samples straight through with zero lateness and drops older ones as late', () => {
    const diagnostics: Diagnostic[] = [];
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c-o-d|', { a, b, c, o: old, d });
      expectObservable(source.pipe(eventTime({ onDiagnostic: (x) => diagnostics.push(x) }))).toBe('-a-b-----d|', {
        a,
        b,
        d,
      });
    });
    expect(diagnostics.map((x) => [x.kind, x.count, x.ts])).toEqual([
      ['late', 1, 12],
      ['late', 2, 12],
    ]);
  });

  it('releases a sample that arrives exactly at the watermark at once', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const late = sample(85, 1);
      const atWatermark = sample(80, 2);
      // late (85) sets the watermark to 80; a sample at 80 is accepted and is already due.
      expectObservable(cold('-a-b---|', { a: late, b: atWatermark }).pipe(eventTime({ allowedLateness: 5 }))).toBe(
        '---b---(a|)',
        { a: late, b: atWatermark },
      );
    });
  });

  it('refuses a negative or non-finite lateness', () => {
    expect(() => eventTime({ allowedLateness: -1 })).toThrow(RangeError);
    expect(() => eventTime({ allowedLateness: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => eventTime({ allowedLateness: Number.NaN })).toThrow(RangeError);
  });

  it(
    'streaming == batch: emits the time-sorted accepted samples; ' + 'late and out-of-order diagnostics count exactly',
    () => {
      const input = fc.array(
        fc.record({ ts: fc.integer({ min: 0, max: 200 }), value: fc.integer({ min: -5, max: 5 }) }),
        { maxLength: 60 },
      );
      fc.assert(
        fc.property(input, fc.integer({ min: 0, max: 40 }), (raw, lateness) => {
          const samples = raw.map((r) => sample(r.ts, r.value));
          const diagnostics: Diagnostic[] = [];
          const run = runOperator(
            samples,
            eventTime({ allowedLateness: lateness, onDiagnostic: (x) => diagnostics.push(x) }),
          );
          const expected = batchEventTime(samples, lateness);
          expect(run.completed).toBe(true);
          // Same objects, in the same (stable) time order: a sorted permutation of input minus late.
          expect(run.values).toHaveLength(expected.accepted.length);
          run.values.forEach((s, i) => expect(s).toBe(expected.accepted[i]));
          const lateReports = diagnostics.filter((x) => x.kind === 'late');
          const reorderReports = diagnostics.filter((x) => x.kind === 'out-of-order');
          expect(lateReports.map((x) => x.count)).toEqual(expected.late.map((_, i) => i + 1));
          expect(reorderReports.map((x) => x.count)).toEqual(
            Array.from({ length: expected.outOfOrder }, (_, i) => i + 1),
          );
          expect(run.values.length + lateReports.length).toBe(samples.length);
        }),
        { numRuns: 300 },
      );
    },
  );

  it('releases each sample exactly when the watermark passes it (lateness > 0)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 20 }),
        (stamps, lateness) => {
          const input = new Subject<Sample>();
          const emitted: Sample[] = [];
          input.pipe(eventTime({ allowedLateness: lateness })).subscribe((s) => emitted.push(s));
          const accepted: Sample[] = [];
          let newest = Number.NEGATIVE_INFINITY;
          for (const ts of stamps) {
            const s = sample(ts, 0);
            if (ts >= newest - lateness) accepted.push(s);
            newest = Math.max(newest, ts);
            input.next(s);
            const watermark = newest - lateness;
            // Everything accepted at or below the watermark is out; nothing above it is.
            expect(new Set(emitted)).toEqual(new Set(accepted.filter((x) => x.ts <= watermark)));
          }
          input.complete();
          expect(emitted).toHaveLength(accepted.length);
        },
      ),
    );
  });

  describe('quarantine of samples too far ahead', () => {
    const HOUR = 3_600_000_000;
    const T0 = Date.UTC(2026, 0, 1) * 1000;
    const YEAR_2200 = Date.UTC(2200, 0, 1) * 1000;
    const steady = (n: number, from = T0): Sample[] =>
      Array.from({ length: n }, (_, i) => sample(from + i * 1_000_000, i % 7, 'latency', { host: `h${i % 3}` }));
    const runOrder = (
      input: readonly Sample[],
      options: { now?: () => number; allowedLateness?: number } = {},
    ): { out: Sample[]; diagnostics: Diagnostic[] } => {
      const diagnostics: Diagnostic[] = [];
      const run = runOperator(
        input,
        eventTime({ maxAhead: HOUR, onDiagnostic: (d) => diagnostics.push(d), ...options }),
      );
      return { out: run.values, diagnostics };
    };

    it('one sample dated 2200 among 1,200 is quarantined; every other sample is analysed, none late', () => {
      const normal = steady(1_200);
      const bad = sample(YEAR_2200, 99, 'latency', { host: 'skewed' });
      const input = [...normal.slice(0, 600), bad, ...normal.slice(600)];
      for (const allowedLateness of [0, 5_000_000]) {
        const { out, diagnostics } = runOrder(input, { allowedLateness });
        expect(out).toEqual(normal);
        expect(diagnostics.filter((d) => d.kind === 'late')).toEqual([]);
        expect(diagnostics.filter((d) => d.kind === 'quarantined')).toEqual([
          expect.objectContaining({ count: 1, series: 'latency{host=skewed}', limit: HOUR }),
        ]);
      }
    });

    it('a bad first sample cannot anchor event time in a replay', () => {
      const normal = steady(100);
      const { out, diagnostics } = runOrder([sample(YEAR_2200, 1), ...normal]);
      expect(out).toEqual(normal);
      expect(diagnostics.map((d) => d.kind)).toEqual(['quarantined']);
    });

    it('a short stream is accepted at its end, but for a sample a later one contradicts', () => {
      const normal = steady(5);
      const { out, diagnostics } = runOrder([...normal.slice(0, 2), sample(YEAR_2200, 1), ...normal.slice(2)]);
      expect(out).toEqual(normal);
      expect(diagnostics.map((d) => [d.kind, d.count])).toEqual([['quarantined', 1]]);
    });

    it('a sparse stream (a sample every 2 h, or every 10 min) loses nothing, though each sample is ahead', () => {
      for (const interval of [2 * HOUR, HOUR / 6]) {
        const sparse = Array.from({ length: 48 }, (_, i) => sample(T0 + i * interval, i));
        const { out, diagnostics } = runOrder(sparse);
        // It lost 28 of 48 (every 2 h) and 4 of the first 20 (every 10 min) to a median rule before.
        expect(out).toEqual(sparse);
        expect(diagnostics).toEqual([]);
      }
    });

    it('a quarantine before any sample is accepted is dated by its reference, never -Infinity', () => {
      const now = (): number => T0;
      const { diagnostics } = runOrder([sample(T0 + 2 * HOUR, 1)], { now });
      expect(diagnostics.map((d) => d.ts)).toEqual([T0]);
      const replayed = runOrder([sample(YEAR_2200, 1), ...steady(30)]).diagnostics;
      expect(replayed.map((d) => d.ts)).toEqual([T0]);
    });

    it('a real jump in event time (a day-long gap, then a run of samples) is accepted, nothing quarantined', () => {
      const before = steady(50);
      const after = steady(50, T0 + 24 * HOUR);
      const { out, diagnostics } = runOrder([...before, ...after]);
      expect(out).toEqual([...before, ...after]);
      expect(diagnostics).toEqual([]);
    });

    it('with a wall clock, samples ahead of it are quarantined at once and the first sample anchors', () => {
      const now = (): number => T0 + 10_000_000;
      const first = steady(3);
      const { out, diagnostics } = runOrder([sample(T0 + 2 * HOUR, 1), ...first], { now });
      expect(out).toEqual(first);
      expect(diagnostics).toEqual([
        expect.objectContaining({ kind: 'quarantined', count: 1, message: expect.stringContaining('wall clock') }),
      ]);
      // Nothing is held: the first sample comes out as it arrives.
      const live = runOperator(first.slice(0, 1), eventTime({ maxAhead: HOUR, now }));
      expect(live.values).toEqual(first.slice(0, 1));
    });

    it('streaming == batch: isolated samples far ahead are quarantined, all others pass as without the bound', () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 80 }),
          fc.array(fc.nat(), { maxLength: 5 }),
          fc.integer({ min: 0, max: 30 }),
          (steps, positions, lateness) => {
            let ts = T0;
            const normal = steps.map((step, i) => sample((ts += step * 1000), i));
            // Each bad sample goes before a distinct normal one, so no two are in a row.
            const at = new Set(positions.map((p) => p % normal.length));
            const input: Sample[] = [];
            normal.forEach((s, i) => {
              if (at.has(i)) input.push(sample(YEAR_2200 + i, -1, 'latency', { clock: 'bad' }));
              input.push(s);
            });
            const { out, diagnostics } = runOrder(input, { allowedLateness: lateness });
            expect(out).toEqual(batchEventTime(normal, lateness).accepted);
            expect(diagnostics.filter((d) => d.kind === 'quarantined')).toHaveLength(at.size);
          },
        ),
        { numRuns: 300 },
      );
    });

    it('refuses a bound that is not > 0 and a run length that is not an integer ≥ 1', () => {
      expect(() => eventTime({ maxAhead: 0 })).toThrow(RangeError);
      expect(() => eventTime({ maxAhead: Number.NaN })).toThrow(RangeError);
      expect(() => eventTime({ maxAhead: HOUR, confirmAhead: 0 })).toThrow(RangeError);
    });
  });
});
