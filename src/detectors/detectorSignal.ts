import type { AlertKind, Severity } from '../model/alert.js';
import type { SeriesRef } from '../model/events.js';

/**
 * One evaluation of one rule on one series: whether its condition holds at `ts`, with the
 * numbers an alert reports. {@link AlertStates} (and the alerting operator) turn a stream of these
 * into alert states; `kind` is the detector's, `metricKind` the series'.
 */
export interface DetectorSignal extends SeriesRef {
  readonly rule: string;
  readonly kind: AlertKind;
  readonly severity: Severity;
  readonly ts: number;
  readonly active: boolean;
  readonly value: number;
  readonly baseline: number;
  readonly effect: number;
  readonly pValue: number | null;
  /** What happened, for people; a function is called only when an alert transition needs it. */
  readonly message: string | (() => string);
  /** How long (µs) the condition must hold before pending becomes firing. */
  readonly forMicros: number;
  /** How long (µs) the condition must stay clear before firing becomes resolved. */
  readonly keepFiringForMicros: number;
}
