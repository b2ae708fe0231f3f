import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecording } from '../../src/model/readRecording.js';
import { ROOT, runCli, startCli, type CliRun, type RunningCli } from '../support/cli.js';
import { collectAll, listRecordingDirectory } from '../support/collect.js';
import { influxdSkipReason, startInfluxd, type InfluxServer } from '../support/influxd.js';
import { kafkaMockSkipReason, startKafkaMockCluster, type KafkaMockCluster } from '../support/kafkaMockCluster.js';
import { freePort } from '../support/net.js';
import { useTempDirectory } from '../support/tempDirectory.js';

const skip = kafkaMockSkipReason() ?? influxdSkipReason();

/**
 * The distributed mode end to end, every role a separate process as in docker-compose: `load`
 * publishes to a 3-partition topic on the Kafka mock cluster, an `analyze` worker writes a real
 * influxd, and `record` writes the topic to Avro files. The demo target slows
 * /checkout down 20 s after it starts (some 15 s into the load, after the reference window).
 */
const scenario = (target: string, brokers: string[], influx: string): string => `
version: 1
name: distributed
target: { url: "${target}" }
requests:
  - { name: products, path: /products }
  - { name: checkout, path: /checkout, method: POST, body: "{}" }
load:
  stages: [ { duration: 32s, rate: 60/s } ]
criteria: [ "p95 < 30s", "errors < 100%" ]
probes: { self: true, interval: 1s }
transport: { type: kafka, brokers: "${brokers.join(',')}", topic: soak, groupId: analyzers }
sinks:
  console: true
  influx: { url: "${influx}", bucket: soakstream, rawSamples: true }
rules:
  stats: { window: 4s, hop: 1s }
  allowedLateness: 2s
  rules:
    - name: latency-regression
      detector: regression
      direction: up
      match: { kind: latency }
      reference: { type: initial, warmup: 2s, duration: 8s }
      tiers: [ { window: 4s, minShift: 30% } ]
      evaluateEvery: 1s
      alpha: 0.001
      for: 2s
      keepFiringFor: 30s
      severity: critical
`;

