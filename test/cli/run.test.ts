import { listRecordingDirectory } from '../support/collect.js';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecording } from '../../src/model/readRecording.js';
import { useTempDirectory } from '../support/tempDirectory.js';
import { runCli, type CliRun } from '../support/cli.js';
import { collectAll } from '../support/collect.js';
import { startHttpTarget, type HttpTarget } from '../support/httpTarget.js';
import { freePort } from '../support/net.js';
import { mountTmpfs, tmpfsSkipReason, type TmpfsMount } from '../support/tmpfs.js';

const idsIn = (text: string): string[] =>
  [...text.matchAll(/\(id ([0-9a-f]{32})\)/g)].map((m) => m[1] as string).sort();

describe('soakstream run examples/demo.yaml (the npm start demo, spawned as a user would)', () => {
  const tempPath = useTempDirectory();
  // One run for every test of this block: its output outlives the per-test temp directories.
  const runPath = useTempDirectory({ perSuite: true });
  let run: CliRun;
  let dir: string;

  beforeAll(async () => {
    dir = runPath('soak-report');
    run = await runCli(['run', 'examples/demo.yaml'], {
      env: { DEMO_PORT: String(await freePort()), SOAK_REPORT_DIR: dir },
      timeoutMs: 240_000,
    });
  }, 250_000);

  it('finds the latency regression and the leak of the demo target, says so in the summary, and exits 1', () => {
    expect(run.stderr).toMatch(/FIRING +critical latency-regression +http_req_duration\{[^}]*request=checkout/);
    expect(run.stderr).toMatch(/FIRING +critical memory-leak +process_resident_memory_bytes\{[^}]*service=target/);
    expect(run.stdout).toMatch(
      /- latency-regression \[critical\] on http_req_duration\{[^}]*request=checkout[^}]*\} \(id [0-9a-f]{32}\)/,
    );
    expect(run.stdout).toMatch(
      /- memory-leak \[critical\] on process_resident_memory_bytes\{[^}]*\} \(id [0-9a-f]{32}\)/,
    );
    expect(run.stdout).toMatch(/✗ errors < 1%/);
    expect(run.stdout).toMatch(/^result: FAIL \(/m);
    expect(run.code).toBe(1);
  });

  it('shows progress while it runs and writes the report and the recording', () => {
    expect(run.stderr).toMatch(/stage 1\/1 · 00:\d\d \/ 01:30 \(\d\d:\d\d left\) · [\d,]+ samples\/s/);
    const report = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(report).toContain('soakstream demo');
    expect(report).toContain('latency-regression');
    expect(listRecordingDirectory(dir)).toEqual([
      'demo-alerts-000001.avro',
      'demo-samples-000001.avro',
      'demo-stats-000001.avro',
      'report.html',
    ]);
  });

  it('replaying the recording with the demo rules reproduces the same alert ids', async () => {
    const alertsOut = tempPath('alerts.ndjson');
    const replay = await runCli([
      'replay',
      join(dir, 'demo-samples-000001.avro'),
      '--rules',
      'examples/demo-rules.yaml',
      '--alerts-out',
      alertsOut,
      '--fail-on',
      'none',
    ]);
    expect(replay.code).toBe(0);
    const firing = readFileSync(alertsOut, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; state: string })
      .filter((a) => a.state === 'firing');
    const live = idsIn(run.stdout);
    expect(live.length).toBeGreaterThanOrEqual(2);
    expect(firing.map((a) => a.id).sort()).toEqual(live);
    expect(idsIn(replay.stdout)).toEqual(live);
  });
});

