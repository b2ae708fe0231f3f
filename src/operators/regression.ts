import { Observable, type OperatorFunction } from 'rxjs';
import type { RegressionResult, SeriesRef } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { seriesRefOf } from '../model/seriesKey.js';
import { hodgesLehmannShift } from '../stats/hodgesLehmannShift.js';
import { mannWhitney } from '../stats/mannWhitney.js';
import { quantileSorted } from '../stats/quantileSorted.js';
import { quantileSummary } from '../stats/quantileSummary.js';
import { serialVarianceInflation } from '../stats/serialVarianceInflation.js';
import { sortedMedian } from '../stats/sortedMedian.js';
import { TimeRing } from '../stats/timeRing.js';
import { createReference, validateReferenceSpec, type ReferenceSpec } from './regressionReference.js';
import { guarded } from './guarded.js';

/** One recent window and the relative shift that counts as a regression in it. */
export interface RegressionTier {
  /** Length of the recent window, µs. */
  readonly recent: number;
  /** Practical threshold: smallest relative Hodges–Lehmann shift (0.05 = 5%) that matters. */
  readonly minRelativeShift: number;
}

/** Options of {@link regression}. */
export interface RegressionOptions {
  /** Which change is bad: 'up' for latency and errors, 'down' for throughput. */
  readonly direction: 'up' | 'down';
  /** What recent samples are compared with. Default: the 15 min after a 1 min warm-up. */
  readonly reference?: ReferenceSpec;
  /** Recent windows, short ones with high thresholds, long ones with low ones. */
  readonly tiers?: readonly RegressionTier[];
  /** Event-time interval between evaluations, µs. Default 10 s. */
  readonly evaluateEvery?: number;
  /** Significance level of the one-sided Mann–Whitney test. Default 0.001. */
  readonly alpha?: number;
  /** Hysteresis: an active regression clears when its shift falls below this fraction of the threshold. Default 0.5. */
  readonly clearFraction?: number;
  /** Fewest samples a recent window and the reference need before they are tested. Default 30. */
  readonly minSamples?: number;
  /**
   * A tier's threshold is raised to this many standard errors of its shift estimate when its
   * windows are too small (or too noisy) to resolve the practical threshold. Default 4; 0 disables.
   */
  readonly resolution?: number;
  readonly ref?: SeriesRef;
}

/** Default tiers: big shifts are found fast, small ones need a longer window to be told from noise. */
export const DEFAULT_REGRESSION_TIERS: readonly RegressionTier[] = [
  { recent: 60_000_000, minRelativeShift: 0.1 },
  { recent: 180_000_000, minRelativeShift: 0.06 },
  { recent: 900_000_000, minRelativeShift: 0.03 },
];

// Hodges–Lehmann shifts are taken between 512-point quantile summaries of the two windows:
// the estimate moves by at most ~0.1% in rank, while its cost no longer grows with window size.
const SUMMARY_POINTS = 512;

// Asymptotic standard error of the two-sample Hodges–Lehmann shift for normal data:
// σ·√(π/3)·√(1/n + 1/m) (Hodges & Lehmann 1963; Lehmann, Nonparametrics, 1975, §2.5).
const HODGES_LEHMANN_SE_FACTOR = Math.sqrt(Math.PI / 3);
// σ of a normal distribution from its interquartile range.
const IQR_TO_SIGMA = 1.349;

const relativeTo = (shift: number, base: number): number =>
  base !== 0 ? shift / Math.abs(base) : shift === 0 ? 0 : Math.sign(shift) * Number.POSITIVE_INFINITY;

