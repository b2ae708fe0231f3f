import * as t from 'io-ts';
import type { RegressionResult, SeriesRef } from '../model/events.js';
import { PositiveDuration } from '../model/fields/duration.js';
import { Fraction, NonNegative, PositiveInteger, Probability } from '../model/fields/fraction.js';
import { strictObject } from '../model/fields/strictObject.js';
import { formatDuration, formatPercent, formatPValue, formatQuantity } from '../model/formatQuantity.js';
import type { Sample } from '../model/sample.js';
import { hodgesLehmannShift } from '../stats/hodgesLehmannShift.js';
import { mannWhitney, mannWhitneyTest } from '../stats/mannWhitney.js';
import { quantileSorted } from '../stats/quantileSorted.js';
import { quantileSummary } from '../stats/quantileSummary.js';
import { serialVarianceInflation } from '../stats/serialVarianceInflation.js';
import { SortedTail } from '../stats/sortedTail.js';
import { sortedMedian } from '../stats/sortedMedian.js';
import { tieGroups } from '../stats/tieGroups.js';
import { TimeRing } from '../stats/timeRing.js';
import { identityOf, type DetectorDefinition, type SeriesContext } from './definition.js';
import { EventTimeBuckets } from './eventTimeBuckets.js';
import { NONE, type Processor } from './processor.js';
import {
  createReference,
  DEFAULT_REFERENCE,
  ReferenceCodec,
  validateReferenceSpec,
  type Reference,
  type ReferenceSpec,
} from './regressionReference.js';
import { showValue } from '../model/showValue.js';

/** One recent window and the relative shift that counts as a regression in it. */
export interface RegressionTier {
  /** Length of the recent window, µs. */
  readonly window: number;
  /** Practical threshold: smallest relative Hodges–Lehmann shift (0.05 = 5%) that matters. */
  readonly minShift: number;
}

/** Options of the regression detector. */
export interface RegressionOptions {
  /** Which change is bad: 'up' for latency and errors, 'down' for throughput. */
  readonly direction: 'up' | 'down';
  /** What recent samples are compared with. Default: the 15 min after a 1 min warm-up. */
  readonly reference: ReferenceSpec;
  /** Recent windows, short ones with high thresholds, long ones with low ones. */
  readonly tiers: readonly RegressionTier[];
  /** Event-time interval between evaluations, µs. Default 5 s. */
  readonly evaluateEvery: number;
  /** Significance level of the one-sided Mann–Whitney test. Default 0.001. */
  readonly alpha: number;
  /** Hysteresis: an active regression clears when its shift falls below this fraction of the threshold. Default 0.5. */
  readonly clearFraction: number;
  /** Fewest samples a recent window and the reference need before they are tested. Default 30. */
  readonly minSamples: number;
  /**
   * A tier's threshold is raised to this many standard errors of its shift estimate when its
   * windows are too small (or too noisy) to resolve the practical threshold. Default 4; 0 disables.
   */
  readonly resolution: number;
}

/** Default tiers: big shifts are found fast, small ones need a longer window to be told from noise. */
export const DEFAULT_REGRESSION_TIERS: readonly RegressionTier[] = [
  { window: 30_000_000, minShift: 0.15 },
  { window: 60_000_000, minShift: 0.1 },
  { window: 180_000_000, minShift: 0.06 },
  { window: 300_000_000, minShift: 0.035 },
  { window: 480_000_000, minShift: 0.03 },
  { window: 900_000_000, minShift: 0.03 },
];

// Hodges–Lehmann shifts are taken between 512-point quantile summaries of the two windows:
// the estimate moves by at most ~0.1% in rank, while its cost no longer grows with window size.
const SUMMARY_POINTS = 512;

// Asymptotic standard error of the two-sample Hodges–Lehmann shift for normal data:
// σ·√(π/3)·√(1/n + 1/m) (Hodges & Lehmann 1963; Lehmann, Nonparametrics, 1975, §2.5).
const HODGES_LEHMANN_SE_FACTOR = Math.sqrt(Math.PI / 3);
// σ of a normal distribution from its interquartile range.
const IQR_TO_SIGMA = 1.349;

/** Index of the first element of an ascending array ≥ x. O(log n). */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many elements from `from` on equal x, in an ascending array. O(ties). */
function equalRun(sorted: Float64Array, x: number, from: number): number {
  let end = from;
  while (end < sorted.length && sorted[end] === x) end++;
  return end - from;
}

/** True when an ascending array holds a value twice. O(n). */
function hasTies(sorted: Float64Array): boolean {
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) return true;
  return false;
}

