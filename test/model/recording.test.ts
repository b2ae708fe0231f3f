import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import avro from 'avsc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectUntilError } from '../support/collect.js';
import { rejectedWith } from '../support/thrown.js';
import { CorruptRecordingError, InvalidSampleError, SinkError, UnknownSchemaError } from '../../src/model/errors.js';
import { readRecording } from '../../src/model/readRecording.js';
import { RecordingWriter } from '../../src/model/recordingWriter.js';
import type { Sample } from '../../src/model/sample.js';
import { sameSample, sampleArbitrary } from './sampleArbitrary.js';
import { useTempDirectory } from '../support/tempDirectory.js';

const path = useTempDirectory();

function samples(count: number): Sample[] {
  return Array.from({ length: count }, (_, index) => ({
    ts: 1_404_172_800_000_000 + index * 1_800_000_000,
    metric: 'taxi.passengers',
    value: ((index * 37) % 101) + index / 8,
    tags: { city: 'nyc', shard: String(index % 3) },
    ...(index % 2 === 0 ? { unit: 'count' } : {}),
  }));
}

async function write(
  file: string,
  items: readonly Sample[],
  options?: { blockSize?: number; codec?: 'deflate' | 'null' },
): Promise<void> {
  const writer = await RecordingWriter.open(file, options);
  for (const sample of items) await writer.write(sample);
  await writer.close();
}

const collect = (file: string, chunkSize?: number): Promise<{ read: Sample[]; error?: unknown }> =>
  collectUntilError(readRecording(file, chunkSize === undefined ? {} : { chunkSize }));

/** Block boundaries from the file's own framing: the 16-byte sync marker ends the header and every block. */
function blockEnds(bytes: Buffer, sync: Buffer): number[] {
  const ends: number[] = [];
  for (let at = bytes.indexOf(sync); at >= 0; at = bytes.indexOf(sync, at + 1)) ends.push(at + sync.length);
  return ends;
}

/** Record counts per block, as seen by avsc's own container decoder. */
async function blockCounts(file: string): Promise<number[]> {
  const counts: number[] = [];
  const decoder = avro.createFileDecoder(file);
  decoder.on('block', (block: { valueCount: number }) => counts.push(block.valueCount));
  for await (const _record of decoder) {
    /* drain */
  }
  return counts;
}

