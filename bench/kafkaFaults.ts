import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeSamples } from '../src/model/sampleCodec.js';
import { seriesKey } from '../src/model/seriesKey.js';
import { createKafka } from '../src/transport/kafka/createKafka.js';
import { committedBy, messagesIn } from '../test/support/kafkaAdmin.js';
import { kafkaMockSkipReason, startKafkaMockCluster, type KafkaMockCluster } from '../test/support/kafkaMockCluster.js';
import { CLI } from './ensureBuilt.js';
import { startFault, type FaultProcess } from './faultRun.js';
import { influxCounts, mib, recordingCounts, scenario, type Counts, type FaultRow, type Suite } from './faultSuite.js';

// The Kafka rows of the fault suite: the librdkafka mock cluster's broker taken down and brought
// back under `load` and under `analyze`, an `analyze` worker SIGKILLed and restarted, and `record`
// restarted into the same directory. Every count comes from the topic itself (read back from the
// beginning), the recordings and InfluxDB after the processes have ended.

/** How long a step may wait for the cluster (offsets to move, a group to catch up) before the row fails. */
const WAIT_MS = 300_000;

/** Starts the suite's mock cluster once; null (with the reason printed) where it cannot be built. */
async function clusterOf(suite: Suite): Promise<KafkaMockCluster | null> {
  const reason = kafkaMockSkipReason();
  if (reason !== null) {
    console.log(`  (skipped: ${reason})`);
    return null;
  }
  suite.kafka ??= await startKafkaMockCluster(1);
  return suite.kafka;
}

/**
 * Waits until `value()` exceeds `above`, polling every 250 ms (a poll that fails, the broker still
 * coming up, counts as not yet); resolves with performance.now() then. Fails after WAIT_MS or when
 * one of `running` has exited.
 */
async function untilAbove(
  value: () => Promise<number>,
  above: number,
  what: string,
  ...running: FaultProcess[]
): Promise<number> {
  const deadline = performance.now() + WAIT_MS;
  for (;;) {
    const now = await value().catch(() => Number.NEGATIVE_INFINITY);
    if (now > above) return performance.now();
    for (const run of running)
      if (run.child.exitCode !== null || run.child.signalCode !== null)
        throw new Error(`${what}: a process ended first`);
    if (performance.now() > deadline) throw new Error(`${what}: not within ${WAIT_MS / 1000} s`);
    await sleep(250);
  }
}

/** Waits until a group has committed every message of its topic. */
async function untilCaughtUp(brokers: readonly string[], groupId: string, topic: string): Promise<void> {
  const deadline = performance.now() + WAIT_MS;
  for (;;) {
    const [high, done] = await Promise.all([messagesIn(brokers, topic), committedBy(brokers, groupId, topic)]);
    if (high > 0 && done >= high) return;
    if (performance.now() > deadline)
      throw new Error(`group ${groupId} committed ${done} of ${high} messages of ${topic} in ${WAIT_MS / 1000} s`);
    await sleep(250);
  }
}

/** Every sample in a topic, read from the beginning by a group of its own: how many, and how many distinct. */
async function topicSamples(brokers: readonly string[], topic: string): Promise<{ samples: number; unique: number }> {
  const high = await messagesIn(brokers, topic);
  const consumer = createKafka({ brokers: [...brokers], clientId: 'faults-count' }).consumer({
    groupId: `faults-count-${randomUUID()}`,
  });
  const keys = new Set<string>();
  let messages = 0;
  let samples = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done: () => void = () => undefined;
    const read = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          messages++;
          if (message.value === null) continue;
          for (const sample of decodeSamples(message.value)) {
            samples++;
            keys.add(`${seriesKey(sample.metric, sample.tags)}@${sample.ts}`);
          }
        }
        if (messages >= high) done();
      },
    });
    if (high > 0) await Promise.race([read, sleep(WAIT_MS)]);
    if (messages < high) throw new Error(`read ${messages} of ${high} messages of ${topic}`);
  } finally {
    await consumer.disconnect();
  }
  return { samples, unique: keys.size };
}

/** A count from a line of a command's output ("published 1,200 samples"), NaN when absent. */
const counted = (text: string, pattern: RegExp): number => Number(pattern.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);

/** The outage timing of a row: from, for how long, run length (s), shortened with the suite. */
const timing = (suite: Suite, seconds: readonly number[]): number[] => seconds.map((s) => s / suite.scale);