/**
 * Regression test of recent samples against a reference (an initial baseline, a trailing
 * window or a stored baseline), every `evaluateEvery` of event time, in several recent windows
 * ("tiers"). A tier regresses when the one-sided Mann–Whitney U test (Mann & Whitney 1947),
 * its variance inflated for the recent window's lag-1 autocorrelation (Zwiers & von Storch 1995),
 * is significant at `alpha` in the bad direction AND the Hodges–Lehmann shift (Hodges & Lehmann
 * 1963) relative to the reference median crosses the tier's practical threshold — significance
 * alone would flag irrelevant shifts in large samples. When the windows are too small to resolve
 * that threshold, it is raised to `resolution` standard errors of the shift (σ from the
 * reference's interquartile range, serial correlation included), so sparse series do not alarm
 * on noise. The U test is exact on the full windows;
 * when it is significant the shift is computed between 512-point quantile summaries of them
 * (rank error ≤ 0.1%), otherwise the median difference stands in (it cannot change the verdict).
 * Each tier is re-tested every sixth of its window (at least every `evaluateEvery`); every
 * evaluation emits the latest verdict of the regressed tier, or of the tier closest to its threshold.
 * Cost per evaluation O(n + m) for window sizes n, m, plus O(n log n) to sort the tier's tail of
 * the recent ring; O(1) per sample.
 */
