import { listRecordingDirectory } from '../support/collect.js';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStatsFile } from '../../src/model/readRecording.js';
import { MEASUREMENT } from '../../src/sinks/influx/schema.js';
import { runCli, startCli, type RunningCli } from '../support/cli.js';
import { startHttpTarget, type HttpTarget } from '../support/httpTarget.js';
import { influxdSkipReason, startInfluxd, type InfluxServer } from '../support/influxd.js';
import { useTempDirectory } from '../support/tempDirectory.js';

const skipReason = influxdSkipReason();
if (skipReason !== null) console.log(`skipping the InfluxDB fault tests: ${skipReason}`);

/** Resolves once the running command has printed text matching `pattern` on stderr. */
async function printed(run: RunningCli, pattern: RegExp): Promise<void> {
  while (!pattern.test(run.output().stderr)) {
    if (run.child.exitCode !== null) throw new Error(`exited before printing ${pattern}:\n${run.output().stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function statsIn(dir: string): Promise<number> {
  let count = 0;
  for (const file of listRecordingDirectory(dir).filter((name) => name.includes('-stats-')))
    for await (const _stat of readStatsFile(join(dir, file))) count++;
  return count;
}

describe.skipIf(skipReason !== null)('soakstream run when InfluxDB fails (real influxd, spawned CLI)', () => {
  const tempPath = useTempDirectory();
  let influx: InfluxServer;
  let target: HttpTarget;
  let database = 0;

  beforeAll(async () => {
    [influx, target] = await Promise.all([startInfluxd(), startHttpTarget()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([influx?.stop(), target?.close()]);
  });

  /** A scenario that loads the test target until stopped, with a report, a recording and InfluxDB. */
  async function scenario(influxExtra = ''): Promise<{ file: string; dir: string; db: string }> {
    const db = `faults${++database}`;
    await influx.createDatabase(db);
    const dir = tempPath('out');
    const file = tempPath('faults.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'name: faults',
        `target: { url: "${target.url}" }`,
        'requests: [ { name: ok, path: /ok } ]',
        'load: { model: open, stages: [ { duration: 30m, rate: 40/s } ] }',
        'probes: { self: false }',
        'sinks:',
        `  report: { path: "${dir}/report.html" }`,
        `  recording: { dir: "${dir}", prefix: faults, stats: true }`,
        `  influx: { url: "${influx.url}", bucket: ${db}${influxExtra} }`,
        'rules: { version: 1, defaults: true, stats: { window: 4s, hop: 1s } }',
      ].join('\n'),
    );
    return { file, dir, db };
  }

  const influxStats = async (db: string): Promise<number> => {
    const result = await influx.query(`SELECT count(n) FROM "${MEASUREMENT.stats}"`, db);
    return (result.results[0]?.series?.[0]?.values?.[0]?.[1] as number | undefined) ?? 0;
  };

  it(
    'an outage in the middle is announced when it starts and when it ends, and loses nothing; ' +
      'Ctrl-C then ends the run as interrupted (130), saying where it stopped',
    async () => {
      const { file, dir, db } = await scenario();
      const run = startCli(['run', file], { timeoutMs: 120_000 });
      await printed(run, /samples\/s/);
      // A real outage: influxd itself stops (the URL's proxy answers 502) and starts again on its data.
      await influx.stopServer();
      try {
        await printed(run, /influxdb \(http:\/\/127\.0\.0\.1:\d+\): writes failing \(HTTP 502/);
      } finally {
        await influx.startServer();
      }
      await printed(run, /influxdb \(http:\/\/127\.0\.0\.1:\d+\): writes succeed again after [\d.]+ s/);
      const result = await run.interrupt();
      expect(result.code).toBe(130);
      expect(result.stdout).toMatch(/^result: INTERRUPTED \(stopped at [\d.]+ s of 1800 s\)$/m);
      expect(result.stdout).not.toMatch(/not stored/);
      // Every stat the run produced (the recording's) is in InfluxDB: none lost to the outage.
      const recorded = await statsIn(dir);
      expect(recorded).toBeGreaterThan(0);
      expect(await influxStats(db)).toBe(recorded);
    },
    150_000,
  );

  it(
    'an outage past the retry deadline ends the run with one line naming InfluxDB, its URL and what it did not ' +
      'store (exit 3); the recording holds every sample and push backfills InfluxDB, twice without duplicates',
    async () => {
      const { file, dir, db } = await scenario(', retryFor: 2s');
      influx.failWrites(503);
      let result;
      try {
        result = await runCli(['run', file], { timeoutMs: 120_000 });
      } finally {
        influx.failWrites(0);
      }
      expect(result.code).toBe(3);
      const errors = result.stderr.split('\n').filter((line) => line.startsWith('error: '));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(
        new RegExp(
          `^error: influxdb at ${influx.url.replace(/\./g, '\\.')}: gave up after \\d+ attempts over [\\d.]+ s: ` +
            'HTTP 503.*; [\\d,]+ records not stored$',
        ),
      );
      expect(result.stdout).toMatch(/^result: ERROR \(influxdb failed\)$/m);
      expect(result.stdout).toMatch(/^ {2}influxdb +[\d,]+ records not stored$/m);
      expect(result.stderr).toMatch(
        /the recording holds every sample; to backfill InfluxDB: soakstream push .*--scenario/,
      );
      expect(readdirSync(dir)).toContain('report.html');
      expect(await influxStats(db)).toBe(0);

      const samples = join(dir, 'faults-samples-000001.avro');
      const pushed = await runCli(['push', samples, '--scenario', file]);
      expect(pushed.code).toBe(0);
      const recorded = await statsIn(dir);
      expect(recorded).toBeGreaterThan(0);
      expect(await influxStats(db)).toBe(recorded);
      const again = await runCli(['push', samples, '--scenario', file]);
      expect(again.code).toBe(0);
      expect(await influxStats(db)).toBe(recorded);
    },
    150_000,
  );

  it(
    'Ctrl-C while InfluxDB hangs: the sinks get the grace period, the report and recording are written, ' +
      'what InfluxDB did not store is counted, and the result is interrupted (130)',
    async () => {
      const { file, dir } = await scenario();
      const run = startCli(['run', file, '--grace', '2s'], { timeoutMs: 120_000 });
      let result;
      try {
        await printed(run, /samples\/s/);
        influx.failWrites(-1);
        // The stalled request times out (10 s), and the retry says so.
        await printed(run, /influxdb \(http:\/\/127\.0\.0\.1:\d+\): writes failing/);
        result = await run.interrupt();
      } finally {
        influx.failWrites(0);
      }
      expect(result.code).toBe(130);
      expect(result.stderr).toMatch(
        /waiting up to 2 s for influxdb to store [\d,]+ records \(Ctrl-C again to quit now\)/,
      );
      expect(result.stdout).toMatch(/^ {2}influxdb +[\d,]+ records not stored$/m);
      expect(result.stdout).toMatch(/^result: INTERRUPTED/m);
      expect(listRecordingDirectory(dir)).toEqual(
        expect.arrayContaining(['report.html', 'faults-samples-000001.avro', 'faults-stats-000001.avro']),
      );
    },
    150_000,
  );
});
