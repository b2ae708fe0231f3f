import type { AlertKind } from '../model/alert.js';
import type { SeriesRef } from '../model/events.js';
import type { DetectorSignal } from '../operators/detectorSignal.js';
import type { DetectorConfig, Rule } from '../rules/rule.js';

/** The per-evaluation fields of a signal; the rest comes from the rule and the series. */
export type SignalFields = Pick<
  DetectorSignal,
  'ts' | 'active' | 'value' | 'baseline' | 'effect' | 'pValue' | 'message'
>;

// An alert's kind is its detector's type (the two unions name the same six detectors).
const kindOf = (type: DetectorConfig['type']): AlertKind => type;

/** A detector signal of `rule` on a series: the evaluation's fields plus the rule's kind, severity and timing. */
export function signalOf(rule: Rule, ref: SeriesRef, fields: SignalFields): DetectorSignal {
  return {
    series: ref.series,
    metric: ref.metric,
    tags: ref.tags,
    ...fields,
    rule: rule.name,
    kind: kindOf(rule.detector.type),
    severity: rule.severity,
    forMicros: rule.for,
    keepFiringForMicros: rule.keepFiringFor,
  };
}
