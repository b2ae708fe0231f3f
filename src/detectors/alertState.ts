import type { Alert, AlertKind, ResolveReason, AlertState as State, Severity } from '../model/alert.js';
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
 * Consecutive clear evaluations a firing alert needs, besides `keepFiringFor`, before it resolves:
 * a condition that alternates between evaluations never resolves, whatever the evaluation rate
 * (the "soft state" of Nagios' checks, which must repeat before a state changes).
 */
export const CLEAR_EVALUATIONS_TO_RESOLVE = 3;

/**
 * The alert life cycle of one rule on one series, on event time, in the manner of Prometheus
 * alerting rules: a condition that starts to hold makes the alert `pending`; once it has held for
 * `forMicros` the alert is `firing`; a firing alert is `resolved` only after its condition has
 * stayed clear for `keepFiringForMicros` and for {@link CLEAR_EVALUATIONS_TO_RESOLVE} evaluations
 * in a row (hysteresis against flapping). A pending alert whose condition clears is resolved at
 * once. Detectors whose results are events (change points) {@link supersede} the open alert with
 * each new one; a series released for idleness {@link evict}s it. Only transitions produce an
 * alert. The id hashes rule, series and start time, so a replay yields the same ids. O(1) per
 * evaluation.
 */
export class AlertState {
  private state: State | null = null;
  private since = 0;
  private clearSince: number | null = null;
  private clearCount = 0;
  private onset: number | null = null;
  private details: AlertDetails | null = null;

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
        this.clearCount = 0;
        const details = describe(result);
        this.onset = details.onset ?? null;
        return this.alert(this.state, ts, details);
      }
      case 'pending':
        if (!active) {
          this.state = null;
          return this.alert('resolved', ts, describe(result), 'cleared');
        }
        if (ts - this.since < forMicros) return null;
        this.state = 'firing';
        return this.alert('firing', ts, describe(result));
      default:
        if (active) {
          this.clearSince = null;
          this.clearCount = 0;
          return null;
        }
        this.clearSince ??= ts;
        this.clearCount++;
        if (ts - this.clearSince < keepFiringForMicros || this.clearCount < CLEAR_EVALUATIONS_TO_RESOLVE) return null;
        this.state = null;
        return this.alert('resolved', ts, describe(result), 'cleared');
    }
  }

  /**
   * Resolves the open alert, if any, at `ts` because a new episode begins (a later change point):
   * the caller then opens the new one with {@link update}. Returns the transition, or null.
   */
  supersede(ts: number): Alert | null {
    return this.close(ts, 'superseded');
  }

  /** Resolves the open alert, if any, at `ts` because its series was released for idleness. */
  evict(ts: number): Alert | null {
    return this.close(ts, 'idle');
  }

  private close(ts: number, reason: ResolveReason): Alert | null {
    if (this.state === null || this.details === null) return null;
    this.state = null;
    return this.alert('resolved', ts, this.details, reason);
  }

  private alert(state: State, ts: number, details: AlertDetails, reason: ResolveReason | null = null): Alert {
    this.details = details;
    const { rule, kind, severity } = this.policy;
    const { series, metric, tags, metricKind } = this.series;
    const message =
      reason === 'superseded'
        ? `${details.message} (superseded by a later change)`
        : reason === 'idle'
          ? `${details.message} (series idle; its state was released)`
          : details.message;
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
      onset: this.onset,
      value: details.value,
      baseline: details.baseline,
      effect: details.effect,
      pValue: details.pValue,
      message,
      reason,
    };
  }
}