describe('RecordingWriter and readRecording', () => {
  it('round-trips samples through a deflate container in several blocks, readable by avsc too', async () => {
    const file = path('run.avro');
    const items = samples(500);
    await write(file, items, { blockSize: 1024 });
    const { read, error } = await collect(file, 333);
    expect(error).toBeUndefined();
    expect(read).toEqual(items);
    expect(avro.extractFileHeader(file, { decode: false })?.meta['avro.codec'].toString()).toBe('deflate');
    expect((await blockCounts(file)).length).toBeGreaterThan(5);
    const header = JSON.parse(avro.extractFileHeader(file, { decode: false })?.meta['avro.schema'].toString()) as {
      doc?: string;
      fields: { type: unknown }[];
    };
    expect(header.doc).toMatch(/measurement/);
    expect(header.fields[0]?.type).toEqual({ type: 'long', logicalType: 'timestamp-micros' });
  });

  it('writes the null codec when asked and an empty recording reads as nothing', async () => {
    const file = path('plain.avro');
    await write(file, samples(20), { codec: 'null' });
    expect(avro.extractFileHeader(file, { decode: false })?.meta['avro.codec'].toString()).toBe('null');
    expect((await collect(file)).read).toHaveLength(20);
    const empty = path('empty.avro');
    await write(empty, []);
    expect(await collect(empty)).toEqual({ read: [] });
  });

  it('NDJSON-valid arbitrary samples survive a recording exactly', async () => {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(sampleArbitrary, { maxLength: 40 }), async (items) => {
        // A file per case: the writer never overwrites one.
        const file = path(`property-${++cases}.avro`);
        await write(file, items, { blockSize: 256 });
        const { read, error } = await collect(file);
        return (
          error === undefined &&
          read.length === items.length &&
          read.every((sample, index) => sameSample(sample, items[index] as Sample))
        );
      }),
      { numRuns: 25 },
    );
  });

  it('rejects an invalid sample without writing it, and close is idempotent', async () => {
    const file = path('invalid.avro');
    const writer = await RecordingWriter.open(file);
    await writer.write(samples(1)[0] as Sample);
    expect(() => writer.write({ ts: 0, metric: 'm', value: Number.NaN, tags: {} })).toThrow(InvalidSampleError);
    expect(writer.count).toBe(1);
    const first = writer.close();
    expect(writer.close()).toBe(first);
    await first;
    expect(() => writer.write(samples(1)[0] as Sample)).toThrow(/closed/);
    expect((await collect(file)).read).toHaveLength(1);
  });

  it('honours backpressure over many blocks', async () => {
    const file = path('many.avro');
    const writer = await RecordingWriter.open(file, { blockSize: 512 });
    let waits = 0;
    for (const sample of samples(5_000)) {
      const pending = writer.write(sample);
      if (pending !== undefined) {
        waits++;
        await pending;
      }
    }
    await writer.close();
    expect(waits).toBeGreaterThan(0);
    expect((await collect(file)).read).toHaveLength(5_000);
  });

  it('fails to open a file in a missing directory, naming it', async () => {
    const file = path('missing/dir/run.avro');
    const error = await rejectedWith(RecordingWriter.open(file), SinkError);
    expect(error.message).toBe(`recorder: cannot write ${file}: no such file or directory (ENOENT)`);
    expect(error.context).toEqual({ file });
  });

  it('never truncates an existing file: opening it fails with EEXIST and leaves it as it was', async () => {
    const file = path('earlier.avro');
    await write(file, samples(10));
    const bytes = readFileSync(file);
    const error = await rejectedWith(RecordingWriter.open(file), SinkError);
    expect(error.message).toBe(`recorder: cannot write ${file}: file already exists (EEXIST)`);
    expect((error.cause as NodeJS.ErrnoException).code).toBe('EEXIST');
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('yields every record before the damaged block of a truncated file, then names file and count', async () => {
    const file = path('whole.avro');
    const items = samples(300);
    await write(file, items, { blockSize: 700 });
    const bytes = readFileSync(file);
    const sync = avro.extractFileHeader(file)?.sync as Buffer;
    const [headerEnd = 0, ...ends] = blockEnds(bytes, sync);
    const counts = await blockCounts(file);
    expect(ends).toHaveLength(counts.length);
    const distinctCounts = new Set<number>();
    for (let cut = 1; cut <= 10; cut++) {
      const length = Math.floor((bytes.length * cut) / 11) + 3;
      const damaged = path(`cut-${cut}.avro`);
      writeFileSync(damaged, bytes.subarray(0, length));
      const intactBlocks = ends.filter((end) => end <= length).length;
      const expected = counts.slice(0, intactBlocks).reduce((sum, count) => sum + count, 0);
      const { read, error } = await collect(damaged, 97);
      distinctCounts.add(read.length);
      expect(read).toEqual(items.slice(0, expected));
      if (ends.includes(length)) {
        expect(error).toBeUndefined();
      } else {
        expect(error).toBeInstanceOf(CorruptRecordingError);
        expect((error as Error).message).toContain(damaged);
        expect((error as CorruptRecordingError).context).toMatchObject({ file: damaged, records: expected });
        expect(length > headerEnd || expected === 0).toBe(true);
      }
    }
    expect(distinctCounts.size).toBeGreaterThan(5);
  });

  it('stops at a damaged sync marker after the intact blocks', async () => {
    const file = path('sync.avro');
    await write(file, samples(200), { blockSize: 600 });
    const bytes = Buffer.from(readFileSync(file));
    const sync = avro.extractFileHeader(file)?.sync as Buffer;
    const ends = blockEnds(bytes, sync);
    const counts = await blockCounts(file);
    const secondBlockEnd = ends[2] as number;
    bytes[secondBlockEnd - 1] = (bytes[secondBlockEnd - 1] as number) ^ 0xff;
    writeFileSync(file, bytes);
    const { read, error } = await collect(file);
    expect(read).toHaveLength(counts[0] as number);
    expect(error).toBeInstanceOf(CorruptRecordingError);
    expect((error as Error).message).toMatch(/sync marker/);
  });

  it('says clearly when a file is not an Avro container, is empty or is missing', async () => {
    const text = path('notes.avro');
    writeFileSync(text, 'timestamp,value\n');
    const bad = await collect(text);
    expect(bad.error).toBeInstanceOf(CorruptRecordingError);
    expect((bad.error as Error).message).toMatch(new RegExp(`${text}.*not an Avro object container`));
    const empty = path('empty.avro');
    writeFileSync(empty, '');
    expect((await collect(empty)).error).toBeInstanceOf(CorruptRecordingError);
    expect((await collect(path('absent.avro'))).error).toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a container whose writer schema is not a Sample', async () => {
    const file = path('other.avro');
    const encoder = new avro.streams.BlockEncoder(
      avro.Type.forSchema({ type: 'record', name: 'Other', fields: [{ name: 'x', type: 'int' }] }),
    );
    const out = createWriteStream(file);
    encoder.pipe(out);
    encoder.end({ x: 1 });
    // The file is complete once its stream has closed (the encoder ends before the file has it all).
    await once(out, 'close');
    const { read, error } = await collect(file);
    expect(read).toEqual([]);
    expect(error).toBeInstanceOf(UnknownSchemaError);
    expect((error as Error).message).toMatch(/not io.soakstream.Sample/);
  });
});
