import * as alerting from '@grafana/grafana-foundation-sdk/alerting';
import * as expr from '@grafana/grafana-foundation-sdk/expr';
import { FIELD, MEASUREMENT, TAG } from '../../src/sinks/influx/schema.js';
import { DATASOURCE_UID, id, InfluxQL, type InfluxQLQuery } from './influxql.js';

/**
 * Grafana-managed alert rules over soakstream's detector verdicts in InfluxDB, for teams that route
 * alerts through Grafana rather than subscribe to the Kafka alert topics. Each rule reads the
 * detector measurement (not soakstream's own alerts), so it fires per metric and scenario even when
 * soakstream's rules are tuned differently. Written by `npm run grafana` to
 * grafana/provisioning/alerting/soakstream.yaml in Grafana's file-provisioning format.
 */

export const RULE_FOLDER = 'soakstream';
export const RULE_GROUP = 'soakstream detectors';
/** How often Grafana evaluates the group. */
export const EVALUATION_INTERVAL = '1m';

const EXPRESSIONS = { type: '__expr__', uid: '__expr__' } as const;
const PER_SERIES = `GROUP BY ${[TAG.metric, TAG.scenario, TAG.run].map(id).join(', ')}`;

interface RuleSpec {
  readonly uid: string;
  readonly title: string;
  /** InfluxQL, one series per metric × scenario × run, over the last `lookbackSeconds`. */
  readonly query: string;
  readonly lookbackSeconds: number;
  readonly threshold: { readonly type: 'gt' | 'lt'; readonly value: number };
  readonly for: string;
  readonly severity: 'warning' | 'critical';
  readonly kind: 'regression' | 'leak' | 'scaling';
  readonly summary: string;
  readonly description: string;
}

const SPECS: readonly RuleSpec[] = [
  {
    uid: 'soakstream-regression',
    title: 'Latency or throughput regression',
    query:
      `SELECT count(${id(FIELD.regressions.regressed)}) FROM ${id(MEASUREMENT.regressions)} ` +
      `WHERE ${id(FIELD.regressions.regressed)} = true AND $timeFilter ${PER_SERIES}`,
    lookbackSeconds: 300,
    threshold: { type: 'gt', value: 0 },
    for: '2m',
    severity: 'critical',
    kind: 'regression',
    summary: '{{ $labels.metric }} regressed in {{ $labels.scenario }}',
    description:
      'The recent window of {{ $labels.metric }} differs from its baseline ' +
      '(Mann–Whitney, Hodges–Lehmann shift over the threshold) ' +
      'in {{ $values.B }} verdicts over the last 5 minutes.',
  },
  {
    uid: 'soakstream-leak',
    title: 'Memory or resource leak',
    query:
      `SELECT last(${id(FIELD.leak.lowerPerHour)}) FROM ${id(MEASUREMENT.leak)} ` +
      `WHERE ${id(FIELD.leak.leaking)} = true AND $timeFilter ${PER_SERIES}`,
    lookbackSeconds: 900,
    threshold: { type: 'gt', value: 0 },
    for: '5m',
    severity: 'warning',
    kind: 'leak',
    summary: '{{ $labels.metric }} is leaking in {{ $labels.scenario }}',
    description:
      'The post-GC envelope of {{ $labels.metric }} grows by at least {{ $values.B }} units per hour ' +
      '(lower 95% bound of the Theil–Sen slope).',
  },
  {
    uid: 'soakstream-scaling',
    title: 'Scaling efficiency loss',
    query:
      `SELECT last(${id(FIELD.scalingFit.efficiency)}) FROM ${id(MEASUREMENT.scalingFit)} ` +
      `WHERE ${id(FIELD.scalingFit.degraded)} = true AND $timeFilter ${PER_SERIES}`,
    lookbackSeconds: 900,
    threshold: { type: 'lt', value: 1 },
    for: '0s',
    severity: 'warning',
    kind: 'scaling',
    summary: '{{ $labels.metric }} stops scaling in {{ $labels.scenario }}',
    description:
      'The Universal Scalability Law fit of {{ $labels.metric }} gives an efficiency of {{ $values.B }} ' +
      'at the highest concurrency tested.',
  },
];

const influxModel = (spec: RuleSpec): InfluxQL =>
  new InfluxQL(spec.query, 'A').datasource({ type: 'influxdb', uid: DATASOURCE_UID });

const rule = (spec: RuleSpec): alerting.RuleBuilder =>
  new alerting.RuleBuilder(spec.title)
    .uid(spec.uid)
    .condition('C')
    .withQuery(
      new alerting.QueryBuilder('A')
        .datasourceUid(DATASOURCE_UID)
        .relativeTimeRange({ from: spec.lookbackSeconds, to: 0 })
        .model(influxModel(spec)),
    )
    .withQuery(
      new alerting.QueryBuilder('B')
        .datasourceUid(EXPRESSIONS.uid)
        .model(
          new expr.TypeReduceBuilder()
            .refId('B')
            .datasource(EXPRESSIONS)
            .expression('A')
            .reducer('last')
            .settings({ mode: 'dropNN' }),
        ),
    )
    .withQuery(
      new alerting.QueryBuilder('C').datasourceUid(EXPRESSIONS.uid).model(
        new expr.TypeThresholdBuilder()
          .refId('C')
          .datasource(EXPRESSIONS)
          .expression('B')
          .conditions([{ evaluator: { type: spec.threshold.type, params: [spec.threshold.value] } }]),
      ),
    )
    .forDuration(spec.for)
    .noDataState('OK')
    .execErrState('Error')
    .labels({ severity: spec.severity, kind: spec.kind, source: 'soakstream' })
    .annotations({ summary: spec.summary, description: spec.description });

/** The rules as Grafana's alerting file provisioning reads them (apiVersion 1, groups → rules). */
export function alertRuleProvisioning(): {
  apiVersion: 1;
  groups: { orgId: number; name: string; folder: string; interval: string; rules: Record<string, unknown>[] }[];
} {
  const rules = SPECS.map((spec) => {
    const built = rule(spec).build();
    return {
      uid: built.uid,
      title: built.title,
      condition: built.condition,
      data: built.data.map((q) => ({
        refId: q.refId,
        relativeTimeRange: q.relativeTimeRange ?? { from: 0, to: 0 },
        datasourceUid: q.datasourceUid,
        model: q.model,
      })),
      noDataState: built.noDataState,
      execErrState: built.execErrState,
      for: built.for,
      labels: built.labels,
      annotations: built.annotations,
      isPaused: false,
    };
  });
  return {
    apiVersion: 1,
    groups: [{ orgId: 1, name: RULE_GROUP, folder: RULE_FOLDER, interval: EVALUATION_INTERVAL, rules }],
  };
}

/** The InfluxQL query of every rule, by uid (for the test that runs them against a real InfluxDB). */
export function alertRuleQueries(): Record<string, InfluxQLQuery> {
  return Object.fromEntries(SPECS.map((spec) => [spec.uid, influxModel(spec).build()]));
}
