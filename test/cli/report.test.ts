import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
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
});
