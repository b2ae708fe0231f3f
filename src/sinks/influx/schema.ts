/**
 * The InfluxDB schema, shared by the sink, the Grafana dashboards and the tests (DESIGN.md,
 * "InfluxDB schema"): every measurement, tag and field name lives here and nowhere else.
 */
export const MEASUREMENT = {
  samples: 'samples',
  stats: 'stats',
  leak: 'leak',
  changepoints: 'changepoints',
  outliers: 'outliers',
  anomaly: 'anomaly',
  regressions: 'regressions',
  scaling: 'scaling',
  scalingFit: 'scaling_fit',
  alerts: 'alerts',
  /** Faults injected during the run, one point per phase of each occurrence (start, end, verdict). */
  faults: 'faults',
  diagnostics: 'diagnostics',
} as const;

/** Tags the sink sets itself (see points.ts for how a series tag of the same name is kept). */
export const TAG = {
  metric: 'metric',
  /**
   * What the metric measures (latency, throughput, memory, resource, errors, other): the kind the
   * rules saw, from name and unit.
   */
  metricKind: 'metric_kind',
  scenario: 'scenario',
  run: 'run',
  host: 'host',
  detector: 'detector',
  direction: 'direction',
  window: 'window',
  concurrency: 'concurrency',
  rule: 'rule',
  kind: 'kind',
  severity: 'severity',
  state: 'state',
  /** The fault's name, what it does (kill, pause, network…) and the phase of its course a point reports. */
  fault: 'fault',
  action: 'action',
  phase: 'phase',
} as const;

/** Field names per measurement. */
export const FIELD = {
  samples: { value: 'value' },
  stats: {
    n: 'n',
    min: 'min',
    max: 'max',
    mean: 'mean',
    stdev: 'stdev',
    median: 'median',
    mad: 'mad',
    p50: 'p50',
    p90: 'p90',
    p95: 'p95',
    p99: 'p99',
  },
  leak: {
    slopePerHour: 'slope_per_hour',
    lowerPerHour: 'lower_per_hour',
    upperPerHour: 'upper_per_hour',
    pValue: 'p_value',
    level: 'level',
    points: 'points',
    leaking: 'leaking',
  },
  changepoints: { before: 'before', after: 'after', onset: 'onset' },
  outliers: { value: 'value', z: 'z', median: 'median', mad: 'mad' },
  anomaly: { value: 'value', expected: 'expected', surprise: 'surprise', score: 'score', anomalous: 'anomalous' },
  regressions: {
    baselineMedian: 'baseline_median',
    recentMedian: 'recent_median',
    shift: 'shift',
    relativeShift: 'relative_shift',
    pValue: 'p_value',
    threshold: 'threshold',
    nBaseline: 'n_baseline',
    nRecent: 'n_recent',
    regressed: 'regressed',
  },
  scaling: { throughput: 'throughput', efficiency: 'efficiency', uslThroughput: 'usl_throughput' },
  scalingFit: {
    sigma: 'sigma',
    kappa: 'kappa',
    lambda: 'lambda',
    peakConcurrency: 'peak_concurrency',
    efficiency: 'efficiency',
    degraded: 'degraded',
  },
  alerts: {
    id: 'id',
    value: 'value',
    baseline: 'baseline',
    effect: 'effect',
    pValue: 'p_value',
    since: 'since',
    onset: 'onset',
    message: 'message',
    firing: 'firing',
    reason: 'reason',
  },
  /**
   * Durations in seconds since the fault's start (the point's time): when the phase happened, when
   * the fault ended, when the impact showed, when the service was back (the time to recover) and
   * its deadline; the end and the recovery also in epoch milliseconds, for Grafana's region ends.
   */
  faults: {
    occurrence: 'occurrence',
    message: 'message',
    at: 'at_s',
    end: 'end_s',
    impact: 'impact_s',
    recovery: 'recovery_s',
    deadline: 'deadline_s',
    endMs: 'end_ms',
    recoveredMs: 'recovered_ms',
  },
  diagnostics: { count: 'count', message: 'message' },
} as const;

/** Database (InfluxDB 1.x) or bucket (2.x, mapped to a database for InfluxQL) the sink writes by default. */
export const DEFAULT_DATABASE = 'soakstream';

/** How long the sink retries one failing write request before it gives up, unless set: 3 minutes. */
export const DEFAULT_RETRY_TIME_MS = 180_000;
