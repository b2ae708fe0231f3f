import fc from 'fast-check';
import { map } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Alert, AlertState } from '../../src/model/alert.js';
import { alertId } from '../../src/detectors/alertId.js';
import { alerting } from '../../src/operators/alerting.js';
import type { DetectorSignal } from '../../src/detectors/detectorSignal.js';
import { runOperator } from '../support/runOperator.js';
import { testScheduler } from '../support/testScheduler.js';

const signal = (ts: number, active: boolean, overrides: Partial<DetectorSignal> = {}): DetectorSignal => ({
  series: 'latency{host=a}',
  metric: 'latency',
  tags: { host: 'a' },
  metricKind: 'latency',
  rule: 'latency-regression',
  kind: 'regression',
  severity: 'warning',
  ts,
  active,
  value: active ? 120 : 100,
  baseline: 100,
  effect: active ? 0.2 : 0,
  pValue: 0.0001,
  message: 'p50 latency vs baseline',
  forMicros: 10,
  keepFiringForMicros: 20,
  ...overrides,
});

const brief = (alert: Alert): string => `${alert.state}@${alert.ts}/${alert.since}`;

/**
 * Reference life cycle: each (rule, series) walks idle → pending → firing → idle, written as a
 * transition table.
 */
function referenceAlerts(
  signals: readonly DetectorSignal[],
): { state: AlertState; ts: number; since: number; rule: string; series: string }[] {
  type Phase =
    | { name: 'idle' }
    | { name: 'pending'; since: number }
    | { name: 'firing'; since: number; clearSince: number | null; clears: number };
  const phases = new Map<string, Phase>();
  const out: { state: AlertState; ts: number; since: number; rule: string; series: string }[] = [];
  for (const s of signals) {
    const key = JSON.stringify([s.rule, s.series]);
    const phase: Phase = phases.get(key) ?? { name: 'idle' };
    const emit = (state: AlertState, since: number): void => {
      out.push({ state, ts: s.ts, since, rule: s.rule, series: s.series });
    };
    let next: Phase = phase;
    if (phase.name === 'idle' && s.active) {
      if (s.forMicros <= 0) {
        next = { name: 'firing', since: s.ts, clearSince: null, clears: 0 };
        emit('firing', s.ts);
      } else {
        next = { name: 'pending', since: s.ts };
        emit('pending', s.ts);
      }
    } else if (phase.name === 'pending' && !s.active) {
      next = { name: 'idle' };
      emit('resolved', phase.since);
    } else if (phase.name === 'pending' && s.ts - phase.since >= s.forMicros) {
      next = { name: 'firing', since: phase.since, clearSince: null, clears: 0 };
      emit('firing', phase.since);
    } else if (phase.name === 'firing' && s.active) {
      next = { ...phase, clearSince: null, clears: 0 };
    } else if (phase.name === 'firing') {
      // Resolved once clear for keepFiringFor and for three evaluations in a row.
      const clearSince = phase.clearSince ?? s.ts;
      const clears = phase.clears + 1;
      if (s.ts - clearSince >= s.keepFiringForMicros && clears >= 3) {
        next = { name: 'idle' };
        emit('resolved', phase.since);
      } else next = { ...phase, clearSince, clears };
    }
    phases.set(key, next);
  }
  return out;
}

