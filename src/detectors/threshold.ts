import * as t from 'io-ts';
import { formatQuantity } from '../model/formatQuantity.js';
import type { Stat } from '../model/stat.js';
import type { DetectorDefinition } from './definition.js';
import { NONE, type Processor } from './processor.js';

/** Numeric Stat fields a threshold rule can test. */
export type StatField = 'n' | 'min' | 'max' | 'mean' | 'stdev' | 'median' | 'mad' | 'p50' | 'p90' | 'p95' | 'p99';

/** Options of the threshold detector: a rolling statistic and the limit(s) it must stay within. */
export interface ThresholdOptions {
  readonly stat: StatField;
  readonly above?: number;
  readonly below?: number;
}

const StatFieldCodec = t.keyof(
  {
    n: null,
    min: null,
    max: null,
    mean: null,
    stdev: null,
    median: null,
    mad: null,
    p50: null,
    p90: null,
    p95: null,
    p99: null,
  },
  'one of n, min, max, mean, stdev, median, mad, p50, p90, p95, p99',
);

/**
 * Hands each rolling Stat of a series on as it comes: the threshold is a condition on the Stat
 * itself, so its result is the Stat (held in one reused array). O(1) per Stat.
 */
export class StatPassThrough implements Processor<Stat, Stat> {
  private readonly one: Stat[] = [];

  push(stat: Stat): readonly Stat[] {
    this.one[0] = stat;
    return this.one;
  }

  end(): readonly Stat[] {
    return NONE;
  }
}

const limitText = ({ above, below }: ThresholdOptions, unit: string | undefined): string =>
  above !== undefined ? `above ${formatQuantity(above, unit)}` : `below ${formatQuantity(below ?? 0, unit)}`;

/** The threshold detector: any rolling statistic above or below a limit (k6-style `p95 < 200`). */
export const thresholdDetector: DetectorDefinition<'threshold', ThresholdOptions, Stat, Stat, 'stat'> = {
  type: 'threshold',
  input: 'stats',
  fields: { stat: StatFieldCodec, above: t.number, below: t.number },
  required: ['stat'],
  defaults: {},
  compile(options) {
    if (options.above === undefined && options.below === undefined)
      throw new RangeError(`threshold: give a limit, above or below, for ${options.stat}`);
    return () => new StatPassThrough();
  },
  active: (stat, { stat: field, above, below }) =>
    (above !== undefined && stat[field] > above) || (below !== undefined && stat[field] < below),
  describe: (stat, options, { series, unit }) => {
    const value = stat[options.stat];
    const limit = options.above ?? options.below ?? 0;
    return {
      value,
      baseline: limit,
      effect: limit !== 0 ? value / limit - 1 : 0,
      pValue: null,
      message:
        `${series}: ${options.stat} of the last ${stat.n} samples is ${formatQuantity(value, unit)} ` +
        `(alerts when ${limitText(options, unit)})`,
    };
  },
};
