import type { OperatorFunction } from 'rxjs';
import {
  RollingStats,
  ROLLING_STATS_DEFAULTS,
  validateRollingStats,
  type RollingStatsOptions,
} from '../detectors/rollingStats.js';
import type { SeriesRef } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import type { Stat } from '../model/stat.js';
import { seriesOf } from '../rules/seriesOf.js';
import { FirstSampleSeries } from './detectorOperator.js';
import { processorOperator } from './processorOperator.js';

/** Options of {@link rollingStats}: window and hop (defaults 60 s every 10 s), and the series. */
export interface RollingStatsOperatorOptions extends Partial<RollingStatsOptions> {
  /** Identity of the series; taken from the first sample when absent. */
  readonly ref?: SeriesRef;
}

/** Rolling statistics of one series on event time (see the RollingStats processor). */
export function rollingStats(options: RollingStatsOperatorOptions = {}): OperatorFunction<Sample, Stat> {
  const resolved: RollingStatsOptions = {
    window: options.window ?? ROLLING_STATS_DEFAULTS.window,
    hop: options.hop ?? ROLLING_STATS_DEFAULTS.hop,
  };
  validateRollingStats(resolved);
  const create = (series: SeriesRef): RollingStats => new RollingStats(resolved, series);
  return processorOperator(() => new FirstSampleSeries(create, (first) => options.ref ?? seriesOf(first)));
}
