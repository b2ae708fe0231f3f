import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { useRunRecordings } from '../support/runRecordings.js';
import { useTempDirectory } from '../support/tempDirectory.js';

interface Row {
  readonly series: string;
  readonly stat: string;
  readonly regression: boolean;
  readonly runs: readonly [number, number];
}

describe('soakstream baseline, and compare --baseline', () => {
  const path = useTempDirectory({ perSuite: true });
  const { base, next } = useRunRecordings(path);

  it('saves runs, lists and shows them, and compares new runs with them', async () => {
    const store = path('store');
    const saved = await cli('baseline', 'save', ...base, '--name', 'main', '--store', store);
    expect(saved.stderr).toBe('');
    expect(saved.code).toBe(0);
    expect(saved.stdout).toMatch(
      /^saved 3 runs \(3 series\) to baseline "main" in .*: 3 runs, keeps the last 10 runs\n/,
    );
    expect(saved.stdout).toMatch(/\nenvironment: .+, \d+ cores, [\d.]+ GiB, .+, Node\.js v\d+/);

    const list = await cli('baseline', 'list', '--store', store);
    expect(list.stdout).toMatch(/^main {2}3 runs, 3 series, newest \d{4}-\d\d-\d\dT.*Z, keeps the last 10 runs\n$/);
    const show = await cli('baseline', 'show', 'main', '--store', store);
    expect(show.stdout).toContain('series matched without tags run, pid, host');
    expect(show.stdout).toMatch(
      /http_req_duration\{scenario=checkout\} {2}p50 [\d.]+ ms {2}p95 [\d.]+ ms {2}p99 [\d.]+ ms/,
    );
    expect(show.stdout).toMatch(/process_heap_used_bytes\{scenario=checkout\} {2}floor [\d.]+ MB {2}slope .+\/h/);

    const compared = await cli('compare', '--baseline', 'main', '--store', store, ...next, '--format', 'json');
    expect(compared.code).toBe(0);
    const rows = (JSON.parse(compared.stdout) as { rows: Row[] }).rows;
    const p50 = rows.find((r) => r.series === 'http_req_duration{scenario=checkout}' && r.stat === 'p50');
    expect(p50?.regression).toBe(true);
    expect(p50?.runs).toEqual([3, 3]);
    // The baseline's own runs against it: nothing regresses.
    const same = await cli('compare', '--baseline', 'main', '--store', store, ...base, '--fail-on', 'regression');
    expect(same.code).toBe(0);
  });

  it('keeps the newest runs, weighs older ones by a half-life, and survives export and import', async () => {
    const store = path('store2');
    await cli('baseline', 'save', base[0] as string, '--name', 'nightly', '--store', store, '--keep', '2');
    await cli(
      'baseline',
      'save',
      base[1] as string,
      base[2] as string,
      '--name',
      'nightly',
      '--store',
      store,
      '--half-life',
      '1',
    );
    const show = (await cli('baseline', 'show', 'nightly', '--store', store)).stdout;
    expect(show).toContain('2 runs, keeps the last 2 runs, half-life 1 runs');
    expect(show).not.toContain('base0-samples');
    expect(show).toMatch(/base1-samples-000001\.avro {2}\d+ samples {2}weight 0\.500/);
    expect(show).toMatch(/base2-samples-000001\.avro {2}\d+ samples {2}weight 1\.000/);

    const file = path('nightly.json');
    expect((await cli('baseline', 'export', 'nightly', '-o', file, '--store', store)).code).toBe(0);
    const other = path('store3');
    const imported = await cli('baseline', 'import', file, '--store', other);
    expect(imported.stdout).toBe(`imported baseline "nightly" (2 runs) into ${other}\n`);
    expect((await cli('baseline', 'show', 'nightly', '--store', other)).stdout).toBe(show.replace(store, other));
    const again = await cli('baseline', 'import', file, '--store', other);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(
      `error: baseline "nightly" exists in ${other}: --as gives the import another name, or delete it first\n`,
    );
    expect((await cli('baseline', 'delete', 'nightly', '--store', other)).stdout).toBe(
      `deleted baseline "nightly" from ${other}\n`,
    );
    expect((await cli('baseline', 'list', '--store', other)).stdout).toBe(`no baselines in ${other}\n`);
  });

  it('refuses a baseline from another environment, naming the differences, unless told to compare anyway', async () => {
    const store = path('store4');
    await cli('baseline', 'save', ...base, '--name', 'main', '--store', store);
    const file = path('elsewhere.json');
    await cli('baseline', 'export', 'main', '-o', file, '--store', store);
    const document = JSON.parse(readFileSync(file, 'utf8')) as {
      runs: { environment: { cores: number; node: string } }[];
    };
    for (const run of document.runs) {
      run.environment.cores = 96;
      run.environment.node = 'v18.0.0';
    }
    writeFileSync(file, JSON.stringify(document));
    await cli('baseline', 'import', file, '--as', 'elsewhere', '--store', store);
    const refused = await cli('compare', '--baseline', 'elsewhere', '--store', store, ...next);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /^error: baseline "elsewhere" was measured in another environment: cores: 96 there, \d+ here; Node\.js: v18\.0\.0 there, v\d+\.\d+\.\d+ here \(--allow-env-mismatch compares anyway\)\n$/,
    );
    const anyway = await cli('compare', '--baseline', 'elsewhere', '--store', store, ...next, '--allow-env-mismatch');
    expect(anyway.code).toBe(0);
    // Saving this machine's runs into it is refused the same way.
    const mixed = await cli('baseline', 'save', base[0] as string, '--name', 'elsewhere', '--store', store);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('baseline "elsewhere" was saved in another environment (cores: 96 there');
  });

  it('names what is wrong: no such baseline, not a baseline, a bad name, --against with --baseline', async () => {
    const store = path('store5');
    await cli('baseline', 'save', base[0] as string, '--name', 'main', '--store', store);
    const missing = await cli('compare', '--baseline', 'nope', '--store', store, next[0] as string);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `error: no baseline "nope" in ${store} (it holds main; \`soakstream baseline save\` makes one)\n`,
    );
    writeFileSync(path('junk.json'), '{"version": 1, "name": "x", "runs": 3}');
    const junk = await cli('baseline', 'import', path('junk.json'), '--store', store);
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/^error: .*junk\.json: not a soakstream baseline: /);
    writeFileSync(path('old.json'), '{"version": 7}');
    expect((await cli('baseline', 'import', path('old.json'), '--store', store)).stderr).toMatch(
      /not a soakstream baseline of version 1 \(version 7\)/,
    );
    const badName = await cli('baseline', 'save', base[0] as string, '--name', '../x', '--store', store);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/^error: baseline name "\.\.\/x": use letters, digits/);
    const both = await cli('compare', '--baseline', 'main', next[0] as string, '--against', next[1] as string);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe(
      'error: compare: --baseline takes the place of the base runs; give the new runs without --against\n',
    );
  });
});

