import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRules } from '../../src/config/loadRules.js';
import { cli, startScript } from '../support/cli.js';
import { useTempDirectory } from '../support/tempDirectory.js';

describe('soakstream calibrate, on the labelled suite written by examples/labelled-suite.ts', () => {
  const path = useTempDirectory({ perSuite: true });
  let recording = '';
  let labels = '';
  beforeAll(async () => {
    const written = await startScript('examples/labelled-suite.ts', [
      path('suite'),
      '--series-per-class',
      '2',
      '--hours',
      '1.5',
      '--classes',
      'latency_none,latency_step_25,heap_none,heap_leak_30',
    ]).done;
    expect(written.code, written.stderr).toBe(0);
    recording = `${path('suite')}/suite-samples-000001.avro`;
    labels = `${path('suite')}/labels.json`;
  }, 120_000);

  it('with too few quiet hours to show the target, keeps the current settings and says what is needed', async () => {
    const run = await cli('calibrate', '--labels', labels, recording, '-o', path('calibrated.yaml'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^latency-regression \(regression\): 36 candidates on the training series; target ≤ 0\.05/,
    );
    expect(run.stdout).toMatch(
      /no candidate is shown to meet the target: [\d.]+ change-free training hours bound .* 60 hours are needed/,
    );
    expect(run.stdout).toMatch(/held out, chosen \(\*\): false alarms \d+ in [\d.]+ h/);
    expect(run.stdout).toContain(`wrote ${path('calibrated.yaml')}`);
    // The current settings: the default rules' alpha and for.
    const rules = parseRules(readFileSync(path('calibrated.yaml'), 'utf8'));
    const regression = rules.rules.find((rule) => rule.name === 'latency-regression');
    expect(regression?.for).toBe(5_000_000);
    expect((regression?.detector as { alpha?: number }).alpha).toBe(0.001);
    // resource-leak has no labelled series here: it is left as it is.
    expect(run.stderr).toContain('resource-leak: no labelled leak on the series it applies to; left as it is');
  }, 180_000);

  it('with a target the training series can show, picks the most sensitive candidate that meets it', async () => {
    const run = await cli('calibrate', '--labels', labels, recording, '-o', path('lenient.yaml'), '--target', '2');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('no candidate is shown to meet the target');
    const chosen = run.stdout.split('\n').filter((line) => line.startsWith('  * '));
    expect(chosen).toHaveLength(2);
    // It validates as a rules file, as soakstream reads it.
    const validated = await cli('validate', path('lenient.yaml'));
    expect(validated.stdout).toMatch(/valid rules file/);
  }, 180_000);

  it('names bad labels and flags in one line, exit 2', async () => {
    writeFileSync(path('bad.json'), '[{"series": "x", "start": "yesterday", "end": 5, "kind": "regression"}]');
    const bad = await cli('calibrate', '--labels', path('bad.json'), recording, '-o', path('x.yaml'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      `error: ${path('bad.json')}[0].start: expected epoch µs or an ISO-8601 time, got "yesterday"\n`,
    );
    writeFileSync(path('other.json'), '[{"series": "nowhere{}", "start": 0, "end": 5, "kind": "leak"}]');
    const none = await cli('calibrate', '--labels', path('other.json'), recording, '-o', path('x.yaml'));
    expect(none.code).toBe(2);
    // After the progress line that it read the recording: one error line.
    expect(none.stderr.split('\n').filter((line) => line.startsWith('error:'))).toEqual([
      `error: ${path('other.json')}: no label names a series of the recordings (first: nowhere{})`,
    ]);
    const missing = await cli('calibrate', '--labels', path('nope.json'), recording, '-o', path('x.yaml'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: .*nope\.json: cannot read the labels: /);
    const target = await cli('calibrate', '--labels', labels, recording, '-o', path('x.yaml'), '--target', 'low');
    expect(target.stderr).toBe('error: --target: expected false alarms per series-hour ≥ 0, e.g. 0.05, got "low"\n');
  });
});
