import type { Alert } from '../model/alert.js';
import type { AlertDetails } from './definition.js';
import { AlertState, type AlertPolicy } from './alertState.js';
import type { DetectorSignal } from './detectorSignal.js';
import { NONE, type Processor } from './processor.js';

const detailsOf = (signal: DetectorSignal): AlertDetails => ({
  value: signal.value,
  baseline: signal.baseline,
  effect: signal.effect,
  pValue: signal.pValue,
  message: typeof signal.message === 'function' ? signal.message() : signal.message,
});

/**
 * Alert states of any number of rules and series, fed detector signals: one {@link AlertState}
 * per rule and series, kept by rule, then series (no key string is built per signal). O(1) per
 * signal.
 */
export class AlertStates implements Processor<DetectorSignal, Alert> {
  private readonly states = new Map<string, Map<string, AlertState>>();

  push(signal: DetectorSignal): readonly Alert[] {
    let byRule = this.states.get(signal.rule);
    if (byRule === undefined) this.states.set(signal.rule, (byRule = new Map()));
    let state = byRule.get(signal.series);
    if (state === undefined && !signal.active) return NONE;
    // A signal carries its rule's kind, severity and timing: each evaluation brings them along.
    const policy: AlertPolicy = {
      rule: signal.rule,
      kind: signal.kind,
      severity: signal.severity,
      forMicros: signal.forMicros,
      keepFiringForMicros: signal.keepFiringForMicros,
    };
    if (state === undefined) byRule.set(signal.series, (state = new AlertState(policy, signal)));
    const alert = state.update(signal.ts, signal.active, signal, detailsOf, policy);
    return alert !== null ? [alert] : NONE;
  }

  end(): readonly Alert[] {
    return NONE;
  }
}
