import { listRecordingDirectory } from '../support/collect.js';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { readRecording, readStatsFile } from '../../src/model/readRecording.js';
import { seriesKey } from '../../src/model/seriesKey.js';
import { KafkaSampleProducer } from '../../src/transport/kafka/kafkaSampleProducer.js';
import { runCli, startCli, type RunningCli } from '../support/cli.js';
import { caughtUp, messagesIn, withAdmin } from '../support/kafkaAdmin.js';
import {
  KafkaApi,
  kafkaMockSkipReason,
  startKafkaMockCluster,
  type KafkaMockCluster,
} from '../support/kafkaMockCluster.js';
import { freePort } from '../support/net.js';
import { useTempDirectory } from '../support/tempDirectory.js';

// The Kafka-facing commands (load, probe, analyze, record) as a user runs them, against brokers
// that are not there, go away for a while, or never come back, and stopped at awkward moments.
// Nothing here waits on the clock for a result: each step waits for an event (a line of output,
// messages in a topic, committed offsets, the exit); sleeps only set how long a fault lasts.

const skip = kafkaMockSkipReason();

/** Resolves true once the command's output matches `pattern`, false if it exits first. */
async function printed(cli: RunningCli, pattern: RegExp): Promise<boolean> {
  let exited = false;
  void cli.done.then(() => (exited = true));
  for (;;) {
    const { stdout, stderr } = cli.output();
    if (pattern.test(stderr) || pattern.test(stdout)) return true;
    if (exited) return false;
    await sleep(100);
  }
}

/**
 * Waits until `condition` holds, checking every 200 ms; fails if one of `running` exits first (the
 * test's timeout is the safety net).
 */
async function until(condition: () => Promise<boolean>, ...running: RunningCli[]): Promise<void> {
  while (!(await condition())) {
    for (const cli of running)
      if (cli.child.exitCode !== null || cli.child.signalCode !== null)
        throw new Error(`${cli.child.spawnargs.slice(3).join(' ')} ended early:\n${cli.output().stderr}`);
    await sleep(200);
  }
}

/** Publishes `steps` samples of each of 10 series, 100 ms apart in event time. */
async function publishSamples(brokers: readonly string[], topic: string, steps: number): Promise<number> {
  const producer = await KafkaSampleProducer.connect({ connection: { brokers }, topic });
  const start = 1_767_225_600_000_000;
  for (let step = 0; step < steps; step++)
    for (let series = 0; series < 10; series++)
      await producer.publish({
        ts: start + step * 100_000,
        metric: 'job_duration',
        value: 40 + ((step * 7 + series) % 11),
        tags: { job: `j${series}` },
        unit: 'ms',
      });
  await producer.close();
  return steps * 10;
}

/** Every sample and stat of a recording directory, counted and checked for repeats. */
async function recordedIn(
  dir: string,
): Promise<{ samples: number; uniqueSamples: number; stats: number; uniqueStats: number }> {
  const samples = new Set<string>();
  const stats = new Set<string>();
  let sampleCount = 0;
  let statCount = 0;
  for (const file of listRecordingDirectory(dir)) {
    if (file.includes('-samples-'))
      for await (const sample of readRecording(join(dir, file))) {
        sampleCount++;
        samples.add(`${seriesKey(sample.metric, sample.tags)}@${sample.ts}`);
      }
    if (file.includes('-stats-'))
      for await (const stat of readStatsFile(join(dir, file))) {
        statCount++;
        stats.add(`${stat.series}@${stat.ts}`);
      }
  }
  return { samples: sampleCount, uniqueSamples: samples.size, stats: statCount, uniqueStats: stats.size };
}

const count = (text: string, pattern: RegExp): number => Number(pattern.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);

/** A pid no process has: a child that has already exited and been reaped. */
const goneProcess = (): number => spawnSync(process.execPath, ['-e', '']).pid as number;

