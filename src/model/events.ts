import type { Alert } from './alert.js';
import type { MetricKind } from './metricKind.js';
import type { Tags } from './sample.js';
import type { UslParameters } from '../stats/uslThroughput.js';
import type { Stat } from './stat.js';

/** Identity of the series an analysis result is about. */
export interface SeriesRef {
  readonly series: string;
  readonly metric: string;
  readonly tags: Tags;
  /** What the metric measures, worked out once from its name and unit. */
  readonly metricKind: MetricKind;
}

/** Leak estimate of one memory-like series: slope of its post-GC lower envelope. */
export interface LeakEstimate extends SeriesRef {
  readonly ts: number;
  /** Theil–Sen slope of the envelope, in metric units per hour. */
  readonly slopePerHour: number;
  readonly lowerPerHour: number;
  readonly upperPerHour: number;
  /** Two-sided Mann–Kendall p-value of the envelope trend. */
  readonly pValue: number;
  /** Median envelope level (units), to express the slope relative to the level. */
  readonly level: number;
  /** Number of envelope points and the event-time span they cover (µs). */
  readonly points: number;
  readonly spanMicros: number;
  /** True when the slope is significant and above the practical threshold. */
  readonly leaking: boolean;
}

/**
 * A change point found by CUSUM or Page–Hinkley on robustly standardised input, or by online
 * segmentation into linear pieces ('segment').
 */
export interface ChangePoint extends SeriesRef {
  /** Event time the change was detected: the end of the bucket whose statistic crossed h. */
  readonly ts: number;
  /** Estimated event time the change began (Page's CUSUM estimate, or the segmentation's split), ≤ ts. */
  readonly onset: number;
  readonly detector: 'cusum' | 'page-hinkley' | 'segment';
  readonly direction: 'up' | 'down';
  /**
   * Median before the change and of the samples since it (units); for 'segment', the old piece's
   * line at its end and the new piece's at the detection.
   */
  readonly before: number;
  readonly after: number;
}

/** A sample whose modified z-score against the samples before it reached the outlier threshold. */
export interface Outlier extends SeriesRef {
  readonly ts: number;
  readonly value: number;
  /** Modified z-score (Iglewicz & Hoaglin 1993) and the window median and MAD it was computed from. */
  readonly z: number;
  readonly median: number;
  readonly mad: number;
}

/** The anomaly score of one sample (the anomaly detector). */
export interface AnomalyScore extends SeriesRef {
  readonly ts: number;
  readonly value: number;
  /** The value expected: the window median, or the seasonal forecast when that explained the sample better. */
  readonly expected: number;
  /** Robust z-score of the sample (capped): how surprising it is, in robust standard deviations. */
  readonly surprise: number;
  /** Anomaly likelihood in [0, 1] (Ahmad et al. 2017): how unusual recent surprise is for this series. */
  readonly score: number;
  /** True while an anomaly is active: the score reached the threshold within the last `hold` samples. */
  readonly anomalous: boolean;
}

/** Regression test of a recent window against a reference window or stored baseline. */
export interface RegressionResult extends SeriesRef {
  readonly ts: number;
  readonly baselineMedian: number;
  readonly recentMedian: number;
  /** Shift of recent vs reference (units) and relative to the baseline median. */
  readonly shift: number;
  readonly relativeShift: number;
  /**
   * How `shift` was estimated: the Hodges–Lehmann shift when the test was significant (or the
   * regression was active), else the plain difference of medians, which is all a verdict of
   * "not regressed" needs.
   */
  readonly shiftEstimator: 'hodges-lehmann' | 'median-difference';
  /** One-sided Mann–Whitney p-value in the "worse" direction. */
  readonly pValue: number;
  readonly nBaseline: number;
  readonly nRecent: number;
  /** Length (µs) of the recent window this result describes. */
  readonly recentWindow: number;
  /** Relative shift this window had to reach: the tier's threshold, raised when the windows cannot resolve it. */
  readonly threshold: number;
  /** True when both the statistical and the practical thresholds are crossed in the bad direction. */
  readonly regressed: boolean;
}

