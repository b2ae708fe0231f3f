import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { FIELD, MEASUREMENT, TAG } from '../../src/sinks/influx/schema.js';
import { DATASOURCE_NAME, DATASOURCE_UID, DATASOURCE_VARIABLE, id, InfluxQL, matches } from './influxql.js';

/**
 * The provisioned dashboards, as typed builders of @grafana/grafana-foundation-sdk. Every query is
 * InfluxQL over the schema of src/sinks/influx/schema.ts, so it runs on InfluxDB 1.8+, 2.x with a
 * DBRP mapping and 3.x. `npm run grafana` writes them to grafana/dashboards/*.json; a test fails when
 * the committed JSON differs from what these builders produce.
 */

const M = MEASUREMENT;
const F = FIELD;
const eq = (tag: string, value: string): string => `${id(tag)} = '${value}'`;

/** The scope every query shares: the scenario and run variables, and Grafana's time range. */
const scope = (...conditions: string[]): string =>
  [...conditions, matches(TAG.scenario, 'scenario'), matches(TAG.run, 'run'), '$timeFilter'].join(' AND ');
const byMetric = (metricVariable: string): string => matches(TAG.metric, metricVariable);
const kindIs = (kind: string): string => eq(TAG.metricKind, kind);
const kindIn = (kinds: string): string => `${id(TAG.metricKind)} =~ /^(${kinds})$/`;
/**
 * Error metrics that are rates: not the load generator's per-event counters (1 per failed or
 * dropped request, whose mean is always 1), as the default error-rate rule leaves them out.
 */
const errorRates = (): string[] => [kindIs('errors'), `${id(TAG.metric)} !~ /^(http_req_errors|http_req_dropped)$/`];
const every = (...tags: string[]): string => ['time($__interval)', ...tags.map(id)].join(', ');

/** SELECT ... FROM measurement WHERE scope GROUP BY ... (fill(none) for time buckets). */
const select = (fields: string, measurement: string, where: readonly string[], groupBy?: string, tail = ''): string => {
  const group = groupBy === undefined ? '' : ` GROUP BY ${groupBy}${groupBy.startsWith('time(') ? ' fill(none)' : ''}`;
  return `SELECT ${fields} FROM ${id(measurement)} WHERE ${scope(...where)}${group}${tail}`;
};

const ALERT_COLUMNS = [F.alerts.message, TAG.state, TAG.severity, TAG.rule, TAG.kind, TAG.metric].map(id).join(', ');

/** Alerts as annotations: a dashboard annotation shows on every time-series panel of the dashboard. */
const alertAnnotations = (): dashboard.AnnotationQueryBuilder =>
  new dashboard.AnnotationQueryBuilder()
    .name('soakstream alerts')
    .datasource(DATASOURCE_VARIABLE)
    .enable(true)
    .iconColor('red')
    .target(
      new InfluxQL(select(ALERT_COLUMNS, M.alerts, []), 'Alerts').datasource(DATASOURCE_VARIABLE).annotation({
        text: F.alerts.message,
        tags: [TAG.state, TAG.severity, TAG.rule, TAG.metric].join(','),
        title: TAG.rule,
      }),
    );

const FAULT_COLUMNS = [F.faults.message, F.faults.endMs, TAG.fault, TAG.action, TAG.phase].map(id).join(', ');

/**
 * Faults as annotations: each fault's start as a mark while it lasts, and once it has ended, its
 * span from start to end as a region (the row of its `end` phase: time is the start, end_ms the end).
 */
const faultAnnotations = (): dashboard.AnnotationQueryBuilder =>
  new dashboard.AnnotationQueryBuilder()
    .name('soakstream faults')
    .datasource(DATASOURCE_VARIABLE)
    .enable(true)
    .iconColor('purple')
    .target(
      new InfluxQL(select(FAULT_COLUMNS, M.faults, [`${id(TAG.phase)} =~ /^(start|end)$/`]), 'Faults')
        .datasource(DATASOURCE_VARIABLE)
        .annotation({
          text: F.faults.message,
          tags: [TAG.action, TAG.phase].join(','),
          title: TAG.fault,
          timeEnd: F.faults.endMs,
        }),
    );

