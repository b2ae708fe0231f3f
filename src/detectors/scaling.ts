import * as t from 'io-ts';
import type { ScalingResult, SeriesRef } from '../model/events.js';
import { Fraction, PositiveInteger } from '../model/fields/fraction.js';
import { formatPercent } from '../model/formatQuantity.js';
import type { Sample, Tags } from '../model/sample.js';
import { seriesKey } from '../model/seriesKey.js';
import { CountWindow } from '../stats/countWindow.js';
import { fitUsl } from '../stats/usl.js';
import { identityOf, type DetectorDefinition } from './definition.js';
import { NONE, type Processor } from './processor.js';

/** Options of the scaling detector. */
export interface ScalingOptions {
  /** Tag that carries the concurrency level (load generator workers, connections...). Default 'concurrency'. */
  readonly concurrencyTag: string;
  /**
   * Tags that change with every load step besides the concurrency tag; a scaling group is a
   * series without them. Default ['stage'], the step tag of the closed-model load generator.
   */
  readonly ignoreTags: readonly string[];
  /** Efficiency at the highest level below which scaling is degraded. Default 0.5. */
  readonly minEfficiency: number;
  /** Throughput at the highest level below this fraction of the best level's is retrograde. Default 0.95. */
  readonly retrogradeFraction: number;
  /** Throughput samples kept per level; the level's throughput is their median. Default 1024. */
  readonly samplesPerLevel: number;
}

interface Level {
  readonly concurrency: number;
  readonly window: CountWindow;
}

function validate(options: ScalingOptions): void {
  if (!Number.isInteger(options.samplesPerLevel) || options.samplesPerLevel < 1)
    throw new RangeError(
      `scalingEfficiency: samplesPerLevel must be a positive integer, got ${options.samplesPerLevel}`,
    );
}

/**
 * Scaling efficiency of a throughput metric measured at several concurrency levels N (e.g. the
 * closed-model steps 1, 2, 4, 8...): the level's throughput X(N) is the median of its samples,
 * efficiency E(N) = (X(N)/N) / (X(N₀)/N₀) against the lowest level N₀, and from three levels on
 * the Universal Scalability Law X(N) = λN / (1 + σ(N−1) + κN(N−1)) is fitted (Gunther 2007)
 * to give contention σ, coherency κ and the peak N* = √((1−σ)/κ). A result is emitted each time
 * the level changes and at the end. O(log W) per sample; O(L) plus the fit per result.
 */
export class ScalingEfficiency implements Processor<Sample, ScalingResult> {
  private readonly levels = new Map<number, Level>();
  private current = Number.NaN;
  private lastTs = 0;

  /** `group` is the scaling group: the series without its concurrency tag. */
  constructor(
    private readonly options: ScalingOptions,
    private readonly group: SeriesRef,
  ) {}

  push(sample: Sample): readonly ScalingResult[] {
    // Own tags only: a concurrency tag named like an Object.prototype member (constructor) is a tag like any other.
    const tag = this.options.concurrencyTag;
    const concurrency = Object.hasOwn(sample.tags, tag) ? Number(sample.tags[tag]) : Number.NaN;
    if (!(concurrency > 0) || !Number.isFinite(concurrency)) return NONE;
    const result = concurrency !== this.current && !Number.isNaN(this.current) ? this.result(sample.ts) : null;
    this.current = concurrency;
    this.lastTs = sample.ts;
    let level = this.levels.get(concurrency);
    if (level === undefined) {
      level = { concurrency, window: new CountWindow(this.options.samplesPerLevel) };
      this.levels.set(concurrency, level);
    }
    level.window.push(sample.ts, sample.value);
    return result !== null ? [result] : NONE;
  }

  end(): readonly ScalingResult[] {
    const result = this.levels.size > 0 ? this.result(this.lastTs) : null;
    return result !== null ? [result] : NONE;
  }

