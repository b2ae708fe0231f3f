import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { alertRuleProvisioning, alertRuleQueries } from '../../grafana/src/alertRules.js';
import { dashboards } from '../../grafana/src/dashboards.js';
import { DATASOURCE_UID } from '../../grafana/src/influxql.js';
import { generatedFiles } from '../../grafana/src/provisioning.js';
import { InfluxSink } from '../../src/sinks/influx/influxSink.js';
import type { SinkRecord } from '../../src/sinks/sink.js';
import { BURST_FROM_S, BURST_TO_S, fixtureRecords } from '../support/collect.js';
import { faultSoakRecords, recoveriesOf, SOAK_FAULTS } from '../support/faultSoak.js';
import type { FaultRecovery } from '../../src/model/events.js';
import { influxdSkipReason, startInfluxd, type InfluxSeries, type InfluxServer } from '../support/influxd.js';

const GRAFANA = new URL('../../grafana/', import.meta.url).pathname;

interface Target {
  readonly refId: string;
  readonly query: string;
  readonly rawQuery?: boolean;
  readonly resultFormat?: string;
}
interface Panel {
  readonly type: string;
  readonly title: string;
  readonly targets?: Target[];
  readonly repeat?: string;
  readonly panels?: Panel[];
  readonly fieldConfig?: { readonly defaults?: { readonly unit?: string } };
}
interface Board {
  readonly uid: string;
  readonly title: string;
  readonly panels: Panel[];
  readonly templating: {
    list: {
      name: string;
      type: string;
      query: string | Record<string, unknown>;
      includeAll?: boolean;
      allValue?: string;
    }[];
  };
  readonly annotations: {
    list: {
      name: string;
      enable: boolean;
      filter?: unknown;
      target?: Target & {
        fromAnnotations?: boolean;
        textColumn?: string;
        tagsColumn?: string;
        titleColumn?: string;
        timeEndColumn?: string;
      };
    }[];
  };
}

const boards = (): [string, Board][] =>
  Object.entries(dashboards()).map(([file, board]) => [file, JSON.parse(JSON.stringify(board)) as Board]);
const panelsOf = (board: Board): Panel[] =>
  board.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]).filter((panel) => panel.type !== 'row');

