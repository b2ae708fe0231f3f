/**
 * What a metric measures, which decides the default detectors: latency regresses upwards,
 * throughput downwards, memory and resource counts leak, error metrics cross thresholds. A series'
 * kind is worked out once, from its name and unit (src/rules/metricKind.ts), and travels with its
 * stats, events and alerts, so every sink sees the kind the rules saw.
 */
export type MetricKind = 'latency' | 'throughput' | 'memory' | 'resource' | 'errors' | 'other';

/** Every metric kind, in the order they are tried. */
export const METRIC_KINDS: readonly MetricKind[] = ['errors', 'throughput', 'latency', 'memory', 'resource', 'other'];