describe.skipIf(skip !== null)(
  `load, analyze and record as separate processes on Kafka and InfluxDB${skip !== null ? ` (skipped: ${skip})` : ''}`,
  () => {
    const tempPath = useTempDirectory({ perSuite: true });
    let kafka: KafkaMockCluster;
    let influx: InfluxServer;
    let target: ChildProcess;
    let load: CliRun;
    /** Samples `load` says it published. */
    let published: number;
    let workers: CliRun[];
    let recorder: CliRun;

    beforeAll(async () => {
      kafka = await startKafkaMockCluster(1);
      await kafka.createTopic('soak', 3);
      influx = await startInfluxd();
      await influx.createDatabase('soakstream');
      const port = await freePort();
      target = spawn(
        process.execPath,
        [
          join(ROOT, 'examples/demo-target.mjs'),
          '--port',
          String(port),
          '--slow-after',
          '20s',
          '--slow-by',
          '40ms',
          '--base-latency',
          '3ms',
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await once(target.stdout as NodeJS.ReadableStream, 'data');
      const file = tempPath('distributed.yaml');
      writeFileSync(file, scenario(`http://127.0.0.1:${port}`, kafka.brokers, influx.url));

      // One analyze worker: two members joining one group on the librdkafka mock cluster are sometimes
      // answered with INVALID_REQUEST, which ends one of them, so this test runs one worker.
      const analyzers: RunningCli[] = [startCli(['analyze', file], { timeoutMs: 120_000 })];
      const recording = startCli(
        [
          'record',
          '--brokers',
          kafka.brokers.join(','),
          '--topic',
          'soak',
          '-o',
          tempPath('recording'),
          '--idle',
          '8s',
        ],
        { timeoutMs: 120_000 },
      );
      load = await runCli(['load', file, '--summary-out', tempPath('load-summary.json')], { timeoutMs: 90_000 });
      published = Number(/published ([\d,]+) samples/.exec(load.stdout)?.[1]?.replace(/,/g, '') ?? Number.NaN);
      // The workers are done once InfluxDB holds every published sample.
      for (let i = 0; i < 60; i++) {
        const counted = await influx.query('SELECT count("value") FROM "samples"', 'soakstream');
        const total = counted.results[0]?.series?.[0]?.values[0]?.[1];
        if (total === published) break;
        await sleep(1000);
      }
      workers = await Promise.all(analyzers.map((worker) => worker.interrupt()));
      recorder = await recording.done;
    }, 200_000);

    afterAll(async () => {
      target?.kill();
      await kafka?.stop();
      await influx?.stop();
    });

    it('load publishes the samples and exits 0', () => {
      expect(load.stderr).toMatch(/soakstream load distributed: publishing to soak/);
      expect(load.stdout).toMatch(/published [\d,]+ samples to soak/);
      // Each criterion with what was measured, after the latency quantiles and error rate.
      expect(load.stdout).toMatch(/^ {2}latency {3}p50 [\d.]+ ms · p95 [\d.]+ ms · p99 [\d.]+ ms · errors [\d.]+%$/m);
      expect(load.stdout).toMatch(/^ {2}✓ p95 < 30s \(measured [\d.]+ ms\)$/m);
      expect(load.stdout).toMatch(/^ {2}✓ errors < 100% \(measured [\d.]+%\)$/m);
      // --summary-out: the same figures, with the requests load sent.
      const summary = JSON.parse(readFileSync(tempPath('load-summary.json'), 'utf8')) as {
        command: string;
        result: string;
        run: { requests: number; latency: { p95: number }; criteria: { criterion: string; pass: boolean }[] };
      };
      expect(summary).toMatchObject({ command: 'load', result: 'PASS' });
      expect(summary.run.requests).toBeGreaterThan(1000);
      expect(summary.run.latency.p95).toBeGreaterThan(0);
      expect(summary.run.criteria.map((c) => [c.criterion, c.pass])).toEqual([
        ['p95 < 30s', true],
        ['errors < 100%', true],
      ]);
      expect(load.code).toBe(0);
    });

    it('the analyze worker writes every sample to InfluxDB and stops cleanly on Ctrl-C', async () => {
      const analysed = workers.map((w) => Number(/analysed ([\d,]+) samples/.exec(w.stdout)?.[1]?.replace(/,/g, '')));
      expect(workers.map((w) => w.code)).toEqual([0]);
      expect(analysed).toEqual([published]);
      const counted = await influx.query('SELECT count("value") FROM "samples"', 'soakstream');
      expect(counted.results[0]?.series?.[0]?.values[0]?.[1]).toBe(published);
    });

    it('finds the checkout slowdown: the alert is printed by a worker and stored in InfluxDB', async () => {
      const printed = workers.map((w) => w.stderr + w.stdout).join('\n');
      expect(printed).toMatch(/FIRING +critical latency-regression +http_req_duration\{[^}]*request=checkout/);
      const alerts = await influx.query(
        `SELECT "message" FROM "alerts" WHERE "rule" = 'latency-regression' AND "state" = 'firing'`,
        'soakstream',
      );
      const series = alerts.results[0]?.series ?? [];
      expect(series.length).toBeGreaterThan(0);
      expect(JSON.stringify(series)).toContain('checkout');
      expect(JSON.stringify(series)).not.toContain('products');
    });

    it('record writes one file per partition holding every published sample, which replays', async () => {
      expect(recorder.code).toBe(0);
      expect(recorder.stdout).toMatch(
        new RegExp(`recorded ${published.toLocaleString('en-US')} samples from soak into 3 files`),
      );
      const files = listRecordingDirectory(tempPath('recording'));
      expect(files).toEqual([
        'soak-p0-samples-000001.avro',
        'soak-p1-samples-000001.avro',
        'soak-p2-samples-000001.avro',
      ]);
      let total = 0;
      for (const file of files) {
        const samples = await collectAll(readRecording(join(tempPath('recording'), file)));
        total += samples.length;
      }
      expect(total).toBe(published);
      const replay = await runCli(['replay', ...files.map((f) => join(tempPath('recording'), f)), '--quiet']);
      expect(replay.code).toBe(0);
      expect(replay.stdout).toContain(`replayed ${published.toLocaleString('en-US')} samples`);
    });
  },
);
