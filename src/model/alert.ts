import type { MetricKind } from './metricKind.js';
import type { Tags } from './sample.js';

/** Life cycle of an alert: pending until its `for` duration has passed, then firing, then resolved. */
export type AlertState = 'pending' | 'firing' | 'resolved';

/** Which detector raised the alert. */
export type AlertKind =
  'regression' | 'leak' | 'scaling' | 'changepoint' | 'outlier' | 'threshold' | 'anomaly' | 'recovery';

/**
 * Why a resolved alert resolved: its condition stayed clear (`cleared`), a later change point on
 * the series opened an alert of its own (`superseded`), or the series sent nothing for `idleAfter`
 * and its state was released (`idle`).
 */
export type ResolveReason = 'cleared' | 'superseded' | 'idle';

/** How bad it is. */
export type Severity = 'info' | 'warning' | 'critical';

/**
 * One state transition of an alert (Avro schema `Alert`). `id` is deterministic: a hash of
 * rule, series and the event time the condition started, so replays and redeliveries deduplicate.
 */
export interface Alert {
  readonly id: string;
  readonly rule: string;
  readonly kind: AlertKind;
  readonly severity: Severity;
  readonly state: AlertState;
  readonly series: string;
  readonly metric: string;
  readonly tags: Tags;
  /** What the series' metric measures (the kind the rules matched it by). */
  readonly metricKind: MetricKind;
  /** Event time of this transition (for firing: when the condition was detected), epoch µs. */
  readonly ts: number;
  /** Event time the condition first held (the start of `pending`), epoch µs. */
  readonly since: number;
  /**
   * Estimated event time the change behind the alert began (change points: Page's CUSUM onset),
   * epoch µs; null or absent when the detector estimates none. Always ≤ `since`.
   */
  readonly onset?: number | null;
  /** The observed value: recent median, slope per hour, efficiency... depending on `kind`. */
  readonly value: number;
  /** What `value` is compared with: baseline median, zero slope, linear scaling... */
  readonly baseline: number;
  /** Relative effect size, e.g. +0.21 for a 21% latency increase. */
  readonly effect: number;
  readonly pValue?: number | null;
  readonly message: string;
  /** Why a resolved alert resolved; null or absent for pending and firing ones. */
  readonly reason?: ResolveReason | null;
}
