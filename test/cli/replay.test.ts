import { fileURLToPath } from 'node:url';
import { copyFileSync, existsSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { freePort } from '../support/net.js';
import { tmpfsSkipReason, useTmpfs } from '../support/tmpfs.js';
import { collectAll, replayAlerts } from '../support/collect.js';
import type { Alert } from '../../src/model/alert.js';
import { readRecording } from '../../src/model/readRecording.js';
import { checksumsPath, RecordingWriter } from '../../src/model/recordingWriter.js';
import type { Sample } from '../../src/model/sample.js';
import type { Stat } from '../../src/model/stat.js';
import { useTempDirectory } from '../support/tempDirectory.js';
import { formatNdjson } from '../../src/model/ndjson.js';
import { faultSoakSamples } from '../support/faultSoak.js';

/** The end of a sink's one-line error on a full disk (what it did not store may follow). */
const NO_SPACE = 'no space left on device \\(ENOSPC\\)(; [\\d,]+ records not stored)?';

const STEP_LEAK = 'test/fixtures/soak-step-leak.avro';
const NO_CHANGE = 'test/fixtures/soak-no-change.avro';
const TAXI = 'test/fixtures/nab_nyc_taxi_head.csv';
const STAT_FIELDS = [
  'ts',
  'windowStart',
  'series',
  'metric',
  'tags',
  'metricKind',
  'n',
  'min',
  'max',
  'mean',
  'stdev',
  'median',
  'mad',
  'p50',
  'p90',
  'p95',
  'p99',
];

const lines = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '');
const readNdjson = <T>(path: string): T[] => lines(readFileSync(path, 'utf8')).map((line) => JSON.parse(line) as T);
const firingLines = (stdout: string): string[] => lines(stdout).filter((line) => / FIRING /.test(line));

const alertsInProcess = async (path: string): Promise<Alert[]> => (await replayAlerts(path)).alerts;

