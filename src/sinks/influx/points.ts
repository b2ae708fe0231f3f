import { Point } from '@influxdata/influxdb-client';
import { describeRecovery } from '../../detectors/recovery.js';
import { uslFitOf, type FaultRecovery } from '../../model/events.js';
import type { MetricKind } from '../../model/metricKind.js';
import { MICROS_PER_SECOND, type Sample, type Tags } from '../../model/sample.js';
import { metricKind } from '../../rules/metricKind.js';
import { uslThroughput } from '../../stats/uslThroughput.js';
import type { SinkRecord } from '../sink.js';
import { FIELD, MEASUREMENT, TAG } from './schema.js';

/** Options of {@link pointsOf}. */
export interface PointOptions {
  /** Write raw samples to the `samples` measurement too. Default false (stats carry the shape). */
  readonly rawSamples?: boolean;
}

/**
 * A backslash right before a space, comma or equals sign, or at the end of a tag value, would
 * swallow the delimiter after it: the client's escaping leaves such backslashes alone and line
 * protocol has no portable escape for them (1.x and 2.x unescape `\\` differently). Each one is
 * written as U+2216 (∖) instead; every other character is kept and escaped by the client.
 */
export const safeTagValue = (value: string): string =>
  value.includes('\\') ? value.replace(/\\+(?=[ ,=]|$)/g, (run) => '\u2216'.repeat(run.length)) : value;

// A raw sample carries no kind: it is classified as the rules classify its series (name and
// unit), once per metric and unit.
const sampleKinds = new Map<string, MetricKind>();
const kindOfSample = (sample: Sample): MetricKind => {
  const key = `${sample.metric}\u0000${sample.unit ?? ''}`;
  let kind = sampleKinds.get(key);
  if (kind === undefined) {
    if (sampleKinds.size >= 10_000) sampleKinds.clear();
    sampleKinds.set(key, (kind = metricKind(sample.metric, sample.unit)));
  }
  return kind;
};

/** Keys of a measurement that a series tag may not take as they are: the sink's own tags and the fields. */
const reservedKeys = (fields: Readonly<Record<string, string>>, own: readonly string[] = []): ReadonlySet<string> =>
  new Set<string>([TAG.metric, TAG.metricKind, 'time', ...own, ...Object.values(fields)]);

const RESERVED = {
  samples: reservedKeys(FIELD.samples),
  stats: reservedKeys(FIELD.stats),
  leak: reservedKeys(FIELD.leak),
  changepoints: reservedKeys(FIELD.changepoints, [TAG.detector, TAG.direction]),
  outliers: reservedKeys(FIELD.outliers),
  anomaly: reservedKeys(FIELD.anomaly),
  regressions: reservedKeys(FIELD.regressions, [TAG.window]),
  scaling: reservedKeys(FIELD.scaling, [TAG.concurrency]),
  scalingFit: reservedKeys(FIELD.scalingFit),
  alerts: reservedKeys(FIELD.alerts, [TAG.rule, TAG.kind, TAG.severity, TAG.state]),
  faults: reservedKeys(FIELD.faults, [TAG.fault, TAG.action, TAG.phase]),
} as const;

/**
 * The InfluxDB tag key of a series tag: `user_<key>` when the measurement uses the key itself (a
 * tag the sink sets, a field, `time`) and when the key already starts with `user_`, so that no two
 * distinct series share a tag set in InfluxDB (strip one `user_` to get the key back).
 */
export const storedTagKey = (key: string, reserved: ReadonlySet<string>): string =>
  reserved.has(key) || key.startsWith('user_') ? `user_${key}` : key;

/**
 * A point of one series: its tags (keys as storedTagKey says), then `metric`, `metric_kind` and
 * the measurement's own tags (`own`); the sink's constant tags (scenario, run, host) yield to the
 * series' own.
 */
