import type { SeriesContext } from '../detectors/definition.js';
import type { Sample } from '../model/sample.js';
import { seriesKey } from '../model/seriesKey.js';
import { metricKind } from './metricKind.js';
import type { MetricSpec } from './rule.js';
import { globToRegExp } from './ruleMatches.js';

/**
 * The series a sample belongs to, as detectors see it: its key, metric, tags, its kind and unit,
 * worked out here once per series, from its first sample. The first of `metrics` whose glob names
 * the metric states its kind and, when the sample states none, its unit; otherwise the kind comes
 * from unit, name and value (see metricKind). `key` is the series key when the caller has it
 * already. O(t log t) for t tags without a key, plus O(specs).
 */
export function seriesOf(
  sample: Sample,
  key = seriesKey(sample.metric, sample.tags),
  metrics: readonly MetricSpec[] = [],
): SeriesContext {
  const spec = metrics.find((candidate) => globToRegExp(candidate.metric).test(sample.metric));
  const unit = sample.unit ?? spec?.unit;
  return {
    series: key,
    metric: sample.metric,
    tags: sample.tags,
    metricKind: spec?.kind ?? metricKind(sample.metric, unit, sample.value),
    ...(unit !== undefined ? { unit } : {}),
  };
}