describe('soakstream replay', () => {
  const tempPath = useTempDirectory();

  it('runs the anomaly rule on metrics of no kind, on all with --preset anomaly, names a wrong preset', async () => {
    // 3,000 five-minute samples of noise around 100, then a level shift to 112.
    const random = (i: number): number =>
      Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453);
    const rows = Array.from({ length: 3200 }, (_, i) => {
      const stamp = new Date(Date.UTC(2026, 0, 1) + i * 300_000).toISOString().replace('T', ' ').slice(0, 19);
      return `${stamp},${(100 + 6 * (random(i) - 0.5) + (i >= 3000 ? 12 : 0)).toFixed(3)}`;
    });
    const csv = tempPath('cpu.csv');
    writeFileSync(csv, `timestamp,value\n${rows.join('\n')}\n`);
    // `cpu_busy` is of no known kind: the default rules give it the generic anomaly rule.
    const plain = await cli('replay', csv, '--metric', 'cpu_busy');
    const firing = firingLines(plain.stdout);
    expect(firing).toHaveLength(1);
    expect(firing[0]).toMatch(/^2026-01-11T\d\d:\d\d:\d\dZ FIRING {3}warning {2}anomaly {2}cpu_busy: anomaly, /);
    // In ms it is a latency, which the default rules judge by regression, not as an anomaly...
    const latency = await cli('replay', csv, '--metric', 'cpu_busy', '--unit', 'ms');
    expect(firingLines(latency.stdout).filter((line) => / anomaly /.test(line))).toEqual([]);
    // ...unless the anomaly preset runs on every metric.
    const preset = await cli('replay', csv, '--metric', 'cpu_busy', '--unit', 'ms', '--preset', 'anomaly');
    expect(firingLines(preset.stdout).map((line) => line.replace(/: anomaly, .*/, ''))).toEqual(
      firing.map((line) => line.replace(/: anomaly, .*/, '')),
    );
    const rules = tempPath('anomaly.yaml');
    writeFileSync(rules, 'preset: anomaly\n');
    const fromFile = await cli('replay', csv, '--metric', 'cpu_busy', '--unit', 'ms', '--rules', rules);
    expect(firingLines(fromFile.stdout)).toEqual(firingLines(preset.stdout));
    const wrong = await cli('replay', csv, '--metric', 'cpu_busy', '--preset', 'anomalies');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--preset: expected "soak" or "anomaly", got "anomalies"');
    for (const command of ['run', 'report', 'test'])
      expect((await cli(command, '--help')).stdout).toContain('--preset <name>');
  });

  it('writes every detector event with --events-out, typed, as the in-process analysis finds them', async () => {
    const eventsOut = tempPath('events.ndjson');
    const rules = tempPath('outliers.yaml');
    writeFileSync(
      rules,
      'rules:\n  - name: spikes\n    detector: outlier\n    threshold: 6\n    match: { metric: http_req_duration }\n',
    );
    const run = await cli('replay', STEP_LEAK, '--rules', rules, '--events-out', eventsOut, '--quiet');
    expect(run.code).toBe(1);
    const written = readNdjson<{ type: string; ts: number; onset?: number }>(eventsOut);
    const samples = await collectAll(readRecording(STEP_LEAK));
    const expected: unknown[] = [];
    const { loadRules } = await import('../../src/config/loadRules.js');
    const { runAnalysis } = await import('../../src/analysis/runAnalysis.js');
    runAnalysis(samples, {
      rules: await loadRules(rules),
      onEvent: (event) => {
        if (event.type === 'stat' || event.type === 'alert' || event.type === 'diagnostic') return;
        const { type, ...rest } = event;
        expected.push({ type, ...Object.values(rest)[0] });
      },
    });
    expect(written).toEqual(JSON.parse(JSON.stringify(expected)));
    const types = new Set(written.map((event) => event.type));
    for (const type of ['changepoint', 'leak', 'regression', 'outlier']) expect(types).toContain(type);
    // Change points carry the time they were detected and, before it, their estimated onset.
    for (const point of written.filter((event) => event.type === 'changepoint'))
      expect(point.onset).toBeLessThanOrEqual(point.ts);
  });

  it('writes the course of every fault with --events-out: start, end and verdict, as the analysis has it', async () => {
    const input = tempPath('faults.ndjson');
    const samples = faultSoakSamples(1_767_225_600_000_000, { scenario: 'checkout' });
    writeFileSync(input, `${samples.map((sample) => formatNdjson(sample)).join('\n')}\n`);
    const eventsOut = tempPath('fault-events.ndjson');
    const run = await cli('replay', input, '--events-out', eventsOut, '--quiet');
    // slow-network is not recovered: its alert is firing at the end.
    expect(run.code).toBe(1);
    const written = readNdjson<{ type: string; fault?: string; phase?: string }>(eventsOut).filter(
      (event) => event.type === 'recovery',
    );
    const expected: unknown[] = [];
    const { runAnalysis } = await import('../../src/analysis/runAnalysis.js');
    runAnalysis(samples, {
      onEvent: (event) => event.type === 'recovery' && expected.push({ type: event.type, ...event.recovery }),
    });
    expect(written).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(written.map((event) => `${event.fault} ${event.phase}`)).toEqual([
      'kill-target start',
      'kill-target end',
      'kill-target recovered',
      'slow-network start',
      'slow-network end',
      'slow-network not-recovered',
    ]);
  });

  it(
    'prints FIRING lines for the latency step and the heap leak, writes alerts and stats as NDJSON, ' +
      'and exits 1 as alerts are still firing at the end (the default --fail-on firing)',
    async () => {
      const alertsOut = tempPath('alerts.ndjson');
      const statsOut = tempPath('stats.ndjson');
      const run = await cli('replay', STEP_LEAK, '--alerts-out', alertsOut, '--stats-out', statsOut);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^result: FAIL \(2 alerts firing at the end; --fail-on firing\)$/m);

      const firing = firingLines(run.stdout);
      expect(firing).toHaveLength(2);
      expect(firing[0]).toMatch(
        /^2026-01-01T\d\d:\d\d:\d\dZ FIRING {3}critical latency-regression {2}http_req_duration\{scenario=golden,service=checkout\}: median [\d.]+ ms over the last \d+m vs [\d.]+ ms baseline/,
      );
      expect(firing[1]).toMatch(
        /^2026-01-01T\d\d:\d\d:\d\dZ FIRING {3}critical memory-leak {2}process_heap_used_bytes\{scenario=golden,service=checkout\}: post-GC floor grows [\d.]+ MB\/h/,
      );
      expect(run.stdout).toContain('replayed 21,600 samples of 2 series: 2 alerts fired, 2 still firing at the end');

      // Every alert transition, identical to the in-process analysis of the same recording.
      const written = readNdjson<Alert>(alertsOut);
      const expected = await alertsInProcess(fileURLToPath(new URL(`../../${STEP_LEAK}`, import.meta.url)));
      const firingIds = (alerts: readonly Alert[]): string[] =>
        alerts.filter((a) => a.state === 'firing').map((a) => a.id);
      expect(firingIds(written)).toHaveLength(2);
      expect(firingIds(written)).toEqual(firingIds(expected));
      expect(written).toEqual(JSON.parse(JSON.stringify(expected)));
      for (const id of firingIds(written)) expect(run.stdout).toContain(`(id ${id})`);

      // A Stat every 10 s per series, with every field.
      const stats = readNdjson<Stat>(statsOut);
      expect(new Set(stats.map((s) => s.series))).toEqual(
        new Set([
          'http_req_duration{scenario=golden,service=checkout}',
          'process_heap_used_bytes{scenario=golden,service=checkout}',
        ]),
      );
      expect(stats.length).toBeGreaterThanOrEqual(2 * 700);
      for (const stat of stats) {
        expect(Object.keys(stat).sort()).toEqual([...STAT_FIELDS].sort());
        for (const field of STAT_FIELDS)
          if (field !== 'series' && field !== 'metric' && field !== 'tags' && field !== 'metricKind')
            expect(Number.isFinite(stat[field as keyof Stat])).toBe(true);
        expect(['latency', 'memory']).toContain(stat.metricKind);
        expect(stat.tags).toEqual({ scenario: 'golden', service: 'checkout' });
        expect(stat.min).toBeLessThanOrEqual(stat.p50);
        expect(stat.p99).toBeLessThanOrEqual(stat.max);
        expect(stat.windowStart).toBeLessThanOrEqual(stat.ts);
      }
    },
  );

  it(
    'exits 1 with --fail-on firing when alerts are still firing at the end, ' +
      'and prints only the summary with --quiet',
    async () => {
      const run = await cli('replay', STEP_LEAK, '--fail-on', 'firing', '--quiet');
      expect(run.code).toBe(1);
      expect(firingLines(run.stdout)).toEqual([]);
      expect(run.stdout).toContain('2 alerts fired, 2 still firing at the end');
      expect(run.stdout).not.toMatch(/^ {2}- /m);
      expect(run.stdout).toContain('without --quiet each alert is listed');
      expect(run.stdout).toMatch(/^result: FAIL /m);
      // Without --quiet, each alert that fired is listed.
      const listed = await cli('replay', STEP_LEAK, '--fail-on', 'firing');
      expect(listed.stdout).toMatch(
        /- latency-regression on http_req_duration\{scenario=golden,service=checkout\} since 2026-01-01T/,
      );
      expect(listed.stdout).toMatch(
        /- memory-leak on process_heap_used_bytes\{scenario=golden,service=checkout\} since 2026-01-01T/,
      );
    },
  );

  it('says how many samples the series limit turned away, and the first series it turned away', async () => {
    const samples = tempPath('thirty-series.ndjson');
    const text = Array.from({ length: 600 }, (_, i) =>
      formatNdjson({
        ts: 1_767_225_600_000_000 + i * 1_000_000,
        metric: 'm',
        value: 1,
        tags: { k: `s${10 + (i % 30)}` },
      }),
    );
    writeFileSync(samples, `${text.join('\n')}\n`);
    const rules = tempPath('ten-series.yaml');
    writeFileSync(rules, 'version: 1\nmaxSeries: 10\n');
    const run = await cli('replay', samples, '--rules', rules, '--quiet');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('replayed 600 samples of 10 series');
    expect(lines(run.stdout)).toContain(
      'warning: 400 samples of series past the series limit of 10 not analysed (first: m{k=s20})',
    );
  });

  it('quarantines one sample dated 2200 instead of dropping every later sample as late, and says so', async () => {
    // 1,200 samples a second apart with a 10x latency step at 10 minutes; one sample from a bad clock at 5 minutes.
    const t0 = 1_767_225_600_000_000;
    const records = Array.from({ length: 1_200 }, (_, i) => ({
      ts: t0 + i * 1_000_000,
      metric: 'http_req_duration',
      unit: 'ms',
      value: (i < 600 ? 10 : 100) + (i % 5),
      tags: { service: 'api' },
    }));
    records.splice(300, 0, { ...records[300]!, ts: Date.UTC(2200, 0, 1) * 1000, tags: { service: 'skewed' } });
    const samples = tempPath('bad-clock.ndjson');
    writeFileSync(samples, `${records.map((r) => formatNdjson(r)).join('\n')}\n`);
    const summaryOut = tempPath('summary.json');
    const run = await cli('replay', samples, '--quiet', '--summary-out', summaryOut);
    expect(run.code, run.stdout).toBe(1); // the regression is still firing at the end
    const document = JSON.parse(readFileSync(summaryOut, 'utf8')) as Record<string, unknown>;
    expect(document).toMatchObject({
      version: 2,
      command: 'replay',
      result: 'FAIL',
      exitCode: 1,
      reasons: ['1 alert firing at the end'],
      samples: 1_201,
      series: 1,
      notAnalysed: {
        quarantined: { samples: 1, series: 1, first: 'http_req_duration{service=skewed}', limit: 3_600_000_000 },
      },
      alerts: {
        firingAtEnd: 1,
        fired: [expect.objectContaining({ rule: 'latency-regression', state: 'firing', firingAtEnd: true })],
      },
    });
    expect(run.stdout).toContain('replayed 1,201 samples of 1 series');
    expect(run.stdout).not.toMatch(/late samples? dropped/);
    expect(lines(run.stdout)).toContain(
      'warning: 1 sample quarantined, not analysed: more than 1h ahead of event time ' +
        '(http_req_duration{service=skewed})',
    );
    expect(run.stdout).toContain('without --quiet each alert is listed');
  });

  it('writes --summary-out as ERROR with the exit code and the one-line error when the input is bad', async () => {
    const bad = tempPath('bad.ndjson');
    writeFileSync(bad, '{"ts":1,"metric":"m","value":1}\n{"ts":2,"metric":"m","value":"x"}\n');
    const summaryOut = tempPath('error-summary.json');
    const run = await cli('replay', bad, '--summary-out', summaryOut);
    expect(run.code).toBe(2);
    expect(JSON.parse(readFileSync(summaryOut, 'utf8'))).toMatchObject({
      command: 'replay',
      result: 'ERROR',
      exitCode: 2,
      error: expect.stringContaining('bad.ndjson:2: value must be a finite number, got "x"'),
    });
    const nowhere = await cli('replay', bad, '--summary-out', tempPath('no/such/dir/summary.json'));
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/^error: --summary-out/);
  });

  it('a block that fails its checksum is skipped and named; the report of the intact blocks is written', async () => {
    const file = tempPath('checked.avro');
    const writer = await RecordingWriter.open(file, { codec: 'null', blockSize: 4096 });
    for (let i = 0; i < 3_000; i++)
      await writer.write({ ts: 1_767_225_600_000_000 + i * 1_000_000, metric: 'm', value: i % 17, tags: {} });
    await writer.close();
    const sums = readFileSync(checksumsPath(file), 'utf8').trim().split('\n');
    const bad = JSON.parse(sums[3] as string) as { offset: number; count: number };
    const bytes = readFileSync(file);
    bytes[bad.offset + 30] = (bytes[bad.offset + 30] as number) ^ 0x04;
    writeFileSync(file, bytes);
    const html = tempPath('checked.html');
    const summaryOut = tempPath('checked-summary.json');
    const run = await cli('report', file, '-o', html, '--summary-out', summaryOut);
    expect(run.code).toBe(2);
    // The summary of what was analysed, with the error that ended the command.
    expect(JSON.parse(readFileSync(summaryOut, 'utf8'))).toMatchObject({
      result: 'ERROR',
      exitCode: 2,
      samples: 3_000 - bad.count,
      error: expect.stringContaining('failed its checksum'),
    });
    expect(run.stderr).toBe(
      `error: ${file}: 1 block of ${bad.count} records failed its checksum and was skipped (byte ${bad.offset}); ` +
        `${(3_000 - bad.count).toLocaleString('en-US')} intact records were read\n`,
    );
    expect(existsSync(html)).toBe(true);
  });

  it('push to an InfluxDB that is down says so while it retries, then ends with exit 3', async () => {
    const scenario = tempPath('push-down.yaml');
    const port = await freePort(); // nothing listens there
    writeFileSync(
      scenario,
      `version: 1\nname: push\nsinks:\n  influx: { url: "http://u:hunter2@127.0.0.1:${port}", retryFor: 3s }\n`,
    );
    const run = await cli('push', STEP_LEAK, '--scenario', scenario);
    expect(run.code).toBe(3);
    // It printed nothing until its retries ran out before.
    expect(run.stderr).toMatch(
      new RegExp(
        `^influxdb at http://u:\\*\\*\\*@127\\.0\\.0\\.1:${port} is not storing \\(.*\\); retrying for up to 3 s`,
        'm',
      ),
    );
    expect(run.stderr).not.toContain('hunter2');
  });

  it('fires nothing on the recording without a change, even with --fail-on any', async () => {
    const run = await cli('replay', NO_CHANGE, '--fail-on', 'any');
    expect(run.code).toBe(0);
    expect(firingLines(run.stdout)).toEqual([]);
    expect(run.stdout).toContain('replayed 21,600 samples of 2 series: 0 alerts fired, 0 still firing at the end');
  });

  it('processes the intact samples of a truncated recording, then names the file and exits 2', async () => {
    const cut = tempPath('cut.avro');
    const alertsOut = tempPath('alerts.ndjson');
    const statsOut = tempPath('stats.ndjson');
    copyFileSync(fileURLToPath(new URL(`../../${STEP_LEAK}`, import.meta.url)), cut);
    truncateSync(cut, Math.floor(statSync(cut).size / 2));

    const run = await cli('replay', cut, '--alerts-out', alertsOut, '--stats-out', statsOut);
    expect(run.code).toBe(2);
    const message = /error: (.+) is corrupt after (\d+) records/.exec(run.stderr);
    expect(message?.[1]).toBe(cut);
    const intact = Number(message?.[2]);
    expect(intact).toBeGreaterThan(0);
    expect(intact).toBeLessThan(21_600);

    // What was analysed before the cut is exactly what the full recording gives up to there.
    const written = readNdjson<Alert>(alertsOut);
    const full = JSON.parse(
      JSON.stringify(await alertsInProcess(fileURLToPath(new URL(`../../${STEP_LEAK}`, import.meta.url)))),
    ) as Alert[];
    expect(written.length).toBeGreaterThan(0);
    expect(written).toEqual(full.slice(0, written.length));
    expect(firingLines(run.stdout)).toHaveLength(written.filter((a) => a.state === 'firing').length);

    const samples = await collectAll(readRecording(fileURLToPath(new URL(`../../${STEP_LEAK}`, import.meta.url))));
    const lastIntact = (samples[intact - 1] as Sample).ts;
    const stats = readNdjson<Stat>(statsOut);
    const lastStat = Math.max(...stats.map((s) => s.ts));
    expect(lastStat).toBeLessThanOrEqual(lastIntact);
    expect(lastStat).toBeGreaterThan(lastIntact - 20_000_000);
  });

  it('exits 2 and lists every problem of a rules file with errors', async () => {
    const rules = tempPath('rules.yaml');
    writeFileSync(
      rules,
      [
        'stats:',
        '  window: forever',
        'rules:',
        '  - name: latency-regression',
        '    detector: regression',
        '    direction: sideways',
        '  - name: p95',
        '    detector: threshold',
        '    stat: p95',
        '    tresholds: 3',
        '  - name: p95',
        '    detector: threshold',
        '    stat: p99',
        '  - name: ghost',
        '    enabled: false',
        '',
      ].join('\n'),
    );
    const run = await cli('replay', STEP_LEAK, '--rules', rules);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: ${rules}: invalid rules (5 problems)`);
    for (const problem of [
      '  - stats.window: expected a duration like "60s" or a sample count like 1024, got "forever"',
      '  - rules[0].direction: expected "up" | "down", got "sideways"',
      '  - rules[1].tresholds: unknown field',
      '  - rules[2].name: rule "p95" is defined twice',
      '  - rules[3].name: no rule named "ghost" to disable',
    ]) {
      expect(run.stderr).toContain(problem);
    }
    expect(run.stdout).toBe('');
  });

  it('exits 2 on a rules file with YAML syntax errors, naming the line', async () => {
    const rules = tempPath('rules.yaml');
    writeFileSync(rules, 'rules:\n  - name: x\n   detector: [\n');
    const run = await cli('replay', STEP_LEAK, '--rules', rules);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${rules}: invalid YAML`);
    expect(run.stderr).toMatch(/at line \d+, column \d+/);
  });

  it('replays with the example rules file', async () => {
    const run = await cli('replay', STEP_LEAK, '--rules', 'examples/rules.yaml', '--fail-on', 'none');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('result: FAIL');
    expect(run.stdout).toMatch(/- latency-regression on http_req_duration/);
    expect(run.stdout).toMatch(/- memory-leak on process_heap_used_bytes/);
  });

  it('exits 2 on a file type it does not know', async () => {
    const run = await cli('replay', 'test/fixtures/soak-step-leak.json');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('test/fixtures/soak-step-leak.json: unknown file type ".json"');
  });

  it('exits 2 with one line naming a file it cannot read, before reading any other', async () => {
    const run = await cli('replay', STEP_LEAK, 'no/such/recording.avro');
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('error: no/such/recording.avro: cannot read the file: no such file');
    expect(run.stdout).toBe('');
  });

  it('needs --metric for CSV input and replays it with one', async () => {
    const without = await cli('replay', TAXI);
    expect(without.code).toBe(2);
    expect(without.stderr).toContain(`${TAXI}: a CSV file holds only timestamp,value`);
    expect(without.stderr).toContain('--metric');

    const statsOut = tempPath('stats.ndjson');
    const run = await cli(
      'replay',
      TAXI,
      '--metric',
      'nyc_taxi_passengers',
      '--tag',
      'city=nyc',
      '--tag',
      'source=nab',
      '--unit',
      'passengers',
      '--stats-out',
      statsOut,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('replayed 50 samples of 1 series: 0 alerts fired');
    const stats = readNdjson<Stat>(statsOut);
    expect(stats.length).toBeGreaterThan(0);
    expect(stats[0]).toMatchObject({
      series: 'nyc_taxi_passengers{city=nyc,source=nab}',
      metric: 'nyc_taxi_passengers',
      tags: { city: 'nyc', source: 'nab' },
    });
    // Samples every 30 minutes: the 60 s window is stretched to hold 10 of them (300 min), the 10 s
    // hop to one interval (30 min, aligned to the epoch: the first boundary is 00:30).
    expect(stats[0]?.ts).toBe(Date.UTC(2014, 6, 1) * 1000 + 30 * 60_000_000);
    expect(stats[0]?.max).toBe(10844);
    expect(stats.at(-1)?.n).toBe(10);
  });

  it('exits 2 on usage errors', async () => {
    const failOn = await cli('replay', STEP_LEAK, '--fail-on', 'sometimes');
    expect(failOn.code).toBe(2);
    expect(failOn.stderr.trim()).toBe('error: --fail-on: expected "firing", "any" or "none", got "sometimes"');
    // Refused before any work: nothing was replayed.
    expect(failOn.stdout).toBe('');

    const tag = await cli('replay', TAXI, '--metric', 'm', '--tag', 'novalue');
    expect(tag.code).toBe(2);
    expect(tag.stderr).toContain('expected key=value, got "novalue"');

    const noFile = await cli('replay');
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain("missing required argument 'file'");
  });

  it('prints help and exits 0 with --help', async () => {
    const top = await cli('--help');
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Usage: soakstream');
    expect(top.stdout).toContain('replay [options] <file...>');

    const replay = await cli('replay', '--help');
    expect(replay.code).toBe(0);
    for (const option of [
      '--rules <file>',
      '--alerts-out <file>',
      '--stats-out <file>',
      '--metric <name>',
      '--tag <key=value>',
      '--unit <unit>',
      '--fail-on <when>',
      '--quiet',
    ]) {
      expect(replay.stdout).toContain(option);
    }
  });
});