/** Throughput per concurrency level, scaling efficiency and the Universal Scalability Law fit. */
export interface ScalingResult extends SeriesRef {
  readonly ts: number;
  readonly levels: readonly {
    readonly concurrency: number;
    readonly throughput: number;
    readonly efficiency: number;
  }[];
  readonly sigma: number | null;
  readonly kappa: number | null;
  readonly lambda: number | null;
  readonly peakConcurrency: number | null;
  /** Efficiency at the highest concurrency tested: X(N) / (N · X(1)) relative to the lowest level. */
  readonly efficiency: number;
  /** True when efficiency fell below the threshold or throughput went retrograde. */
  readonly degraded: boolean;
}

/** The USL fit of a scaling result, or null when it has none (too few levels, no convergence). */
export const uslFitOf = (result: ScalingResult): UslParameters | null =>
  result.sigma !== null && result.kappa !== null && result.lambda !== null
    ? { sigma: result.sigma, kappa: result.kappa, lambda: result.lambda }
    : null;

/** What a fault did to one measure of the service (its latency quantile, error rate, throughput). */
export interface MeasureRecovery {
  readonly measure: 'latency' | 'errors' | 'throughput';
  /**
   * The pre-fault reference band: center ± halfWidth (ms for latency, a fraction for errors,
   * requests completed per second for throughput).
   */
  readonly center: number;
  readonly halfWidth: number;
  /** First point outside the band after the fault began, null without one (µs). */
  readonly impactAt: number | null;
  /** Start of the points back inside the band for the hold window, null until then (µs). */
  readonly recoveredAt: number | null;
  /** The latest point: its time (µs) and value, null before any since the fault began. */
  readonly lastAt: number | null;
  readonly last: number | null;
}

/**
 * A fault's course as the recovery detector follows it: its start and end (from the fault records
 * in the stream), when the impact showed, whether and when the service recovered (every measure
 * back in its pre-fault band and staying there), and the verdict once there is one.
 */
export interface FaultRecovery extends SeriesRef {
  /** Event time this result describes. */
  readonly ts: number;
  readonly fault: string;
  readonly action: string;
  /** 1 for the fault's first occurrence in the run, 2 for the second… */
  readonly occurrence: number;
  /**
   * What happened at `ts`: the fault started or ended, the service recovered, it was not
   * recovered by the deadline, or the stream ended before either.
   */
  readonly phase: 'start' | 'end' | 'recovered' | 'not-recovered' | 'unfinished';
  readonly start: number;
  readonly end: number | null;
  /** When the first measure left its band (µs), null without a visible impact. */
  readonly impactAt: number | null;
  /** When the last measure was back in its band for good (µs), null while not recovered. */
  readonly recoveredAt: number | null;
  /** recoveredAt − start (µs): the time to recover, null while not recovered. */
  readonly recoveryTime: number | null;
  /** Not recovered by this time (µs; the end plus recoverWithin), it is not-recovered; null before the end. */
  readonly deadline: number | null;
  /** The latency quantile each interval is summarised by (0.95: p95). */
  readonly quantile: number;
  readonly measures: readonly MeasureRecovery[];
}

/** Counters the pipeline reports about its own health: late and quarantined samples, excess series, evictions. */
export interface Diagnostic {
  readonly ts: number;
  readonly kind: 'late' | 'out-of-order' | 'quarantined' | 'series-limit' | 'series-evicted' | 'invalid';
  readonly count: number;
  /** The series concerned: the latest one late, quarantined or turned away. */
  readonly series?: string;
  /** The bound crossed: the series limit, or the µs ahead beyond which samples are quarantined. */
  readonly limit?: number;
  readonly message: string;
}

/** Everything the analysis graph emits. */
export type AnalysisEvent =
  | { readonly type: 'stat'; readonly stat: Stat }
  | { readonly type: 'leak'; readonly leak: LeakEstimate }
  | { readonly type: 'changepoint'; readonly changePoint: ChangePoint }
  | { readonly type: 'outlier'; readonly outlier: Outlier }
  | { readonly type: 'anomaly'; readonly anomaly: AnomalyScore }
  | { readonly type: 'regression'; readonly regression: RegressionResult }
  | { readonly type: 'scaling'; readonly scaling: ScalingResult }
  | { readonly type: 'recovery'; readonly recovery: FaultRecovery }
  | { readonly type: 'alert'; readonly alert: Alert }
  | { readonly type: 'diagnostic'; readonly diagnostic: Diagnostic };