describe('Grafana provisioning', () => {
  test(
    'the committed dashboards and alert rules are what grafana/src generates ' +
      '(run `npm run grafana` after editing it)',
    () => {
      const files = generatedFiles();
      expect(Object.keys(files).sort()).toEqual([
        'dashboards/alerts.json',
        'dashboards/latency.json',
        'dashboards/resources-and-leaks.json',
        'dashboards/scaling.json',
        'dashboards/soak-overview.json',
        'provisioning/alerting/soakstream.yaml',
      ]);
      for (const [path, text] of Object.entries(files))
        expect(readFileSync(`${GRAFANA}${path}`, 'utf8'), `grafana/${path} is stale: run npm run grafana`).toBe(text);
    },
  );

  test('five dashboards with unique uids; each has the alert and fault annotations, shown on all panels', () => {
    const all = boards();
    expect(all.map(([, board]) => board.title)).toEqual([
      'soakstream · Soak overview',
      'soakstream · Latency',
      'soakstream · Resources & leaks',
      'soakstream · Scaling',
      'soakstream · Alerts',
    ]);
    expect(new Set(all.map(([, board]) => board.uid)).size).toBe(5);
    for (const [, board] of all) {
      const alerts = board.annotations.list.find((annotation) => annotation.name === 'soakstream alerts');
      // No panel filter: Grafana draws a dashboard annotation on every time-series panel.
      expect(alerts, board.title).toMatchObject({
        enable: true,
        target: { fromAnnotations: true, textColumn: 'message', rawQuery: true },
      });
      expect(alerts?.filter, board.title).toBeUndefined();
      // Faults: a region from each fault's start (the row's time) to its end (end_ms).
      const faults = board.annotations.list.find((annotation) => annotation.name === 'soakstream faults');
      expect(faults, board.title).toMatchObject({
        enable: true,
        target: {
          fromAnnotations: true,
          rawQuery: true,
          textColumn: 'message',
          titleColumn: 'fault',
          timeEndColumn: 'end_ms',
          query: expect.stringMatching(/ FROM "faults" WHERE /),
        },
      });
      expect(faults?.filter, board.title).toBeUndefined();
      expect(panelsOf(board).filter((panel) => panel.type === 'timeseries').length, board.title).toBeGreaterThan(0);
      for (const panel of panelsOf(board))
        expect(panel.targets?.length, `${board.title} / ${panel.title}`).toBeGreaterThan(0);
    }
  });

  test('every chart and stat has a unit; memory and counts never share an axis; error rates are means', () => {
    for (const [, board] of boards())
      for (const panel of panelsOf(board).filter((p) => p.type === 'timeseries' || p.type === 'stat')) {
        const where = `${board.title} / ${panel.title}`;
        const unit = panel.fieldConfig?.defaults?.unit;
        expect(unit, where).toBeTruthy();
        const queries = (panel.targets ?? []).map((target) => target.query).join('\n');
        // One kind per axis where a kind is in the query (bytes or counts, not both).
        expect(queries, where).not.toMatch(/memory\|resource/);
        if (/'errors'/.test(queries)) {
          expect(queries, where).toMatch(/max\("mean"\)/);
          expect(unit, where).toBe('percentunit');
        }
      }
  });

  test('the datasource, the dashboards provider and the alert rules agree on uids and paths', () => {
    const datasources = parse(readFileSync(`${GRAFANA}provisioning/datasources/soakstream.yaml`, 'utf8')) as {
      datasources: { uid: string; type: string; jsonData: { version: string } }[];
    };
    expect(datasources.datasources).toEqual([
      expect.objectContaining({
        uid: DATASOURCE_UID,
        type: 'influxdb',
        jsonData: expect.objectContaining({ version: 'InfluxQL' }),
      }),
    ]);
    const rules = alertRuleProvisioning().groups.flatMap((group) => group.rules) as {
      uid: string;
      data: { datasourceUid: string }[];
      labels: { kind: string };
    }[];
    expect(rules.map((rule) => rule.labels.kind)).toEqual(['regression', 'leak', 'scaling']);
    for (const rule of rules)
      expect(rule.data.map((query) => query.datasourceUid)).toEqual([DATASOURCE_UID, '__expr__', '__expr__']);
    const written = parse(readFileSync(`${GRAFANA}provisioning/alerting/soakstream.yaml`, 'utf8')) as unknown;
    expect(written).toEqual(JSON.parse(JSON.stringify(alertRuleProvisioning())));
  });
});

const skipReason = influxdSkipReason();
if (skipReason !== null) console.log(`skipping dashboard queries against InfluxDB: ${skipReason}`);

// Values of the run written below; the dashboards see them through their variables.
const SCENARIO = 'checkout-soak';
const RUN = 'run-42';