/**
 * A small recording with one threshold alert and its rules: alert lines are few and short, so every
 * write of them is taken into the stream's buffer and a full disk is only met after the last one.
 */
function oneAlert(tempPath: (name: string) => string): { recording: string; rules: string } {
  const recording = tempPath('one-alert.ndjson');
  const start = Date.UTC(2026, 0, 1) * 1000;
  const samples = Array.from({ length: 300 }, (_, i) => ({
    ts: start + i * 1_000_000,
    metric: 'latency',
    value: i < 100 ? 10 : 100,
    tags: { service: 'checkout' },
    unit: 'ms',
  }));
  writeFileSync(recording, samples.map((sample) => `${JSON.stringify(sample)}\n`).join(''));
  const rules = tempPath('one-alert.yaml');
  writeFileSync(
    rules,
    'version: 1\nstats: { window: 10s, hop: 1s }\nrules:\n' +
      '  - { name: high, detector: threshold, match: { metric: latency }, stat: p95, above: 50, for: 0s }\n',
  );
  return { recording, rules };
}

describe('soakstream replay --alerts-out/--stats-out on a disk that cannot take them', () => {
  const tempPath = useTempDirectory();

  it.skipIf(!existsSync('/dev/full'))('exits 3 naming /dev/full when the alerts do not fit', async () => {
    const { recording, rules } = oneAlert(tempPath);
    const run = await cli('replay', recording, '--rules', rules, '--alerts-out', '/dev/full', '--quiet');
    expect(run.stderr.trim()).toBe('error: ndjson: cannot write /dev/full: no space left on device (ENOSPC)');
    expect(run.code).toBe(3);
  });

  it('exits 2 before reading anything when an output cannot be created there', async () => {
    const file = tempPath('some-file.txt');
    writeFileSync(file, 'not a directory');
    // The input is no recording at all: an output path checked first never gets to read it.
    const garbage = tempPath('garbage.avro');
    writeFileSync(garbage, 'no avro here');
    const under = await cli('replay', garbage, '--alerts-out', `${file}/alerts.ndjson`);
    expect(under.stderr.trim()).toBe(
      `error: --alerts-out: cannot write ${file}/alerts.ndjson: ${file} is a file, not a directory`,
    );
    expect(under.code).toBe(2);
    expect(under.stdout).toBe('');
    const missing = await cli('replay', garbage, '--stats-out', tempPath('no/such/stats.ndjson'));
    expect(missing.stderr.trim()).toBe(
      `error: --stats-out: cannot write ${tempPath('no/such/stats.ndjson')}: ` +
        `directory ${tempPath('no/such')} does not exist`,
    );
    expect(missing.code).toBe(2);
  });
});

