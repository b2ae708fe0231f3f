import { gone } from '../support/processGone.js';
import { listRecordingDirectory } from '../support/collect.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorruptRecordingError } from '../../src/model/errors.js';
import { readRecording } from '../../src/model/readRecording.js';
import { printed, runCli, startCli, type RunningCli } from '../support/cli.js';
import { freePort } from '../support/net.js';
import { useTempDirectory } from '../support/tempDirectory.js';

/** Samples in a recording up to its last complete block, and why reading stopped early (null: it did not). */
async function readUpToEnd(file: string): Promise<{ samples: number; error: unknown }> {
  let samples = 0;
  try {
    for await (const _sample of readRecording(file)) samples++;
    return { samples, error: null };
  } catch (error) {
    return { samples, error };
  }
}

describe('Ctrl-C in soakstream run (spawned demo with its target)', () => {
  const tempPath = useTempDirectory();

  async function startDemo(): Promise<{ run: RunningCli; dir: string; targetPid: number }> {
    const dir = tempPath('out');
    const run = startCli(['run', 'examples/demo.yaml'], {
      env: { DEMO_PORT: String(await freePort()), SOAK_REPORT_DIR: dir },
      timeoutMs: 120_000,
    });
    const started = await printed(run, /started node examples\/demo-target\.mjs.* \(pid (\d+)\)/);
    await printed(run, /samples\/s/);
    return { run, dir, targetPid: Number(started[1]) };
  }

  it(
    'stops the sources, writes the report and a complete recording, stops the target, ' +
      'and exits 130 saying where it stopped',
    async () => {
      const { run, dir, targetPid } = await startDemo();
      const result = await run.interrupt();
      expect(result.code).toBe(130);
      expect(result.stderr).toMatch(/SIGINT: stopping/);
      expect(result.stdout).toMatch(/^result: INTERRUPTED \(stopped at [\d.]+ s of 90 s\)$/m);
      expect(result.stdout).not.toMatch(/result: PASS/);
      expect(await gone(targetPid)).toBe(true);
      expect(readdirSync(dir)).toEqual(expect.arrayContaining(['report.html', 'demo-samples-000001.avro']));
      const replay = await runCli(['replay', join(dir, 'demo-samples-000001.avro'), '--fail-on', 'none', '-q']);
      expect(replay.code).toBe(0);
      const samples = Number(/replayed ([\d,]+) samples/.exec(replay.stdout)?.[1]?.replace(/,/g, ''));
      expect(samples).toBeGreaterThan(0);
      expect(result.stdout).toContain(`${samples.toLocaleString('en-US')} samples`);
    },
    150_000,
  );

  it(
    'a second Ctrl-C exits at once with 130: the target is stopped too and the recording reads up to its ' +
      'last complete block',
    async () => {
      const { run, dir, targetPid } = await startDemo();
      run.child.kill('SIGINT');
      await printed(run, /SIGINT: stopping/);
      const result = await run.interrupt();
      expect(result.code).toBe(130);
      expect(await gone(targetPid)).toBe(true);
      const recording = listRecordingDirectory(dir).find((name) => name.startsWith('demo-samples-'));
      expect(recording).toBeDefined();
      // Either complete, or cut inside its last block; never unreadable from the start.
      const { error } = await readUpToEnd(join(dir, recording as string));
      if (error !== null) expect(error).toBeInstanceOf(CorruptRecordingError);
    },
    150_000,
  );
});
