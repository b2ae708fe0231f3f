import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { collectAll } from '../../support/collect.js';
import { rejectedWith } from '../../support/thrown.js';
import { tmpfsSkipReason, useTmpfs } from '../../support/tmpfs.js';
import type { Alert } from '../../../src/model/alert.js';
import { InvalidSampleError, SinkError } from '../../../src/model/errors.js';
import { readAlertsFile, readRecording, readStatsFile } from '../../../src/model/readRecording.js';
import type { Sample } from '../../../src/model/sample.js';
import type { Stat } from '../../../src/model/stat.js';
import { RecorderSink } from '../../../src/sinks/recorder/recorderSink.js';
import type { SinkRecord } from '../../../src/sinks/sink.js';

const T0 = 1_767_225_600_000_000;
const sampleAt = (i: number): Sample => ({
  ts: T0 + i * 1000,
  metric: 'latency',
  value: Math.sin(i) * 10 + 50 + i / 7,
  tags: { endpoint: `/e${i % 5}`, run: 'r' },
  unit: 'ms',
});
const stat = (i: number): Stat => ({
  ts: T0 + i,
  windowStart: T0,
  series: 's',
  metric: 'latency',
  tags: { a: 'b' },
  metricKind: 'other',
  n: i,
  min: 0,
  max: 1,
  mean: 0.5,
  stdev: 0.1,
  median: 0.5,
  mad: 0.05,
  p50: 0.5,
  p90: 0.9,
  p95: 0.95,
  p99: 0.99,
});
const alert = (i: number): Alert => ({
  id: `a${i}`,
  rule: 'r',
  kind: 'leak',
  severity: 'critical',
  state: 'firing',
  series: 's',
  metric: 'heap',
  tags: {},
  metricKind: 'other',
  ts: T0 + i,
  since: T0,
  onset: null,
  value: 5,
  baseline: 0,
  effect: 1,
  pValue: null,
  message: 'm',
  reason: null,
});

const collect = collectAll;

