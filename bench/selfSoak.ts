import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatQuantity } from '../src/model/formatQuantity.js';
import { readRecordingBatches } from '../src/model/readRecording.js';
import { MICROS_PER_HOUR, type Sample } from '../src/model/sample.js';
import { mannKendall } from '../src/stats/mannKendall.js';
import { theilSen } from '../src/stats/theilSen.js';
import { influxdSkipReason, startInfluxd, type InfluxServer } from '../test/support/influxd.js';
import { CLI, ensureBuilt } from './ensureBuilt.js';
import { startServer } from './loadgen.js';
import { PEAK_RSS_PRELOAD, startChild, type ChildRun } from './timeChild.js';

/** Options of the self-soak benchmark. */
export interface SelfSoakOptions {
  /** Run length in minutes. Default 30. */
  readonly minutes?: number;
  /**
   * Time compression of the rules: every duration of the default rules is divided by it (1: the
   * default rules as they are). `--quick` runs 3 minutes at 10, a model of the full run.
   */
  readonly compression?: number;
}

/** What the self-soak found. */
export interface SelfSoakReport {
  readonly samplesPerSecond: number;
  readonly goalMet: boolean;
}

/** Samples per request of the open-model load: its latency and whether it failed. */
const SAMPLES_PER_REQUEST = 2;
/** Aimed at 5,000 samples/s with the probes' ~20–50 samples/s (GC pauses vary). */
const REQUESTS_PER_SECOND = 2490;
const BUCKET = 'selfsoak';

/** The two series the goal is about: soakstream's heap (its Node.js probe) and its RSS (the process probe). */
const WATCHED = ['nodejs_heap_used_bytes', 'process_resident_memory_bytes'] as const;

