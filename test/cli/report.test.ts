import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, runCli } from '../support/cli.js';
import { unprivileged, unprivilegedSkipReason } from '../support/unprivileged.js';
import { useTempDirectory } from '../support/tempDirectory.js';

describe('soakstream report (spawned as a user would)', () => {
  const tempPath = useTempDirectory();

  it('replays a recording through the rules and writes the HTML report of its series and alerts', async () => {
    const out = tempPath('nested/dir/report.html');
    const run = await cli('report', 'test/fixtures/soak-step-leak.avro', '-o', out, '--title', 'golden soak');
    // The report is written; the alerts still firing at its end fail it as they fail run and replay.
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`wrote ${out}: 21,600 samples of 2 series, 2 alerts fired, 2 still firing at the end`);
    expect(run.stdout).toContain('result: FAIL (2 alerts firing at the end; --fail-on firing)');
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<title>golden soak</title>');
    expect(html).toContain('latency-regression');
    expect(html).toContain('memory-leak');
    expect(html).toContain('http_req_duration{scenario=golden,service=checkout}');
  });

  it('needs -o, and names a file it cannot read; neither leaves a report behind', async () => {
    const missing = await cli('report', 'test/fixtures/soak-step-leak.avro');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '-o, --out <file>' not specified");
    const out = tempPath('report.html');
    const wrong = await cli('report', 'test/fixtures/soak-step-leak.json', '-o', out);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('test/fixtures/soak-step-leak.json: unknown file type ".json"');
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 with one line before reading anything when -o lies under a regular file', async () => {
    const file = tempPath('some-file.txt');
    writeFileSync(file, 'not a directory');
    // The input is no recording at all: an output path checked first never gets to read it.
    const garbage = tempPath('garbage.avro');
    writeFileSync(garbage, 'no avro here');
    const run = await cli('report', garbage, '-o', `${file}/report.html`);
    expect(run.stderr.trim()).toBe(`error: -o: cannot write ${file}/report.html: ${file} is a file, not a directory`);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toBe('not a directory');
    const directory = await cli('report', garbage, '-o', tempPath(''));
    expect(directory.stderr.trim()).toBe(`error: -o: cannot write ${tempPath('')}: it is a directory`);
    expect(directory.code).toBe(2);
  });

  const skipPermissions = unprivilegedSkipReason();
  it.skipIf(skipPermissions !== null)(
    `exits 2 before reading anything when -o lies in a directory it may not write${
      skipPermissions !== null ? ` (skipped: ${skipPermissions})` : ''
    }`,
    async () => {
      const locked = tempPath('locked');
      mkdirSync(locked);
      chmodSync(locked, 0o555);
      chmodSync(dirname(locked), 0o755);
      const garbage = tempPath('garbage.avro');
      writeFileSync(garbage, 'no avro here');
      const out = join(locked, 'report.html');
      const run = await runCli(['report', garbage, '-o', out], unprivileged());
      expect(run.stderr.trim()).toBe(
        `error: -o: cannot write ${out}: cannot create files in ${locked}: permission denied (EACCES)`,
      );
      expect(run.code).toBe(2);
    },
  );
});
