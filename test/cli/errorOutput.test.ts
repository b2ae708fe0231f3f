import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_LISTED_ISSUES } from '../../src/cli/formatError.js';
import { cli, runCli } from '../support/cli.js';
import { useTempDirectory } from '../support/tempDirectory.js';

// Control characters other than the newline between lines: none may reach the terminal.
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const RAW_CONTROL = new RegExp('[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f]');

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
    expect(run.stderr).toContain('sinks.influx.token: expected a string, got ***');
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

  it('echoes a 10 MB CSV field and a 2 MB YAML string as short excerpts (it printed them whole)', async () => {
    const csv = tempPath('big-field.csv');
    writeFileSync(csv, `timestamp,value\n2026-01-01T00:00:00Z,${'9'.repeat(300_000)}z\n`);
    const run = await cli('replay', csv, '--metric', 'm', '--max-line-length', '400000');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: .*big-field\.csv:2:22: not a finite number: "9{60}…"\n$/);
    const yaml = tempPath('big-string.yaml');
    writeFileSync(yaml, `version: 1\ndefaults: true\nmaxSeries: "${'x'.repeat(2_000_000)}"\n`);
    const validate = await cli('validate', yaml);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain(`  - maxSeries: expected a positive integer, got "${'x'.repeat(60)}…"`);
    expect(validate.stderr.length).toBeLessThan(1_000);
  });

  it('escapes control characters and terminal escapes of the input in every message', async () => {
    const ndjson = tempPath('escape.ndjson');
    writeFileSync(ndjson, '{"ts":1,"metric":"m\\u001b[2J\\u0085","value":1}\n{"ts":2,\u001b[31m\n');
    const run = await cli('replay', ndjson);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('got "m\\u001b[2J\\u0085"');
    expect(run.stderr).not.toMatch(RAW_CONTROL);
    const broken = tempPath('broken.ndjson');
    writeFileSync(broken, '{"ts":2,\u001b[31m\n');
    const parse = await cli('replay', broken);
    expect(parse.code).toBe(2);
    expect(parse.stderr).toContain('\\u001b[31m');
    expect(parse.stderr).not.toMatch(RAW_CONTROL);
  });

  it('refuses a line past --max-line-length, invalid UTF-8 and a too large configuration, naming where', async () => {
    const long = tempPath('long.ndjson');
    writeFileSync(long, `{"ts":1,"metric":"m","value":1}\n{"ts":2,"metric":"${'x'.repeat(2_000_000)}","value":1}\n`);
    const run = await cli('replay', long);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `error: ${long}:2: line longer than 1,048,576 characters (the limit of --max-line-length); ` +
        'is this the right file?\n',
    );
    const bad = tempPath('bad-utf8.ndjson');
    writeFileSync(
      bad,
      Buffer.concat([Buffer.from('{"ts":1,"metric":"m'), Buffer.from([0xc0, 0xaf]), Buffer.from('","value":1}\n')]),
    );
    const utf8 = await cli('replay', bad);
    expect(utf8.code).toBe(2);
    expect(utf8.stderr).toBe(`error: ${bad}:1: not valid UTF-8 at byte 19\n`);
    const rules = tempPath('rules.yaml');
    writeFileSync(rules, `version: 1\n# ${'padding '.repeat(200)}\n`);
    const config = await runCli(['replay', long, '--rules', rules], { env: { SOAKSTREAM_MAX_CONFIG_BYTES: '1000' } });
    expect(config.code).toBe(2);
    expect(config.stderr).toBe(
      `error: ${rules}: rules file larger than 1,000 bytes (the limit of SOAKSTREAM_MAX_CONFIG_BYTES); ` +
        'is this the right file?\n',
    );
  });
});