describe('soakstream validate and run on broken files', () => {
  const tempPath = useTempDirectory();
  const broken = [
    'version: 1',
    'name: broken',
    'target: { url: "not a url" }',
    'requests:',
    '  - { name: a, path: /x, method: FETCH }',
    'load:',
    '  stages:',
    '    - { duration: 10s, rate: 5/s }',
    '    - { duration: 10s, rate: fast }',
    'probes: { interval: 0s, colour: blue }',
    'criteria: [ "p95 < lots" ]',
    'transport: { type: kafka, brokers: "localhost:9092", ' +
      'sasl: { mechanism: "${SOAKSTREAM_TEST_SECRET}", username: u, password: p } }',
    'sinks: { influx: { url: "http://influx:8086", token: "${SOAKSTREAM_TEST_SECRET}", bucket: 7 } }',
    'rules:',
    '  rules:',
    '    - { name: x, detector: leak, bucket: never }',
  ].join('\n');

  it('validate lists every problem with its path, masks secrets, and exits 2', async () => {
    const file = tempPath('broken.yaml');
    writeFileSync(file, broken);
    const result = await runCli(['validate', file], { env: { SOAKSTREAM_TEST_SECRET: 'hunter2-very-secret' } });
    expect(result.code).toBe(2);
    const problems = result.stderr
      .split('\n')
      .filter((line) => line.startsWith('  - '))
      .map((line) => line.slice(4));
    expect(problems).toEqual([
      'target.url: expected an http(s) URL, got "not a url"',
      'requests[0].method: expected GET | HEAD | POST | PUT | PATCH | DELETE | OPTIONS, got "FETCH"',
      'load.stages[1].rate: expected "N/s" or "A..B/s", got "fast"',
      'probes.interval: expected a duration greater than zero, got "0s"',
      'probes.colour: unknown field (expected one of: self, host, target, pids, interval)',
      'transport.sasl.mechanism: expected plain | scram-sha-256 | scram-sha-512, got "***"',
      'sinks.influx.bucket: expected a non-empty string, got 7',
      'rules.rules[0].bucket: expected a duration like "30s", "5m" or "1h", got "never"',
      'criteria[0]: "p95 < lots": expected e.g. "p95 < 200ms", "avg < 1s", "errors < 1%", "recovery < 30s" or ' +
        '"availability > 99.5%"',
    ]);
    expect(result.stderr).toMatch(/invalid scenario \(9 problems\)/);
    expect(result.stderr + result.stdout).not.toContain('hunter2');
  });

  it('run refuses the same file with exit 2 before starting anything', async () => {
    const file = tempPath('broken.yaml');
    writeFileSync(file, broken);
    const result = await runCli(['run', file], { env: { SOAKSTREAM_TEST_SECRET: 'x' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('load.stages[1].rate: expected "N/s" or "A..B/s", got "fast"');
    expect(existsSync(tempPath('soak-report'))).toBe(false);
  });

  it('a missing environment variable is named with its path; a usage error exits 2', async () => {
    const file = tempPath('env.yaml');
    writeFileSync(
      file,
      'version: 1\nname: env\nprobes: { self: true }\nsinks: { influx: { url: "${SOAKSTREAM_UNSET_URL}" } }\n',
    );
    const result = await runCli(['validate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sinks.influx.url: environment variable SOAKSTREAM_UNSET_URL is not set');
    // A rules file of only a preset, or only metric kinds, is a rules file (they were read as scenarios).
    const preset = tempPath('preset.yaml');
    writeFileSync(preset, 'preset: anomly\n');
    const presetRun = await runCli(['validate', preset]);
    expect(presetRun.code).toBe(2);
    expect(presetRun.stderr).toContain('preset: expected one of soak, anomaly, got "anomly"');
    const kinds = tempPath('kinds.yaml');
    writeFileSync(kinds, 'metrics:\n  "x*": { kind: utilisation }\n');
    expect((await runCli(['validate', kinds])).stderr).toContain('metrics.x*.kind: expected one of');
    const usage = await runCli(['run', 'examples/demo.yaml', '--fail-on', 'sometimes']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--fail-on: expected "firing", "any" or "none", got "sometimes"');
  });
});

/** A two-second run against `url` writing its report to `$REPORT` and its recording to `$OUT`. */
const shortRun = (url: string): string =>
  [
    'version: 1',
    'name: restart',
    `target: { url: "${url}" }`,
    'requests: [ { name: ok, path: /ok } ]',
    'load: { stages: [ { duration: 2s, rate: 20/s } ] }',
    'probes: { self: false }',
    'sinks:',
    '  report: { path: "${REPORT}" }',
    '  recording: { dir: "${OUT}", prefix: restart, stats: true }',
    '',
  ].join('\n');

describe('soakstream run: output files', () => {
  const tempPath = useTempDirectory();
  let target: HttpTarget;
  let scenario: string;
  beforeAll(async () => {
    target = await startHttpTarget();
  });
  afterAll(async () => {
    await target?.close();
  });
  const run = (out: string, report = join(out, 'report.html')): Promise<CliRun> => {
    scenario = tempPath('restart.yaml');
    writeFileSync(scenario, shortRun(target.url));
    return runCli(['run', scenario], { env: { OUT: out, REPORT: report } });
  };
  const summaryLine = (stdout: string, label: string): string =>
    stdout.split('\n').find((line) => line.startsWith(`  ${label} `)) ?? '';

  it('run again into the same directory keeps the first recording byte for byte and numbers on', async () => {
    const out = tempPath('soak-report');
    const first = await run(out);
    expect(first.code).toBe(0);
    const firstFiles = ['restart-samples-000001.avro', 'restart-stats-000001.avro'];
    expect(summaryLine(first.stdout, 'recording')).toBe(
      `  recording ${firstFiles.map((f) => join(out, f)).join(', ')}`,
    );
    const before = new Map(firstFiles.map((name) => [name, readFileSync(join(out, name))]));

    const second = await run(out);
    expect(second.code).toBe(0);
    for (const [name, bytes] of before) expect(readFileSync(join(out, name)).equals(bytes), name).toBe(true);
    expect(listRecordingDirectory(out)).toEqual(
      ['report.html', ...firstFiles, 'restart-samples-000002.avro', 'restart-stats-000002.avro'].sort(),
    );
    // The summary names this run's files, and its replay line replays this run.
    expect(summaryLine(second.stdout, 'recording')).toBe(
      `  recording ${join(out, 'restart-samples-000002.avro')}, ${join(out, 'restart-stats-000002.avro')}`,
    );
    expect(summaryLine(second.stdout, 'replay')).toBe(
      `  replay    soakstream replay ${join(out, 'restart-samples-000002.avro')}`,
    );
    for (const name of ['restart-samples-000001.avro', 'restart-samples-000002.avro']) {
      const samples = await collectAll(readRecording(join(out, name)));
      expect(samples.filter((sample) => sample.metric === 'http_req_duration').length).toBeGreaterThan(0);
    }
  });

  it('exits 2 with one line before starting the load when the report path lies under a regular file', async () => {
    const file = tempPath('some-file.txt');
    writeFileSync(file, 'not a directory');
    const out = tempPath('recording');
    const hits = target.hits();
    const result = await run(out, join(file, 'report.html'));
    expect(result.stderr.trim()).toBe(
      `error: sinks.report.path: cannot write ${join(file, 'report.html')}: ${file} is a file, not a directory`,
    );
    expect(result.code).toBe(2);
    expect(target.hits()).toBe(hits);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 before starting the load when the recording directory is a regular file', async () => {
    const file = tempPath('some-file.txt');
    writeFileSync(file, 'not a directory');
    mkdirSync(tempPath('reports'));
    const hits = target.hits();
    const result = await run(file, tempPath('reports/report.html'));
    expect(result.stderr.trim()).toBe(
      `error: sinks.recording.dir: cannot write ${file}: it is a file, not a directory`,
    );
    expect(result.code).toBe(2);
    expect(target.hits()).toBe(hits);
    expect(readdirSync(tempPath('reports'))).toEqual([]);
  });

  const skipTmpfs = tmpfsSkipReason();
  it.skipIf(skipTmpfs !== null)(
    `a report that cannot be written at the end exits 3 naming it and keeps the recording${
      skipTmpfs !== null ? ` (skipped: ${skipTmpfs})` : ''
    }`,
    async () => {
      let full: TmpfsMount | null = null;
      try {
        full = mountTmpfs({ sizeKiB: 64 });
        // Full before the run: the path itself is writable, so the run starts; the report cannot be stored.
        expect(() => writeFileSync(join(full?.dir as string, 'filler'), Buffer.alloc(128 * 1024))).toThrow(/ENOSPC/);
        const report = join(full.dir, 'report.html');
        const out = tempPath('recording');
        const hits = target.hits();
        const result = await run(out, report);
        expect(result.stderr.trim().split('\n').at(-1)).toBe(
          `error: report: cannot write ${report}: no space left on device (ENOSPC)`,
        );
        expect(result.code).toBe(3);
        expect(readdirSync(full.dir)).toEqual(['filler']);
        // Every request the target answered is in the recording, which reads to its end.
        const samples = await collectAll(readRecording(join(out, 'restart-samples-000001.avro')));
        expect(samples.filter((sample) => sample.metric === 'http_req_duration')).toHaveLength(target.hits() - hits);
      } finally {
        full?.unmount();
      }
    },
  );
});
