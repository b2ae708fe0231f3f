import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Partitioners, type Admin } from 'kafkajs';
import { runAnalysis } from '../src/analysis/runAnalysis.js';
import type { Sample, Tags } from '../src/model/sample.js';
import { seriesKey } from '../src/model/seriesKey.js';
import { MEASUREMENT } from '../src/sinks/influx/schema.js';
import { median } from '../src/stats/median.js';
import { createRandom } from '../src/stats/random.js';
import { createKafka } from '../src/transport/kafka/createKafka.js';
import { KafkaSampleProducer } from '../src/transport/kafka/kafkaSampleProducer.js';
import { influxdSkipReason, startInfluxd, type InfluxServer } from '../test/support/influxd.js';
import { kafkaMockSkipReason, startKafkaMockCluster } from '../test/support/kafkaMockCluster.js';
import { topSelfTime } from './cpuProfile.js';
import { CLI, ensureBuilt } from './ensureBuilt.js';
import { startChild, type ChildRun, type RunningChild } from './timeChild.js';

/** Options of the Kafka end-to-end benchmark. */
export interface KafkaBenchOptions {
  /** Samples preloaded into the topic, one per message. Default 1,000,000. */
  readonly samples?: number;
  /** Series they are spread over. Default 1,024. */
  readonly series?: number;
  /** Partitions of the topic. Default 32 (see {@link balancedSeries}). */
  readonly partitions?: number;
  /** Rounds, each running both consumers once in rotated order. Default 3. */
  readonly rounds?: number;
  /** Also run analyze once under `node --cpu-prof` and print where its time goes. */
  readonly profile?: boolean;
}

/** What one consumer did in one round. */
interface ConsumerRun {
  /** Samples/s committed from the first commit seen to the last (start-up and group join left out). */
  readonly rate: number;
  /** From spawn until every offset was committed, ms (Node.js start-up and the group join included). */
  readonly wallMs: number;
  readonly run: ChildRun;
}

/** What the Kafka benchmark found: median rates, their ratio and whether the worker stored what a replay gives. */
export interface KafkaBenchReport {
  readonly analyzeRate: number;
  readonly referenceRate: number;
  readonly ratio: number;
  readonly correct: boolean;
  readonly goalMet: boolean;
}

type ContenderName = 'analyze' | 'reference';

const TOPIC = 'bench.samples';
const T0 = 1_767_225_600_000_000;
/** One sample per second per series, as a probe or a per-endpoint timing feed would send. */
const STEP_MICROS = 1_000_000;
const POLL_MS = 100;
/** A consumer that commits nothing new for this long has stalled: the run fails. */
const STALL_MS = 120_000;

const count = (n: number): string => Math.round(n).toLocaleString('en-US');
const mib = (kib: number | null): string => (kib === null ? 'n/a' : `${(kib / 1024).toFixed(0)} MiB`);

/**
 * Tags of `series` series keyed evenly over the partitions (by kafkajs' default partitioner, the one
 * KafkaSampleProducer uses). The mock broker keeps about 5 MB per partition and deletes the oldest
 * messages beyond it, so 1 M messages need some 32 partitions, each about as full as the others.
 * Even partitions also keep their event times in step as a worker reads them one after another.
 */
function balancedSeries(series: number, partitions: number): Tags[] {
  const partitionOf = Partitioners.DefaultPartitioner();
  const metadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
  }));
  const perPartition = new Array<number>(partitions).fill(0);
  const limit = Math.ceil(series / partitions);
  const chosen: Tags[] = [];
  for (let i = 0; chosen.length < series; i++) {
    const tags = { endpoint: `/e${String(i).padStart(4, '0')}` };
    const key = seriesKey('http_req_duration', tags);
    const partition = partitionOf({ topic: TOPIC, partitionMetadata: metadata, message: { key, value: null } });
    if ((perPartition[partition] as number) >= limit) continue;
    perPartition[partition] = (perPartition[partition] as number) + 1;
    chosen.push(tags);
  }
  return chosen;
}