/** `load` publishing while the only broker is down for 60 s mid-run. */
export async function brokerDownUnderLoad(suite: Suite): Promise<FaultRow | null> {
  const cluster = await clusterOf(suite);
  if (cluster === null) return null;
  const [from, outage, length] = timing(suite, [30, 60, 120]) as [number, number, number];
  const topic = 'load-outage';
  await cluster.createTopic(topic, 2);
  const { file } = await scenario(suite, 'broker-down-load', length, {
    kafka: { brokers: cluster.brokers, topic, groupId: 'unused' },
  });
  const run = startFault(CLI, ['load', file]);
  await untilAbove(() => messagesIn(cluster.brokers, topic), 0, 'first samples in the topic', run);
  await sleep(from * 1000);
  const before = await messagesIn(cluster.brokers, topic);
  await cluster.brokerDown(1);
  await sleep(outage * 1000);
  await cluster.brokerUp(1);
  const up = performance.now();
  const recovered = await untilAbove(() => messagesIn(cluster.brokers, topic), before, 'publishing again', run);
  const end = await run.done;
  const published = counted(end.stdout, /published ([\d,]+) samples to /);
  const notPublished = counted(end.stdout, /; ([\d,]+) not published/);
  const inTopic = await topicSamples(cluster.brokers, topic);
  return {
    fault: `broker down ${outage} s under load (of ${length} s)`,
    sent: published + notPublished,
    stored: { kafka: inTopic.unique },
    lost: Math.max(0, published - inTopic.unique),
    duplicated: inTopic.samples - inTopic.unique,
    recoverS: (recovered - up) / 1000,
    peakRssMiB: mib(end.peakRssKib),
    exit: end.code,
    note:
      `load held the samples while the broker was away (status: "broker unreachable for …"), ` +
      `${notPublished.toLocaleString('en-US')} not published; records sent = samples the load produced`,
  };
}

/** What an analyze worker's recording and InfluxDB hold against the samples in its topic. */
async function analyzeRow(
  suite: Suite,
  fault: string,
  topic: string,
  dir: string,
  db: string,
  ends: readonly { peakRssKib: number | null; code: number | null }[],
  recoverS: number,
  note: string,
): Promise<FaultRow> {
  const cluster = suite.kafka as KafkaMockCluster;
  const inTopic = await topicSamples(cluster.brokers, topic);
  const recorded: Counts = await recordingCounts(dir);
  const stored = await influxCounts(suite.influx, db);
  const rss = ends.map((e) => e.peakRssKib).filter((k): k is number => k !== null);
  return {
    fault,
    sent: inTopic.unique,
    stored: { recorder: recorded.samples, influxdb: stored.samples, 'stats/alerts': recorded.stats + recorded.alerts },
    lost: Math.max(0, inTopic.unique - recorded.uniqueSamples, inTopic.unique - stored.samples),
    duplicated: recorded.duplicated,
    recoverS,
    peakRssMiB: rss.length === 0 ? null : mib(Math.max(...rss)),
    exit: ends.at(-1)?.code ?? null,
    note,
  };
}

/** An `analyze` worker under the load of a `load` process while the only broker is down for 60 s. */
export async function brokerDownUnderAnalyze(suite: Suite): Promise<FaultRow | null> {
  const cluster = await clusterOf(suite);
  if (cluster === null) return null;
  const [from, outage, length] = timing(suite, [30, 60, 120]) as [number, number, number];
  const [topic, groupId] = ['analyze-outage', 'outage-workers'];
  await cluster.createTopic(topic, 2);
  const { file, dir, db } = await scenario(suite, 'broker-down-analyze', length, {
    kafka: { brokers: cluster.brokers, topic, groupId },
  });
  const worker = startFault(CLI, ['analyze', file]);
  const load = startFault(CLI, ['load', file]);
  await untilAbove(() => committedBy(cluster.brokers, groupId, topic), 0, 'first commit', worker, load);
  await sleep(from * 1000);
  const before = await committedBy(cluster.brokers, groupId, topic);
  await cluster.brokerDown(1);
  await sleep(outage * 1000);
  await cluster.brokerUp(1);
  const up = performance.now();
  const recovered = await untilAbove(() => committedBy(cluster.brokers, groupId, topic), before, 'commits', worker);
  const loaded = await load.done;
  await untilCaughtUp(cluster.brokers, groupId, topic);
  worker.child.kill('SIGINT');
  const end = await worker.done;
  return analyzeRow(
    suite,
    `broker down ${outage} s under analyze (of ${length} s)`,
    topic,
    dir,
    db,
    [end],
    (recovered - up) / 1000,
    `the worker rejoined and analysed every sample once; load exit ${loaded.code}, analyze stopped by SIGINT`,
  );
}

