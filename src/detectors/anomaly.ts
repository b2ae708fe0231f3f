import * as t from 'io-ts';
import type { AnomalyScore, SeriesRef } from '../model/events.js';
import { PositiveDuration } from '../model/fields/duration.js';
import { NonNegative, PositiveInteger, Probability } from '../model/fields/fraction.js';
import { formatQuantity } from '../model/formatQuantity.js';
import type { Sample } from '../model/sample.js';
import { AnomalyLikelihood } from '../stats/anomalyLikelihood.js';
import { CountWindow } from '../stats/countWindow.js';
import { MAD_NORMAL_CONSISTENCY } from '../stats/madNormalConsistency.js';
import { SeasonalProfile } from '../stats/seasonalProfile.js';
import { identityOf, type DetectorDefinition, type SeriesContext } from './definition.js';
import { NONE, type Processor } from './processor.js';

/** Options of the anomaly detector. */
export interface AnomalyOptions {
  /** Samples the level and robust scale are taken from (the last W before each sample). Default 3,000. */
  readonly window: number;
  /** Fewest samples in the window before a sample is scored. Default 30. */
  readonly minSamples: number;
  /** Seasons (µs) whose repetition may explain a sample, once a series spans two of them. Default a day and a week. */
  readonly seasons: readonly number[];
  /** Phases each season is cut into. Default 288 (5 minutes of a day). */
  readonly phases: number;
  /** Surprise scores the anomaly likelihood fits its normal distribution to. Default 8,000. */
  readonly likelihoodWindow: number;
  /** Recent surprise scores averaged into the evidence. Default 5. */
  readonly shortWindow: number;
  /** Surprise scores are capped here, so one enormous reading cannot deafen the distribution. Default 50. */
  readonly cap: number;
  /** Anomaly score at or above which a sample is anomalous. Default 0.997. */
  readonly threshold: number;
  /** Samples an anomaly stays active after its last anomalous sample: one episode, one alert. Default 60. */
  readonly hold: number;
}

function validate(options: AnomalyOptions): void {
  const counts = [options.window, options.minSamples, options.phases, options.likelihoodWindow, options.shortWindow];
  if (!counts.every((n) => Number.isInteger(n) && n >= 1) || options.minSamples < 3 || options.window < 3)
    throw new RangeError(
      `anomaly: window, minSamples (≥ 3), phases, likelihoodWindow and shortWindow must be positive integers`,
    );
  if (!Number.isInteger(options.hold) || options.hold < 0)
    throw new RangeError(`anomaly: hold must be a whole number of samples, got ${options.hold}`);
  if (options.seasons.some((season) => !(season > 0)))
    throw new RangeError(`anomaly: every season must be > 0 µs, got ${options.seasons.join(', ')}`);
}

/**
 * Online anomaly score of any metric, causal (each sample scored against the samples before it):
 * 1. Surprise: the robust z-score |x − median| / (1.4826 · MAD) of the sample against the last
 *    `window` samples (Hampel 1974; Iglewicz & Hoaglin 1993), the scale falling back to the
 *    10–90% interquantile range / 2.563 when MAD is 0. For each season (a day, a week) the series
 *    has spanned twice, the same robust z-score of the residual from a seasonal naive forecast
 *    (the median of the same phase in the last three seasons; {@link SeasonalProfile}). The model
 *    whose residuals have the smaller robust scale, the one that explains the series better,
 *    gives the surprise: a daily pattern is no surprise, a value out of place in it is.
 * 2. Anomaly score: the anomaly likelihood of Ahmad et al. (2017) on the capped surprises, the
 *    normal probability that the mean of the last `shortWindow` surprises is above the usual level
 *    of this series' surprises over the last `likelihoodWindow`: a spike, a level shift either way,
 *    a change of variance or a drift each raise recent surprise above its usual level.
 * A sample whose score reaches `threshold` starts or extends an anomaly, active until `hold`
 * samples pass without another. O(log² W + seasons × 3) per sample.
 */
export class Anomalies implements Processor<Sample, AnomalyScore> {
  private readonly ref: SeriesRef;
  private readonly window: CountWindow;
  private readonly seasonal: { profile: SeasonalProfile; residuals: CountWindow }[];
  private readonly likelihood: AnomalyLikelihood;
  private sinceAnomalous = Number.POSITIVE_INFINITY;

