import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CompareRow } from '../../src/run/compare.js';
import { cli } from '../support/cli.js';
import { START, useRunRecordings } from '../support/runRecordings.js';
import { useTempDirectory } from '../support/tempDirectory.js';

/** A run of a Go-style benchmark: one metric, each run two equal samples of its ns/op. */
function benchmarkRun(path: string, value: number): string {
  const lines = [0, 1].map((i) =>
    JSON.stringify({ ts: START + i * 1_000_000, metric: 'encode_ns_per_op', value, tags: {} }),
  );
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

type JsonRow = Pick<CompareRow, 'series' | 'stat' | 'change' | 'ciLow' | 'ciHigh' | 'p' | 'verdict' | 'regression'>;

describe('soakstream compare, on recordings soakstream wrote', () => {
  const path = useTempDirectory({ perSuite: true });
  const { base, next } = useRunRecordings(path);

  it('finds the latency regression and the leak, and no change in the error rate', async () => {
    const run = await cli('compare', ...base, '--against', ...next, '--format', 'json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout) as { version: number; rows: JsonRow[]; geomean: { change: number } };
    expect(document.version).toBe(1);
    const row = (metric: string, stat: string): JsonRow => {
      const found = document.rows.find((r) => r.series.startsWith(`${metric}{`) && r.stat === stat);
      if (found === undefined) throw new Error(`no ${metric} ${stat} row in ${run.stdout}`);
      return found;
    };
    // Series are matched without the per-run tag: one series per metric.
    expect(new Set(document.rows.map((r) => r.series))).toEqual(
      new Set([
        'http_req_duration{scenario=checkout}',
        'process_heap_used_bytes{scenario=checkout}',
        'http_req_failed{scenario=checkout}',
      ]),
    );
    const p50 = row('http_req_duration', 'p50');
    expect(p50.regression).toBe(true);
    expect(p50.ciLow as number).toBeLessThan(0.1);
    expect(p50.ciHigh as number).toBeGreaterThan(0.1);
    expect(p50.verdict).toMatch(/^\+\d+\.\d\d%$/);
    const slope = row('process_heap_used_bytes', 'slope');
    expect(slope.regression).toBe(true);
    // 60 MB/h of leak against none: the slope's change is about 6·10⁷ bytes per hour.
    expect(slope.change).toBeGreaterThan(3e7);
    expect(slope.change).toBeLessThan(9e7);
    const errors = row('http_req_failed', 'rate');
    expect(errors.verdict).toBe('~');
    expect(errors.regression).toBe(false);
  });

  it('fails a CI gate on a significant regression beyond the threshold, and passes runs of one build', async () => {
    const failing = await cli('compare', ...base, '--against', ...next, '--fail-on', 'regression', '--threshold', '5%');
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/^result: FAIL \(\d+ significant regressions?; --fail-on regression\)\n$/);
    const same = await cli(
      'compare',
      base[0] as string,
      base[1] as string,
      '--against',
      base[2] as string,
      '--fail-on',
      'regression',
    );
    expect(same.stderr).toBe('');
    expect(same.code).toBe(0);
    expect(same.stdout).not.toMatch(/ !/);
  });

  it('prints an aligned text table with a geomean row, Markdown for a pull request, and CSV', async () => {
    const text = await cli('compare', base[0] as string, next[0] as string);
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(/^series\s+stat\s+base\s+new\s+change\s+95% CI\s+p\s+runs$/);
    expect(lines.some((line) => /^geomean\s/.test(line))).toBe(true);
    // Columns line up: every row of the table has the header's width or less, "new" ends in one column.
    const table = lines.slice(0, lines.indexOf(''));
    const newEnd = (lines[0] as string).indexOf('new') + 3;
    for (const line of table.slice(1, -1)) expect(line.slice(newEnd - 1, newEnd)).not.toBe(' ');
    const markdown = await cli('compare', base[0] as string, next[0] as string, '--format', 'markdown');
    expect(markdown.stdout.split('\n')[0]).toBe('| series | stat | base | new | change | 95% CI | p | runs |');
    expect(markdown.stdout).toMatch(/\*\*\+\d+\.\d\d% !\*\*/);
    const csv = await cli('compare', base[0] as string, next[0] as string, '--format', 'csv');
    expect(csv.stdout.split('\n')[0]).toBe(
      'series,metric,kind,stat,unit,scale,base,new,change,ciLow,ciHigh,p,verdict,regression',
    );
  });

  it('drops a fixed warm-up with --skip, and MSER-5 by default', async () => {
    const skipped = JSON.parse(
      (await cli('compare', base[0] as string, next[0] as string, '--format', 'json', '--skip', '5m')).stdout,
    ) as {
      samples: { base: number };
      dropped: { base: number };
    };
    // 5 of 20 minutes of every series: a quarter of the samples.
    expect(skipped.dropped.base / skipped.samples.base).toBeCloseTo(0.25, 2);
    const none = JSON.parse(
      (await cli('compare', base[0] as string, next[0] as string, '--format', 'json', '--skip', '0')).stdout,
    ) as {
      dropped: { base: number };
    };
    expect(none.dropped.base).toBe(0);
  });
});

describe('soakstream compare against benchstat', () => {
  const path = useTempDirectory({ perSuite: true });
  const BASE = [13.6, 13.7, 13.5, 13.8];
  const NEXT = [11.8, 11.9, 11.7, 11.8, 11.9];

  it("gives benchstat's figures with --method utest: medians, and the exact U test over runs", async () => {
    const base = BASE.map((v, i) => benchmarkRun(path(`base${i}.ndjson`), v));
    const next = NEXT.map((v, i) => benchmarkRun(path(`new${i}.ndjson`), v));
    const run = await cli(
      'compare',
      ...base,
      '--against',
      ...next,
      '--method',
      'utest',
      '--alpha',
      '0.05',
      '--format',
      'json',
    );
    expect(run.code).toBe(0);
    const [row] = (JSON.parse(run.stdout) as { rows: JsonRow[] }).rows;
    // benchstat's method by hand: medians 13.65 and 11.8, change 11.8/13.65 − 1 = −13.55%; the four
    // base runs all above the five new ones: U = 0, exact two-sided p = 2/C(9,4) = 2/126 = 0.0159.
    expect(row?.change).toBeCloseTo(11.8 / 13.65 - 1, 12);
    expect(row?.p).toBeCloseTo(2 / 126, 12);
    expect(row?.verdict).toBe('−13.55%');
    // The default method on the same runs is Welch's test of their logarithms (scipy: p 7.04e−7).
    const welch = JSON.parse((await cli('compare', ...base, '--against', ...next, '--format', 'json')).stdout) as {
      rows: JsonRow[];
    };
    expect(welch.rows[0]?.p).toBeCloseTo(7.043777074010145e-7, 12);
    expect(welch.rows[0]?.change).toBeCloseTo(-0.13405426565264628, 12);
  });
});

describe('soakstream compare, bad input', () => {
  const path = useTempDirectory();

  it('names an empty run, a missing file, and runs with no series in common', async () => {
    const good = benchmarkRun(path('good.ndjson'), 5);
    writeFileSync(path('empty.ndjson'), '');
    const empty = await cli('compare', good, path('empty.ndjson'));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe(`error: ${path('empty.ndjson')}: no samples: an empty run cannot be compared\n`);
    const missing = await cli('compare', good, path('nowhere.avro'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${path('nowhere.avro')}: cannot read the file: no such file`);
    writeFileSync(
      path('other.ndjson'),
      `${JSON.stringify({ ts: START, metric: 'other_metric', value: 1, tags: {} })}\n`,
    );
    const disjoint = await cli('compare', good, path('other.ndjson'));
    expect(disjoint.code).toBe(2);
    expect(disjoint.stderr).toMatch(/no series in common: base has encode_ns_per_op; new has other_metric/);
  });

  it('refuses wrong flags in one line, exit 2', async () => {
    const good = benchmarkRun(path('good.ndjson'), 5);
    for (const [args, message] of [
      [[good], 'compare: give two files (base new), or the base runs and --against the new runs; got 1'],
      [[good, good, '--format', 'xml'], '--format: expected text, markdown, json, csv, got "xml"'],
      [[good, good, '--skip', 'soon'], '--skip: expected a duration such as 2m, "auto" or 0, got "soon"'],
      [[good, good, '--threshold', '5'], '--threshold: expected a percentage such as 5%, got "5"'],
      [[good, good, '--alpha', '2'], '--alpha: expected a number between 0 and 1, got "2"'],
      [[good, good, '--method', 'ttest'], '--method: expected "welch" or "utest", got "ttest"'],
      [[good, good, '--fail-on', 'any'], '--fail-on: expected "regression" or "none", got "any"'],
    ] as const) {
      const run = await cli('compare', ...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toBe(`error: ${message}\n`);
    }
  });
});
