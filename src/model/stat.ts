import type { MetricKind } from './metricKind.js';
import type { Tags } from './sample.js';

/** Rolling statistics of one series for one window hop (Avro schema `Stat`). */
export interface Stat {
  /** Event time of the hop (end of the window), epoch µs. */
  readonly ts: number;
  /** Event time of the oldest sample still in the window, epoch µs. */
  readonly windowStart: number;
  readonly series: string;
  readonly metric: string;
  readonly tags: Tags;
  /** What the metric measures (the kind the rules matched the series by). */
  readonly metricKind: MetricKind;
  readonly n: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly stdev: number;
  readonly median: number;
  readonly mad: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
}
