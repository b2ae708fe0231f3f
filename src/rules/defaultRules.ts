import { ROLLING_STATS_DEFAULTS } from '../detectors/rollingStats.js';
import type { Rule, RuleSet } from './rule.js';
import { FAULT_METRIC } from '../model/faultRecord.js';

const SECOND = 1_000_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * The default rules, chosen per metric kind and tuned on the labelled benchmark
 * (`npm run bench -- detect`, results in the README):
 * - latency: regression upwards against the first 15 minutes after a 1 minute warm-up, in
 *   six windows (30 s ≥ 15%, 1 min ≥ 10%, 3 min ≥ 6%, 5 min ≥ 3.5%, 8 and 15 min ≥ 3%, each
 *   with Mann–Whitney p < 0.001), evaluated every 5 s (the detector's default), firing after 5 s;
 *   CUSUM change points recorded without alerting;
 * - throughput: the same regression test downwards, and scaling efficiency when samples carry
 *   a `concurrency` tag;
 * - memory (heap, RSS...): leak slope of the post-GC envelope ≥ 0.5%/h of its level, so a leak of
 *   1%/h (2 MB/h on a 200 MB heap) is found, not left to the noise around its own threshold;
 * - resource counts (fds, handles, threads): leak slope ≥ 1 unit/h and ≥ 1%/h; bursts shorter
 *   than the 2 minute envelope bucket do not reach its minimum, so they do not count;
 * - errors: rolling 1 minute mean above 1% (for 0/1-per-request or ratio metrics);
 * - faults (scenario `faults:`): each fault's impact and recovery on the requests' p95 latency and
 *   error rate; `not-recovered` when the service is not back 60 s after the fault ended;
 * - any other metric: the generic anomaly detector (spikes, level shifts, variance changes,
 *   drifts, daily and weekly patterns), as the `anomaly` preset runs it on every metric.
 */
export const DEFAULT_RULES: readonly Rule[] = [
  {
    name: 'latency-regression',
    match: { kinds: ['latency'] },
    detector: { type: 'regression', direction: 'up' },
    severity: 'critical',
    for: 5 * SECOND,
    keepFiringFor: 2 * MINUTE,
    alert: true,
  },
  {
    name: 'latency-change-point',
    match: { kinds: ['latency', 'throughput'] },
    detector: { type: 'changepoint', method: 'cusum' },
    severity: 'info',
    for: 0,
    keepFiringFor: 0,
    alert: false,
  },
  {
    name: 'throughput-regression',
    match: { kinds: ['throughput'] },
    detector: { type: 'regression', direction: 'down' },
    severity: 'critical',
    for: 5 * SECOND,
    keepFiringFor: 2 * MINUTE,
    alert: true,
  },
  {
    name: 'scaling-efficiency',
    match: { kinds: ['throughput'] },
    detector: { type: 'scaling', concurrencyTag: 'concurrency', minEfficiency: 0.5, retrogradeFraction: 0.95 },
    severity: 'warning',
    for: 0,
    keepFiringFor: 0,
    alert: true,
  },
  {
    name: 'memory-leak',
    match: { kinds: ['memory'] },
    detector: {
      type: 'leak',
      bucket: 2 * MINUTE,
      fitWindow: 60 * MINUTE,
      minSpan: 20 * MINUTE,
      minRelativeSlopePerHour: 0.005,
    },
    severity: 'critical',
    for: 4 * MINUTE,
    keepFiringFor: 10 * MINUTE,
    alert: true,
  },
  {
    name: 'resource-leak',
    match: { kinds: ['resource'] },
    detector: {
      type: 'leak',
      bucket: 2 * MINUTE,
      fitWindow: 60 * MINUTE,
      minSpan: 20 * MINUTE,
      minSlopePerHour: 1,
      minRelativeSlopePerHour: 0.01,
    },
    severity: 'critical',
    for: 5 * MINUTE,
    keepFiringFor: 10 * MINUTE,
    alert: true,
  },
  {
    name: 'error-rate',
    // The load generator's event counters (1 per failed or dropped request) would have a mean of 1:
    // the rate is the mean of the 0/1 http_req_failed, and of other error ratios.
    match: { kinds: ['errors'], exclude: ['http_req_errors', 'http_req_dropped'] },
    detector: { type: 'threshold', stat: 'mean', above: 0.01 },
    severity: 'critical',
    for: 30 * SECOND,
    keepFiringFor: MINUTE,
    alert: true,
  },
  {
    name: 'not-recovered',
    // One group per scenario: its fault records with its requests' latency and errors (src/detectors/recovery.ts).
    match: { metric: FAULT_METRIC },
    detector: { type: 'recovery' },
    severity: 'critical',
    for: 0,
    keepFiringFor: 0,
    alert: true,
  },
  {
    name: 'anomaly',
    // Fault records are events of the run, not measurements.
    match: { kinds: ['other'], exclude: [`${FAULT_METRIC}*`] },
    detector: { type: 'anomaly' },
    severity: 'warning',
    for: 0,
    keepFiringFor: 0,
    alert: true,
  },
];

/** The default rule set: default rules, 60 s rolling stats every 10 s, 5 s lateness, 1 h ahead, 10,000 series. */
export function defaultRuleSet(): RuleSet {
  return {
    rules: DEFAULT_RULES,
    stats: ROLLING_STATS_DEFAULTS,
    allowedLateness: 5 * SECOND,
    maxAhead: HOUR,
    maxSeries: 10_000,
    idleAfter: 30 * MINUTE,
  };
}