describe.skipIf(skipReason !== null)(
  'every dashboard, annotation and alert-rule query returns data from a real InfluxDB',
  () => {
    let influx: InfluxServer;
    let records: SinkRecord[];
    // The fault soak's recovery events, written with the same constant tags, 10 minutes into the run.
    let faults: FaultRecovery[];
    let range: { from: number; to: number };
    // The sink's scenario tag yields to a sample's own: the fixture recording carries one.
    let scenarios: string[];
    const database = 'soakstream';

    beforeAll(async () => {
      influx = await startInfluxd();
      await influx.createDatabase(database);
      records = await fixtureRecords({ endpoint: '/checkout' });
      const sink = new InfluxSink({
        url: influx.url,
        bucket: database,
        tags: { scenario: SCENARIO, run: RUN, host: 'ci' },
        rawSamples: true,
      });
      for (let i = 0; i < records.length; i += 5000) await sink.write(records.slice(i, i + 5000));
      const times = records.map((record) => (record.type === 'sample' ? record.sample.ts : 0)).filter((ts) => ts > 0);
      faults = recoveriesOf(faultSoakRecords(Math.min(...times) + 600_000_000));
      await sink.write(faults.map((recovery) => ({ type: 'recovery', recovery })));
      await sink.close();
      scenarios = [
        ...new Set(
          records.flatMap((record) => (record.type === 'sample' ? [record.sample.tags.scenario ?? SCENARIO] : [])),
        ),
      ].sort();
      expect(scenarios).toContain(SCENARIO);
      range = { from: Math.floor(Math.min(...times) / 1000), to: Math.ceil(Math.max(...times) / 1000) + 60_000 };
    }, 120_000);
    afterAll(async () => {
      await influx?.stop();
    });

    /**
     * What Grafana's InfluxQL datasource sends for a query: macros and variables interpolated
     * (multi-value variables as a regex alternation).
     */
    const interpolate = (text: string, variables: Readonly<Record<string, readonly string[]>>): string =>
      text
        .replace(/\$timeFilter/g, `time >= ${range.from}ms and time <= ${range.to}ms`)
        .replace(/\$__interval/g, '1m')
        .replace(/\$(\w+)/g, (whole, name: string) => {
          const values = variables[name];
          if (values === undefined) return whole;
          const escaped = values.map((value) => value.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&'));
          return escaped.length === 1 ? (escaped[0] as string) : `(${escaped.join('|')})`;
        });

    const series = async (text: string): Promise<InfluxSeries[]> => {
      const result = await influx.query(text, database);
      const error = result.results.find((r) => r.error !== undefined)?.error;
      if (error !== undefined) throw new Error(`${error}: ${text}`);
      return result.results.flatMap((r) => r.series ?? []);
    };
    /** Non-null values outside the time column. */
    const valuesOf = (found: InfluxSeries[]): unknown[] =>
      found
        .flatMap((s) => s.values.flatMap((row) => row.filter((_, i) => s.columns[i] !== 'time')))
        .filter((value) => value !== null);

    /** Resolves each query variable of a dashboard by running its query, as Grafana does on load. */
    const resolveVariables = async (board: Board): Promise<Record<string, string[]>> => {
      const variables: Record<string, string[]> = {};
      for (const variable of board.templating.list) {
        if (variable.type !== 'query') continue;
        const rows = await series(interpolate(String(variable.query), variables));
        variables[variable.name] = rows.flatMap((s) => s.values.map((row) => String(row[1])));
        expect(
          variables[variable.name]?.length,
          `${board.title}: variable $${variable.name} has no values`,
        ).toBeGreaterThan(0);
      }
      return variables;
    };

    test('the variables of every dashboard list the run written', async () => {
      for (const [, board] of boards()) {
        const variables = await resolveVariables(board);
        expect(variables.scenario).toEqual(scenarios);
        expect(variables.run).toEqual([RUN]);
      }
      const latency = await resolveVariables(boards()[1]?.[1] as Board);
      expect(latency.metric).toEqual(['http_req_duration']);
    });

    test('every panel query returns data', async () => {
      let queries = 0;
      for (const [, board] of boards()) {
        const variables = await resolveVariables(board);
        for (const panel of panelsOf(board)) {
          // A repeated panel is drawn once per value of its variable.
          const repeats =
            panel.repeat === undefined
              ? [variables]
              : (variables[panel.repeat] ?? []).map((value) => ({ ...variables, [panel.repeat as string]: [value] }));
          for (const scope of repeats) {
            for (const target of panel.targets ?? []) {
              const found = valuesOf(await series(interpolate(target.query, scope)));
              queries++;
              expect(
                found.length,
                `${board.title} / ${panel.title} / ${target.refId}: no data for\n${interpolate(target.query, scope)}`,
              ).toBeGreaterThan(0);
            }
          }
        }
      }
      expect(queries).toBeGreaterThanOrEqual(30);
    });

    test('the overview error panel shows the burst of 0/1 failed requests as a rate; outside it, none', async () => {
      const overview = boards().find(([, board]) => board.uid === 'soakstream-overview')?.[1] as Board;
      const panel = panelsOf(overview).find((p) => p.title.startsWith('Error rate')) as Panel;
      const variables = await resolveVariables(overview);
      const found = await series(interpolate(panel.targets?.[0]?.query ?? '', variables));
      const checkout = found.find((s) => s.tags?.metric === 'http_req_failed');
      expect(checkout).toBeDefined();
      const start = range.from * 1000;
      // Values per minute: the worst tag set's rolling mean. In the burst 30% of requests fail.
      const at = (minute: number): number[] =>
        (checkout?.values ?? [])
          .filter((row) => {
            const t = Number(row[0]);
            return t >= start + minute * 60e6 && t < start + (minute + 1) * 60e6;
          })
          .map((row) => Number(row[1]));
      expect(Math.max(...at(BURST_FROM_S / 60 + 2))).toBeGreaterThanOrEqual(0.25);
      expect(Math.max(...at(BURST_FROM_S / 60 + 2))).toBeLessThanOrEqual(0.35);
      // Long after it, the ratio series' ~1% (±0.5%) is the worst.
      expect(Math.max(...at(BURST_TO_S / 60 + 10))).toBeLessThan(0.02);
    });

    test('the alert annotations list every alert transition with its message', async () => {
      const alerts = records.flatMap((record) => (record.type === 'alert' ? [record.alert] : []));
      expect([...new Set(alerts.map((alert) => alert.kind))]).toEqual(
        expect.arrayContaining(['regression', 'leak', 'scaling']),
      );
      for (const [, board] of boards()) {
        const target = board.annotations.list.find((annotation) => annotation.name === 'soakstream alerts')
          ?.target as Target;
        const found = await series(interpolate(target.query, await resolveVariables(board)));
        const rows = found.flatMap((s) => s.values);
        expect(rows).toHaveLength(alerts.length);
        const messageAt = found[0]?.columns.indexOf('message') ?? -1;
        expect(rows.map((row) => row[messageAt]).sort()).toEqual(alerts.map((alert) => alert.message).sort());
      }
    });

    test('the fault annotations mark the start of each fault, and its span as a region once it ended', async () => {
      const started = faults.filter((fault) => fault.phase === 'start');
      expect(started.map((fault) => fault.fault)).toEqual(SOAK_FAULTS.map((fault) => fault.fault));
      for (const [, board] of boards()) {
        const target = board.annotations.list.find((annotation) => annotation.name === 'soakstream faults')?.target;
        const found = await series(interpolate(target?.query ?? '', await resolveVariables(board)));
        // What Grafana's InfluxQL datasource makes of the rows (times in ms there; this server answers in µs).
        const annotations = found.flatMap((s) =>
          s.values.map((row) => {
            const column = (name: string | undefined): unknown => row[s.columns.indexOf(name ?? '')] ?? null;
            return {
              time: (column('time') as number) / 1000,
              timeEnd: column(target?.timeEndColumn),
              title: column(target?.titleColumn),
              text: column(target?.textColumn),
              tags: (target?.tagsColumn ?? '').split(',').map(column),
            };
          }),
        );
        const expected = started.flatMap((fault) => {
          const ended = faults.find((f) => f.phase === 'end' && f.fault === fault.fault) as FaultRecovery;
          const time = fault.start / 1000;
          return [
            { time, timeEnd: (ended.end as number) / 1000, title: fault.fault, tags: [fault.action, 'end'] },
            { time, timeEnd: null, title: fault.fault, tags: [fault.action, 'start'] },
          ];
        });
        const byTimeAndTags = (a: { time: number; tags: unknown[] }, b: { time: number; tags: unknown[] }): number =>
          a.time - b.time || JSON.stringify(a.tags).localeCompare(JSON.stringify(b.tags));
        expect(annotations.map(({ text: _, ...rest }) => rest).sort(byTimeAndTags), board.title).toEqual(
          expected.sort(byTimeAndTags),
        );
        // Each region spans the fault: 10 s for both faults of the soak.
        for (const a of annotations.filter((a) => a.timeEnd !== null))
          expect((a.timeEnd as number) - a.time, board.title).toBe(10_000);
        expect(annotations.map((a) => a.text)).toContain('fault kill-target #1 (kill) ended after 10.0 s');
      }
    });

    test('each alert rule query finds its finding: the regression, the leak and the scaling loss', async () => {
      const metrics: Record<string, string> = {
        'soakstream-regression': 'http_req_duration',
        'soakstream-leak': 'process_heap_used_bytes',
        'soakstream-scaling': 'http_reqs_throughput',
      };
      for (const [uid, model] of Object.entries(alertRuleQueries())) {
        const found = await series(interpolate(model.query, {}));
        expect(
          found.map((s) => s.tags?.metric),
          uid,
        ).toContain(metrics[uid]);
        expect(
          found.every((s) => scenarios.includes(s.tags?.scenario ?? '') && s.tags?.run === RUN),
          uid,
        ).toBe(true);
        expect(valuesOf(found).length, uid).toBeGreaterThan(0);
      }
    });
  },
);
