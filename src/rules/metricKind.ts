import type { MetricKind } from '../model/metricKind.js';

const TIME_UNITS = new Set([
  'ns',
  'us',
  'µs',
  'ms',
  's',
  'sec',
  'seconds',
  'milliseconds',
  'microseconds',
  'nanoseconds',
]);
const BYTE_UNITS = new Set(['b', 'bytes', 'byte', 'kb', 'kib', 'mb', 'mib', 'gb', 'gib']);
// Only a per-second unit is a rate: a bare `s` or `sec` is a time unit (OpenTelemetry durations use `s`).
const RATE_UNIT = /\/(s|sec|second)$|^(rps|qps|tps|ops|req\/s|ops\/s|requests\/s)$/i;

// Word boundaries that also split snake_case, dotted and dashed names (`http_rps`, `process.mem`):
// a token is delimited by anything that is not a letter or digit.
const token = (alternatives: string): string => `(?<![a-z0-9])(?:${alternatives})(?![a-z0-9])`;
const ERRORS = new RegExp(`(error|errors|fail|failed|failure|${token('timeouts?')}|5xx|exception|dropped)`, 'i');
const THROUGHPUT = new RegExp(
  `(throughput|${token('rps|qps|tps|ops')}|requests_per|per_sec|per_second|${token('per_s|rate')})`,
  'i',
);
// A time unit in a name counts only as its last token (`gc_pause_ms`, `wait.us`), so `us-east-1`
// or `ms_teams_calls` name no unit.
const LATENCY = new RegExp(
  `(latency|duration|response_time|resp_time|${token('rtt')}|elapsed|delay|wait_time|pause|` +
    `(?<![a-z0-9])(?:ms|seconds|us|micros|nanos|millis)$)`,
  'i',
);
const MEMORY = new RegExp(
  `(heap|rss|memory|${token('mem')}|mem_|resident|allocated|_bytes$|array_buffers|external)`,
  'i',
);
const RESOURCE = new RegExp(
  `(${token('fds?|file_descriptors|open_files')}|handles|threads|sockets|goroutines|connections_open|open_connections)`,
  'i',
);

/**
 * Whether a value can be an error measurement: 0/1 per request, a ratio in [0, 1], or a count (a
 * non-negative integer). A `cpu_failure_temp` of 71.5 is none of these.
 */
const errorLike = (value: number): boolean => value >= 0 && (value <= 1 || Number.isInteger(value));

/**
 * Classifies a metric by its unit first (a stated unit is what the producer says the values are),
 * then by whole tokens of its name (Prometheus/OpenTelemetry naming habits: `_seconds`, `_bytes`,
 * `duration`, `heap`, `errors`...). An error name counts only when `value` (the series' first,
 * when known) is 0/1, a ratio or a count. Rules can match kinds instead of listing names; a rules
 * file can state kinds by glob (`metrics:`) or match by name instead. O(length of the name).
 */
export function metricKind(metric: string, unit?: string, value?: number): MetricKind {
  const u = unit?.trim().toLowerCase();
  if (u !== undefined && u !== '') {
    if (RATE_UNIT.test(u)) return 'throughput';
    if (TIME_UNITS.has(u)) return 'latency';
    if (BYTE_UNITS.has(u)) return 'memory';
    if (u === 'fds' || u === 'threads' || u === 'handles') return 'resource';
  }
  if (ERRORS.test(metric) && (value === undefined || errorLike(value))) return 'errors';
  if (THROUGHPUT.test(metric)) return 'throughput';
  if (LATENCY.test(metric)) return 'latency';
  if (MEMORY.test(metric)) return 'memory';
  if (RESOURCE.test(metric)) return 'resource';
  return 'other';
}