describe('a regression rule against a saved baseline (reference: {type: stored, baseline})', () => {
  const path = useTempDirectory({ perSuite: true });
  const { base, next } = useRunRecordings(path);

  it('finds a build that is slower from its first minutes, which the initial reference cannot see', async () => {
    const store = path('store');
    await cli('baseline', 'save', base[0] as string, base[1] as string, '--name', 'main', '--store', store);
    const rules = path('stored.yaml');
    writeFileSync(
      rules,
      'version: 1\nrules:\n  - name: latency-regression\n' +
        `    reference: { type: stored, baseline: main, store: ${store} }\n`,
    );
    const slower = await cli('replay', next[0] as string, '--rules', rules, '--fail-on', 'any');
    expect(slower.code).toBe(1);
    const fired = slower.stdout.match(/- latency-regression on http_req_duration\{[^}]*\} since 2026-01-01T00:(\d\d):/);
    expect(fired).not.toBeNull();
    // Within the first 10 of the run's 20 minutes.
    expect(Number(fired?.[1])).toBeLessThan(10);
    // A third run of the base build passes against it, and the slower build alone raises no
    // latency regression with the default (initial) reference: it is slower from its start.
    const same = await cli('replay', base[2] as string, '--rules', rules, '--fail-on', 'none');
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/replayed [\d,]+ samples of 3 series/);
    expect(same.stdout).not.toContain('latency-regression on');
    const initial = await cli('replay', next[0] as string, '--fail-on', 'none');
    expect(initial.stdout).not.toContain('latency-regression on http_req_duration');
  });

  it('names a baseline that is not there, at the rule, when the rules are read', async () => {
    const rules = path('missing.yaml');
    writeFileSync(
      rules,
      'version: 1\nrules:\n  - name: latency-regression\n' +
        `    reference: { type: stored, baseline: gone, store: ${path('empty')} }\n`,
    );
    const run = await cli('validate', rules);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `rule latency-regression: reference: no baseline "gone" in ${path('empty')} ` +
        '(`soakstream baseline save` makes one)',
    );
  });
});