/** The preloaded samples, in event-time order: a latency per series every 100 ms, log-normal around 20–60 ms. */
function* benchSamples(tags: readonly Tags[], total: number): Generator<Sample> {
  const random = createRandom(12);
  const scale = tags.map((_, i) => 20 + (i % 41));
  for (let i = 0; i < total; i++) {
    const series = i % tags.length;
    yield {
      ts: T0 + Math.floor(i / tags.length) * STEP_MICROS + series,
      metric: 'http_req_duration',
      value: (scale[series] as number) * Math.exp(0.3 * random.normal()),
      tags: tags[series] as Tags,
      unit: 'ms',
    };
  }
}

/** Publishes the samples with the project's producer, printing progress to stderr. */
async function preload(brokers: string[], tags: readonly Tags[], total: number): Promise<number> {
  const started = performance.now();
  const producer = await KafkaSampleProducer.connect({ connection: { brokers }, topic: TOPIC });
  let published = 0;
  let nextReport = performance.now() + 2000;
  try {
    for (const sample of benchSamples(tags, total)) {
      const waiting = producer.publish(sample);
      if (waiting !== undefined) await waiting;
      published++;
      if (performance.now() >= nextReport) {
        process.stderr.write(`  preload: ${count(published)} / ${count(total)} samples published\n`);
        nextReport = performance.now() + 2000;
      }
    }
  } finally {
    await producer.close();
  }
  return performance.now() - started;
}

/** What the default rules make of the samples replayed in event-time order: events by type, Σ n of the stats. */
function replayed(tags: readonly Tags[], total: number): { events: Map<string, number>; statN: number } {
  const events = new Map<string, number>();
  let statN = 0;
  runAnalysis(benchSamples(tags, total), {
    onEvent: (event) => {
      events.set(event.type, (events.get(event.type) ?? 0) + 1);
      if (event.type === 'stat') statN += event.stat.n;
    },
  });
  return { events, statN };
}

