import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAlertsFile, readRecording, readStatsFile } from '../src/model/readRecording.js';
import { FIELD, MEASUREMENT } from '../src/sinks/influx/schema.js';
import type { HttpTarget } from '../test/support/httpTarget.js';
import type { InfluxServer } from '../test/support/influxd.js';
import type { KafkaMockCluster } from '../test/support/kafkaMockCluster.js';

/** One row of the fault table. */
export interface FaultRow {
  readonly fault: string;
  /** Records the analysis produced (samples, stats, alert transitions), from the sink that holds all. */
  readonly sent: number;
  /** Records each sink stored, by sink. */
  readonly stored: Readonly<Record<string, number>>;
  /** Records of a sink that should hold everything and does not (null: nothing was accepted). */
  readonly lost: number | null;
  /** Samples recorded twice, stats stored twice, alert transitions (id and state) delivered twice. */
  readonly duplicated: number | null;
  /** From the end of the fault to the process saying writes succeed again (null: not applicable). */
  readonly recoverS: number | null;
  readonly peakRssMiB: number | null;
  /** The exit code, and what the row shows beyond the numbers. */
  readonly exit: number | null;
  readonly note: string;
}

/** What a fault's run left behind, counted from the recording and from InfluxDB. */
export interface Counts {
  readonly samples: number;
  /** Distinct samples (series and event time). */
  readonly uniqueSamples: number;
  readonly stats: number;
  readonly alerts: number;
  readonly duplicated: number;
}

export const mib = (kib: number | null): number | null => (kib === null ? null : Math.round(kib / 1024));

/** Counts a recording directory's samples, stats and alert transitions, and those recorded twice. */
export async function recordingCounts(dir: string): Promise<Counts> {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.avro'))
    .sort();
  const sampleKeys = new Set<string>();
  const statKeys = new Set<string>();
  const alertKeys = new Set<string>();
  let samples = 0;
  let stats = 0;
  let alerts = 0;
  for (const file of files) {
    const path = join(dir, file);
    // A file cut short (a full disk) counts up to its last complete block.
    try {
      if (file.includes('-samples-'))
        for await (const sample of readRecording(path)) {
          samples++;
          sampleKeys.add(`${sample.metric}${JSON.stringify(sample.tags)}@${sample.ts}`);
        }
      else if (file.includes('-stats-'))
        for await (const stat of readStatsFile(path)) {
          stats++;
          statKeys.add(`${stat.series}@${stat.ts}`);
        }
      else if (file.includes('-alerts-'))
        for await (const alert of readAlertsFile(path)) {
          alerts++;
          alertKeys.add(`${alert.id}/${alert.state}@${alert.ts}`);
        }
    } catch {
      // What was read before the cut is counted.
    }
  }
  return {
    samples,
    uniqueSamples: sampleKeys.size,
    stats,
    alerts,
    duplicated: samples - sampleKeys.size + (stats - statKeys.size) + (alerts - alertKeys.size),
  };
}

/** Counts the samples, stats and alert points a run wrote to an InfluxDB database. */
export async function influxCounts(influx: InfluxServer, db: string): Promise<Counts> {
  const count = async (measurement: string, field: string): Promise<number> => {
    const result = await influx.query(`SELECT count("${field}") FROM "${measurement}"`, db);
    return (result.results[0]?.series?.[0]?.values?.[0]?.[1] as number | undefined) ?? 0;
  };
  return {
    samples: await count(MEASUREMENT.samples, FIELD.samples.value),
    // A point is keyed by series and time: one written twice is stored once.
    uniqueSamples: await count(MEASUREMENT.samples, FIELD.samples.value),
    stats: await count(MEASUREMENT.stats, FIELD.stats.n),
    alerts: await count(MEASUREMENT.alerts, FIELD.alerts.firing),
    duplicated: 0,
  };
}

export const total = (counts: Counts): number => counts.samples + counts.stats + counts.alerts;

export interface Suite {
  readonly influx: InfluxServer;
  readonly target: HttpTarget;
  readonly dir: string;
  readonly scale: number;
  database: number;
  /** The Kafka mock cluster of the Kafka rows, started by the first of them. */
  kafka: KafkaMockCluster | null;
}

/**
 * A scenario loading the suite's target at 100 requests/s for `seconds`, recording everything
 * (samples, stats, alert transitions), writing InfluxDB; with `kafka`, its transport is that topic
 * (for `load` and `analyze`).
 */
export async function scenario(
  suite: Suite,
  name: string,
  seconds: number,
  options: {
    influxExtra?: string;
    recordingDir?: string;
    target?: readonly string[];
    kafka?: { brokers: readonly string[]; topic: string; groupId: string };
  } = {},
): Promise<{ file: string; dir: string; db: string }> {
  const db = `faults_${++suite.database}`;
  await suite.influx.createDatabase(db);
  const dir = join(suite.dir, name.replace(/\W+/g, '-'));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'scenario.yaml');
  writeFileSync(
    file,
    [
      'version: 1',
      `name: ${name.replace(/\W+/g, '-')}`,
      ...(options.target ?? [`target: { url: "${suite.target.url}" }`]),
      'requests: [ { name: ok, path: /ok, weight: 3 }, { name: slow, path: "/slow?ms=5" } ]',
      `load: { model: open, stages: [ { duration: ${seconds}s, rate: 100/s } ] }`,
      'probes: { self: true, interval: 1s }',
      ...(options.kafka === undefined
        ? []
        : [
            `transport: { type: kafka, brokers: "${options.kafka.brokers.join(',')}", ` +
              `topic: ${options.kafka.topic}, groupId: ${options.kafka.groupId} }`,
          ]),
      'sinks:',
      `  report: { path: "${dir}/report.html" }`,
      `  recording: { dir: "${options.recordingDir ?? dir}", prefix: soak, stats: true, alerts: true }`,
      `  influx: { url: "${suite.influx.url}", bucket: ${db}, rawSamples: true${options.influxExtra ?? ''} }`,
      'rules: { version: 1, defaults: true, stats: { window: 10s, hop: 1s } }',
    ].join('\n'),
  );
  return { file, dir, db };
}
