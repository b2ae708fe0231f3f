import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { ShiftedMoments } from './shiftedMoments.js';

/** Options of {@link AnomalyLikelihood}. */
export interface AnomalyLikelihoodOptions {
  /** Raw scores the distribution is estimated over (the last L before the current one). */
  readonly longWindow: number;
  /** Raw scores averaged into the current evidence (the last k, the current one included). */
  readonly shortWindow: number;
  /** Raw scores needed before a likelihood is given. */
  readonly minSamples: number;
}

/**
 * The anomaly likelihood of Ahmad, Lavin, Purdy & Agha (2017), "Unsupervised real-time anomaly
 * detection for streaming data", Neurocomputing 262: raw anomaly scores are modelled by a normal
 * distribution fitted (mean, standard deviation) over the last `longWindow` of them; the
 * likelihood of the current state is Φ((m̃ − μ)/σ), m̃ the mean of the last `shortWindow` raw
 * scores. It is near 1 when recent scores are far above what is usual for this series, so a noisy
 * series needs more surprise than a quiet one, and a single reading needs more than a run of
 * them. σ is at least 10⁻⁶. O(1) per score (shifted running moments, refreshed exactly once per
 * turnover of the window).
 */
export class AnomalyLikelihood {
  private readonly long: Float64Array;
  private readonly short: Float64Array;
  private readonly moments = new ShiftedMoments();
  private count = 0;
  private shortSum = 0;

  constructor(private readonly options: AnomalyLikelihoodOptions) {
    const { longWindow, shortWindow, minSamples } = options;
    if (![longWindow, shortWindow, minSamples].every((n) => Number.isInteger(n) && n >= 1) || minSamples < 2)
      throw new RangeError(
        `AnomalyLikelihood: windows must be positive integers and minSamples ≥ 2, ` +
          `got ${longWindow}, ${shortWindow}, ${minSamples}`,
      );
    this.long = new Float64Array(longWindow);
    this.short = new Float64Array(shortWindow);
  }

  /** Adds a raw score; returns the likelihood in [0, 1], or null while fewer than minSamples came before it. */
  push(raw: number): number | null {
    const { long, short, moments } = this;
    const i = this.count++;
    const k = short.length;
    this.shortSum += raw - (i >= k ? (short[i % k] as number) : 0);
    short[i % k] = raw;
    const held = Math.min(i, long.length);
    let likelihood: number | null = null;
    if (held >= this.options.minSamples) {
      // Population standard deviation of the window, as the published method fits it.
      const sd = Math.max(Math.sqrt((moments.variance * (held - 1)) / held), 1e-6);
      likelihood = normalCdf(this.shortSum / Math.min(i + 1, k), moments.mean, sd);
    }
    if (i >= long.length) moments.remove(long[i % long.length] as number);
    long[i % long.length] = raw;
    moments.add(raw);
    if (moments.refreshDue) moments.refresh(long, i >= long.length ? (i + 1) % long.length : 0, moments.count);
    return likelihood;
  }
}
