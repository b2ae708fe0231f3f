import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CorruptRecordingError } from '../../src/model/errors.js';
import { readRecording } from '../../src/model/readRecording.js';
import { checksumsPath, RecordingWriter, type BlockChecksum } from '../../src/model/recordingWriter.js';
import type { Sample } from '../../src/model/sample.js';
import { createRandom } from '../../src/stats/random.js';
import { collectUntilError } from '../support/collect.js';
import { useTempDirectory } from '../support/tempDirectory.js';

const path = useTempDirectory();

const samples = (count: number): Sample[] =>
  Array.from({ length: count }, (_, i) => ({
    ts: 1_767_225_600_000_000 + i * 1_000_000,
    metric: 'http_req_duration',
    value: 10 + ((i * 37) % 101) / 7,
    tags: { service: 'api', shard: String(i % 4) },
  }));

async function write(file: string, items: readonly Sample[], codec: 'deflate' | 'null'): Promise<void> {
  const writer = await RecordingWriter.open(file, { codec, blockSize: 4096 });
  for (const sample of items) await writer.write(sample);
  await writer.close();
}

const checksumsOf = (file: string): BlockChecksum[] =>
  readFileSync(checksumsPath(file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as BlockChecksum);

describe('block checksums of recordings', () => {
  it('writes one checksum line per block, at the offset where the block starts', async () => {
    const file = path('sums.avro');
    await write(file, samples(2_000), 'deflate');
    const sums = checksumsOf(file);
    expect(sums.length).toBeGreaterThan(5);
    expect(sums.reduce((n, s) => n + s.count, 0)).toBe(2_000);
    const bytes = readFileSync(file);
    // Each block ends with the 16-byte sync marker, the last 16 bytes of the file: the next block starts after it.
    const sync = bytes.subarray(bytes.length - 16);
    for (const i of sums.keys()) {
      const next = sums[i + 1]?.offset ?? bytes.length;
      expect(bytes.subarray(next - 16, next).equals(sync)).toBe(true);
    }
  });

  it.each(['deflate', 'null'] as const)(
    '%s: no random bit flip in the blocks reads back as changed samples without an error',
    async (codec) => {
      const file = path(`flips-${codec}.avro`);
      const original = samples(600);
      await write(file, original, codec);
      const bytes = readFileSync(file);
      const firstBlock = checksumsOf(file)[0]?.offset as number;
      const random = createRandom(11);
      let detected = 0;
      for (let run = 0; run < 300; run++) {
        const flipped = Buffer.from(bytes);
        const bit = firstBlock * 8 + Math.floor(random.next() * (bytes.length - firstBlock) * 8);
        flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7));
        writeFileSync(file, flipped);
        const { read, error } = await collectUntilError(readRecording(file));
        if (error !== undefined) detected++;
        // Whatever is read is exactly what was written, in order, with at most whole blocks missing.
        const expected = new Map(original.map((s) => [s.ts, s]));
        for (const sample of read) expect(sample).toEqual(expected.get(sample.ts));
        if (error === undefined) expect(read).toEqual(original);
      }
      // A flip in a sync marker of a block that is otherwise intact is the only harmless kind.
      expect(detected).toBeGreaterThan(250);
    },
  );

  it('skips a block that fails its checksum, reads every other block, then names the bad one', async () => {
    const file = path('one-bad-block.avro');
    const original = samples(2_000);
    await write(file, original, 'null');
    const sums = checksumsOf(file);
    const bad = sums[2] as BlockChecksum;
    const bytes = readFileSync(file);
    bytes[bad.offset + 20] = (bytes[bad.offset + 20] as number) ^ 0x10; // a bit inside the third block's data
    writeFileSync(file, bytes);
    const { read, error } = await collectUntilError(readRecording(file));
    expect(error).toBeInstanceOf(CorruptRecordingError);
    expect((error as Error).message).toBe(
      `${file}: 1 block of ${bad.count} records failed its checksum and was skipped (byte ${bad.offset}); ` +
        `${(2_000 - bad.count).toLocaleString('en-US')} intact records were read`,
    );
    const before = sums[0]!.count + sums[1]!.count;
    expect(read).toEqual([...original.slice(0, before), ...original.slice(before + bad.count)]);
  });

  it('reads a recording without its checksums unchecked, as before', async () => {
    const file = path('no-sums.avro');
    await write(file, samples(300), 'deflate');
    rmSync(checksumsPath(file));
    expect((await collectUntilError(readRecording(file))).read).toHaveLength(300);
  });

  it('catches a damaged block prefix (count and size) by its checksum and goes on after the block', async () => {
    const file = path('bad-prefix.avro');
    const original = samples(2_000);
    await write(file, original, 'null');
    const sums = checksumsOf(file);
    const bad = sums[1] as BlockChecksum;
    const bytes = readFileSync(file);
    bytes.fill(0xff, bad.offset, bad.offset + 12); // a varint that never ends, where the count was
    writeFileSync(file, bytes);
    const { read, error } = await collectUntilError(readRecording(file));
    expect((error as Error).message).toMatch(/1 block of \d+ records failed its checksum and was skipped/);
    const first = sums[0]!.count;
    expect(read).toEqual([...original.slice(0, first), ...original.slice(first + bad.count)]);
  });

  it('after a bad last-listed block, the blocks without a checksum line (a crash) are still read', async () => {
    const file = path('unlisted.avro');
    const original = samples(2_000);
    await write(file, original, 'null');
    const sums = checksumsOf(file);
    // Keep the checksums of the first three blocks only, and damage the third.
    writeFileSync(
      checksumsPath(file),
      sums
        .slice(0, 3)
        .map((sum) => `${JSON.stringify(sum)}\n`)
        .join(''),
    );
    const bad = sums[2] as BlockChecksum;
    const bytes = readFileSync(file);
    bytes[bad.offset + 20] = (bytes[bad.offset + 20] as number) ^ 0x01;
    writeFileSync(file, bytes);
    const { read, error } = await collectUntilError(readRecording(file));
    expect((error as Error).message).toContain(
      `(byte ${bad.offset}); ${(2_000 - bad.count).toLocaleString('en-US')} intact`,
    );
    expect(read).toHaveLength(2_000 - bad.count);
  });

  it('a stale checksum companion beside a deleted recording is replaced, not a reason to skip the number', async () => {
    const file = path('stale.avro');
    writeFileSync(checksumsPath(file), '{"offset":0,"size":1,"count":1,"crc32":1}\n');
    await write(file, samples(100), 'deflate');
    expect((await collectUntilError(readRecording(file))).read).toHaveLength(100);
  });
});
