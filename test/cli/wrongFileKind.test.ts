import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatNdjson } from '../../src/model/ndjson.js';
import { ContainerWriter } from '../../src/model/recordingWriter.js';
import { cli, type CliRun } from '../support/cli.js';
import { useTempDirectory } from '../support/tempDirectory.js';

/**
 * A file of the wrong kind gets one line that says what it is and what to do, not a YAML error
 * per line of a recording or a stack trace.
 */
const T0 = 1_767_225_600_000_000;
const STEP_LEAK = 'test/fixtures/soak-step-leak.avro';
const TAXI = 'test/fixtures/nab_nyc_taxi_head.csv';

const lines = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '');

/** A command that failed on its input: exit 2 and at most `most` lines on stderr, the first an error. */
function expectShortError(run: CliRun, most = 2): void {
  expect(run.code).toBe(2);
  expect(lines(run.stderr).length).toBeLessThanOrEqual(most);
  expect(run.stderr).toMatch(/^error: /);
}

describe('a file of the wrong kind', () => {
  const tempPath = useTempDirectory({ perSuite: true });
  let samples: string;
  let recording: string;

  beforeAll(async () => {
    // Hand-made NDJSON samples, as many lines as make tens of thousands of YAML errors.
    samples = tempPath('hand.ndjson');
    const text = Array.from({ length: 5000 }, (_, i) =>
      formatNdjson({ ts: T0 + i * 1000, metric: 'latency', value: 10 + (i % 7), tags: { request: 'a' }, unit: 'ms' }),
    );
    writeFileSync(samples, `${text.join('\n')}\n`);
    // The stats recording of a real run (two seconds of the self probe); an alerts recording beside it.
    recording = tempPath('recording');
    const scenario = tempPath('stats.yaml');
    writeFileSync(
      scenario,
      'version: 1\nname: stats\nduration: 2s\nprobes: { self: true, interval: 100ms }\n' +
        `sinks: { recording: { dir: "${recording}", prefix: soak, stats: true, alerts: true } }\n`,
    );
    const run = await cli('run', scenario);
    expect(run.code).toBe(0);
    await (await ContainerWriter.openAlerts(`${recording}/soak-alerts-000001.avro`)).close();
  });

  it('analyze, validate, run and load given NDJSON samples say so in one line and point to replay', async () => {
    for (const command of ['analyze', 'validate', 'run', 'load']) {
      const run = await cli(command, samples);
      expectShortError(run, 1);
      expect(run.stderr).toContain(
        `error: ${samples}: this looks like a samples recording (NDJSON), not a scenario` +
          `${command === 'validate' ? ' or rules file' : ' file'}; use \`soakstream replay ${samples}\``,
      );
    }
  });

  it('an Avro or CSV samples recording given as a scenario, or as rules, gets the same hint', async () => {
    const avro = await cli('run', STEP_LEAK);
    expectShortError(avro, 1);
    expect(avro.stderr).toContain(
      `this looks like a samples recording (Avro), not a scenario file; use \`soakstream replay ${STEP_LEAK}\``,
    );
    const csv = await cli('validate', TAXI);
    expectShortError(csv, 1);
    expect(csv.stderr).toContain(
      `(CSV), not a scenario or rules file; use \`soakstream replay ${TAXI} --metric <name>\``,
    );
    const rules = await cli('replay', STEP_LEAK, '--rules', samples);
    expectShortError(rules, 1);
    expect(rules.stderr).toContain(`${samples}: this looks like a samples recording (NDJSON), not a rules file`);
  });

  it('replaying a stats or alerts recording names the file and the samples file to replay instead', async () => {
    for (const kind of ['stats', 'alerts']) {
      const file = `${recording}/soak-${kind}-000001.avro`;
      const run = await cli('replay', file);
      expectShortError(run, 1);
      expect(run.stderr).toContain(
        `error: ${file}: this is ${kind === 'stats' ? 'a' : 'an'} ${kind} recording, not io.soakstream.Sample ` +
          `(sample.v1); replay, report and test read sample recordings such as ${recording}/soak-samples-000001.avro`,
      );
    }
    const validate = await cli('validate', `${recording}/soak-stats-000001.avro`);
    expectShortError(validate, 1);
    expect(validate.stderr).toContain('this looks like a stats recording (Avro), not a scenario or rules file');
  });
});
