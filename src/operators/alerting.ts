import { Observable, type OperatorFunction } from 'rxjs';
import type { Alert, AlertState } from '../model/alert.js';
import { alertId } from './alertId.js';
import { guarded } from './guarded.js';
import type { DetectorSignal } from './detectorSignal.js';

interface RuleState {
  state: AlertState;
  since: number;
  clearSince: number | null;
}

const toAlert = (signal: DetectorSignal, state: AlertState, since: number): Alert => ({
  id: alertId(signal.rule, signal.series, since),
  rule: signal.rule,
  kind: signal.kind,
  severity: signal.severity,
  state,
  series: signal.series,
  metric: signal.metric,
  tags: signal.tags,
  ts: signal.ts,
  since,
  value: signal.value,
  baseline: signal.baseline,
  effect: signal.effect,
  pValue: signal.pValue,
  message: typeof signal.message === 'function' ? signal.message() : signal.message,
});

/**
 * Alert life cycle per rule and series, on event time, in the manner of Prometheus alerting
 * rules: a condition that starts to hold makes the alert `pending`; once it has held for
 * `forMicros` the alert is `firing`; a firing alert is `resolved` only after its condition has
 * stayed clear for `keepFiringForMicros` (hysteresis against flapping). A pending alert whose
 * condition clears is resolved at once. Only transitions are emitted. The id hashes rule,
 * series and start time, so a replay yields the same ids. O(1) per signal.
 */
export function alerting(): OperatorFunction<DetectorSignal, Alert> {
  return (source) =>
    new Observable<Alert>((subscriber) => {
      // By rule, then series: no key string is built per signal (outlier rules signal per sample).
      const states = new Map<string, Map<string, RuleState>>();
      const subscription = source.subscribe({
        next: guarded(subscriber, (signal: DetectorSignal) => {
          let byRule = states.get(signal.rule);
          if (byRule === undefined) states.set(signal.rule, (byRule = new Map()));
          const key = signal.series;
          const current = byRule.get(key);
          if (current === undefined) {
            if (!signal.active) return;
            const firing = signal.forMicros <= 0;
            byRule.set(key, { state: firing ? 'firing' : 'pending', since: signal.ts, clearSince: null });
            subscriber.next(toAlert(signal, firing ? 'firing' : 'pending', signal.ts));
            return;
          }
          if (current.state === 'pending') {
            if (!signal.active) {
              byRule.delete(key);
              subscriber.next(toAlert(signal, 'resolved', current.since));
            } else if (signal.ts - current.since >= signal.forMicros) {
              current.state = 'firing';
              subscriber.next(toAlert(signal, 'firing', current.since));
            }
            return;
          }
          // firing
          if (signal.active) {
            current.clearSince = null;
            return;
          }
          current.clearSince ??= signal.ts;
          if (signal.ts - current.clearSince >= signal.keepFiringForMicros) {
            byRule.delete(key);
            subscriber.next(toAlert(signal, 'resolved', current.since));
          }
        }),
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
      return () => subscription.unsubscribe();
    });
}