const relativeTo = (shift: number, base: number): number =>
  base !== 0 ? shift / Math.abs(base) : shift === 0 ? 0 : Math.sign(shift) * Number.POSITIVE_INFINITY;

/** Throws a RangeError naming what is wrong with regression options. */
function validate(options: RegressionOptions): void {
  if (options.tiers.length === 0) throw new RangeError('regression: at least one tier is required');
  for (const tier of options.tiers) {
    if (!(tier.window > 0) || !(tier.minShift > 0))
      throw new RangeError(`regression: tier needs window > 0 µs and minShift > 0, got ${showValue(tier)}`);
  }
  if (!(options.evaluateEvery > 0))
    throw new RangeError(`regression: evaluateEvery must be > 0 µs, got ${options.evaluateEvery}`);
  if (!(options.alpha > 0 && options.alpha < 1))
    throw new RangeError(`regression: alpha must be in (0, 1), got ${options.alpha}`);
  validateReferenceSpec(options.reference);
}

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
 * on noise. The U test is exact on the full windows; when it is significant the shift is
 * computed between 512-point quantile summaries of them (rank error ≤ 0.1%), otherwise the median
 * difference stands in (it cannot change the verdict). Each tier is re-tested every sixth of its
 * window (at least every `evaluateEvery`); every evaluation emits the latest verdict of the
 * regressed tier, or of the tier closest to its threshold. Cost: against a baseline that no
 * longer changes (the initial one once complete, a stored one) each sample's U contribution is
 * found once, by binary search (O(log m)), and a tier test costs O(n + k log k) for a window of n
 * samples that moved by k since its last test (U a difference of running sums, the window's
 * order merged rather than sorted, the serial correlation O(n)); a trailing baseline, or recent
 * values that tie with the baseline, take the O(n + m) merge of the two samples instead. The
 * result is the same either way, bit for bit.
 */
export class Regression implements Processor<Sample, RegressionResult> {
  /** The series' identity, as every result carries it. */
  private readonly ref: SeriesRef;
  private readonly reference: Reference;
  /** One time-ordered ring covers the longest tier; each tier is the ring's tail, sorted when due. */
  private readonly recentRing: TimeRing;
  private readonly evaluations: EventTimeBuckets;
  private readonly sign: 1 | -1;
  private readonly tierEvery: number[];
  private readonly tierDue: number[];
  private readonly tierLast: (RegressionResult | null)[];
  /**
   * Each tier's window in ascending order, merged from test to test instead of sorted afresh —
   * for the tiers whose leaving samples the ring still holds at their next test (not the longest,
   * whose window is the ring's: it is sorted afresh, so the ring holds no more than it needs).
   */
  private readonly tierSorted: (SortedTail | null)[];
  // The baseline's quantile summary, kept while the reference hands out the same array (it does
  // while its values are unchanged), instead of once per tier and evaluation.
  private summarised: Float64Array | null = null;
  private summary: Float64Array = new Float64Array(0);
  // A fixed baseline's facts, found once: its median, robust σ and tie term.
  private described: Float64Array | null = null;
  private baselineMedian = 0;
  private baselineSigma = 0;
  private baselineTies = 0;
  /**
   * The fixed baseline the recent ring's marks rank against, once there is one: each sample
   * carries twice its Mann–Whitney contribution, 2·#{b < x} + #{b = x} (mark 0, an integer), and
   * whether it ties with the baseline (mark 1), so U of any tier is half a difference of running
   * sums (exact: a tier of n samples sums to at most 2·n·m, far below 2^32).
   */
  private rankedAgainst: Float64Array | null = null;

  /** `shared` is a stored reference built once for every series of a rule. */
  constructor(
    private readonly options: RegressionOptions,
    series: SeriesContext,
    shared: Reference | null = null,
  ) {
    this.ref = identityOf(series);
    const { tiers, evaluateEvery } = options;
    this.reference = shared ?? createReference(options.reference, series);
    // Each tier is re-tested every sixth of its window (never more often than evaluateEvery):
    // a 15 min window barely moves in 10 s, and its test is the costly one.
    this.tierEvery = tiers.map((tier) =>
      Math.max(evaluateEvery, Math.floor(tier.window / 6 / evaluateEvery) * evaluateEvery),
    );
    const held = Math.max(...tiers.map((tier) => tier.window));
    this.recentRing = new TimeRing(held, 64, 2);
    this.tierSorted = tiers.map((tier, t) =>
      held - tier.window >= (this.tierEvery[t] as number) ? new SortedTail() : null,
    );
    this.evaluations = new EventTimeBuckets(evaluateEvery);
    this.sign = options.direction === 'up' ? 1 : -1;
    this.tierDue = tiers.map(() => Number.NEGATIVE_INFINITY);
    this.tierLast = tiers.map(() => null);
  }

