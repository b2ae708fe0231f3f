import type { Severity } from '../model/alert.js';
import type { MetricKind } from '../model/metricKind.js';
import type { DetectorConfig } from '../detectors/registry.js';
import type { RollingStatsOptions } from '../detectors/rollingStats.js';

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

/** One alerting rule: which series, which detector (options as the detector names them), how an alert behaves. */
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

/**
 * What a rules file states about the metrics a glob names (`metrics:`): their kind, which then
 * decides the rules that apply instead of the name and unit heuristics, and their unit.
 */
export interface MetricSpec {
  /** Metric name glob: `*` matches any run of characters, `?` one character. */
  readonly metric: string;
  readonly kind?: MetricKind;
  /** Unit of the values (used when the samples state none; a stated kind wins over it). */
  readonly unit?: string;
}

/** Everything the analysis needs besides the samples. */
export interface RuleSet {
  /** Kinds and units of metrics by glob, the first matching glob winning. Default none. */
  readonly metrics?: readonly MetricSpec[];
  readonly rules: readonly Rule[];
  /** Rolling statistics emitted for every series. */
  readonly stats: RollingStatsOptions;
  /** How far (µs) samples may arrive behind the newest one and still be used. */
  readonly allowedLateness: number;
  /**
   * How far (µs) a sample may lie ahead of event time (the newest sample; the wall clock too in
   * live runs) before it is quarantined instead of moving event time (see EventTimeOrder).
   */
  readonly maxAhead: number;
  /** Cardinality limit and idle eviction of series. */
  readonly maxSeries: number;
  readonly idleAfter: number;
}
