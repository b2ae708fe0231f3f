import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FaultRecovery } from '../../src/model/events.js';
import type { RunFigures } from '../../src/run/runFigures.js';
import { readRecording } from '../../src/model/readRecording.js';
import type { Sample } from '../../src/model/sample.js';
import { median } from '../../src/stats/median.js';
import { printed, runCli, startCli } from '../support/cli.js';
import { freePort } from '../support/net.js';
import { gone, running } from '../support/processGone.js';
import { useTempDirectory } from '../support/tempDirectory.js';

// The recovery detector's resolution: every time it reports is the start of a 1 s interval.
const INTERVAL_MS = 1000;

interface ChaosSetup {
  readonly faults: string;
  readonly duration: string;
  readonly criteria?: readonly string[];
  readonly targetArgs?: readonly string[];
  readonly readyTimeout?: string;
  readonly recoverWithin?: string;
}

/** Writes a scenario soaking the demo target at 50 requests/s with these faults; returns its path and output dir. */
async function chaosScenario(
  dir: (name: string) => string,
  setup: ChaosSetup,
): Promise<{ scenario: string; out: string; readyFile: string }> {
  const port = await freePort();
  const out = dir('out');
  const readyFile = join(out, 'target-ready.txt');
  mkdirSync(dir('scenario'), { recursive: true });
  const scenario = join(dir('scenario'), 'chaos.yaml');
  const rules = join(dir('scenario'), 'rules.yaml');
  writeFileSync(
    rules,
    [
      'version: 1',
      'defaults: true',
      'rules:',
      '  - name: not-recovered',
      '    detector: recovery',
      '    match: { metric: soakstream_fault }',
      `    recoverWithin: ${setup.recoverWithin ?? '10s'}`,
      // A test machine running other tests at once may double the target's usual latency and
      // spike its p95: the recoveries these tests time are set by errors and by the hundreds of ms
      // the faults add, so the median, give or take 100%, is judged.
      '    quantile: 50%',
      '    latencyTolerance: 100%',
      '    severity: critical',
      '',
    ].join('\n'),
  );
  const command = ['node', 'examples/demo-target.mjs', '--ready-file', readyFile, ...(setup.targetArgs ?? [])];
  writeFileSync(
    scenario,
    [
      'version: 1',
      'name: chaos-test',
      'target:',
      `  url: http://127.0.0.1:${port}`,
      '  start:',
      `    command: ${JSON.stringify(command)}`,
      `    env: { DEMO_PORT: "${port}" }`,
      `    ready: http://127.0.0.1:${port}/health`,
      `    readyTimeout: ${setup.readyTimeout ?? '15s'}`,
      'requests:',
      '  - { name: products, path: /products }',
      'load:',
      '  model: open',
      `  stages: [{ duration: ${setup.duration}, rate: 50/s }]`,
      'faults:',
      setup.faults,
      'probes: { self: false, target: true, interval: 1s }',
      `criteria: ${JSON.stringify(setup.criteria ?? [])}`,
      `sinks: { console: true, report: { path: "${join(out, 'report.html')}" }, ` +
        `recording: { dir: "${out}", prefix: chaos } }`,
      `rules: ${rules}`,
      '',
    ].join('\n'),
  );
  return { scenario, out, readyFile };
}

/** The recovery events a replay of the recording writes with --events-out (each line: the event's fields, its type). */
async function replayedRecoveries(recording: string, rules: string, dir: string): Promise<FaultRecovery[]> {
  const events = join(dir, 'events.ndjson');
  mkdirSync(dir, { recursive: true });
  const replay = await runCli(['replay', recording, '--rules', rules, '--events-out', events, '--fail-on', 'none']);
  expect(replay.code).toBe(0);
  return readFileSync(events, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as FaultRecovery & { type: string })
    .filter((event) => event.type === 'recovery');
}

const verdictOf = (recoveries: readonly FaultRecovery[], fault: string): FaultRecovery => {
  const verdicts = recoveries.filter((r) => r.fault === fault && r.phase !== 'start' && r.phase !== 'end');
  const last = verdicts[verdicts.length - 1];
  if (last === undefined) throw new Error(`no verdict on ${fault}`);
  return last;
};

