import { performance } from 'node:perf_hooks';
import type { Alert } from '../src/model/alert.js';
import { encodeAlert } from '../src/model/alertCodec.js';
import type { Stat } from '../src/model/stat.js';
import { createKafka } from '../src/transport/kafka/createKafka.js';
import { InfluxSink } from '../src/sinks/influx/influxSink.js';
import { pointsOf } from '../src/sinks/influx/points.js';
import { KafkaAlertSink } from '../src/sinks/kafka/kafkaAlertSink.js';
import type { SinkRecord } from '../src/sinks/sink.js';
import { influxdSkipReason, startInfluxd } from '../test/support/influxd.js';
import { kafkaMockSkipReason, startKafkaMockCluster } from '../test/support/kafkaMockCluster.js';

/** Options of the sink benchmark. */
export interface SinkBenchOptions {
  readonly points?: number;
  readonly alerts?: number;
}

const T0 = 1_767_225_600_000_000;
const SERIES = 1000;

const statRecord = (i: number): SinkRecord => {
  const series = i % SERIES;
  const stat: Stat = {
    ts: T0 + Math.floor(i / SERIES) * 1_000_000,
    windowStart: T0,
    series: `http_req_duration{endpoint=/e${series}}`,
    metric: 'http_req_duration',
    tags: { endpoint: `/e${series}`, scenario: 'bench' },
    metricKind: 'latency',
    n: 600,
    min: 1,
    max: 90 + (i % 7),
    mean: 20,
    stdev: 4,
    median: 18 + (i % 5),
    mad: 2,
    p50: 18,
    p90: 30,
    p95: 41,
    p99: 77,
  };
  return { type: 'stat', stat };
};

const alertOf = (i: number): Alert => ({
  id: `a${i}`,
  rule: i % 2 === 0 ? 'latency-regression' : 'memory-leak',
  kind: i % 2 === 0 ? 'regression' : 'leak',
  severity: 'warning',
  state: (['pending', 'firing', 'resolved'] as const)[i % 3] as Alert['state'],
  series: `http_req_duration{endpoint=/e${i % SERIES}}`,
  metric: 'http_req_duration',
  tags: { endpoint: `/e${i % SERIES}` },
  metricKind: 'latency',
  ts: T0 + i,
  since: T0,
  value: 120,
  baseline: 100,
  effect: 0.2,
  pValue: 1e-4,
  message: `latency up 20% on /e${i % SERIES}`,
});

const rate = (count: number, ms: number): string =>
  `${Math.round(count / (ms / 1000))
    .toLocaleString('en-US')
    .padStart(10)}/s`;

