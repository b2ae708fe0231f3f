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
});
