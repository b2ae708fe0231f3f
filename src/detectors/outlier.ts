import { NonNegative, PositiveInteger } from '../model/fields/fraction.js';
import { WindowCodec, type WindowSpec } from '../model/fields/window.js';
import { formatQuantity } from '../model/formatQuantity.js';
import type { Sample } from '../model/sample.js';
import { modifiedZ } from '../stats/modifiedZ.js';
import type { SlidingWindow } from '../stats/slidingWindow.js';
import { identityOf, stretch, stretchFactor, type DetectorDefinition } from './definition.js';
import { NONE, type Processor } from './processor.js';
import { createWindow, validateWindowSpec } from './window.js';

/** A sample's modified z-score against the window of samples before it. */
export interface RobustZScore {
  /** Event time and value of the sample scored. */
  readonly ts: number;
  readonly value: number;
  readonly z: number;
  readonly median: number;
  readonly mad: number;
}

/** Options of the outlier detector. */
export interface OutlierOptions {
  /** Reference window of preceding samples. Default: the last 300 samples. */
  readonly window: WindowSpec;
  /** Fewest reference samples before a score is emitted. Default 30. */
  readonly minSamples: number;
  /** |modified z| at or above which a sample is an outlier. Default 3.5 (Iglewicz & Hoaglin's cut-off). */
  readonly threshold: number;
}

function validate(options: OutlierOptions): void {
  validateWindowSpec(options.window, 'robustZ');
  if (!Number.isInteger(options.minSamples) || options.minSamples < 1)
    throw new RangeError(`robustZ: minSamples must be a positive integer, got ${options.minSamples}`);
}

/**
 * Robust z-score of each sample: the modified z-score M = 0.6745 (x − median) / MAD of
 * Iglewicz & Hoaglin (1993) against the window of samples before it, so an outlier does not
 * mask itself; |M| > 3.5 is their suggested outlier cut-off. When over half the window is one
 * value (MAD = 0) the score is 0 at that value and ±Infinity elsewhere. O(log² W) per sample.
 */
export class RobustZ implements Processor<Sample, RobustZScore> {
  private readonly window: SlidingWindow & { evictBefore?(ts: number): void };

  constructor(private readonly options: Pick<OutlierOptions, 'window' | 'minSamples'>) {
    this.window = createWindow(options.window, 'robustZ');
  }

  push(sample: Sample): readonly RobustZScore[] {
    const window = this.window;
    window.evictBefore?.(sample.ts);
    let out: readonly RobustZScore[] = NONE;
    if (window.size >= this.options.minSamples) {
      const center = window.median();
      const spread = window.mad(center);
      out = [
        { ts: sample.ts, value: sample.value, z: modifiedZ(sample.value, center, spread), median: center, mad: spread },
      ];
    }
    window.push(sample.ts, sample.value);
    return out;
  }

  end(): readonly RobustZScore[] {
    return NONE;
  }
}

/** The outlier detector: alerts on samples whose modified z-score reaches the threshold (see {@link RobustZ}). */
export const outlierDetector: DetectorDefinition<'outlier', OutlierOptions, Sample, RobustZScore, never> = {
  type: 'outlier',
  input: 'samples',
  fields: { window: WindowCodec, minSamples: PositiveInteger, threshold: NonNegative },
  required: [],
  defaults: { window: { count: 300 }, minSamples: 30, threshold: 3.5 },
  scale(options, interval) {
    const window = options.window;
    if ('count' in window) return options;
    const factor = stretchFactor(window.duration, interval, options.minSamples);
    return factor === 1 ? options : { ...options, window: { duration: stretch(window.duration, factor) } };
  },
  compile(options) {
    validate(options);
    return () => new RobustZ(options);
  },
  event: (score, options, series) =>
    Math.abs(score.z) >= options.threshold ? { type: 'outlier', outlier: { ...identityOf(series), ...score } } : null,
  active: (score, options) => Math.abs(score.z) >= options.threshold,
  describe: (score, _options, { series, unit }) => ({
    value: score.value,
    baseline: score.median,
    effect: score.median !== 0 ? score.value / score.median - 1 : 0,
    pValue: null,
    message:
      `${series}: ${formatQuantity(score.value, unit)} is an outlier ` +
      `(modified z = ${score.z.toFixed(1)}, median ${formatQuantity(score.median, unit)})`,
  }),
};
