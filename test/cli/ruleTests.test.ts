import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../support/cli.js';
import { useTempDirectory } from '../support/tempDirectory.js';

const DEMO_RULES = join(ROOT, 'examples/demo-rules.yaml');
const STEP_LEAK = join(ROOT, 'test/fixtures/soak-step-leak.avro');

// soak-step-leak.json: the latency step is at +50m (20%), the heap leaks from +30m; nothing changes before.
const recordingSpec = (leakSeverity: string): string => `
version: 1
tests:
  - name: the golden step-leak recording under the default rules
    input: { recording: ${JSON.stringify(STEP_LEAK)} }
    expect:
      - at: 25m
        firing: []
      - at: 1h55m
        firing:
          - { rule: latency-regression, series: "http_req_duration{scenario=golden,service=checkout}" }
          - { rule: memory-leak, severity: ${leakSeverity}, tags: { service: checkout } }
`;

describe('soakstream test (rule unit tests, spawned as a user would)', () => {
  const tempPath = useTempDirectory();

  it('passes on the example spec and exits 0', async () => {
    const run = await runCli(['test', 'examples/rules-test.yaml']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/✓ a steady heap climb fires memory-leak/);
    expect(run.stdout).toMatch(/✓ checkout slowing from 20 ms to 50 ms/);
    expect(run.stdout).toMatch(/✓ an error burst fires error-rate/);
    expect(run.stdout).toMatch(/^PASS: 3 passed, 0 failed$/m);
    expect(run.code).toBe(0);
  });

  it('passes on a recording whose faults it expects', async () => {
    const spec = tempPath('recording.yaml');
    writeFileSync(spec, recordingSpec('critical'));
    const run = await runCli(['test', spec]);
    expect(run.stdout).toMatch(
      /✓ the golden step-leak recording under the default rules \(21,600 samples, 2 evaluations\)/,
    );
    expect(run.code).toBe(0);
  });

  it('fails with a readable diff when the expected alerts are wrong, and exits 1', async () => {
    const spec = tempPath('wrong.yaml');
    writeFileSync(
      spec,
      `
rules: ${JSON.stringify(DEMO_RULES)}
tests:
  - name: a leak expected on the wrong service, and silence where checkout regresses
    input:
      series:
        - { metric: process_heap_used_bytes, tags: { service: api }, interval: 1s, ` +
        `values: "100e6+50e3x179", noise: 0.002 }
        - { metric: http_req_duration, tags: { request: checkout }, unit: ms, interval: 100ms, ` +
        `values: "20x599 50x599", noise: 0.1 }
    expect:
      - at: 10s
        firing: []
      - at: 2m
        firing:
          - { rule: memory-leak, tags: { service: worker } }
`,
    );
    const run = await runCli(['test', spec]);
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n').map((line) => line.trim());
    expect(lines).toContain(
      '✗ a leak expected on the wrong service, and silence where checkout regresses (1,380 samples, 2 evaluations)',
    );
    expect(lines).toContain('- expected but not firing   + firing but not expected');
    expect(lines).toContain('at 2m (1970-01-01T00:02:00Z):');
    expect(lines).toContain('- memory-leak with tags {service=worker}');
    expect(
      lines.some((line) =>
        /^\+ memory-leak on process_heap_used_bytes\{service=api\} \[critical\], firing since \+\d+s$/.test(line),
      ),
    ).toBe(true);
    expect(
      lines.some((line) =>
        /^\+ latency-regression on http_req_duration\{request=checkout\} \[critical\], firing since \+\d+s$/.test(line),
      ),
    ).toBe(true);
    // The evaluation that holds is not part of the diff.
    expect(lines).not.toContain('at 10s (1970-01-01T00:00:10Z):');
    expect(lines).toContain('FAIL: 0 passed, 1 failed');
  });

  it('a wrong severity on a recording is a mismatch too', async () => {
    const spec = tempPath('severity.yaml');
    writeFileSync(spec, recordingSpec('info'));
    const run = await runCli(['test', spec]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('- memory-leak [info] with tags {service=checkout}');
    expect(run.stdout).toMatch(
      /\+ memory-leak on process_heap_used_bytes\{scenario=golden,service=checkout\} \[critical\], firing since \+\d+m?\d*s?/,
    );
  });

  it('a malformed spec lists every problem with its path and exits 2', async () => {
    const spec = tempPath('broken.yaml');
    writeFileSync(
      spec,
      `
tests:
  - name: bad
    input:
      series:
        - { metric: m, values: "1 2 three", interval: soon }
      recording: x.avro
    expect:
      - { at: 1m, firing: [ { rule: r, colour: red } ] }
  - name: bad
    input: {}
    expect: []
`,
    );
    const run = await runCli(['test', spec]);
    expect(run.code).toBe(2);
    const problems = run.stderr
      .split('\n')
      .filter((line) => line.startsWith('  - '))
      .map((line) => line.slice(4));
    expect(problems).toEqual([
      'tests[0].input.series[0].values: expected values like "1 2 3", "100+5x10", "7x4" or "_x3", got term "three"',
      'tests[0].input.series[0].interval: expected a duration like "30s", "5m" or "1h", got "soon"',
      'tests[0].expect[0].firing[0].colour: unknown field (expected one of: rule, series, severity, tags)',
    ]);
    const second = join(tempPath('second.yaml'));
    writeFileSync(
      second,
      'tests:\n' +
        '  - { name: a, input: { series: [ { metric: m, values: "1" } ], recording: x.avro }, ' +
        'expect: [ { at: 1s, firing: [] } ] }\n' +
        '  - { name: a, input: {}, expect: [] }\n',
    );
    const semantic = await runCli(['test', second]);
    expect(semantic.code).toBe(2);
    expect(
      semantic.stderr
        .split('\n')
        .filter((line) => line.startsWith('  - '))
        .map((line) => line.slice(4)),
    ).toEqual([
      'tests[0].input: expected either series (inline values) or recording (a file), not both',
      'tests[1].name: "a" is used by an earlier test',
      'tests[1].expect: expected at least one evaluation ({ at, firing })',
      'tests[1].input: expected either series (inline values) or recording (a file), not neither',
    ]);
  });
});