const skipTmpfs = tmpfsSkipReason();

describe.skipIf(skipTmpfs !== null)(
  `soakstream replay and report on a tiny tmpfs${skipTmpfs !== null ? ` (skipped: ${skipTmpfs})` : ''}`,
  () => {
    const tempPath = useTempDirectory();
    const small = useTmpfs({ sizeKiB: 64 });
    const readOnly = useTmpfs({ sizeKiB: 16, readOnly: true });

    it('exits 3 naming the file when the stats fill the disk', async () => {
      const statsOut = join(small(), 'stats.ndjson');
      const run = await cli('replay', STEP_LEAK, '--stats-out', statsOut, '--quiet');
      expect(run.stderr.trim()).toMatch(new RegExp(`^error: ndjson: cannot write ${statsOut}: ${NO_SPACE}$`));
      expect(run.code).toBe(3);
      rmSync(statsOut);
    });

    it('exits 3 naming the file when the disk is already full', async () => {
      const { recording, rules } = oneAlert(tempPath);
      const filler = join(small(), 'filler');
      expect(() => writeFileSync(filler, Buffer.alloc(128 * 1024))).toThrow(/ENOSPC/);
      const alertsOut = join(small(), 'alerts.ndjson');
      const run = await cli('replay', recording, '--rules', rules, '--alerts-out', alertsOut, '--quiet');
      expect(run.stderr.trim()).toMatch(new RegExp(`^error: ndjson: cannot write ${alertsOut}: ${NO_SPACE}$`));
      expect(run.code).toBe(3);
      rmSync(filler);
      rmSync(alertsOut);
    });

    it('exits 2 before any work for an output on a read-only disk', async () => {
      const out = join(readOnly(), 'reports/report.html');
      const run = await cli('report', STEP_LEAK, '-o', out);
      expect(run.stderr.trim()).toBe(
        `error: -o: cannot write ${out}: cannot create files in ${readOnly()}: read-only file system (EROFS)`,
      );
      expect(run.code).toBe(2);
      const alertsOut = join(readOnly(), 'alerts.ndjson');
      const replay = await cli('replay', STEP_LEAK, '--alerts-out', alertsOut);
      expect(replay.stderr.trim()).toBe(
        `error: --alerts-out: cannot write ${alertsOut}: cannot create files in ${readOnly()}: ` +
          'read-only file system (EROFS)',
      );
      expect(replay.code).toBe(2);
      expect(replay.stdout).toBe('');
    });
  },
);