/** Offsets committed by a group on the topic, summed over partitions (a committed offset is the next to read). */
async function committed(admin: Admin, groupId: string): Promise<number> {
  const [topic] = await admin.fetchOffsets({ groupId, topics: [TOPIC] });
  return (topic?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

/**
 * Runs one consumer process until its group has committed every offset of the topic (the end
 * condition: analyze commits a batch only once InfluxDB has stored it and the events it produced),
 * polling the group's offsets every 100 ms; then stops it with SIGINT and waits for its exit.
 * Its rate counts what was committed between the first poll that saw a commit and the end.
 */
async function consume(
  label: string,
  args: readonly string[],
  admin: Admin,
  groupId: string,
  total: number,
): Promise<ConsumerRun> {
  const running: RunningChild = startChild(process.execPath, args, true);
  let exited: ChildRun | null = null;
  void running.done.then((run) => (exited = run));
  let first: { ms: number; committed: number } | null = null;
  let last = { ms: performance.now(), committed: 0 };
  let nextReport = performance.now() + 2000;
  for (;;) {
    const finished = exited as ChildRun | null;
    if (finished !== null)
      throw new Error(`${label} exited with ${finished.code} before consuming the topic:\n${finished.stderr}`);
    const done = await committed(admin, groupId);
    const now = performance.now();
    if (done > last.committed) last = { ms: now, committed: done };
    if (first === null && done > 0) first = { ms: now, committed: done };
    if (done >= total) break;
    if (now - last.ms > STALL_MS) {
      running.child.kill('SIGKILL');
      throw new Error(`${label} committed nothing for ${STALL_MS / 1000} s (at ${count(done)} of ${count(total)})`);
    }
    if (now >= nextReport) {
      process.stderr.write(`  ${label}: ${count(done)} / ${count(total)} committed\n`);
      nextReport = now + 2000;
    }
    await sleep(POLL_MS);
  }
  const end = performance.now();
  running.child.kill('SIGINT');
  const run = await running.done;
  if (run.code !== 0) throw new Error(`${label} exited with ${run.code} after SIGINT:\n${run.stderr}`);
  const start = first as { ms: number; committed: number };
  const rate = end > start.ms ? (total - start.committed) / ((end - start.ms) / 1000) : Number.NaN;
  return { rate, wallMs: end - running.started, run };
}

/** The analyze worker's scenario: the topic as its Kafka transport, InfluxDB (behind the shim) as its one sink. */
const scenario = (brokers: string[], groupId: string, influxUrl: string, bucket: string): string => `version: 1
name: kafka-bench
transport: { type: kafka, brokers: "${brokers.join(',')}", topic: ${TOPIC}, groupId: ${groupId} }
sinks:
  influx: { url: "${influxUrl}", bucket: ${bucket} }
`;

/** Points per measurement in a database, and Σ n of its stats. */
async function stored(influx: InfluxServer, db: string): Promise<{ points: Map<string, number>; statN: number }> {
  const points = new Map<string, number>();
  const measurements = (await influx.query('SHOW MEASUREMENTS', db)).results[0]?.series?.[0]?.values ?? [];
  for (const [name] of measurements) {
    const result = await influx.query(`SELECT count(*) FROM "${String(name)}"`, db);
    const counts = (result.results[0]?.series?.[0]?.values[0] ?? []).slice(1) as number[];
    points.set(String(name), Math.max(0, ...counts));
  }
  const sum = await influx.query(`SELECT sum("n") FROM "${MEASUREMENT.stats}"`, db);
  return { points, statN: Number(sum.results[0]?.series?.[0]?.values[0]?.[1] ?? 0) };
}

/** influxd's own counters since it started (SHOW STATS): write requests, points (lines) in them, time spent on them. */
async function influxWrites(influx: InfluxServer): Promise<{ requests: number; points: number; ns: number }> {
  const series = (await influx.query(`SHOW STATS FOR 'httpd'`)).results[0]?.series?.[0];
  const column = (name: string): number => Number(series?.values[0]?.[series.columns.indexOf(name)] ?? 0);
  return { requests: column('writeReq'), points: column('pointsWrittenOK'), ns: column('writeReqDurationNs') };
}

const EVENT_MEASUREMENT: Readonly<Record<string, string>> = {
  stat: MEASUREMENT.stats,
  changepoint: MEASUREMENT.changepoints,
  leak: MEASUREMENT.leak,
  regression: MEASUREMENT.regressions,
  alert: MEASUREMENT.alerts,
};

/**
 * End-to-end Kafka throughput (`npm run bench -- kafka`): preloads a topic on the Kafka-protocol
 * mock broker with samples through KafkaSampleProducer (default 1 M samples of 1,000 series over 4
 * partitions), then, each in its own process and its own consumer group, `soakstream analyze` (the
 * built CLI; its scenario's sink a real influxd behind the test shim) and a bare kafkajs consumer
 * that only decodes and counts (bench/kafkaConsumer.mjs), in rotated order for `rounds` rounds.
 * Each ends once its group has committed every offset (for analyze: everything stored in
 * InfluxDB), then gets SIGINT and must exit 0. Prints samples/s (first commit to last), wall time
 * from spawn, peak RSS, the median of the per-round ratios, and checks that what analyze stored
 * equals what a replay of the same samples gives. Cost: rounds × two reads of the topic.
 */
export async function runKafkaBench(options: KafkaBenchOptions = {}): Promise<KafkaBenchReport | null> {
  const reason = kafkaMockSkipReason() ?? influxdSkipReason();
  if (reason !== null) {
    console.log(`  skipped: ${reason}`);
    return null;
  }
  const total = options.samples ?? 1_000_000;
  const seriesCount = options.series ?? 1024;
  const partitions = options.partitions ?? 32;
  const rounds = options.rounds ?? 3;
  await ensureBuilt();
  const directory = await mkdtemp(join(tmpdir(), 'soakstream-kafka-bench-'));
  const cluster = await startKafkaMockCluster(1);
  const influx = await startInfluxd();
  const admin = createKafka({ brokers: cluster.brokers, clientId: 'bench-watch' }).admin();
  try {
    await cluster.createTopic(TOPIC, partitions);
    await admin.connect();
    const tags = balancedSeries(seriesCount, partitions);
    const preloadMs = await preload(cluster.brokers, tags, total);
    const held = (await admin.fetchTopicOffsets(TOPIC)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    if (held !== total)
      throw new Error(`the topic holds ${held} messages, ${total} were published (the mock keeps ~5 MB a partition)`);
    console.log(
      `topic ${TOPIC}: ${count(total)} samples (one per message) of ${seriesCount} series, ` +
        `${(total / seriesCount / 60).toFixed(1)} min of event time at 1 sample/s per series, ` +
        `${partitions} partitions on the librdkafka mock broker; preloaded in ${(preloadMs / 1000).toFixed(1)} s ` +
        `by KafkaSampleProducer`,
    );
    const reference = replayed(tags, total);
    console.log(
      `replay of the same samples (default rules): ` +
        [...reference.events].map(([type, n]) => `${count(n)} ${type}`).join(', '),
    );

    const runs: Record<ContenderName, ConsumerRun[]> = { analyze: [], reference: [] };
    const writes: { requests: number; points: number; ns: number }[] = [];
    let correct = true;
    for (let round = 1; round <= rounds; round++) {
      const order: ContenderName[] = round % 2 === 1 ? ['analyze', 'reference'] : ['reference', 'analyze'];
      for (const name of order) {
        const groupId = `${name}-${round}`;
        if (name === 'reference') {
          const result = await consume(
            'reference',
            ['bench/kafkaConsumer.mjs', cluster.brokers.join(','), TOPIC, groupId],
            admin,
            groupId,
            total,
          );
          if (!result.run.stdout.includes(`counted ${total} samples`)) {
            console.log(`  PROBLEM: the reference consumer printed ${JSON.stringify(result.run.stdout.trim())}`);
            correct = false;
          }
          runs.reference.push(result);
          continue;
        }
        const bucket = `bench_${round}`;
        await influx.createDatabase(bucket);
        const file = join(directory, `analyze-${round}.yaml`);
        await writeFile(file, scenario(cluster.brokers, groupId, influx.url, bucket));
        const before = await influxWrites(influx);
        const result = await consume('analyze', [CLI, 'analyze', file], admin, groupId, total);
        const after = await influxWrites(influx);
        writes.push({
          requests: after.requests - before.requests,
          points: after.points - before.points,
          ns: after.ns - before.ns,
        });
        runs.analyze.push(result);
        correct = checkStored(result.run, await stored(influx, bucket), reference, total, round) && correct;
      }
      const line = order.map((name) => `${name} ${count((runs[name].at(-1) as ConsumerRun).rate)}/s`).join(', ');
      process.stderr.write(`  round ${round}/${rounds}: ${line}\n`);
    }

    const rates = (name: ContenderName): number[] => runs[name].map((r) => r.rate);
    const ratio = median(runs.analyze.map((r, i) => r.rate / (runs.reference[i] as ConsumerRun).rate));
    console.log(
      `\n${'consumer'.padEnd(40)}${'samples/s'.padStart(11)}${'min'.padStart(10)}${'max'.padStart(10)}` +
        `${'wall'.padStart(9)}${'peak RSS'.padStart(10)}`,
    );
    const labels: Record<ContenderName, string> = {
      analyze: 'soakstream analyze → InfluxDB',
      reference: 'bare kafkajs consumer (decode + count)',
    };
    for (const name of ['analyze', 'reference'] as const) {
      const rss = runs[name].map((r) => r.run.peakRssKib);
      console.log(
        `${labels[name].padEnd(40)}${count(median(rates(name))).padStart(11)}` +
          `${count(Math.min(...rates(name))).padStart(10)}${count(Math.max(...rates(name))).padStart(10)}` +
          `${`${(median(runs[name].map((r) => r.wallMs)) / 1000).toFixed(1)} s`.padStart(9)}` +
          `${mib(rss.every((k) => k !== null) ? median(rss as number[]) : null).padStart(10)}`,
      );
    }
    const requests = median(writes.map((w) => w.requests));
    const points = median(writes.map((w) => w.points));
    const writeMs = median(writes.map((w) => w.ns / 1e6 / Math.max(1, w.requests)));
    const batches = median(runs.reference.map((r) => Number(/(\d+) batches/.exec(r.run.stdout)?.[1])));
    console.log(
      `\nper round (medians): the bare consumer got ${count(batches)} batches of ${count(total / batches)} messages; ` +
        `analyze sent ${count(requests)} InfluxDB write requests (one per ${count(total / requests)} samples) ` +
        `holding ${count(points)} points, ${writeMs.toFixed(2)} ms each inside influxd`,
    );
    const goalMet = ratio >= 0.8;
    console.log(
      'samples/s from the first commit to the last; wall from spawn (start-up and group join included); ' +
        `medians of ${rounds} rounds`,
    );
    console.log(
      `analyze / bare consumer: ${ratio.toFixed(2)}× (median of per-round ratios)   ` +
        `goal ≥ 0.80×  ${goalMet ? 'met' : 'not met'}`,
    );
    console.log(`stored: ${correct ? 'every round as the replay' : 'FAILED (see PROBLEM lines above)'}`);
    if (options.profile === true) await profileAnalyze(directory, cluster.brokers, admin, influx, total);
    return {
      analyzeRate: median(rates('analyze')),
      referenceRate: median(rates('reference')),
      ratio,
      correct,
      goalMet,
    };
  } finally {
    await admin.disconnect().catch(() => undefined);
    await influx.stop();
    await cluster.stop();
    await rm(directory, { recursive: true, force: true });
  }
}

/** Compares what one analyze round stored with the replay; prints its summary and returns whether they agree. */
function checkStored(
  run: ChildRun,
  got: { points: Map<string, number>; statN: number },
  reference: { events: Map<string, number>; statN: number },
  total: number,
  round: number,
): boolean {
  const problems: string[] = [];
  const analysed = /analysed ([\d,]+) samples/.exec(run.stdout)?.[1]?.replace(/,/g, '');
  if (Number(analysed) !== total) problems.push(`analyze summarised ${analysed ?? 'nothing'} samples, not ${total}`);
  for (const [type, expected] of reference.events) {
    const measurement = EVENT_MEASUREMENT[type] ?? type;
    const points = got.points.get(measurement) ?? 0;
    if (points !== expected) problems.push(`${points} ${measurement} points stored, the replay gives ${expected}`);
  }
  if (got.statN !== reference.statN)
    problems.push(`Σ n of the stats is ${got.statN}, the replay gives ${reference.statN}`);
  for (const problem of problems) console.log(`  PROBLEM (round ${round}): ${problem}`);
  if (round === 1)
    console.log(
      `analyze stored (round 1): ` +
        [...got.points].map(([name, n]) => `${count(n)} ${name} points`).join(', ') +
        `; Σ n of the stats ${count(got.statN)} (${problems.length === 0 ? 'as the replay' : 'NOT as the replay'})`,
    );
  return problems.length === 0;
}

/** One more analyze run under `node --cpu-prof`; prints the functions with the most self time. */
async function profileAnalyze(
  directory: string,
  brokers: string[],
  admin: Admin,
  influx: InfluxServer,
  total: number,
): Promise<void> {
  const profiles = join(directory, 'profiles');
  const groupId = 'analyze-profiled';
  await influx.createDatabase('bench_profiled');
  const file = join(directory, 'analyze-profiled.yaml');
  await writeFile(file, scenario(brokers, groupId, influx.url, 'bench_profiled'));
  const result = await consume(
    'analyze (profiled)',
    ['--cpu-prof', '--cpu-prof-dir', profiles, CLI, 'analyze', file],
    admin,
    groupId,
    total,
  );
  console.log(`\nanalyze under --cpu-prof: ${count(result.rate)} samples/s; self time by function:`);
  for (const line of await topSelfTime(profiles, 20)) console.log(`  ${line}`);
}
