import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SinkError } from '../../../src/model/errors.js';
import { NdjsonSink } from '../../../src/sinks/ndjson/ndjsonSink.js';
import type { SinkRecord } from '../../../src/sinks/sink.js';
import { faultSoakRecords } from '../../support/faultSoak.js';
import { sample } from '../../support/sample.js';
import { useTempDirectory } from '../../support/tempDirectory.js';
import { rejectedWith } from '../../support/thrown.js';

const diagnostic = (count: number): SinkRecord => ({
  type: 'diagnostic',
  diagnostic: { ts: count, kind: 'late', count, message: `late ${count}` },
});

describe('NdjsonSink', () => {
  const tempPath = useTempDirectory();

  it('writes the records of the chosen types, one object per line, in order', async () => {
    const path = tempPath('out.ndjson');
    const sink = await NdjsonSink.open({ path, types: ['sample', 'diagnostic'] });
    await sink.write([{ type: 'sample', sample: sample(1, 2) }, diagnostic(1)]);
    await sink.write([diagnostic(2)]);
    await sink.close();
    await sink.close(); // twice is safe
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.map((line) => (line === '' ? null : (JSON.parse(line) as unknown)))).toEqual([
      sample(1, 2),
      { ts: 1, kind: 'late', count: 1, message: 'late 1' },
      { ts: 2, kind: 'late', count: 2, message: 'late 2' },
      null,
    ]);
  });

  it('writes nothing for records of other types', async () => {
    const path = tempPath('alerts.ndjson');
    const sink = await NdjsonSink.open({ path, types: ['alert'] });
    await sink.write([{ type: 'sample', sample: sample(1, 2) }, diagnostic(1)]);
    await sink.close();
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('writes fault recoveries, typed, with every field of the event', async () => {
    const path = tempPath('events.ndjson');
    const sink = await NdjsonSink.open({ path, types: ['recovery'], typed: true });
    const records = faultSoakRecords(1_767_225_600_000_000);
    await sink.write(records);
    await sink.close();
    const written = readFileSync(path, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const recoveries = records.flatMap((record) => (record.type === 'recovery' ? [record.recovery] : []));
    expect(recoveries).toHaveLength(6);
    expect(written).toEqual(
      JSON.parse(JSON.stringify(recoveries.map((recovery) => ({ type: 'recovery', ...recovery })))),
    );
    expect(written[2]).toMatchObject({
      type: 'recovery',
      fault: 'kill-target',
      phase: 'recovered',
      recoveryTime: 12e6,
    });
    expect(Object.keys(written[2] ?? {})[0]).toBe('type');
  });

  it('refuses a file it cannot create, naming it', async () => {
    const path = tempPath('no/such/dir/out.ndjson');
    await expect(NdjsonSink.open({ path, types: ['alert'] })).rejects.toThrow(SinkError);
    await expect(NdjsonSink.open({ path, types: ['alert'] })).rejects.toThrow(
      `ndjson: cannot write ${path}: no such file or directory (ENOENT)`,
    );
    expect(existsSync(path)).toBe(false);
  });

  it.skipIf(!existsSync('/dev/full'))(
    'fails a write to a full disk with the path, instead of losing it silently',
    async () => {
      const sink = await NdjsonSink.open({ path: '/dev/full', types: ['diagnostic'] });
      const lines = Array.from({ length: 20_000 }, (_, i) => diagnostic(i));
      const written = sink.write(lines).then(() => sink.close());
      await expect(written).rejects.toThrow('ndjson: cannot write /dev/full: no space left on device (ENOSPC)');
    },
  );

  it.skipIf(!existsSync('/dev/full'))(
    'fails the close when lines its write took meet a full disk, with the path and the reason',
    async () => {
      const sink = await NdjsonSink.open({ path: '/dev/full', types: ['diagnostic'] });
      await sink.write([diagnostic(1)]);
      const error = await rejectedWith(sink.close(), SinkError);
      expect(error.message).toBe('ndjson: cannot write /dev/full: no space left on device (ENOSPC)');
      expect(error.context).toEqual({ file: '/dev/full' });
      await expect(sink.close()).rejects.toBe(error);
      await expect(sink.write([diagnostic(2)])).rejects.toBe(error);
    },
  );
});
