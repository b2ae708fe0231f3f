import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDirectory } from '../support/tempDirectory.js';
import { runCli, type CliRun } from '../support/cli.js';
import { freePort } from '../support/net.js';

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
    expect(readdirSync(dir).sort()).toEqual([
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
      '--quiet',
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
      'criteria[0]: "p95 < lots": expected e.g. "p95 < 200ms", "avg < 1s" or "errors < 1%"',
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
    const usage = await runCli(['run', 'examples/demo.yaml', '--fail-on', 'sometimes']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--fail-on: expected "firing", "any" or "none", got "sometimes"');
  });
});
