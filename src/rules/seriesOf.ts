import type { SeriesContext } from '../detectors/definition.js';
import type { Sample } from '../model/sample.js';
import { seriesKey } from '../model/seriesKey.js';
import { metricKind } from './metricKind.js';

/**
 * The series a sample belongs to, as detectors see it: its key, metric, tags, its kind (from name
 * and unit, worked out here once per series) and unit. `key` is the series key when the caller
 * has it already. O(t log t) for t tags without a key.
 */
export function seriesOf(sample: Sample, key = seriesKey(sample.metric, sample.tags)): SeriesContext {
  const unit = sample.unit;
  return {
    series: key,
    metric: sample.metric,
    tags: sample.tags,
    metricKind: metricKind(sample.metric, unit),
    ...(unit !== undefined ? { unit } : {}),
  };
}