const seriesPoint = (
  measurement: keyof typeof RESERVED,
  { metric, tags, metricKind }: { readonly metric: string; readonly tags: Tags; readonly metricKind: MetricKind },
  ts: number,
  own: Readonly<Record<string, string>> = {},
): Point => {
  const point = new Point(MEASUREMENT[measurement]).timestamp(ts);
  const reserved = RESERVED[measurement];
  for (const [key, value] of Object.entries(tags))
    point.tag(safeTagValue(storedTagKey(key, reserved)), safeTagValue(value));
  for (const [key, value] of Object.entries(own)) point.tag(key, safeTagValue(value));
  return point.tag(TAG.metric, safeTagValue(metric)).tag(TAG.metricKind, metricKind);
};

// A non-finite float cannot be written in line protocol; the point keeps its other fields.
const float = (point: Point, name: string, value: number | null | undefined): Point =>
  value !== null && value !== undefined && Number.isFinite(value) ? point.floatField(name, value) : point;

/** Float fields `keys` of `values`, under their names in `names` (a FIELD entry). */
const floats = <K extends string>(
  point: Point,
  names: Readonly<Record<K, string>>,
  values: { readonly [key in K]?: number | null },
  keys: readonly K[],
): Point => {
  for (const key of keys) float(point, names[key], values[key]);
  return point;
};

const secondsSince = (start: number, at: number | null): number | null =>
  at === null ? null : (at - start) / MICROS_PER_SECOND;
const epochMillis = (at: number | null): number | null => (at === null ? null : Math.round(at / 1000));

/**
 * The point of one phase of a fault's course. It is timestamped at the fault's start whatever the
 * phase, with the phase as a tag: each phase of an occurrence is its own series, so phases never
 * overwrite one another while a replayed or redelivered phase overwrites itself, and a row of the
 * `end` phase is a whole region (its time, the start, to `end_ms`) for a Grafana annotation.
 */
const faultPoint = (r: FaultRecovery): Point => {
  const f = FIELD.faults;
  const point = seriesPoint('faults', r, r.start, {
    [TAG.fault]: r.fault,
    [TAG.action]: r.action,
    [TAG.phase]: r.phase,
  })
    .intField(f.occurrence, r.occurrence)
    .stringField(f.message, describeRecovery(r));
  float(point, f.at, secondsSince(r.start, r.ts));
  float(point, f.end, secondsSince(r.start, r.end));
  float(point, f.impact, secondsSince(r.start, r.impactAt));
  float(point, f.recovery, r.recoveryTime === null ? null : r.recoveryTime / MICROS_PER_SECOND);
  float(point, f.deadline, secondsSince(r.start, r.deadline));
  const endMs = epochMillis(r.end);
  const recoveredMs = epochMillis(r.recoveredAt);
  if (endMs !== null) point.intField(f.endMs, endMs);
  if (recoveredMs !== null) point.intField(f.recoveredMs, recoveredMs);
  return point;
};

/**
 * The InfluxDB points of one sink record, in the schema of ./schema.ts, timestamped in epoch µs
 * (write with precision 'us'). Tag values are escaped by the client's Point (commas, spaces,
 * equals signs, newlines; backslashes as {@link safeTagValue} says), so a sample cannot inject
 * line protocol. A scaling result yields a point per concurrency level and one for the fit; a
 * fault's phase is timestamped at the fault's start (see faultPoint); samples yield none unless
 * `rawSamples` is on.
 */