describe('Kafka commands when no broker answers', () => {
  const tempPath = useTempDirectory();

  it('probe says in one line that it cannot reach the brokers, naming them, and exits 3', async () => {
    const port = await freePort();
    const run = await runCli(['probe', '--pid', String(process.pid), '--brokers', `127.0.0.1:${port}`], {
      timeoutMs: 60_000,
    });
    expect(run.stderr).toMatch(
      new RegExp(`^error: cannot reach Kafka brokers 127\\.0\\.0\\.1:${port} \\(connect ECONNREFUSED\\)$`, 'm'),
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(3);
  });

  it('load says so in one line and exits 3, with no progress line claiming samples/s', async () => {
    const port = await freePort();
    const file = tempPath('load.yaml');
    writeFileSync(
      file,
      `version: 1\nname: nobroker\nduration: 1m\nprobes: { self: true, interval: 100ms }\n` +
        `transport: { type: kafka, brokers: "127.0.0.1:${port}", topic: soak }\n`,
    );
    const run = await runCli(['load', file], { timeoutMs: 60_000 });
    expect(run.stderr).toMatch(
      new RegExp(`^error: cannot reach Kafka brokers 127\\.0\\.0\\.1:${port} \\(connect ECONNREFUSED\\)$`, 'm'),
    );
    expect(run.stderr).not.toMatch(/samples\/s/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(3);
  });

  it('probe --pid of a process that does not exist is a usage error (exit 2), before any broker is tried', async () => {
    const pid = goneProcess();
    const port = await freePort();
    const run = await runCli(['probe', '--pid', String(pid), '--brokers', `127.0.0.1:${port}`], {
      timeoutMs: 60_000,
    });
    expect(run.stderr.trim()).toBe(`error: no process ${pid} (--pid)`);
    expect(run.code).toBe(2);
  });
});

describe.skipIf(skip !== null)(
  `Kafka commands on the mock cluster: stopping, outages, broker timeout${skip !== null ? ` (skipped: ${skip})` : ''}`,
  () => {
    const tempPath = useTempDirectory();
    let kafka: KafkaMockCluster | null = null;
    const startCluster = async (): Promise<KafkaMockCluster> => {
      kafka = await startKafkaMockCluster(1);
      await kafka.createTopic('soak', 2);
      return kafka;
    };
    afterEach(async () => {
      await kafka?.stop();
      kafka = null;
    });
    /** A scenario publishing the self probe's samples (some 160 a second) for `duration`. */
    const loadScenario = (cluster: KafkaMockCluster, duration: string, extra = ''): string => {
      const file = tempPath('load.yaml');
      writeFileSync(
        file,
        `version: 1\nname: steady\nduration: ${duration}\nprobes: { self: true, interval: 50ms }\n` +
          `transport: { type: kafka, brokers: "${cluster.brokers.join(',')}", topic: soak${extra} }\n`,
      );
      return file;
    };
    /** Starts `load` and resolves once its first samples are in the topic. */
    const startLoad = async (cluster: KafkaMockCluster, args: string[]): Promise<RunningCli> => {
      const load = startCli(['load', ...args], { timeoutMs: 120_000 });
      await until(async () => (await messagesIn(cluster.brokers, 'soak')) > 0, load);
      return load;
    };
    const analyzeScenario = (cluster: KafkaMockCluster, extra = ''): string => {
      const file = tempPath('analyze.yaml');
      writeFileSync(
        file,
        `version: 1\nname: worker\n` +
          `transport: { type: kafka, brokers: "${cluster.brokers.join(',')}", topic: soak, ` +
          `groupId: workers${extra} }\n` +
          `sinks:\n  recording: { dir: "${tempPath('analysed')}", stats: true }\n`,
      );
      return file;
    };

    it('probe ends normally (exit 0) when the probed process exits, and says so', async () => {
      const cluster = await startCluster();
      await cluster.createTopic('probe', 1);
      const target = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      const probe = startCli(
        [
          'probe',
          '--pid',
          String(target.pid),
          '--interval',
          '100',
          '--brokers',
          cluster.brokers.join(','),
          '--topic',
          'probe',
        ],
        { timeoutMs: 60_000 },
      );
      await until(async () => (await messagesIn(cluster.brokers, 'probe')) > 0, probe);
      target.kill();
      const run = await probe.done;
      expect(run.stderr).toContain(`pid ${target.pid} exited; the probe ends`);
      expect(run.stdout).toMatch(
        new RegExp(`published [\\d,]+ samples of pid ${target.pid} to probe; 0 not published`),
      );
      expect(run.code).toBe(0);
    });

    it('record stopped while its consumer waits to join the group exits 0', async () => {
      const cluster = await startCluster();
      // The broker answers the group join 20 s late: the recorder is stopped before it has joined.
      await cluster.delayRequest(1, KafkaApi.JoinGroup, 20_000);
      const recorder = startCli(
        ['record', '--brokers', cluster.brokers.join(','), '--topic', 'soak', '-o', tempPath('recording')],
        { timeoutMs: 45_000 },
      );
      expect(await printed(recorder, /soakstream record: soak on/)).toBe(true);
      const run = await recorder.interrupt();
      expect(run.stdout).toMatch(/recorded 0 samples from soak into 0 files/);
      expect(run.code).toBe(0);
    });

    it('analyze stopped while its consumer waits to join the group exits 0', async () => {
      const cluster = await startCluster();
      await cluster.delayRequest(1, KafkaApi.JoinGroup, 20_000);
      const worker = startCli(['analyze', analyzeScenario(cluster)], { timeoutMs: 45_000 });
      expect(await printed(worker, /soakstream analyze worker: group workers/)).toBe(true);
      const run = await worker.interrupt();
      expect(run.stdout).toMatch(/analysed 0 samples of 0 series/);
      expect(run.code).toBe(0);
    });

    it('analyze killed (SIGKILL) after committing a batch: every committed sample is in its recording', async () => {
      const cluster = await startCluster();
      const published = await publishSamples(cluster.brokers, 'soak', 100);
      const worker = startCli(['analyze', analyzeScenario(cluster)], { timeoutMs: 60_000 });
      await until(() => caughtUp(cluster.brokers, 'workers', 'soak'), worker);
      worker.child.kill('SIGKILL');
      await worker.done;
      // Nothing was left to redeliver: what the recording lacks now is lost for good.
      const recorded = await recordedIn(tempPath('analysed'));
      expect(recorded.uniqueSamples).toBe(published);
    });

    it('record killed (SIGKILL) after committing a batch: every committed sample is in its files', async () => {
      const cluster = await startCluster();
      const published = await publishSamples(cluster.brokers, 'soak', 100);
      const recorder = startCli(
        ['record', '--brokers', cluster.brokers.join(','), '--topic', 'soak', '-o', tempPath('recording')],
        { timeoutMs: 60_000 },
      );
      await until(() => caughtUp(cluster.brokers, 'soakstream-record', 'soak'), recorder);
      recorder.child.kill('SIGKILL');
      await recorder.done;
      const recorded = await recordedIn(tempPath('recording'));
      expect(recorded.uniqueSamples).toBe(published);
    });

    it('record --idle counts from the first partition assignment, not from the start', async () => {
      const cluster = await startCluster();
      const published = await publishSamples(cluster.brokers, 'soak', 100);
      // The join takes longer than --idle: idle time counted from the start would end the recording empty.
      await cluster.delayRequest(1, KafkaApi.JoinGroup, 8_000);
      const run = await runCli(
        [
          'record',
          '--brokers',
          cluster.brokers.join(','),
          '--topic',
          'soak',
          '-o',
          tempPath('recording'),
          '--idle',
          '3s',
        ],
        { timeoutMs: 45_000 },
      );
      expect(run.stdout).toMatch(new RegExp(`recorded ${published.toLocaleString('en-US')} samples from soak`));
      expect(run.code).toBe(0);
      // Until the group was joined, the status said so rather than ticking as if recording.
      const [beforeJoin] = run.stderr.split('group soakstream-record: assigned soak partitions 0, 1');
      expect(beforeJoin).not.toBe(run.stderr);
      expect(beforeJoin).toMatch(/joining group soakstream-record on 127\.0\.0\.1:\d+…/);
      expect(beforeJoin).not.toMatch(/samples\/s/);
    });

    it('load rides out a 15 s broker outage: the status shows it, the summary counts, nothing is lost', async () => {
      const cluster = await startCluster();
      const load = await startLoad(cluster, [loadScenario(cluster, '25s')]);
      await cluster.brokerDown(1);
      const outage = /broker unreachable for \d+ s \(connect ECONNREFUSED\); [\d,]+ samples waiting, 0 dropped/;
      expect(await printed(load, outage)).toBe(true);
      await sleep(15_000);
      await cluster.brokerUp(1);
      const run = await load.done;
      expect(run.stderr).not.toMatch(/error|KafkaJS/);
      const published = count(run.stdout, /published ([\d,]+) samples to soak; 0 not published$/m);
      expect(published).toBeGreaterThan(0);
      // Nothing acknowledged was lost (a send retried after a lost answer may be stored twice).
      expect(await messagesIn(cluster.brokers, 'soak')).toBeGreaterThanOrEqual(published);
      expect(run.code).toBe(0);
    }, 120_000);

    it('load stopped by Ctrl-C is interrupted: publishes what it has, says where it stopped, exits 130', async () => {
      const cluster = await startCluster();
      const load = await startLoad(cluster, [loadScenario(cluster, '5m')]);
      const run = await load.interrupt();
      expect(run.stdout).toMatch(/^result: INTERRUPTED \(stopped at \d+\.\d s of 300 s\)$/m);
      const published = count(run.stdout, /published ([\d,]+) samples to soak; 0 not published$/m);
      expect(await messagesIn(cluster.brokers, 'soak')).toBeGreaterThanOrEqual(published);
      expect(run.code).toBe(130);
    }, 120_000);

    it('load holds at most transport.maxBuffered samples while the brokers are away, and counts the rest', async () => {
      const cluster = await startCluster();
      const load = await startLoad(cluster, [loadScenario(cluster, '10s', ', maxBuffered: 200')]);
      await cluster.brokerDown(1);
      expect(await printed(load, /samples waiting, [1-9][\d,]* dropped/)).toBe(true);
      await cluster.brokerUp(1);
      const run = await load.done;
      const waiting = [...run.stderr.matchAll(/([\d,]+) samples waiting/g)].map((m) => Number(m[1]?.replace(/,/g, '')));
      expect(Math.max(...waiting)).toBeLessThanOrEqual(200);
      const published = count(run.stdout, /published ([\d,]+) samples to soak/);
      const dropped = count(run.stdout, /not published \(([\d,]+) dropped with the buffer full\)$/m);
      expect(dropped).toBeGreaterThan(0);
      expect(run.stdout).toContain(`; ${dropped.toLocaleString('en-US')} not published`);
      expect(await messagesIn(cluster.brokers, 'soak')).toBeGreaterThanOrEqual(published);
      expect(run.code).toBe(0);
    }, 120_000);

    it('load gives up once the brokers stay away past --broker-timeout: one line naming them, exit 3', async () => {
      const cluster = await startCluster();
      const load = await startLoad(cluster, [loadScenario(cluster, '5m'), '--broker-timeout', '3s']);
      await cluster.brokerDown(1);
      const run = await load.done;
      expect(run.stderr).toMatch(
        /^error: cannot reach Kafka brokers 127\.0\.0\.1:\d+ \(connect ECONNREFUSED\) for \d+ s, past the broker timeout of 3 s; gave up publishing to soak$/m,
      );
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stdout).toMatch(
        /published [\d,]+ samples to soak; [\d,]+ not published \([\d,]+ abandoned when the producer gave up\)/,
      );
      expect(run.code).toBe(3);
    }, 120_000);

    it('analyze rides out a broker outage under load: it rejoins and analyses every sample once', async () => {
      const cluster = await startCluster();
      const worker = startCli(['analyze', analyzeScenario(cluster)], { timeoutMs: 240_000 });
      const load = startCli(['load', loadScenario(cluster, '35s')], { timeoutMs: 240_000 });
      // The worker has joined and analyses once it has committed something.
      await until(
        () =>
          withAdmin(cluster.brokers, async (admin) => {
            const [offsets] = await admin.fetchOffsets({ groupId: 'workers', topics: ['soak'] });
            return (offsets?.partitions ?? []).some((p) => Number(p.offset) > 0);
          }),
        worker,
        load,
      );
      await cluster.brokerDown(1);
      // Longer than kafkajs' own retries: the consumer crashes and is restarted until the broker is back.
      await sleep(20_000);
      await cluster.brokerUp(1);
      const loaded = await load.done;
      expect(loaded.code).toBe(0);
      const published = count(loaded.stdout, /published ([\d,]+) samples/);
      await until(() => caughtUp(cluster.brokers, 'workers', 'soak'), worker);
      const run = await worker.interrupt();
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/broker unreachable for \d+ s \(connect ECONNREFUSED\); [\d,]+ samples analysed/);
      const inTopic = await messagesIn(cluster.brokers, 'soak');
      expect(inTopic).toBeGreaterThanOrEqual(published);
      expect(count(run.stdout, /analysed ([\d,]+) samples/)).toBe(inTopic);
      const recorded = await recordedIn(tempPath('analysed'));
      expect(recorded.samples).toBe(inTopic);
      expect(recorded.uniqueSamples).toBe(recorded.samples);
      expect(recorded.stats).toBeGreaterThan(0);
      expect(recorded.uniqueStats).toBe(recorded.stats);
    }, 240_000);

    it('analyze and record give up when the brokers stay away past the timeout: exit 3, files closed', async () => {
      const cluster = await startCluster();
      const published = await publishSamples(cluster.brokers, 'soak', 300);
      const worker = startCli(['analyze', analyzeScenario(cluster, ', brokerTimeout: 3s')], { timeoutMs: 120_000 });
      expect(await printed(worker, /group workers: assigned soak partitions 0, 1/)).toBe(true);
      // One member joining at a time (two at once are sometimes refused by the mock cluster).
      const recorder = startCli(
        [
          'record',
          ...['--brokers', cluster.brokers.join(','), '--topic', 'soak', '-o', tempPath('recording')],
          ...['--broker-timeout', '3s'],
        ],
        { timeoutMs: 120_000 },
      );
      await until(
        async () =>
          (await caughtUp(cluster.brokers, 'workers', 'soak')) &&
          caughtUp(cluster.brokers, 'soakstream-record', 'soak'),
        worker,
        recorder,
      );
      await cluster.brokerDown(1);
      const [analysed, recorded] = await Promise.all([worker.done, recorder.done]);
      const gaveUp = (group: string): RegExp =>
        new RegExp(
          '^error: cannot reach Kafka brokers 127\\.0\\.0\\.1:\\d+ \\(connect ECONNREFUSED\\) for \\d+ s, ' +
            `past the broker timeout of 3 s; the consumer of soak \\(group ${group}\\) gave up$`,
          'm',
        );
      expect(analysed.stderr).toMatch(gaveUp('workers'));
      expect(analysed.stdout).toMatch(new RegExp(`analysed ${published.toLocaleString('en-US')} samples`));
      expect(analysed.code).toBe(3);
      expect((await recordedIn(tempPath('analysed'))).samples).toBe(published);
      expect(recorded.stderr).toMatch(gaveUp('soakstream-record'));
      expect(recorded.stdout).toMatch(new RegExp(`recorded ${published.toLocaleString('en-US')} samples from soak`));
      expect(recorded.code).toBe(3);
      expect((await recordedIn(tempPath('recording'))).samples).toBe(published);
    }, 120_000);
  },
);
