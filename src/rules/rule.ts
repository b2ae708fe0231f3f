import type { Severity } from '../model/alert.js';
import type { ChangePointsOptions } from '../operators/changePoints.js';
import type { LeakSlopeOptions } from '../operators/leakSlope.js';
import type { RegressionOptions } from '../operators/regression.js';
import type { ScalingEfficiencyOptions } from '../operators/scalingEfficiency.js';
import type { WindowSpec } from '../operators/windowSpec.js';
import type { MetricKind } from './metricKind.js';

/** Which series a rule applies to: all given conditions must hold. */
export interface RuleMatch {
  /** Metric kinds (see metricKind). */
  readonly kinds?: readonly MetricKind[];
  /** Metric name glob: `*` matches any run of characters, `?` one character. */
  readonly metric?: string;
  /** Tags that must be present with these exact values. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Metric name globs left out even when the rest matches. */
  readonly exclude?: readonly string[];
}

/** Numeric Stat fields a threshold rule can test. */
export type StatField = 'n' | 'min' | 'max' | 'mean' | 'stdev' | 'median' | 'mad' | 'p50' | 'p90' | 'p95' | 'p99';

/** A detector and its parameters (durations in µs, shifts and slopes as fractions). */
export type DetectorConfig =
  | ({ readonly type: 'regression' } & Omit<RegressionOptions, 'ref'>)
  | ({ readonly type: 'leak' } & Omit<LeakSlopeOptions, 'ref'>)
  | ({ readonly type: 'changepoint' } & Omit<ChangePointsOptions, 'ref'>)
  | {
      readonly type: 'outlier';
      readonly window?: WindowSpec;
      readonly threshold?: number;
      readonly minSamples?: number;
    }
  | { readonly type: 'threshold'; readonly stat: StatField; readonly above?: number; readonly below?: number }
  | ({
      readonly type: 'scaling';
      /**
       * Tags that change with every load step besides the concurrency tag; a scaling group is a
       * series without them. Default ['stage'], the step tag of the closed-model load generator.
       */
      readonly ignoreTags?: readonly string[];
    } & Omit<ScalingEfficiencyOptions, 'ref'>);

/** One alerting rule: which series, which detector, how an alert behaves. */
export interface Rule {
  readonly name: string;
  readonly match: RuleMatch;
  readonly detector: DetectorConfig;
  readonly severity: Severity;
  /** How long (µs) the condition must hold before the alert fires. */
  readonly for: number;
  /** How long (µs) the condition must stay clear before a firing alert resolves. */
  readonly keepFiringFor: number;
  /** False: the detector's results are emitted but raise no alerts. */
  readonly alert: boolean;
}

/** Everything the analysis graph needs besides the samples. */
export interface RuleSet {
  readonly rules: readonly Rule[];
  /** Rolling statistics emitted for every series. */
  readonly stats: { readonly window: WindowSpec; readonly hop: WindowSpec };
  /** How far (µs) samples may arrive behind the newest one and still be used. */
  readonly allowedLateness: number;
  /** Cardinality limit and idle eviction of series. */
  readonly maxSeries: number;
  readonly idleAfter: number;
}
