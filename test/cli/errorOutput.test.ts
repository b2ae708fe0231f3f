import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_LISTED_ISSUES } from '../../src/cli/formatError.js';
import { cli } from '../support/cli.js';
import { useTempDirectory } from '../support/tempDirectory.js';

/** A scenario whose every rule names a detector that does not exist: one problem per rule. */
function scenarioWithProblems(path: string, problems: number): string {
  const rules = Array.from({ length: problems }, (_, i) => `    - { name: r${i}, detector: bogus${i} }`);
  writeFileSync(path, ['version: 1', 'name: many', 'rules:', '  rules:', ...rules, ''].join('\n'));
  return path;
}

describe('how a failed command prints its error', () => {
  const tempPath = useTempDirectory();

  it('lists at most 20 problems of a configuration, then counts the rest; no stack trace', async () => {
    const file = scenarioWithProblems(tempPath('many.yaml'), 137);
    const run = await cli('validate', file);
    expect(run.code).toBe(2);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`error: ${file}: invalid scenario (137 problems)`);
    expect(lines.filter((line) => line.startsWith('  - rules.rules['))).toHaveLength(MAX_LISTED_ISSUES);
    expect(lines.at(-1)).toBe(`  … and ${137 - MAX_LISTED_ISSUES} more`);
    expect(lines).toHaveLength(MAX_LISTED_ISSUES + 2);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('adds the stack trace only with --debug', async () => {
    const file = scenarioWithProblems(tempPath('few.yaml'), 3);
    const run = await cli('validate', file, '--debug');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: .*invalid scenario \(3 problems\)$/m);
    expect(run.stderr).toMatch(/^\s+at .*\.[jt]s:\d+:\d+\)?$/m);
  });

  it('masks a secret field whatever its type, and the password of any URL', async () => {
    const file = tempPath('secrets.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'name: secrets',
        'target: { url: "ftp://reader:hunter22@example.com" }',
        'sinks:',
        '  influx: { url: "http://user:s3cretpw@localhost:8086", bucket: b, token: 424242 }',
        'transport:',
        '  { type: kafka, brokers: "a:1", topic: t, sasl: { mechanism: plain, username: u, password: 12345 } }',
        '',
      ].join('\n'),
    );
    const run = await cli('validate', file);
    expect(run.code).toBe(2);
    for (const secret of ['hunter22', 's3cretpw', '424242', '12345']) expect(run.stderr).not.toContain(secret);
    expect(run.stderr).toContain('transport.sasl.password: expected a non-empty string, got ***');
    expect(run.stderr).toContain('sinks.influx.token: expected string, got ***');
    expect(run.stderr).toContain('target.url: expected an http(s) URL, got "ftp://reader:***@example.com"');
  });

  it('a YAML alias bomb is a configuration error naming the file (exit 2), not an internal error', async () => {
    const file = tempPath('bomb.yaml');
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      levels.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    writeFileSync(file, ['version: 1', 'name: bomb', ...levels, ''].join('\n'));
    const run = await cli('validate', file);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid YAML\n  - .*alias`),
    );
    expect(run.stderr).not.toContain('internal error');
  });
});