  private result(ts: number): ScalingResult | null {
    const measured = [...this.levels.values()]
      .filter((level) => level.window.size > 0)
      .sort((a, b) => a.concurrency - b.concurrency)
      .map((level) => ({ concurrency: level.concurrency, throughput: level.window.median() }));
    if (measured.length < 2) return null;
    const base = measured[0] as { concurrency: number; throughput: number };
    const perUnit = base.throughput / base.concurrency;
    const withEfficiency = measured.map((m) => ({
      ...m,
      efficiency: perUnit > 0 ? m.throughput / m.concurrency / perUnit : 0,
    }));
    const top = withEfficiency[withEfficiency.length - 1] as (typeof withEfficiency)[number];
    const best = Math.max(...measured.map((m) => m.throughput));
    let fit: ReturnType<typeof fitUsl> | null = null;
    if (measured.length >= 3) {
      try {
        fit = fitUsl(measured);
      } catch {
        fit = null; // too few distinct levels or a degenerate fit: efficiency alone is reported
      }
    }
    return {
      series: this.group.series,
      metric: this.group.metric,
      tags: this.group.tags,
      metricKind: this.group.metricKind,
      ts,
      levels: withEfficiency,
      sigma: fit?.sigma ?? null,
      kappa: fit?.kappa ?? null,
      lambda: fit?.lambda ?? null,
      peakConcurrency: fit !== null && Number.isFinite(fit.peakConcurrency) ? fit.peakConcurrency : null,
      efficiency: top.efficiency,
      degraded: top.efficiency < this.options.minEfficiency || top.throughput < this.options.retrogradeFraction * best,
    };
  }
}

const withoutTags = (tags: Tags, dropped: ReadonlySet<string>): Tags => {
  const out: Record<string, string> = {};
  for (const key of Object.keys(tags)) if (!dropped.has(key)) out[key] = tags[key] as string;
  return out;
};

/**
 * The scaling detector. It looks across series: the series of one run at its concurrency levels
 * (tagged with the level, and with the step) form one group, the series without those tags, and
 * the group's samples go through one {@link ScalingEfficiency}.
 */
export const scalingDetector: DetectorDefinition<'scaling', ScalingOptions, Sample, ScalingResult, never> = {
  type: 'scaling',
  input: 'samples',
  fields: {
    concurrencyTag: t.string,
    ignoreTags: t.array(t.string),
    minEfficiency: Fraction,
    retrogradeFraction: Fraction,
    samplesPerLevel: PositiveInteger,
  },
  required: [],
  defaults: {
    concurrencyTag: 'concurrency',
    ignoreTags: ['stage'],
    minEfficiency: 0.5,
    retrogradeFraction: 0.95,
    samplesPerLevel: 1024,
  },
  group(options, series) {
    if (!Object.hasOwn(series.tags, options.concurrencyTag)) return null;
    const tags = withoutTags(series.tags, new Set([options.concurrencyTag, ...options.ignoreTags]));
    return { series: seriesKey(series.metric, tags), metric: series.metric, tags, metricKind: series.metricKind };
  },
  compile(options) {
    validate(options);
    return (group) => new ScalingEfficiency(options, identityOf(group));
  },
  event: (scaling) => ({ type: 'scaling', scaling }),
  active: (result) => result.degraded,
  describe: (result) => {
    const top = result.levels[result.levels.length - 1];
    const peak =
      result.peakConcurrency !== null
        ? `, USL peak N* = ${result.peakConcurrency.toFixed(1)} ` +
          `(σ = ${result.sigma?.toFixed(4)}, κ = ${result.kappa?.toExponential(2)})`
        : '';
    return {
      value: result.efficiency,
      baseline: 1,
      effect: result.efficiency - 1,
      pValue: null,
      message:
        `${result.series}: scaling efficiency ${(result.efficiency * 100).toFixed(0)}% ` +
        `at concurrency ${top?.concurrency ?? '?'} (${formatPercent(result.efficiency - 1)} vs linear)${peak}`,
    };
  },
};