  push(sample: Sample): readonly RegressionResult[] {
    const ts = sample.ts;
    const due = this.evaluations.advance(ts);
    const result = due !== null ? this.evaluate(due) : null;
    this.reference.push(ts, sample.value);
    const ranked = this.rankedAgainst;
    if (ranked === null) this.recentRing.push(ts, sample.value);
    else {
      const below = lowerBound(ranked, sample.value);
      const equal = equalRun(ranked, sample.value, below);
      this.recentRing.push(ts, sample.value, 2 * below + equal, equal > 0 ? 1 : 0);
    }
    return result !== null ? [result] : NONE;
  }

  end(): readonly RegressionResult[] {
    return NONE;
  }

  private baselineSummary(baseline: Float64Array): Float64Array {
    if (baseline !== this.summarised) {
      this.summary = quantileSummary(baseline, SUMMARY_POINTS);
      this.summarised = baseline;
    }
    return this.summary;
  }

  private evaluate(ts: number): RegressionResult | null {
    const baseline = this.reference.sorted();
    if (baseline === null || baseline.length < this.options.minSamples) return null;
    if (baseline !== this.described) {
      this.baselineMedian = sortedMedian(baseline);
      this.baselineSigma = (quantileSorted(baseline, 0.75) - quantileSorted(baseline, 0.25)) / IQR_TO_SIGMA;
      this.baselineTies = tieGroups(baseline).cubes;
      this.described = baseline;
    }
    // A baseline that no longer changes is ranked against once; a trailing one is merged each time.
    if (this.reference.fixed && this.rankedAgainst !== baseline) {
      this.recentRing.remark((value, marks) => {
        const below = lowerBound(baseline, value);
        const equal = equalRun(baseline, value, below);
        marks[0] = 2 * below + equal;
        marks[1] = equal > 0 ? 1 : 0;
      });
      this.rankedAgainst = baseline;
    }
    const { baselineMedian, baselineSigma } = this;
    let best: RegressionResult | null = null;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let t = 0; t < this.tierLast.length; t++) {
      if (ts >= (this.tierDue[t] as number)) {
        this.tierLast[t] = this.testTier(t, ts, baseline, baselineMedian, baselineSigma);
        this.tierDue[t] = ts + (this.tierEvery[t] as number);
      }
      const last = this.tierLast[t];
      if (last === null || last === undefined) continue;
      const score = (this.sign * last.relativeShift) / last.threshold + (last.regressed ? 1e6 : 0);
      if (score > bestScore) {
        bestScore = score;
        best = last;
      }
    }
    return best === null || best.ts === ts ? best : { ...best, ts };
  }

  private testTier(
    t: number,
    ts: number,
    baseline: Float64Array,
    baselineMedian: number,
    baselineSigma: number,
  ): RegressionResult | null {
    const { alpha, minSamples, resolution, clearFraction } = this.options;
    const tier = this.options.tiers[t] as RegressionTier;
    const sign = this.sign;
    this.recentRing.evictBefore(ts);
    // The tier's tail in time order (for serial correlation) and sorted, each in a scratch array of the ring.
    const ordered = this.recentRing.timeOrderedSince(ts - tier.window);
    const n = ordered.length;
    if (n < minSamples) return null;
    const sortedTail = this.tierSorted[t];
    const recent =
      sortedTail !== null && sortedTail !== undefined
        ? sortedTail.of(this.recentRing, ts - tier.window)
        : this.recentRing.sortedSince(ts - tier.window);
    // Soak-test samples are serially correlated; without this the U test's p-values are far
    // too small and the alpha level means nothing.
    const inflation = serialVarianceInflation(
      ordered,
      recent[Math.floor(0.01 * (n - 1))],
      recent[Math.ceil(0.99 * (n - 1))],
    );
    const testOptions = { alternative: sign > 0 ? 'greater' : 'less', varianceInflation: inflation } as const;
    const start = ts - tier.window;
    // Against the ranked baseline, U is a difference of running sums; the tie term is the
    // baseline's own unless a recent value ties with it or with another recent value, when the
    // samples are merged as before. Either way the test is the same, bit for bit.
    const test =
      this.rankedAgainst === baseline && this.recentRing.markSince(1, start) === 0 && !hasTies(recent)
        ? mannWhitneyTest(this.recentRing.markSince(0, start) / 2, n, baseline.length, this.baselineTies, testOptions)
        : mannWhitney(recent, baseline, { ...testOptions, sorted: true });
    const wasRegressed = this.tierLast[t]?.regressed === true;
    const recentMedian = sortedMedian(recent);
    // Only a significant (or already regressed) tier can be regressed, so only then is the
    // exact Hodges–Lehmann shift needed; otherwise the median difference describes it.
    const exact = test.pValue < alpha || wasRegressed;
    const shift = exact
      ? hodgesLehmannShift(quantileSummary(recent, SUMMARY_POINTS), this.baselineSummary(baseline), { sorted: true })
      : recentMedian - baselineMedian;
    const relativeShift = relativeTo(shift, baselineMedian);
    // The smallest relative shift these windows can tell from noise, with serial correlation.
    const standardError =
      (HODGES_LEHMANN_SE_FACTOR * baselineSigma * Math.sqrt(inflation * (1 / n + 1 / baseline.length))) /
      Math.abs(baselineMedian);
    const threshold = Math.max(tier.minShift, Number.isFinite(standardError) ? resolution * standardError : 0);
    return {
      series: this.ref.series,
      metric: this.ref.metric,
      tags: this.ref.tags,
      metricKind: this.ref.metricKind,
      ts,
      baselineMedian,
      recentMedian,
      shift,
      shiftEstimator: exact ? 'hodges-lehmann' : 'median-difference',
      relativeShift,
      pValue: test.pValue,
      nBaseline: baseline.length,
      nRecent: n,
      recentWindow: tier.window,
      threshold,
      regressed: test.pValue < alpha && sign * relativeShift >= threshold * (wasRegressed ? clearFraction : 1),
    };
  }
}