/** One leak estimate of soakstream's own memory, as the InfluxDB sink stored it. */
interface OwnLeak {
  /** Event time, µs. */
  readonly ts: number;
  readonly metric: string;
  readonly slope: number;
  readonly lower: number;
  readonly upper: number;
  readonly pValue: number;
  readonly points: number;
  readonly leaking: boolean;
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US');
const clock = (ms: number): string =>
  `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;

/** A duration in the rules' notation, divided by the compression (whole milliseconds). */
const scaled = (seconds: number, compression: number): string => `${Math.round((seconds * 1000) / compression)}ms`;

/**
 * Rules for a compressed run: the default rules with every duration divided by `compression` (and
 * the leak's relative threshold, which is per hour, multiplied by it), so a 3 minute run goes
 * through what 30 minutes do with the defaults: the regression reference and windows fill, the
 * leak fit needs its minimum span. The allowed lateness stays, since it is about the input.
 */
function compressedRules(compression: number): string {
  const s = (seconds: number): string => scaled(seconds, compression);
  const tiers =
    `[ { window: ${s(60)}, minShift: 10% }, { window: ${s(180)}, minShift: 6% }, ` +
    `{ window: ${s(900)}, minShift: 3% } ]`;
  const regression =
    `reference: { type: initial, warmup: ${s(60)}, duration: ${s(900)} }, ` +
    `tiers: ${tiers}, evaluateEvery: ${s(10)}`;
  const leak = `bucket: ${s(120)}, fitWindow: ${s(3600)}, minSpan: ${s(1200)}`;
  const leakTuning = (forSeconds: number): string =>
    `${leak}, minRelativeSlopePerHour: ${compression}%, for: ${s(forSeconds)}, keepFiringFor: ${s(600)}`;
  return `
  stats: { window: ${s(60)}, hop: ${s(10)} }
  idleAfter: ${s(1800)}
  rules:
    - { name: latency-regression, ${regression}, for: ${s(30)}, keepFiringFor: ${s(120)} }
    - { name: throughput-regression, ${regression}, for: ${s(30)}, keepFiringFor: ${s(120)} }
    - { name: memory-leak, ${leakTuning(240)} }
    - { name: resource-leak, ${leakTuning(300)} }
    - { name: error-rate, for: ${s(30)}, keepFiringFor: ${s(60)} }`;
}

/**
 * The soak: an open-model load on a no-op server, soakstream's own Node.js probe and a process
 * probe of its own PID (RSS, fds, threads; the Node.js probe has no RSS), the default sinks
 * (report, recording) and InfluxDB, where the leak detector's estimates are stored.
 */
const scenario = (url: string, minutes: number, influxUrl: string, directory: string, compression: number): string =>
  `version: 1
name: self-soak
target: { url: "${url}" }
requests:
  - { name: products, path: /products, weight: 3 }
  - { name: search, path: /search, weight: 2 }
  - { name: checkout, path: /checkout, method: POST, body: "{}", weight: 2 }
load:
  model: open
  stages: [ { duration: ${minutes}m, rate: ${REQUESTS_PER_SECOND}/s } ]
probes: { self: true, pids: [ "\${SOAK_SELF_PID}" ], interval: 1s }
sinks:
  console: true
  report: { path: "${directory}/report.html" }
  recording: { dir: "${directory}", prefix: self-soak }
  influx: { url: "${influxUrl}", bucket: ${BUCKET} }
${compression === 1 ? '' : `rules:${compressedRules(compression)}\n`}`;

/** The leak estimates of soakstream's own memory series (its PID) from InfluxDB, by metric in time order. */
async function ownLeaks(influx: InfluxServer, pid: number): Promise<Map<string, OwnLeak[]>> {
  const result = await influx.query(
    `SELECT "slope_per_hour", "lower_per_hour", "upper_per_hour", "p_value", "points", "leaking" FROM "leak" ` +
      `WHERE "pid" = '${pid}' GROUP BY "metric"`,
    BUCKET,
  );
  const byMetric = new Map<string, OwnLeak[]>();
  for (const series of result.results[0]?.series ?? []) {
    const metric = series.tags?.metric ?? '?';
    const column = (row: unknown[], name: string): unknown => row[series.columns.indexOf(name)];
    byMetric.set(
      metric,
      series.values.map((row) => ({
        ts: Number(column(row, 'time')),
        metric,
        slope: Number(column(row, 'slope_per_hour')),
        lower: Number(column(row, 'lower_per_hour')),
        upper: Number(column(row, 'upper_per_hour')),
        pValue: Number(column(row, 'p_value')),
        points: Number(column(row, 'points')),
        leaking: column(row, 'leaking') === true,
      })),
    );
  }
  return byMetric;
}

/** A bucket's minimum: its value and event time (µs). */
interface FloorPoint {
  readonly ts: number;
  readonly value: number;
}

/**
 * The post-GC floor of soakstream's heap and RSS as the leak detector takes it: the minimum of each
 * bucket of event time (aligned to the epoch, as the detector's), read back from the run's samples
 * recording, keyed by the bucket's start in ms after the run's first sample. O(samples recorded).
 */
async function floors(
  directory: string,
  pid: number,
  bucketMs: number,
): Promise<{ first: number; byBucket: Map<number, Map<string, FloorPoint>> }> {
  const size = bucketMs * 1000;
  const byStart = new Map<number, Map<string, FloorPoint>>();
  let first = Number.POSITIVE_INFINITY;
  const files = (await readdir(directory)).filter((name) => /-samples-\d+\.avro$/.test(name)).sort();
  for (const name of files)
    for await (const batch of readRecordingBatches(join(directory, name)))
      for (const sample of batch as Sample[]) {
        if (sample.ts < first) first = sample.ts;
        if (sample.tags.pid !== String(pid) || !(WATCHED as readonly string[]).includes(sample.metric)) continue;
        const start = Math.floor(sample.ts / size) * size;
        let floor = byStart.get(start);
        if (floor === undefined) byStart.set(start, (floor = new Map()));
        if (sample.value < (floor.get(sample.metric)?.value ?? Number.POSITIVE_INFINITY))
          floor.set(sample.metric, { ts: sample.ts, value: sample.value });
      }
  const byBucket = new Map([...byStart].map(([start, floor]) => [Math.max(0, start - first) / 1000, floor]));
  return { first, byBucket };
}

/** Leak alerts (any state) raised on soakstream's own series, from InfluxDB: "rule state series" lines. */
async function ownLeakAlerts(influx: InfluxServer, pid: number): Promise<string[]> {
  const result = await influx.query(
    `SELECT "state", "message" FROM "alerts" WHERE "pid" = '${pid}' AND "kind" = 'leak'`,
    BUCKET,
  );
  return (result.results[0]?.series?.[0]?.values ?? []).map((row) => `${String(row[1])}: ${String(row[2])}`);
}

/** What the other rules raised during the run (on the load's own series, say): each firing transition. */
async function otherAlerts(influx: InfluxServer): Promise<string[]> {
  const result = await influx.query(
    `SELECT "message" FROM "alerts" WHERE "kind" != 'leak' AND "state" = 'firing'`,
    BUCKET,
  );
  return (result.results[0]?.series?.[0]?.values ?? []).map((row) => String(row[1]));
}

/** Resident set of a running process in KiB (/proc), or null once it is gone. */
function rssKib(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? null : Number(match[1]);
  } catch {
    return null;
  }
}

/**
 * soakstream watching itself (`npm run bench -- self-soak`): `soakstream run` (the built CLI, its
 * own process) analyses a steady ≈ 5,000 samples/s — an open-model load of 2,490 requests/s against
 * a no-op server in another process, two samples per request, and its probes — for 30 minutes,
 * with `probes.self` and a process probe of its own PID, under the default rules; the leak
 * detector's estimates go to a real influxd. Prints the samples/s sustained, the last leak estimate
 * of each of its own memory series (Theil–Sen slope per hour and its 99% interval over the post-GC
 * floor), whether each interval contains 0 (the goal, for heap used and RSS), any leak alert on
 * itself, and its peak RSS. With `compression` the rules' durations shrink with the run.
 */
export async function runSelfSoakBench(options: SelfSoakOptions = {}): Promise<SelfSoakReport | null> {
  const reason = influxdSkipReason();
  if (reason !== null) {
    console.log(`  skipped: ${reason}`);
    return null;
  }
  const minutes = options.minutes ?? 30;
  const compression = options.compression ?? 1;
  await ensureBuilt();
  const directory = await mkdtemp(join(tmpdir(), 'soakstream-self-soak-'));
  const influx = await startInfluxd();
  const server = await startServer();
  try {
    await influx.createDatabase(BUCKET);
    const file = join(directory, 'self-soak.yaml');
    await writeFile(file, scenario(server.url, minutes, influx.url, directory, compression));
    const rulesText =
      compression === 1 ? 'the default rules' : `the default rules with every duration ÷ ${compression}`;
    console.log(
      `soakstream run: ${minutes} min of an open-model load at ${count(REQUESTS_PER_SECOND)} requests/s ` +
        `(${SAMPLES_PER_REQUEST} samples each) against a no-op server, probes of its own Node.js process ` +
        `and PID every 1 s; ${rulesText}; ` +
        `sinks: console, report, recording, InfluxDB`,
    );
    // `exec` keeps the shell's PID, so the scenario can name soakstream's own PID before it starts.
    const running = startChild('/bin/sh', [
      '-c',
      'SOAK_SELF_PID=$$ exec "$0" "$@"',
      process.execPath,
      ...PEAK_RSS_PRELOAD,
      CLI,
      'run',
      file,
      '--fail-on',
      'none',
    ]);
    const pid = running.child.pid as number;
    let exited: ChildRun | null = null;
    void running.done.then((run) => (exited = run));
    let stderr = '';
    running.child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    const every = minutes >= 10 ? 60_000 : 15_000;
    while (exited === null) {
      await Promise.race([sleep(every), running.done]);
      if (exited !== null) break;
      const progress = stderr.trim().split('\n').at(-1)?.trim() ?? '';
      const rss = rssKib(pid);
      process.stderr.write(
        `  self-soak ${clock(performance.now() - running.started)} of ${minutes}:00, ` +
          `RSS ${rss === null ? 'n/a' : `${(rss / 1024).toFixed(0)} MiB`}; ${progress}\n`,
      );
    }
    const run = exited as ChildRun;
    if (run.code !== 0) throw new Error(`soakstream run exited with ${run.code}:\n${run.stderr}\n${run.stdout}`);
    const summary = /summary of self-soak \(([\d.]+) s, ([\d,]+) requests?, ([\d,]+) samples, (\d+) series\)/.exec(
      run.stdout,
    );
    if (summary === null) throw new Error(`soakstream run printed no summary:\n${run.stdout}`);
    const [seconds, requests, samples, series] = summary
      .slice(1)
      .map((text) => Number((text as string).replace(/,/g, ''))) as [number, number, number, number];
    const rate = samples / seconds;
    console.log(
      `sustained: ${count(samples)} samples of ${series} series in ${seconds.toFixed(1)} s = ` +
        `${count(rate)} samples/s (${count(requests / seconds)} requests/s); peak RSS ` +
        `${run.peakRssKib === null ? 'n/a' : `${(run.peakRssKib / 1024).toFixed(0)} MiB`}`,
    );
    for (const line of run.stdout.split('\n').filter((l) => /held back|dropped|^\s+alerts/.test(l)))
      console.log(`  run: ${line.trim()}`);

    const bucketMs = 120_000 / compression;
    const { first, byBucket: floor } = await floors(directory, pid, bucketMs);
    console.log(`\npost-GC floor (minimum of each ${bucketMs / 1000} s, as the leak detector takes it):`);
    console.log(`${'from'.padStart(7)}${'heap used'.padStart(12)}${'RSS'.padStart(12)}`);
    for (const [from, values] of [...floor].sort((a, b) => a[0] - b[0]))
      console.log(
        `${clock(from).padStart(7)}` +
          WATCHED.map((metric) => formatQuantity(values.get(metric)?.value ?? Number.NaN, 'bytes').padStart(12)).join(
            '',
          ),
      );

    const leaks = await ownLeaks(influx, pid);
    console.log(`\nthe leak detector's estimates on soakstream's own memory (Theil–Sen slope of that floor, 99% CI):`);
    console.log(
      `${'series'.padEnd(31)}${'at'.padStart(6)}${'points'.padStart(7)}${'slope/h'.padStart(11)}` +
        `${'99% CI per hour'.padStart(24)}${'p (M–K)'.padStart(9)}  CI holds 0  leaking`,
    );
    for (const [metric, estimates] of [...leaks].sort()) {
      // Every estimate of the goal's two series, the last one of the others.
      const shown = (WATCHED as readonly string[]).includes(metric) ? estimates : estimates.slice(-1);
      for (const leak of shown)
        console.log(
          `${metric.padEnd(31)}${clock((leak.ts - first) / 1000).padStart(6)}` +
            `${String(leak.points).padStart(7)}${formatQuantity(leak.slope, 'bytes').padStart(11)}` +
            `${`${formatQuantity(leak.lower, 'bytes')} .. ${formatQuantity(leak.upper, 'bytes')}`.padStart(24)}` +
            `${leak.pValue.toExponential(1).padStart(9)}  ` +
            `${(leak.lower <= 0 && leak.upper >= 0 ? 'yes' : 'no').padEnd(10)}  ${leak.leaking ? 'yes' : 'no'}`,
        );
    }
    const alerts = await ownLeakAlerts(influx, pid);
    console.log(`leak alerts on soakstream itself: ${alerts.length === 0 ? 'none' : ''}`);
    for (const alert of alerts) console.log(`  ${alert}`);
    const others = await otherAlerts(influx);
    console.log(`other alerts that fired: ${others.length === 0 ? 'none' : ''}`);
    for (const alert of others) console.log(`  ${alert}`);
    // The default rules' state fills for 16 min (a 1 min warm-up, a 15 min reference, 15 min recent
    // windows); from one bucket later on it is bounded. The same fit over the floor from there:
    const steadyFrom = (18 * 60_000) / compression;
    console.log(
      `\nthe same fit (Theil–Sen, 99% CI; Mann–Kendall) over the floor from ${clock(steadyFrom)} on, ` +
        `once the rules' windows are full (the last, partial bucket left out as the detector does):`,
    );
    for (const metric of WATCHED) {
      const points = [...floor]
        .sort((a, b) => a[0] - b[0])
        .slice(0, -1)
        .filter(([from]) => from >= steadyFrom)
        .map(([, values]) => values.get(metric))
        .filter((point): point is FloorPoint => point !== undefined);
      if (points.length < 3) {
        console.log(`  ${metric}: ${points.length} buckets, too few to fit`);
        continue;
      }
      const origin = (points[0] as FloorPoint).ts;
      const fit = theilSen(
        points.map((p) => (p.ts - origin) / MICROS_PER_HOUR),
        points.map((p) => p.value),
        0.99,
      );
      const trend = mannKendall(points.map((p) => p.value));
      console.log(
        `  ${metric.padEnd(31)}${String(points.length).padStart(3)} buckets  ${formatQuantity(fit.slope, 'bytes')}/h ` +
          `(CI ${formatQuantity(fit.lower, 'bytes')} .. ${formatQuantity(fit.upper, 'bytes')}/h, ` +
          `Mann–Kendall p = ${trend.pValue.toExponential(1)}); ` +
          `CI holds 0: ${fit.lower <= 0 && fit.upper >= 0 ? 'yes' : 'no'}`,
      );
    }
    const last = WATCHED.map((metric) => leaks.get(metric)?.at(-1));
    const goalMet = last.every((leak) => leak !== undefined && leak.lower <= 0 && leak.upper >= 0);
    console.log(
      `\ngoal: the last estimate's CI holds 0 for heap used and RSS: ${goalMet ? 'met' : 'not met'}` +
        `${last.some((leak) => leak === undefined) ? ' (no estimate: the run is shorter than the minimum span)' : ''}`,
    );
    return { samplesPerSecond: rate, goalMet };
  } finally {
    server.child.kill();
    await influx.stop();
    await rm(directory, { recursive: true, force: true });
  }
}