describe('RecorderSink', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'soakstream-recorder-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('rotates sample recordings by size; the files replayed in order give back every sample', async () => {
    const sink = await RecorderSink.open({ dir, prefix: 'run1', maxBytes: 16 * 1024, blockSize: 4096 });
    const all = Array.from({ length: 6000 }, (_, i) => sampleAt(i));
    for (let i = 0; i < all.length; i += 250)
      await sink.write(all.slice(i, i + 250).map((sample) => ({ type: 'sample' as const, sample })));
    await sink.close();
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.avro'))
      .sort();
    // Each file has its block checksums beside it.
    expect(readdirSync(dir).sort()).toEqual([...files.map((f) => `.${f}.crc`), ...files].sort());
    expect(files.length).toBeGreaterThan(3);
    expect(files.every((f) => /^run1-samples-\d{6}\.avro$/.test(f))).toBe(true);
    expect(sink.files.map((f) => f.slice(dir.length + 1))).toEqual(files);
    // Rotation happens once a file reaches maxBytes: no file but the last is far below it, none far above.
    for (const f of files.slice(0, -1)) {
      const size = statSync(join(dir, f)).size;
      expect(size).toBeGreaterThanOrEqual(16 * 1024);
      expect(size).toBeLessThan(16 * 1024 + 8 * 1024);
    }
    const replayed: Sample[] = [];
    for (const f of files) replayed.push(...(await collect(readRecording(join(dir, f)))));
    expect(replayed).toEqual(all);
  });

  test('records stats and alerts in files of their own when asked', async () => {
    const sink = await RecorderSink.open({ dir, stats: true, alerts: true });
    const records: SinkRecord[] = [
      { type: 'sample', sample: sampleAt(0) },
      { type: 'stat', stat: stat(1) },
      { type: 'alert', alert: alert(2) },
      {
        type: 'leak',
        leak: {
          ts: T0,
          series: 's',
          metric: 'heap',
          tags: {},
          metricKind: 'other',
          slopePerHour: 1,
          lowerPerHour: 0,
          upperPerHour: 2,
          pValue: 0.01,
          level: 1,
          points: 10,
          spanMicros: 1,
          leaking: true,
        },
      },
      { type: 'stat', stat: stat(3) },
    ];
    await sink.write(records);
    await sink.close();
    expect(readdirSync(dir).sort()).toEqual([
      '.soak-alerts-000001.avro.crc',
      '.soak-samples-000001.avro.crc',
      '.soak-stats-000001.avro.crc',
      'soak-alerts-000001.avro',
      'soak-samples-000001.avro',
      'soak-stats-000001.avro',
    ]);
    expect(sink.sampleFiles).toEqual([join(dir, 'soak-samples-000001.avro')]);
    expect(await collect(readStatsFile(join(dir, 'soak-stats-000001.avro')))).toEqual([stat(1), stat(3)]);
    expect(await collect(readAlertsFile(join(dir, 'soak-alerts-000001.avro')))).toEqual([alert(2)]);
    await expect(collect(readStatsFile(join(dir, 'soak-alerts-000001.avro')))).rejects.toThrow(
      /not io.soakstream.Stat \(stat.v2 or stat.v1\)/,
    );
  });

  test('an invalid sample rejects its write and records nothing of it; earlier writes stay', async () => {
    const sink = await RecorderSink.open({ dir });
    await sink.write([{ type: 'sample', sample: sampleAt(0) }]);
    const bad = sink.write([
      { type: 'sample', sample: sampleAt(1) },
      { type: 'sample', sample: { ...sampleAt(2), value: Number.POSITIVE_INFINITY } },
    ]);
    await expect(bad).rejects.toBeInstanceOf(InvalidSampleError);
    await expect(bad).rejects.toThrow(/recorder write, record 1/);
    await sink.write([{ type: 'sample', sample: sampleAt(3) }]);
    await sink.close();
    expect((await collect(readRecording(join(dir, 'soak-samples-000001.avro')))).map((s) => s.ts)).toEqual([
      T0,
      T0 + 3000,
    ]);
  });

  test('rejects bad options', async () => {
    await expect(RecorderSink.open({ dir, prefix: '../x' })).rejects.toThrow(/prefix must be/);
    await expect(RecorderSink.open({ dir, maxBytes: 0 })).rejects.toThrow(/maxBytes must be > 0/);
  });

  const samplesOf = (from: number, count: number): SinkRecord[] =>
    Array.from({ length: count }, (_, i) => ({ type: 'sample' as const, sample: sampleAt(from + i) }));
  const contents = (): Map<string, Buffer> =>
    new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));

  test('opened again on the same directory, it keeps the earlier files byte for byte and numbers on', async () => {
    const first = await RecorderSink.open({ dir, prefix: 'run', maxBytes: 8 * 1024, blockSize: 2048, stats: true });
    await first.write([...samplesOf(0, 1500), { type: 'stat', stat: stat(1) }]);
    await first.close();
    // Files of other prefixes (a record partition, another run) do not move the numbering.
    writeFileSync(join(dir, 'run-p0-samples-000040.avro'), 'partition 0');
    writeFileSync(join(dir, 'other-samples-000050.avro'), 'other run');
    const before = contents();
    const firstSamples = [...before.keys()]
      .filter((name) => name.startsWith('run-samples-') && name.endsWith('.avro'))
      .sort();
    expect(firstSamples.length).toBeGreaterThan(1);
    expect([...before.keys()].filter((name) => name.includes('run-stats-')).sort()).toEqual([
      '.run-stats-000001.avro.crc',
      'run-stats-000001.avro',
    ]);

    const second = await RecorderSink.open({ dir, prefix: 'run', maxBytes: 8 * 1024, blockSize: 2048, stats: true });
    await second.write([...samplesOf(1500, 10), { type: 'stat', stat: stat(2) }]);
    await second.close();

    for (const [name, bytes] of before) expect(readFileSync(join(dir, name)).equals(bytes), name).toBe(true);
    const next = String(firstSamples.length + 1).padStart(6, '0');
    expect(second.files).toEqual([join(dir, `run-samples-${next}.avro`), join(dir, 'run-stats-000002.avro')]);
    expect(second.sampleFiles).toEqual([join(dir, `run-samples-${next}.avro`)]);
    const replayed: Sample[] = [];
    for (const name of [...firstSamples, `run-samples-${next}.avro`])
      replayed.push(...(await collect(readRecording(join(dir, name)))));
    expect(replayed).toEqual(samplesOf(0, 1510).map((record) => (record as { sample: Sample }).sample));
  });

  test('never truncates a file that appears after it opened: it takes the next number', async () => {
    const sink = await RecorderSink.open({ dir, prefix: 'race', maxBytes: 4 * 1024, blockSize: 1024 });
    writeFileSync(join(dir, 'race-samples-000002.avro'), 'written by someone else');
    for (let i = 0; i < 2000; i += 100) await sink.write(samplesOf(i, 100));
    await sink.close();
    expect(readFileSync(join(dir, 'race-samples-000002.avro'), 'utf8')).toBe('written by someone else');
    expect(sink.sampleFiles).not.toContain(join(dir, 'race-samples-000002.avro'));
    expect(sink.sampleFiles[1]).toBe(join(dir, 'race-samples-000003.avro'));
    const replayed: Sample[] = [];
    for (const file of sink.sampleFiles) replayed.push(...(await collect(readRecording(file))));
    expect(replayed).toHaveLength(2000);
  });
});

const skipTmpfs = tmpfsSkipReason();

describe.skipIf(skipTmpfs !== null)(
  `RecorderSink on a full or read-only disk${skipTmpfs !== null ? ` (skipped: ${skipTmpfs})` : ''}`,
  () => {
    const full = useTmpfs({ sizeKiB: 64 });
    const readOnly = useTmpfs({ sizeKiB: 16, readOnly: true });

    test('a full disk fails the write and the close with a SinkError naming the file', async () => {
      const sink = await RecorderSink.open({ dir: full(), prefix: 'full', blockSize: 1024, codec: 'null' });
      const file = join(full(), 'full-samples-000001.avro');
      const writing = (async () => {
        // 64 KiB hold some 1,500 of these samples; the first failed write ends the loop.
        for (let i = 0; i < 100_000; i += 500)
          await sink.write(
            Array.from({ length: 500 }, (_, j) => ({ type: 'sample' as const, sample: sampleAt(i + j) })),
          );
      })();
      const error = await rejectedWith(writing, SinkError);
      expect(error.message).toBe(`recorder: cannot write ${file}: no space left on device (ENOSPC)`);
      expect(error.context).toEqual({ file });
      await expect(sink.close()).rejects.toThrow(`recorder: cannot write ${file}: no space left on device (ENOSPC)`);
    });

    test('a read-only disk fails the open with a SinkError naming the file', async () => {
      const error = await rejectedWith(RecorderSink.open({ dir: readOnly(), prefix: 'ro' }), SinkError);
      expect(error.message).toBe(
        `recorder: cannot write ${join(readOnly(), 'ro-samples-000001.avro')}: read-only file system (EROFS)`,
      );
    });
  },
);