async function influxBench(points: number): Promise<void> {
  const reason = influxdSkipReason();
  if (reason !== null) {
    console.log(`  skipped: ${reason}`);
    return;
  }
  const influx = await startInfluxd();
  try {
    console.log(
      `influxd 1.6.7 on loopback (behind the test shim's /api/v2/write); ` +
        `${points.toLocaleString('en-US')} stats points over ${SERIES} series, 12 fields each, ` +
        `written in calls of 1,000`,
    );
    const records = Array.from({ length: points }, (_, i) => statRecord(i));
    // Reference: the naive way, each call's points as line protocol in one awaited POST straight
    // to influxd's /write (no shim hop), no retries and no bound on anything.
    await influx.createDatabase('ref');
    const settings = {
      defaultTags: { run: 'bench' },
      convertTime: (t: string | number | Date | undefined) => (t === undefined ? undefined : String(t)),
    };
    let started = performance.now();
    for (let i = 0; i < points; i += 1000) {
      const body = records
        .slice(i, i + 1000)
        .flatMap((record) => pointsOf(record).map((point) => point.toLineProtocol(settings)))
        .join('\n');
      const response = await fetch(`${influx.directUrl}/write?db=ref&precision=u`, { method: 'POST', body });
      if (response.status !== 204)
        throw new Error(`reference write failed: ${response.status} ${await response.text()}`);
    }
    const reference = performance.now() - started;
    const referenceStored = (await influx.query(`SELECT count(p95) FROM "stats"`, 'ref')).results[0]?.series?.[0]
      ?.values[0]?.[1];

    for (const batchSize of [5000, 20_000]) {
      const db = `sink_${batchSize}`;
      await influx.createDatabase(db);
      const sink = new InfluxSink({ url: influx.url, bucket: db, batchSize, tags: { run: 'bench' } });
      started = performance.now();
      const pending: Promise<void>[] = [];
      for (let i = 0; i < points; i += 1000) pending.push(sink.write(records.slice(i, i + 1000)));
      await Promise.all(pending);
      await sink.close();
      const ours = performance.now() - started;
      const stored = (await influx.query(`SELECT count(p95) FROM "stats"`, db)).results[0]?.series?.[0]?.values[0]?.[1];
      console.log(
        `  InfluxSink, batch ${String(batchSize).padStart(6)}            ${rate(points, ours)} points ` +
          `(${stored === points ? 'all stored' : `STORED ${String(stored)}`}, every write acknowledged)`,
      );
    }
    console.log(
      `  naive POST per call (reference)      ${rate(points, reference)} points ` +
        `(${referenceStored === points ? 'all stored' : `STORED ${String(referenceStored)}`}; ` +
        `direct to influxd, no shim)`,
    );
  } finally {
    await influx.stop();
  }
}

async function kafkaBench(alerts: number): Promise<void> {
  const reason = kafkaMockSkipReason();
  if (reason !== null) {
    console.log(`  skipped: ${reason}`);
    return;
  }
  const cluster = await startKafkaMockCluster(1);
  try {
    await cluster.createTopic('bench.alerts', 4);
    await cluster.createTopic('bench.regressions', 4);
    await cluster.createTopic('bench.raw', 4);
    console.log(
      `librdkafka mock cluster on loopback; ${alerts.toLocaleString('en-US')} alerts ` +
        `(half of them regressions, so ×1.5 messages), written in calls of 500, acks all`,
    );
    const all = Array.from({ length: alerts }, (_, i) => alertOf(i));
    const producer = createKafka({ brokers: cluster.brokers }).producer();
    await producer.connect();
    let started = performance.now();
    for (let i = 0; i < alerts; i += 500)
      await producer.send({
        topic: 'bench.raw',
        acks: -1,
        messages: all.slice(i, i + 500).map((a) => ({ key: a.series, value: encodeAlert(a) })),
      });
    const reference = performance.now() - started;
    await producer.disconnect();

    const sink = await KafkaAlertSink.connect({
      connection: { brokers: cluster.brokers },
      alertsTopic: 'bench.alerts',
      regressionsTopic: 'bench.regressions',
    });
    started = performance.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < alerts; i += 500)
      pending.push(sink.write(all.slice(i, i + 500).map((alert) => ({ type: 'alert' as const, alert }))));
    await Promise.all(pending);
    const ours = performance.now() - started;
    await sink.close();
    console.log(
      `  KafkaAlertSink (both topics)         ${rate(alerts, ours)} alerts ` +
        `(${sink.messages.toLocaleString('en-US')} messages acknowledged)`,
    );
    console.log(`  kafkajs send, one topic (reference)  ${rate(alerts, reference)} alerts`);
  } finally {
    await cluster.stop();
  }
}

/**
 * Sink throughput: points/s into a real local InfluxDB through InfluxSink (two batch sizes), next
 * to a naive awaited POST of each call's line protocol; alerts/s into the Kafka-protocol mock broker through
 * KafkaAlertSink, next to plain kafkajs sends of the same encoded alerts.
 */
export async function runSinkBench(options: SinkBenchOptions = {}): Promise<void> {
  await influxBench(options.points ?? 200_000);
  await kafkaBench(options.alerts ?? 50_000);
}
