import type { AlertKind } from '../model/alert.js';
import type { SeriesRef } from '../model/events.js';
import type { DetectorSignal } from '../operators/detectorSignal.js';
import type { DetectorConfig, Rule } from './rule.js';

/** The per-evaluation fields of a signal; the rest comes from the rule and the series. */
export type SignalFields = Pick<DetectorSignal, 'ts' | 'active' | 'value' | 'baseline' | 'effect' | 'pValue' | 'message'>;

const KIND_OF: Readonly<Record<DetectorConfig['type'], AlertKind>> = {
  regression: 'regression',
  leak: 'leak',
  changepoint: 'changepoint',
  outlier: 'outlier',
  threshold: 'threshold',
  scaling: 'scaling',
};

/** A detector signal of `rule` on a series: the evaluation's fields plus the rule's kind, severity and timing. */
export function signalOf(rule: Rule, ref: SeriesRef, fields: SignalFields): DetectorSignal {
  return {
    series: ref.series,
    metric: ref.metric,
    tags: ref.tags,
    ...fields,
    rule: rule.name,
    kind: KIND_OF[rule.detector.type],
    severity: rule.severity,
    forMicros: rule.for,
    keepFiringForMicros: rule.keepFiringFor,
  };
}