const tagValues = (
  name: string,
  label: string,
  key: string,
  where: readonly string[] = [],
): dashboard.QueryVariableBuilder => {
  const condition = where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`;
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE_VARIABLE)
    .query(`SHOW TAG VALUES FROM ${id(M.stats)} WITH KEY = ${id(key)}${condition}`)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ text: 'All', value: '$__all', selected: true });
};

const scenarioVariables = (): dashboard.QueryVariableBuilder[] => [
  tagValues('scenario', 'Scenario', TAG.scenario),
  tagValues('run', 'Run', TAG.run, [matches(TAG.scenario, 'scenario')]),
];

/** A metric variable limited to metrics of some kinds (a regex over metric_kind). */
const metricVariable = (name: string, label: string, kinds: string): dashboard.QueryVariableBuilder =>
  tagValues(name, label, TAG.metric, [kindIn(kinds), matches(TAG.scenario, 'scenario')]);

const datasourceVariable = (): dashboard.DatasourceVariableBuilder =>
  new dashboard.DatasourceVariableBuilder('datasource')
    .label('InfluxDB')
    .type('influxdb')
    .current({ text: DATASOURCE_NAME, value: DATASOURCE_UID, selected: true });

/**
 * A dashboard with the shared settings, the datasource, scenario and run variables, `variables`,
 * and the alert and fault annotations.
 */
const base = (
  uid: string,
  title: string,
  description: string,
  variables: readonly dashboard.QueryVariableBuilder[] = [],
): dashboard.DashboardBuilder =>
  new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['soakstream'])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .refresh('10s')
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .variables([datasourceVariable(), ...scenarioVariables(), ...variables])
    .annotation(alertAnnotations())
    .annotation(faultAnnotations())
    .link(
      new dashboard.DashboardLinkBuilder('soakstream')
        .type(dashboard.DashboardLinkType.Dashboards)
        .tags(['soakstream'])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true),
    );

const query = (text: string, refId = 'A'): InfluxQL => new InfluxQL(text, refId).datasource(DATASOURCE_VARIABLE);

const legend = (): common.VizLegendOptionsBuilder =>
  new common.VizLegendOptionsBuilder()
    .showLegend(true)
    .displayMode(common.LegendDisplayMode.Table)
    .placement(common.LegendPlacement.Bottom)
    .calcs(['lastNotNull', 'max']);

const chart = (title: string, description: string, ...targets: InfluxQL[]): timeseries.PanelBuilder =>
  new timeseries.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE_VARIABLE)
    .targets(targets)
    .height(8)
    .span(12)
    .legend(legend())
    .tooltip(
      new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending),
    )
    .lineWidth(1)
    .fillOpacity(5)
    .showPoints(common.VisibilityMode.Never)
    .spanNulls(true);

const bars = (title: string, description: string, target: InfluxQL): timeseries.PanelBuilder =>
  chart(title, description, target)
    .drawStyle(common.GraphDrawStyle.Bars)
    .fillOpacity(80)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));

const logScale = (): common.ScaleDistributionConfigBuilder =>
  new common.ScaleDistributionConfigBuilder().type(common.ScaleDistribution.Log).log(10);

const single = (
  title: string,
  description: string,
  target: InfluxQL,
  thresholds?: { red: number; orange?: number; lowerIsWorse?: boolean },
): stat.PanelBuilder => {
  const panel = new stat.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE_VARIABLE)
    .withTarget(target)
    .height(4)
    .span(6)
    .graphMode(common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Value)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  if (thresholds === undefined) return panel;
  const low = thresholds.lowerIsWorse === true;
  const steps: dashboard.Threshold[] = low
    ? [
        { value: null, color: 'red' },
        ...(thresholds.orange === undefined ? [] : [{ value: thresholds.red, color: 'orange' }]),
        { value: thresholds.orange ?? thresholds.red, color: 'green' },
      ]
    : [
        { value: null, color: 'green' },
        ...(thresholds.orange === undefined ? [] : [{ value: thresholds.orange, color: 'orange' }]),
        { value: thresholds.red, color: 'red' },
      ];
  return panel.thresholds(new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps));
};

const grid = (title: string, description: string, target: InfluxQL, span = 24): table.PanelBuilder =>
  new table.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE_VARIABLE)
    .withTarget(target.table())
    .height(9)
    .span(span)
    .filterable(true);

const row = (title: string): dashboard.RowBuilder => new dashboard.RowBuilder(title);

const firingCount = (where: readonly string[], groupBy?: string): string =>
  select(`count(${id(F.alerts.firing)}) AS "fired"`, M.alerts, [eq(TAG.state, 'firing'), ...where], groupBy);

const ALERT_TABLE = select(
  [
    F.alerts.message,
    TAG.state,
    TAG.severity,
    TAG.rule,
    TAG.kind,
    TAG.metric,
    F.alerts.value,
    F.alerts.baseline,
    F.alerts.effect,
    F.alerts.pValue,
    F.alerts.id,
  ]
    .map(id)
    .join(', '),
  M.alerts,
  [],
  undefined,
  ' ORDER BY time DESC LIMIT 200',
);

const overview = (): dashboard.DashboardBuilder =>
  base(
    'soakstream-overview',
    'soakstream · Soak overview',
    'The state of a soak at a glance: alerts, worst latency, steepest leak, scaling efficiency. ' +
      'Alerts show as annotations on every chart.',
  )
    .withPanel(
      single(
        'Alerts fired',
        'Transitions to firing in the time range, over all rules and series.',
        query(firingCount([])),
        { red: 1 },
      ).unit('short'),
    )
    .withPanel(
      single(
        'Worst latency p99',
        'Highest p99 of any latency series over its rolling window.',
        query(select(`max(${id(F.stats.p99)})`, M.stats, [kindIs('latency')])),
      ).unit('ms'),
    )
    .withPanel(
      single(
        'Steepest leak',
        'Largest Theil–Sen slope (units per hour) of a series the leak detector flags as leaking.',
        query(select(`max(${id(F.leak.slopePerHour)})`, M.leak, [`${id(F.leak.leaking)} = true`])),
        { red: 1e-9 },
      ).unit('short'),
    )
    .withPanel(
      single(
        'Lowest scaling efficiency',
        'Lowest USL-fitted efficiency: throughput at the highest level tested over linear scaling from the lowest.',
        query(select(`min(${id(F.scalingFit.efficiency)})`, M.scalingFit, [])),
        { red: 0.5, orange: 0.8, lowerIsWorse: true },
      ).unit('percentunit'),
    )
    .withPanel(
      chart(
        'Latency p95 (worst series per metric)',
        'p95 of the rolling window; the worst tag set of each latency metric.',
        query(select(`max(${id(F.stats.p95)})`, M.stats, [kindIs('latency')], every(TAG.metric))).alias('$tag_metric'),
      ).unit('ms'),
    )
    .withPanel(
      chart(
        'Throughput (median)',
        'Rolling median of each throughput metric, summed over its tag sets.',
        query(select(`sum(${id(F.stats.median)})`, M.stats, [kindIs('throughput')], every(TAG.metric))).alias(
          '$tag_metric',
        ),
      ).unit('reqps'),
    )
    .withPanel(
      chart(
        'Memory (median)',
        'Rolling median of memory metrics (heap, RSS), the largest tag set of each.',
        query(select(`max(${id(F.stats.median)})`, M.stats, [kindIs('memory')], every(TAG.metric))).alias(
          '$tag_metric',
        ),
      ).unit('bytes'),
    )
    .withPanel(
      chart(
        'Resources (median)',
        'Rolling median of resource counts (file descriptors, handles, threads, sockets), the largest tag set of each.',
        query(select(`max(${id(F.stats.median)})`, M.stats, [kindIs('resource')], every(TAG.metric))).alias(
          '$tag_metric',
        ),
      ).unit('short'),
    )
    .withPanel(
      chart(
        'Error rate (worst series per metric)',
        'Share of failed requests: the rolling mean of each error metric (0/1 per request, or a ratio), ' +
          'the worst tag set of each. A median of 0/1 values would read 0 until half the requests fail.',
        query(select(`max(${id(F.stats.mean)})`, M.stats, errorRates(), every(TAG.metric))).alias('$tag_metric'),
      ).unit('percentunit'),
    )
    .withPanel(
      bars(
        'Alerts fired by rule',
        'Transitions to firing per time bucket, stacked by rule.',
        query(firingCount([], every(TAG.rule))).alias('$tag_rule'),
      ).unit('short'),
    )
    .withPanel(
      grid(
        'Latest alert transitions',
        'Newest first: every firing and resolved transition with its evidence.',
        query(ALERT_TABLE),
        12,
      ),
    );

const latency = (): dashboard.DashboardBuilder =>
  base(
    'soakstream-latency',
    'soakstream · Latency',
    'Latency quantiles, robust spread, regression verdicts and change points of every latency series.',
    [metricVariable('metric', 'Latency metric', 'latency')],
  )
    .withRow(row('$metric'))
    .withPanel(
      chart(
        'Quantiles of $metric',
        'p50, p90, p95 and p99 of the rolling window, per tag set.',
        query(
          select(
            ['p50', 'p90', 'p95', 'p99'].map((p) => `mean(${id(p)}) AS ${id(p)}`).join(', '),
            M.stats,
            [kindIs('latency'), byMetric('metric')],
            `${every()}, *`,
          ),
        ),
      )
        .unit('ms')
        .repeat('metric'),
    )
    .withPanel(
      chart(
        'Median and MAD of $metric',
        'Rolling median and median absolute deviation: the robust centre and spread the detectors use.',
        query(
          select(
            `mean(${id(F.stats.median)}) AS "median", mean(${id(F.stats.mad)}) AS "MAD"`,
            M.stats,
            [kindIs('latency'), byMetric('metric')],
            `${every()}, *`,
          ),
        ),
      )
        .unit('ms')
        .repeat('metric'),
    )
    .withRow(row('Regressions and change points'))
    .withPanel(
      chart(
        'Shift of recent vs baseline median',
        'Relative shift of the recent window against the baseline (Hodges–Lehmann), per series and window.',
        query(
          select(
            `mean(${id(F.regressions.relativeShift)})`,
            M.regressions,
            [byMetric('metric')],
            every(TAG.metric, TAG.window),
          ),
        ).alias('$tag_metric $tag_window'),
      ).unit('percentunit'),
    )
    .withPanel(
      chart(
        'Regression p-value (Mann–Whitney)',
        'One-sided Mann–Whitney U p-value of recent vs baseline; the rule fires below its threshold.',
        query(
          select(
            `min(${id(F.regressions.pValue)})`,
            M.regressions,
            [byMetric('metric')],
            every(TAG.metric, TAG.window),
          ),
        ).alias('$tag_metric $tag_window'),
      )
        .unit('none')
        .scaleDistribution(logScale()),
    )
    .withPanel(
      grid(
        'Change points',
        'Changes the online detectors (CUSUM, Page–Hinkley) confirmed: level before and after, newest first.',
        query(
          select(
            [F.changepoints.before, F.changepoints.after, TAG.metric, TAG.detector, TAG.direction].map(id).join(', '),
            M.changepoints,
            [kindIs('latency'), byMetric('metric')],
            undefined,
            ' ORDER BY time DESC LIMIT 200',
          ),
        ),
      ),
    );

/** The kinds the resources dashboard draws, each on axes of its own unit. */
const KINDS_OF_RESOURCES = [
  { kind: 'memory', label: 'Memory', unit: 'bytes' },
  { kind: 'resource', label: 'Resource counts', unit: 'short' },
] as const;

/** Memory, then resource counts: their stats, leak envelope level and leak slope, each in its unit. */
const resourcePanels = (): timeseries.PanelBuilder[] =>
  KINDS_OF_RESOURCES.flatMap(({ kind, label, unit }) => [
    chart(
      label,
      'Rolling median and maximum per tag set.',
      query(
        select(
          `mean(${id(F.stats.median)}) AS "median", max(${id(F.stats.max)}) AS "max"`,
          M.stats,
          [kindIs(kind), byMetric('metric')],
          `${every()}, *`,
        ),
      ),
    ).unit(unit),
    chart(
      `${label}: leak envelope level`,
      'Median of the post-GC floor the leak detector fits.',
      query(select(`mean(${id(F.leak.level)})`, M.leak, [kindIs(kind), byMetric('metric')], every(TAG.metric))).alias(
        '$tag_metric',
      ),
    ).unit(unit),
    chart(
      `${label}: leak slope per hour, with 95% bounds`,
      'Theil–Sen slope of the envelope per hour and its confidence bounds; ' +
        'a leak is flagged when the lower bound stays above zero and Mann–Kendall agrees.',
      query(
        select(
          `mean(${id(F.leak.slopePerHour)}) AS "slope", mean(${id(F.leak.lowerPerHour)}) AS "lower", ` +
            `mean(${id(F.leak.upperPerHour)}) AS "upper"`,
          M.leak,
          [kindIs(kind), byMetric('metric')],
          every(TAG.metric),
        ),
      ).alias('$tag_metric $col'),
    ).unit(unit),
  ]);

const resources = (): dashboard.DashboardBuilder =>
  resourcePanels()
    .reduce(
      (board, panel) => board.withPanel(panel),
      base(
        'soakstream-resources',
        'soakstream · Resources & leaks',
        'Memory and resource series, the envelope the leak detector fits, and its slope with confidence bounds.',
        [metricVariable('metric', 'Resource metric', 'memory|resource')],
      ),
    )
    .withPanel(
      chart(
        'Trend p-value (Mann–Kendall)',
        'Two-sided Mann–Kendall p-value of the envelope trend.',
        query(select(`min(${id(F.leak.pValue)})`, M.leak, [byMetric('metric')], every(TAG.metric))).alias(
          '$tag_metric',
        ),
      )
        .unit('none')
        .scaleDistribution(logScale()),
    )
    .withPanel(
      grid(
        'Leak verdicts',
        'Latest verdict per series: slope and bounds per hour, p-value, points in the fit, and whether it is leaking.',
        query(
          select(
            [
              `last(${id(F.leak.slopePerHour)}) AS "slope/h"`,
              `last(${id(F.leak.lowerPerHour)}) AS "lower/h"`,
              `last(${id(F.leak.upperPerHour)}) AS "upper/h"`,
              `last(${id(F.leak.pValue)}) AS "p"`,
              `last(${id(F.leak.points)}) AS "points"`,
              `last(${id(F.leak.leaking)}) AS "leaking"`,
            ].join(', '),
            M.leak,
            [byMetric('metric')],
            `${id(TAG.metric)}`,
          ),
        ),
      ),
    );

const scaling = (): dashboard.DashboardBuilder =>
  base(
    'soakstream-scaling',
    'soakstream · Scaling',
    'Throughput at each concurrency level against the Universal Scalability Law fit, ' +
      'and the fitted contention and coherency.',
    [metricVariable('metric', 'Throughput metric', 'throughput')],
  )
    .withPanel(
      single(
        'Peak concurrency (USL)',
        'Concurrency where the fitted USL curve peaks: more load beyond it lowers throughput.',
        query(select(`last(${id(F.scalingFit.peakConcurrency)})`, M.scalingFit, [byMetric('metric')])),
      ).unit('short'),
    )
    .withPanel(
      single(
        'Scaling efficiency',
        'Throughput at the highest level over linear scaling from the lowest.',
        query(select(`last(${id(F.scalingFit.efficiency)})`, M.scalingFit, [byMetric('metric')])),
        { red: 0.5, orange: 0.8, lowerIsWorse: true },
      ).unit('percentunit'),
    )
    .withPanel(
      single(
        'Contention σ',
        'USL contention (serial fraction).',
        query(select(`last(${id(F.scalingFit.sigma)})`, M.scalingFit, [byMetric('metric')])),
      )
        .unit('none')
        .decimals(4),
    )
    .withPanel(
      single(
        'Coherency κ',
        'USL coherency (crosstalk) coefficient.',
        query(select(`last(${id(F.scalingFit.kappa)})`, M.scalingFit, [byMetric('metric')])),
      )
        .unit('none')
        .decimals(5),
    )
    .withPanel(
      grid(
        'Throughput by concurrency: measured and USL',
        'Latest measured throughput of each concurrency level, the USL curve at that level, ' +
          'and efficiency relative to linear scaling.',
        query(
          select(
            `last(${id(F.scaling.throughput)}) AS "measured", last(${id(F.scaling.uslThroughput)}) AS "USL", ` +
              `last(${id(F.scaling.efficiency)}) AS "efficiency"`,
            M.scaling,
            [byMetric('metric')],
            `${id(TAG.metric)}, ${id(TAG.concurrency)}`,
          ),
        ),
        12,
      ),
    )
    .withPanel(
      chart(
        'Throughput per concurrency level',
        'Measured throughput of each level as the run steps through them.',
        query(
          select(`mean(${id(F.scaling.throughput)})`, M.scaling, [byMetric('metric')], every(TAG.concurrency)),
        ).alias('c=$tag_concurrency'),
      ).unit('reqps'),
    )
    .withPanel(
      chart(
        'USL fit over time',
        'Contention σ and coherency κ as each new level refines the fit.',
        query(
          select(
            `mean(${id(F.scalingFit.sigma)}) AS "σ", mean(${id(F.scalingFit.kappa)}) AS "κ"`,
            M.scalingFit,
            [byMetric('metric')],
            every(TAG.metric),
          ),
        ).alias('$tag_metric $col'),
      ).unit('none'),
    )
    .withPanel(
      chart(
        'Efficiency over time',
        'Fitted scaling efficiency; the scaling rule fires below its threshold.',
        query(
          select(`mean(${id(F.scalingFit.efficiency)})`, M.scalingFit, [byMetric('metric')], every(TAG.metric)),
        ).alias('$tag_metric'),
      )
        .unit('percentunit')
        .min(0),
    );

const alerts = (): dashboard.DashboardBuilder =>
  base(
    'soakstream-alerts',
    'soakstream · Alerts',
    'Every alert transition soakstream published, with its evidence: value, baseline, effect and p-value.',
  )
    .withPanel(
      single('Firing transitions', 'Transitions to firing in the time range.', query(firingCount([])), {
        red: 1,
      }).unit('short'),
    )
    .withPanel(
      single(
        'Resolved transitions',
        'Transitions back to resolved in the time range.',
        query(select(`count(${id(F.alerts.firing)})`, M.alerts, [eq(TAG.state, 'resolved')])),
      ).unit('short'),
    )
    .withPanel(
      single(
        'Critical alerts fired',
        'Transitions to firing of rules with severity critical.',
        query(firingCount([eq(TAG.severity, 'critical')])),
        { red: 1 },
      ).unit('short'),
    )
    .withPanel(
      single(
        'Series alerted',
        'Distinct alert ids (rule × series) in the time range.',
        query(select(`count(distinct(${id(F.alerts.id)}))`, M.alerts, [])),
      ).unit('short'),
    )
    .withPanel(
      bars(
        'Firing transitions by kind',
        'Regression, leak, scaling and threshold alerts per time bucket.',
        query(firingCount([], every(TAG.kind))).alias('$tag_kind'),
      ).unit('short'),
    )
    .withPanel(
      chart(
        'Effect size of firing alerts',
        'Relative effect each alert reported when it fired (shift, slope or efficiency loss).',
        query(
          select(`max(${id(F.alerts.effect)})`, M.alerts, [eq(TAG.state, 'firing')], every(TAG.rule, TAG.metric)),
        ).alias('$tag_rule $tag_metric'),
      )
        .unit('percentunit')
        .drawStyle(common.GraphDrawStyle.Points)
        .pointSize(8),
    )
    .withPanel(grid('Alert transitions', 'Every firing and resolved transition, newest first.', query(ALERT_TABLE)));

/** Every provisioned dashboard, keyed by the file name it is written to under grafana/dashboards/. */
export function dashboards(): Record<string, dashboard.Dashboard> {
  return {
    'soak-overview.json': overview().build(),
    'latency.json': latency().build(),
    'resources-and-leaks.json': resources().build(),
    'scaling.json': scaling().build(),
    'alerts.json': alerts().build(),
  };
}
