import type { Alert, AlertKind, AlertState as State, Severity } from '../model/alert.js';
import type { SeriesRef } from '../model/events.js';
import { alertId } from './alertId.js';
import type { AlertDetails } from './definition.js';

/** What the alert state machine needs of a rule. */
export interface AlertPolicy {
  readonly rule: string;
  readonly kind: AlertKind;
  readonly severity: Severity;
  /** How long (µs) the condition must hold before pending becomes firing. */
  readonly forMicros: number;
  /** How long (µs) the condition must stay clear before firing becomes resolved. */
  readonly keepFiringForMicros: number;
}

/**
 * The alert life cycle of one rule on one series, on event time, in the manner of Prometheus
 * alerting rules: a condition that starts to hold makes the alert `pending`; once it has held for
 * `forMicros` the alert is `firing`; a firing alert is `resolved` only after its condition has
 * stayed clear for `keepFiringForMicros` (hysteresis against flapping). A pending alert whose
 * condition clears is resolved at once. Only transitions produce an alert. The id hashes rule,
 * series and start time, so a replay yields the same ids. O(1) per evaluation.
 */
export class AlertState {
  private state: State | null = null;
  private since = 0;
  private clearSince: number | null = null;

  constructor(
    private policy: AlertPolicy,
    private readonly series: SeriesRef,
  ) {}

  /**
   * One evaluation at `ts`: whether the condition holds, and how to describe `result` should the
   * alert change state (called only then). Returns the transition, or null. `policy` replaces the
   * rule's from this evaluation on (detector signals carry their own).
   */
  update<R>(
    ts: number,
    active: boolean,
    result: R,
    describe: (result: R) => AlertDetails,
    policy: AlertPolicy = this.policy,
  ): Alert | null {
    this.policy = policy;
    const { forMicros, keepFiringForMicros } = policy;
    switch (this.state) {
      case null: {
        if (!active) return null;
        this.state = forMicros <= 0 ? 'firing' : 'pending';
        this.since = ts;
        this.clearSince = null;
        return this.alert(this.state, ts, describe(result));
      }
      case 'pending':
        if (!active) {
          this.state = null;
          return this.alert('resolved', ts, describe(result));
        }
        if (ts - this.since < forMicros) return null;
        this.state = 'firing';
        return this.alert('firing', ts, describe(result));
      default:
        if (active) {
          this.clearSince = null;
          return null;
        }
        this.clearSince ??= ts;
        if (ts - this.clearSince < keepFiringForMicros) return null;
        this.state = null;
        return this.alert('resolved', ts, describe(result));
    }
  }

  private alert(state: State, ts: number, details: AlertDetails): Alert {
    const { rule, kind, severity } = this.policy;
    const { series, metric, tags, metricKind } = this.series;
    return {
      id: alertId(rule, series, this.since),
      rule,
      kind,
      severity,
      state,
      series,
      metric,
      tags,
      metricKind,
      ts,
      since: this.since,
      value: details.value,
      baseline: details.baseline,
      effect: details.effect,
      pValue: details.pValue,
      message: details.message,
    };
  }
}