  constructor(
    private readonly options: AnomalyOptions,
    series: SeriesContext,
  ) {
    this.ref = identityOf(series);
    this.window = new CountWindow(options.window);
    this.seasonal = options.seasons.map((period) => ({
      profile: new SeasonalProfile({ period, phases: options.phases, seasons: 3 }),
      residuals: new CountWindow(options.window),
    }));
    this.likelihood = new AnomalyLikelihood({
      longWindow: options.likelihoodWindow,
      shortWindow: options.shortWindow,
      minSamples: 100,
    });
  }

  push(sample: Sample): readonly AnomalyScore[] {
    const { ts, value } = sample;
    const { options, window } = this;
    let surprise: number | null = null;
    let expected = Number.NaN;
    let scale = Number.POSITIVE_INFINITY;
    if (window.size >= options.minSamples) {
      expected = window.median();
      scale = robustScale(window, expected);
      surprise = standardised(value - expected, scale, options.cap);
    }
    window.push(ts, value);
    for (const { profile, residuals } of this.seasonal) {
      const forecast = profile.expected(ts);
      profile.push(ts, value);
      if (forecast === null) continue;
      const residual = value - forecast;
      if (profile.seasonsSeen >= 2 && residuals.size >= options.minSamples && surprise !== null) {
        // The model that explains the series better (the smaller robust scale of what it leaves) judges.
        const center = residuals.median();
        const seasonalScale = robustScale(residuals, center);
        if (seasonalScale < scale) {
          scale = seasonalScale;
          surprise = standardised(residual - center, seasonalScale, options.cap);
          expected = forecast + center;
        }
      }
      residuals.push(ts, residual);
    }
    if (surprise === null) return NONE;
    const score = this.likelihood.push(surprise);
    if (score === null) return NONE;
    this.sinceAnomalous = score >= options.threshold ? 0 : this.sinceAnomalous + 1;
    return [
      {
        series: this.ref.series,
        metric: this.ref.metric,
        tags: this.ref.tags,
        metricKind: this.ref.metricKind,
        ts,
        value,
        expected,
        surprise,
        score,
        anomalous: this.sinceAnomalous <= options.hold,
      },
    ];
  }

  end(): readonly AnomalyScore[] {
    return NONE;
  }
}

/** Robust standard deviation of a window: 1.4826 · MAD, else the 10–90% range / 2.563 (0 if both are). */
function robustScale(window: CountWindow, center: number): number {
  const scale = MAD_NORMAL_CONSISTENCY * window.mad(center);
  return scale > 0 ? scale : (window.quantile(0.9) - window.quantile(0.1)) / 2.563;
}

/** |offset| in units of `scale`, capped (a zero scale: 0 for no offset, else the cap). */
function standardised(offset: number, scale: number, cap: number): number {
  if (!(scale > 0)) return offset === 0 ? 0 : cap;
  return Math.min(cap, Math.abs(offset) / scale);
}

const DAY = 86_400_000_000;

/** The anomaly detector (see {@link Anomalies}). */
export const anomalyDetector: DetectorDefinition<'anomaly', AnomalyOptions, Sample, AnomalyScore, never> = {
  type: 'anomaly',
  input: 'samples',
  fields: {
    window: PositiveInteger,
    minSamples: PositiveInteger,
    seasons: t.array(PositiveDuration),
    phases: PositiveInteger,
    likelihoodWindow: PositiveInteger,
    shortWindow: PositiveInteger,
    cap: NonNegative,
    threshold: Probability,
    hold: t.union([PositiveInteger, t.literal(0)]),
  },
  required: [],
  defaults: {
    window: 3000,
    minSamples: 30,
    seasons: [DAY, 7 * DAY],
    phases: 288,
    likelihoodWindow: 8000,
    shortWindow: 5,
    cap: 50,
    threshold: 0.997,
    hold: 60,
  },
  compile(options) {
    validate(options);
    return (series) => new Anomalies(options, series);
  },
  event: (score) => ({ type: 'anomaly', anomaly: score }),
  active: (score) => score.anomalous,
  describe: (score, _options, { series, unit }) => ({
    value: score.value,
    baseline: score.expected,
    effect: score.expected !== 0 ? score.value / score.expected - 1 : 0,
    pValue: null,
    message:
      `${series}: anomaly, ${formatQuantity(score.value, unit)} where ${formatQuantity(score.expected, unit)} ` +
      `was expected (surprise ${score.surprise.toFixed(1)} robust σ, anomaly score ${score.score.toFixed(4)})`,
  }),
};