/** The fault lines of a summary (`faults` and each `- name #n`), which live and replay print alike. */
const faultSummary = (stdout: string): string[] =>
  stdout.split('\n').filter((line) => /^\s+(faults\s|- \S+ #\d+ \()/.test(line));

describe('soakstream run with faults (the demo target, real processes and a real proxy)', () => {
  const tempPath = useTempDirectory();

  it(
    'measures each recovery against the ground truth: the restarted target is ready, the paused one resumed, ' +
      'within one interval; the proxy adds the latency it injects; a replay of the recording finds the same',
    async () => {
      const { scenario, out, readyFile } = await chaosScenario(tempPath, {
        duration: '45s',
        faults: [
          '  - { name: kill-target, at: 8s, kill: { restartAfter: 1s } }',
          '  - { name: freeze, at: 20s, pause: { for: 2s } }',
          '  - { name: slow-network, at: 32s, network: { for: 5s, latency: 150ms } }',
        ].join('\n'),
        criteria: ['recovery < 20s'],
      });
      // The kill's errors fire the plain error-rate rule: expected, so only the criteria decide the exit code.
      const summaryOut = join(tempPath('scenario'), 'summary.json');
      const result = await runCli(['run', scenario, '--fail-on', 'none', '--summary-out', summaryOut], {
        timeoutMs: 120_000,
      });
      if (result.code !== 0) console.error(result.stdout, result.stderr.slice(-3000));
      expect(result.stderr).toMatch(/fault kill-target #1 \(kill\) started: SIGKILL pid \d+/);
      expect(result.stderr).toMatch(/fault freeze #1 \(pause\) ended after [\d.]+ s: resumed \(SIGCONT\)/);
      expect(result.stdout).toMatch(/faults {4}3 faults: MTTR [\d.]+ s, slowest [\d.]+ s; availability/);
      expect(result.stdout).toMatch(/✓ recovery < 20s \(measured [\d.]+ s\)/);
      expect(result.code).toBe(0);

      // The summary file holds the same figures, each fault with its verdict.
      const summary = JSON.parse(readFileSync(summaryOut, 'utf8')) as { version: number; run: RunFigures };
      expect(summary.version).toBe(2);
      expect(summary.run.requests).toBeGreaterThan(1500);
      expect(summary.run.criteria).toEqual([
        { criterion: 'recovery < 20s', pass: true, measured: summary.run.faults?.slowestMs, shown: expect.any(String) },
      ]);
      expect(summary.run.faults).toMatchObject({ count: 3, notRecovered: 0 });
      expect(summary.run.faults?.list.map((f) => [f.fault, f.verdict])).toEqual([
        ['kill-target', 'recovered'],
        ['freeze', 'recovered'],
        ['slow-network', 'recovered'],
      ]);
      const recording = join(out, 'chaos-samples-000001.avro');
      const rules = scenario.replace(/chaos\.yaml$/, 'rules.yaml');
      const recoveries = await replayedRecoveries(recording, rules, tempPath('replay'));

      // kill: recovered when the restarted target was ready, by its own clock (the ready file's second start).
      const readyTimes = readFileSync(readyFile, 'utf8').trim().split('\n').map(Number);
      expect(readyTimes).toHaveLength(2);
      const kill = verdictOf(recoveries, 'kill-target');
      expect(kill.phase).toBe('recovered');
      expect(kill.impactAt).not.toBeNull();
      expect(Math.abs((kill.recoveredAt as number) / 1000 - (readyTimes[1] as number))).toBeLessThanOrEqual(
        INTERVAL_MS,
      );

      // pause: recovered once the target was resumed (SIGCONT: the fault's end) and had answered the
      // requests queued while it was stopped: one interval for the resume, at most one more for that.
      const freeze = verdictOf(recoveries, 'freeze');
      expect(freeze.phase).toBe('recovered');
      expect((freeze.recoveredAt as number) - (freeze.end as number)).toBeGreaterThan(-INTERVAL_MS * 1000);
      expect(((freeze.recoveredAt as number) - (freeze.end as number)) / 1000).toBeLessThanOrEqual(2 * INTERVAL_MS);

      // network: every request sent and answered while the fault was on took at least the 2 × 150 ms
      // the proxy adds (request and answer; its timers have millisecond resolution), and the median
      // rose by about that much (a busy machine moves the service time either way by a few ms);
      // recovered when the fault was switched off.
      const slow = verdictOf(recoveries, 'slow-network');
      expect(slow.phase).toBe('recovered');
      expect(Math.abs(((slow.recoveredAt as number) - (slow.end as number)) / 1000)).toBeLessThanOrEqual(INTERVAL_MS);
      const latencies: Sample[] = [];
      for await (const sample of readRecording(recording))
        if (sample.metric === 'http_req_duration') latencies.push(sample);
      const during = latencies
        // 100 ms inside the fault at either end: the load's clock and the runner's may differ by a few ms.
        .filter((s) => s.ts - s.value * 1000 >= slow.start + 100_000 && s.ts <= (slow.end as number) - 100_000)
        .map((s) => s.value);
      const before = latencies
        .filter((s) => s.ts > freeze.recoveredAt! + 2_000_000 && s.ts < slow.start)
        .map((s) => s.value);
      expect(during.length).toBeGreaterThan(50);
      expect(Math.min(...during)).toBeGreaterThanOrEqual(298);
      expect(median(during) - median(before)).toBeGreaterThanOrEqual(270);
      expect(median(during) - median(before)).toBeLessThan(3000);

      // The replay prints the same fault summary as the live run.
      const replay = await runCli(['replay', recording, '--rules', rules, '--fail-on', 'none', '-q']);
      expect(faultSummary(replay.stdout).slice(1)).toEqual(faultSummary(result.stdout).slice(1));
      expect(faultSummary(result.stdout)).toHaveLength(4);
    },
    180_000,
  );

  it(
    'a target that does not come back healthy after a kill raises not-recovered and fails the recovery ' + 'criterion',
    async () => {
      const { scenario } = await chaosScenario(tempPath, {
        duration: '25s',
        faults: '  - { name: kill-target, at: 8s, kill: { restartAfter: 1s } }',
        targetArgs: ['--unhealthy-on-restart', 'true'],
        readyTimeout: '2s',
        recoverWithin: '5s',
        criteria: ['recovery < 20s'],
      });
      const result = await runCli(['run', scenario], { timeoutMs: 120_000 });
      expect(result.stderr).toMatch(/kill-target #1 \(kill\): the target did not start again: target service/);
      expect(result.stderr).toMatch(/FIRING\s+critical not-recovered/);
      expect(result.stdout).toMatch(
        /- kill-target #1 \(kill\) at [\d.]+ s, lasted [\d.]+ s: impact after [\d.]+ s, NOT RECOVERED/,
      );
      expect(result.stdout).toMatch(/✗ recovery < 20s \(measured not recovered\)/);
      expect(result.stdout).toMatch(/- not-recovered \[critical\]/);
      expect(result.code).toBe(1);
    },
    120_000,
  );

  it(
    'Ctrl-C during a pause and a cpu stressor: the target is resumed and stopped, stress-ng is stopped, ' +
      'the run exits 130',
    async () => {
      const { scenario } = await chaosScenario(tempPath, {
        duration: '60s',
        faults: [
          '  - { name: freeze, at: 4s, pause: { for: 50s } }',
          '  - { name: cpu-hog, at: 4s, cpu: { for: 50s, workers: 1 } }',
        ].join('\n'),
      });
      const run = startCli(['run', scenario], { timeoutMs: 120_000 });
      const target = Number((await printed(run, /started node examples\/demo-target\.mjs.* \(pid (\d+)\)/))[1]);
      await printed(run, /fault freeze #1 \(pause\) started/);
      await printed(run, /fault cpu-hog #1 \(cpu\) started/);
      const stressors = (): number[] => {
        try {
          return execFileSync('pgrep', ['-f', `stress-ng --cpu 1 --timeout 50s`], { encoding: 'utf8' })
            .trim()
            .split('\n')
            .map(Number);
        } catch {
          return [];
        }
      };
      for (let i = 0; i < 40 && stressors().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      const hogs = stressors();
      expect(hogs.length).toBeGreaterThan(0);
      expect(running(target)).toBe(true);
      const result = await run.interrupt();
      expect(result.code).toBe(130);
      expect(result.stderr).toMatch(
        /fault freeze #1 \(pause\) ended after [\d.]+ s: resumed \(SIGCONT\) \(the run ended\)/,
      );
      expect(result.stdout).toMatch(/result: INTERRUPTED/);
      expect(await gone(target)).toBe(true);
      for (const pid of hogs) expect(await gone(pid)).toBe(true);
    },
    120_000,
  );
});