export function pointsOf(record: SinkRecord, options: PointOptions = {}): Point[] {
  switch (record.type) {
    case 'sample': {
      if (options.rawSamples !== true) return [];
      const { sample } = record;
      const ref = { metric: sample.metric, tags: sample.tags, metricKind: kindOfSample(sample) };
      return [seriesPoint('samples', ref, sample.ts).floatField(FIELD.samples.value, sample.value)];
    }
    case 'stat': {
      const { stat } = record;
      const point = seriesPoint('stats', stat, stat.ts).intField(FIELD.stats.n, stat.n);
      return [
        floats(point, FIELD.stats, stat, ['min', 'max', 'mean', 'stdev', 'median', 'mad', 'p50', 'p90', 'p95', 'p99']),
      ];
    }
    case 'leak': {
      const { leak } = record;
      const f = FIELD.leak;
      const point = seriesPoint('leak', leak, leak.ts)
        .intField(f.points, leak.points)
        .booleanField(f.leaking, leak.leaking);
      return [floats(point, f, leak, ['slopePerHour', 'lowerPerHour', 'upperPerHour', 'pValue', 'level'])];
    }
    case 'changepoint': {
      const { changePoint: cp } = record;
      const point = seriesPoint('changepoints', cp, cp.ts, {
        [TAG.detector]: cp.detector,
        [TAG.direction]: cp.direction,
      }).intField(FIELD.changepoints.onset, cp.onset);
      return [floats(point, FIELD.changepoints, cp, ['before', 'after'])];
    }
    case 'outlier': {
      const { outlier } = record;
      return [
        floats(seriesPoint('outliers', outlier, outlier.ts), FIELD.outliers, outlier, ['value', 'z', 'median', 'mad']),
      ];
    }
    case 'anomaly': {
      const { anomaly: a } = record;
      const point = seriesPoint('anomaly', a, a.ts).booleanField(FIELD.anomaly.anomalous, a.anomalous);
      return [floats(point, FIELD.anomaly, a, ['value', 'expected', 'surprise', 'score'])];
    }
    case 'regression': {
      const { regression: r } = record;
      const f = FIELD.regressions;
      const point = seriesPoint('regressions', r, r.ts, {
        [TAG.window]: `${Math.round(r.recentWindow / 1e6)}s`,
      })
        .intField(f.nBaseline, r.nBaseline)
        .intField(f.nRecent, r.nRecent)
        .booleanField(f.regressed, r.regressed);
      return [floats(point, f, r, ['baselineMedian', 'recentMedian', 'shift', 'relativeShift', 'pValue', 'threshold'])];
    }
    case 'scaling': {
      const { scaling: s } = record;
      const fit = uslFitOf(s);
      const levels = s.levels.map((level) => {
        const point = seriesPoint('scaling', s, s.ts, {
          [TAG.concurrency]: String(level.concurrency),
        });
        floats(point, FIELD.scaling, level, ['throughput', 'efficiency']);
        return fit === null ? point : float(point, FIELD.scaling.uslThroughput, uslThroughput(level.concurrency, fit));
      });
      const f = FIELD.scalingFit;
      const summary = seriesPoint('scalingFit', s, s.ts).booleanField(f.degraded, s.degraded);
      return [...levels, floats(summary, f, s, ['sigma', 'kappa', 'lambda', 'peakConcurrency', 'efficiency'])];
    }
    case 'alert': {
      const { alert } = record;
      const f = FIELD.alerts;
      const point = seriesPoint('alerts', alert, alert.ts, {
        [TAG.rule]: alert.rule,
        [TAG.kind]: alert.kind,
        [TAG.severity]: alert.severity,
        [TAG.state]: alert.state,
      })
        .stringField(f.id, alert.id)
        .stringField(f.message, alert.message)
        .intField(f.since, alert.since)
        .intField(f.firing, alert.state === 'firing' ? 1 : 0);
      if (alert.onset != null) point.intField(f.onset, alert.onset);
      if (alert.reason != null) point.stringField(f.reason, alert.reason);
      return [floats(point, f, alert, ['value', 'baseline', 'effect', 'pValue'])];
    }
    case 'recovery':
      return [faultPoint(record.recovery)];
    case 'diagnostic': {
      const { diagnostic: d } = record;
      const point = new Point(MEASUREMENT.diagnostics)
        .timestamp(d.ts)
        .tag(TAG.kind, d.kind)
        .intField(FIELD.diagnostics.count, d.count)
        .stringField(FIELD.diagnostics.message, d.message);
      return [point];
    }
  }
}