describe('alerting', () => {
  it('goes pending when the condition starts, firing after `for`, resolved after `keepFiringFor` clear', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-e-f-g-|', {
        a: signal(0, false),
        b: signal(5, true),
        c: signal(10, true),
        d: signal(15, true),
        e: signal(20, false),
        f: signal(30, true),
        g: signal(50, false),
      });
      // Pending at 5, firing at 15 (held 10), the clear at 20 is cut short by 30, a clear from 50
      // has not lasted 20 yet.
      expectObservable(source.pipe(alerting(), map(brief))).toBe('---p---f-------|', {
        p: 'pending@5/5',
        f: 'firing@15/5',
      });
      expectSubscriptions(source.subscriptions).toBe('^--------------!');
    });
  });

  it('resolves a firing alert once its condition has stayed clear for keepFiringFor and three evaluations', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c-d-e-|', {
        a: signal(0, true),
        b: signal(10, true),
        c: signal(20, false),
        d: signal(40, false),
        e: signal(41, false),
      });
      // Clear for 20 at 40, but only for two evaluations: the third one resolves.
      expectObservable(source.pipe(alerting(), map(brief))).toBe('-p-f-----r-|', {
        p: 'pending@0/0',
        f: 'firing@10/0',
        r: 'resolved@41/0',
      });
    });
  });

  it('does not flap: a condition that alternates between evaluations keeps the alert firing', () => {
    // Before, with keepFiringFor 0, every clear evaluation resolved the alert and the next active
    // one opened another: 13 firings in a row of 25 evaluations.
    const input = Array.from({ length: 25 }, (_, i) =>
      signal(i * 10, i % 2 === 0, { forMicros: 0, keepFiringForMicros: 0 }),
    );
    const alerts = runOperator(input, alerting()).values;
    expect(alerts.map(brief)).toEqual(['firing@0/0']);
    // Three clear evaluations in a row do resolve it.
    const cleared = runOperator(
      [...input, ...[250, 260, 270].map((ts) => signal(ts, false, { forMicros: 0, keepFiringForMicros: 0 }))],
      alerting(),
    ).values;
    expect(cleared.map(brief)).toEqual(['firing@0/0', 'resolved@270/0']);
    expect(cleared[1]?.reason).toBe('cleared');
  });

  it('resolves a pending alert at once when its condition clears, and fires at once when for is 0', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c-|', {
        a: signal(0, true),
        b: signal(3, false),
        c: signal(4, true, { forMicros: 0 }),
      });
      expectObservable(source.pipe(alerting(), map(brief))).toBe('-p-r-f-|', {
        p: 'pending@0/0',
        r: 'resolved@3/0',
        f: 'firing@4/4',
      });
    });
  });

  it('carries the signal numbers and a deterministic id into every alert', () => {
    const [alert] = runOperator([signal(7, true)], alerting()).values;
    expect(alert).toEqual({
      id: alertId('latency-regression', 'latency{host=a}', 7),
      rule: 'latency-regression',
      kind: 'regression',
      severity: 'warning',
      state: 'pending',
      series: 'latency{host=a}',
      metric: 'latency',
      metricKind: 'latency',
      tags: { host: 'a' },
      ts: 7,
      since: 7,
      value: 120,
      baseline: 100,
      effect: 0.2,
      pValue: 0.0001,
      onset: null,
      message: 'p50 latency vs baseline',
      reason: null,
    });
  });

  it('tracks rules and series separately', () => {
    const input = [
      signal(0, true),
      signal(1, true, { series: 'latency{host=b}' }),
      signal(2, true, { rule: 'other' }),
      signal(10, true),
      signal(11, false, { series: 'latency{host=b}' }),
    ];
    expect(runOperator(input, alerting()).values.map((a) => `${a.rule}:${a.series}:${brief(a)}`)).toEqual([
      'latency-regression:latency{host=a}:pending@0/0',
      'latency-regression:latency{host=b}:pending@1/1',
      'other:latency{host=a}:pending@2/2',
      'latency-regression:latency{host=a}:firing@10/0',
      'latency-regression:latency{host=b}:resolved@11/1',
    ]);
  });

  it('gives identical ids across two runs of the same signals, and different ids when the start differs', () => {
    const input = [signal(0, true), signal(10, true), signal(20, false), signal(40, false), signal(50, true)];
    const first = runOperator(input, alerting()).values;
    const second = runOperator(input, alerting()).values;
    expect(second.map((a) => a.id)).toEqual(first.map((a) => a.id));
    // One episode from 0 (pending, firing, resolved share its id), a new one from 50.
    expect(new Set(first.slice(0, 3).map((a) => a.id)).size).toBe(1);
    expect(first[3]?.id).not.toBe(first[0]?.id);
    const shifted = runOperator(
      input.map((s) => ({ ...s, ts: s.ts + 1 })),
      alerting(),
    ).values;
    shifted.forEach((alert, i) => expect(alert.id).not.toBe(first[i]?.id));
  });

  it('transitions match a reference state machine for random signals, for and keepFiringFor', () => {
    const input = fc.record({
      forMicros: fc.integer({ min: -2, max: 20 }),
      keepFiringForMicros: fc.integer({ min: 0, max: 20 }),
      steps: fc.array(
        fc.record({
          gap: fc.integer({ min: 0, max: 8 }),
          active: fc.boolean(),
          rule: fc.constantFrom('r1', 'r2'),
          series: fc.constantFrom('s1', 's2'),
        }),
        { maxLength: 80 },
      ),
    });
    fc.assert(
      fc.property(input, ({ forMicros, keepFiringForMicros, steps }) => {
        let ts = 0;
        const signals = steps.map((step) =>
          signal((ts += step.gap), step.active, {
            rule: step.rule,
            series: step.series,
            forMicros,
            keepFiringForMicros,
          }),
        );
        const alerts = runOperator(signals, alerting()).values;
        const expected = referenceAlerts(signals);
        expect(
          alerts.map((a) => ({ state: a.state, ts: a.ts, since: a.since, rule: a.rule, series: a.series })),
        ).toEqual(expected);
        alerts.forEach((a) => expect(a.id).toBe(alertId(a.rule, a.series, a.since)));
      }),
      { numRuns: 500 },
    );
  });
});