export function regression(options: RegressionOptions): OperatorFunction<Sample, RegressionResult> {
  const tiers = options.tiers ?? DEFAULT_REGRESSION_TIERS;
  const evaluateEvery = options.evaluateEvery ?? 10_000_000;
  const alpha = options.alpha ?? 0.001;
  const clearFraction = options.clearFraction ?? 0.5;
  const minSamples = options.minSamples ?? 30;
  const resolution = options.resolution ?? 4;
  const sign = options.direction === 'up' ? 1 : -1;
  if (tiers.length === 0) throw new RangeError('regression: at least one tier is required');
  for (const tier of tiers) {
    if (!(tier.recent > 0) || !(tier.minRelativeShift > 0))
      throw new RangeError(
        `regression: tier needs recent > 0 µs and minRelativeShift > 0, got ${JSON.stringify(tier)}`,
      );
  }
  if (!(evaluateEvery > 0)) throw new RangeError(`regression: evaluateEvery must be > 0 µs, got ${evaluateEvery}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`regression: alpha must be in (0, 1), got ${alpha}`);
  validateReferenceSpec(options.reference);
  // A stored reference never changes: every series shares one sorted copy of its values.
  const shared = options.reference?.type === 'stored' ? createReference(options.reference) : null;

  return (source) =>
    new Observable<RegressionResult>((subscriber) => {
      const reference = shared ?? createReference(options.reference);
      // One time-ordered ring covers the longest tier; each tier is the ring's tail, sorted when due.
      const recentRing = new TimeRing(Math.max(...tiers.map((tier) => tier.recent)));
      let ref = options.ref;
      let nextEvaluation = Number.NEGATIVE_INFINITY;

      // Each tier is re-tested every sixth of its window (never more often than evaluateEvery):
      // a 15 min window barely moves in 10 s, and its test is the costly one.
      const tierEvery = tiers.map((tier) =>
        Math.max(evaluateEvery, Math.floor(tier.recent / 6 / evaluateEvery) * evaluateEvery),
      );
      const tierDue = tiers.map(() => Number.NEGATIVE_INFINITY);
      const tierLast: (RegressionResult | null)[] = tiers.map(() => null);

      // The baseline's quantile summary, kept while the reference hands out the same array (it
      // does while its values are unchanged), instead of once per tier and evaluation.
      let summarised: Float64Array | null = null;
      let summary: Float64Array = new Float64Array(0);
      const baselineSummary = (baseline: Float64Array): Float64Array => {
        if (baseline !== summarised) {
          summary = quantileSummary(baseline, SUMMARY_POINTS);
          summarised = baseline;
        }
        return summary;
      };

      const testTier = (
        t: number,
        ts: number,
        seriesRef: SeriesRef,
        baseline: Float64Array,
        baselineMedian: number,
        baselineSigma: number,
      ): RegressionResult | null => {
        const tier = tiers[t] as RegressionTier;
        recentRing.evictBefore(ts);
        // The tier's tail in time order (for serial correlation) and sorted, each in a scratch array of the ring.
        const ordered = recentRing.timeOrderedSince(ts - tier.recent);
        const n = ordered.length;
        if (n < minSamples) return null;
        const recent = recentRing.sortedSince(ts - tier.recent);
        // Soak-test samples are serially correlated; without this the U test's p-values are far
        // too small and the alpha level means nothing.
        const inflation = serialVarianceInflation(
          ordered,
          recent[Math.floor(0.01 * (n - 1))],
          recent[Math.ceil(0.99 * (n - 1))],
        );
        const test = mannWhitney(recent, baseline, {
          alternative: sign > 0 ? 'greater' : 'less',
          sorted: true,
          varianceInflation: inflation,
        });
        const wasRegressed = tierLast[t]?.regressed === true;
        const recentMedian = sortedMedian(recent);
        // Only a significant (or already regressed) tier can be regressed, so only then is the
        // exact Hodges–Lehmann shift needed; otherwise the median difference describes it.
        const exact = test.pValue < alpha || wasRegressed;
        const shift = exact
          ? hodgesLehmannShift(quantileSummary(recent, SUMMARY_POINTS), baselineSummary(baseline), { sorted: true })
          : recentMedian - baselineMedian;
        const relativeShift = relativeTo(shift, baselineMedian);
        // The smallest relative shift these windows can tell from noise, with serial correlation.
        const standardError =
          (HODGES_LEHMANN_SE_FACTOR * baselineSigma * Math.sqrt(inflation * (1 / n + 1 / baseline.length))) /
          Math.abs(baselineMedian);
        const threshold = Math.max(
          tier.minRelativeShift,
          Number.isFinite(standardError) ? resolution * standardError : 0,
        );
        return {
          ...seriesRef,
          ts,
          baselineMedian,
          recentMedian,
          shift,
          shiftEstimator: exact ? 'hodges-lehmann' : 'median-difference',
          relativeShift,
          pValue: test.pValue,
          nBaseline: baseline.length,
          nRecent: n,
          recentWindow: tier.recent,
          threshold,
          regressed: test.pValue < alpha && sign * relativeShift >= threshold * (wasRegressed ? clearFraction : 1),
        };
      };

      const evaluate = (ts: number, seriesRef: SeriesRef): void => {
        const baseline = reference.sorted();
        if (baseline === null || baseline.length < minSamples) return;
        const baselineMedian = sortedMedian(baseline);
        const baselineSigma = (quantileSorted(baseline, 0.75) - quantileSorted(baseline, 0.25)) / IQR_TO_SIGMA;
        let best: RegressionResult | null = null;
        let bestScore = Number.NEGATIVE_INFINITY;
        for (let t = 0; t < tiers.length; t++) {
          if (ts >= (tierDue[t] as number)) {
            tierLast[t] = testTier(t, ts, seriesRef, baseline, baselineMedian, baselineSigma);
            tierDue[t] = ts + (tierEvery[t] as number);
          }
          const last = tierLast[t];
          if (last === null || last === undefined) continue;
          const score = (sign * last.relativeShift) / last.threshold + (last.regressed ? 1e6 : 0);
          if (score > bestScore) {
            bestScore = score;
            best = last;
          }
        }
        if (best !== null) subscriber.next(best.ts === ts ? best : { ...best, ts });
      };

      const subscription = source.subscribe({
        // The windows throw on a timestamp that goes backwards; that belongs on the error channel.
        next: guarded(subscriber, (sample: Sample) => {
          ref ??= seriesRefOf(sample);
          const ts = sample.ts;
          if (ts >= nextEvaluation) {
            if (nextEvaluation !== Number.NEGATIVE_INFINITY) evaluate(nextEvaluation, ref);
            nextEvaluation = (Math.floor(ts / evaluateEvery) + 1) * evaluateEvery;
          }
          reference.push(ts, sample.value);
          recentRing.push(ts, sample.value);
        }),
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
      return () => subscription.unsubscribe();
    });
}