const TierCodec = strictObject(
  t.type({ window: PositiveDuration, minShift: Fraction }),
  ['window', 'minShift'],
  'Tier',
);

/** The regression detector: recent windows against a reference (see {@link Regression}). */
export const regressionDetector: DetectorDefinition<
  'regression',
  RegressionOptions,
  Sample,
  RegressionResult,
  'direction'
> = {
  type: 'regression',
  input: 'samples',
  fields: {
    direction: t.keyof({ up: null, down: null }, '"up" | "down"'),
    reference: ReferenceCodec,
    tiers: t.array(TierCodec),
    evaluateEvery: PositiveDuration,
    alpha: Probability,
    clearFraction: Fraction,
    minSamples: PositiveInteger,
    resolution: NonNegative,
  },
  required: ['direction'],
  defaults: {
    reference: DEFAULT_REFERENCE,
    tiers: DEFAULT_REGRESSION_TIERS,
    evaluateEvery: 5_000_000,
    alpha: 0.001,
    clearFraction: 0.5,
    minSamples: 30,
    resolution: 4,
  },
  scale(options, interval) {
    // Every window holds at least minSamples samples (one more interval, as a window's start is
    // open), the reference at least the longest window.
    const least = (options.minSamples + 1) * interval;
    if (options.tiers.every((tier) => tier.window >= least) && options.evaluateEvery >= interval) return options;
    const tiers = options.tiers.map((tier) => ({ ...tier, window: Math.max(tier.window, least) }));
    const longest = Math.max(...tiers.map((tier) => tier.window));
    const reference = options.reference;
    return {
      ...options,
      tiers,
      evaluateEvery: Math.max(options.evaluateEvery, interval),
      reference:
        reference.type === 'initial'
          ? {
              ...reference,
              warmup: Math.max(reference.warmup, interval),
              duration: Math.max(reference.duration, longest),
            }
          : reference.type === 'trailing'
            ? { ...reference, lag: Math.max(reference.lag, longest), duration: Math.max(reference.duration, longest) }
            : reference,
    };
  },
  compile(options) {
    validate(options);
    // A stored reference never changes: every series shares one sorted copy of its values.
    const shared =
      options.reference.type === 'stored' && 'values' in options.reference ? createReference(options.reference) : null;
    return (series) => new Regression(options, series, shared);
  },
  event: (regression) => ({ type: 'regression', regression }),
  active: (r) => r.regressed,
  describe: (r, _options, series) => ({
    value: r.recentMedian,
    baseline: r.baselineMedian,
    effect: r.relativeShift,
    pValue: r.pValue,
    message:
      `${series.series}: median ${formatQuantity(r.recentMedian, series.unit)} over the last ` +
      `${formatDuration(r.recentWindow)} vs ${formatQuantity(r.baselineMedian, series.unit)} baseline ` +
      `(Hodges–Lehmann shift ${formatQuantity(r.shift, series.unit)}, ${formatPercent(r.relativeShift)}; ` +
      `Mann–Whitney p = ${formatPValue(r.pValue)})`,
  }),
};