/** An `analyze` worker SIGKILLed mid-run and started again at once on the same scenario and directory. */
export async function analyzeKilled(suite: Suite): Promise<FaultRow | null> {
  const cluster = await clusterOf(suite);
  if (cluster === null) return null;
  const [from, length] = timing(suite, [30, 90]) as [number, number];
  const [topic, groupId] = ['analyze-killed', 'killed-workers'];
  await cluster.createTopic(topic, 2);
  const { file, dir, db } = await scenario(suite, 'analyze-killed', length, {
    kafka: { brokers: cluster.brokers, topic, groupId },
  });
  const first = startFault(CLI, ['analyze', file]);
  const load = startFault(CLI, ['load', file]);
  await untilAbove(() => committedBy(cluster.brokers, groupId, topic), 0, 'first commit', first, load);
  await sleep(from * 1000);
  first.child.kill('SIGKILL');
  const killed = await first.done;
  const before = await committedBy(cluster.brokers, groupId, topic);
  const restarted = performance.now();
  const second = startFault(CLI, ['analyze', file]);
  const recovered = await untilAbove(() => committedBy(cluster.brokers, groupId, topic), before, 'commits', second);
  await load.done;
  await untilCaughtUp(cluster.brokers, groupId, topic);
  second.child.kill('SIGINT');
  const end = await second.done;
  return analyzeRow(
    suite,
    `analyze SIGKILLed at ${from} s and restarted (of ${length} s)`,
    topic,
    dir,
    db,
    [killed, end],
    (recovered - restarted) / 1000,
    'recovery = restart to its first commit; the restarted worker wrote new recording files next to the old',
  );
}

/** `record` stopped (SIGTERM) mid-run and started again into the same directory. */
export async function recordRestarted(suite: Suite): Promise<FaultRow | null> {
  const cluster = await clusterOf(suite);
  if (cluster === null) return null;
  const [from, length] = timing(suite, [30, 90]) as [number, number];
  const [topic, groupId] = ['record-restart', 'recorders'];
  await cluster.createTopic(topic, 2);
  const { file, dir } = await scenario(suite, 'record-restarted', length, {
    kafka: { brokers: cluster.brokers, topic, groupId: 'unused' },
  });
  const out = `${dir}/recorded`;
  const args = ['record', '--brokers', cluster.brokers.join(','), '--topic', topic, '--group', groupId, '-o', out];
  const first = startFault(CLI, args);
  const load = startFault(CLI, ['load', file]);
  await untilAbove(() => committedBy(cluster.brokers, groupId, topic), 0, 'first commit', first, load);
  await sleep(from * 1000);
  first.child.kill('SIGTERM');
  const stopped = await first.done;
  const before = await committedBy(cluster.brokers, groupId, topic);
  const restarted = performance.now();
  const second = startFault(CLI, args);
  const recovered = await untilAbove(() => committedBy(cluster.brokers, groupId, topic), before, 'commits', second);
  await load.done;
  await untilCaughtUp(cluster.brokers, groupId, topic);
  second.child.kill('SIGINT');
  const end = await second.done;
  const inTopic = await topicSamples(cluster.brokers, topic);
  const recorded = await recordingCounts(out);
  return {
    fault: `record stopped at ${from} s and restarted into the same directory (of ${length} s)`,
    sent: inTopic.unique,
    stored: { recorder: recorded.samples },
    lost: Math.max(0, inTopic.unique - recorded.uniqueSamples),
    duplicated: recorded.duplicated,
    recoverS: (recovered - restarted) / 1000,
    peakRssMiB: mib(Math.max(stopped.peakRssKib ?? 0, end.peakRssKib ?? 0)),
    exit: end.code,
    note: `first record exit ${stopped.code}; the restart continued with new file numbers, truncating nothing`,
  };
}
