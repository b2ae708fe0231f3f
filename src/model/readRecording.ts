import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { crc32, inflateRawSync } from 'node:zlib';
import avro from 'avsc';
import { AvroBoundsError, checkAvroBounds } from './avroBounds.js';
import { CONTAINER_MAGIC, containerHeaderType, type ContainerHeader } from './containerHeader.js';
import { CorruptRecordingError, SoakstreamError, UnknownSchemaError } from './errors.js';
import { parsingCanonicalForm } from './parsingCanonicalForm.js';
import type { Alert } from './alert.js';
import { ALERT_SCHEMAS, alertFromAvro } from './alertCodec.js';
import type { Sample } from './sample.js';
import type { Stat } from './stat.js';
import { STAT_SCHEMAS, statFromAvro } from './statCodec.js';
import { defaultSchemaRegistry, type SchemaName } from './schemaRegistry.js';
import { flatten } from './batches.js';
import { SampleRecords } from './sampleRecords.js';
import { checksumsPath, type BlockChecksum } from './recordingWriter.js';

// The container framing (Avro 1.11 spec, "Object Container Files") is parsed here rather than by
// avsc's BlockDecoder: that decoder silently drops a truncated last block and createFileDecoder
// does not forward read errors, so a cut recording would look complete.

/** Options of readRecording: read chunk size in bytes (default 64 KiB). */
export interface ReadRecordingOptions {
  readonly chunkSize?: number;
}

const SYNC_LENGTH = 16;
const MAX_HEADER_BYTES = 1 << 20;
const MAX_BLOCK_BYTES = 1 << 28;

const blockPrefixType = avro.Type.forSchema({
  type: 'record',
  name: 'BlockPrefix',
  fields: [
    { name: 'count', type: 'long' },
    { name: 'size', type: 'long' },
  ],
});

/** Returns the end of a complete value at `start`, or undefined when more bytes are needed. */
function completeEnd(type: avro.Type, bytes: Buffer, start: number): number | undefined {
  try {
    return checkAvroBounds(type, bytes, start);
  } catch (error) {
    if (error instanceof AvroBoundsError) return undefined;
    throw error;
  }
}

/**
 * What a container file may hold: the schemas it is read from (any version still readable), what
 * they are called, and what a recording of them is called.
 */
interface ContainerKind {
  readonly schemas: readonly SchemaName[];
  readonly what: string;
  readonly recording: string;
}
const SAMPLES: ContainerKind = {
  schemas: ['sample.v1'],
  what: 'io.soakstream.Sample (sample.v1)',
  recording: 'a samples recording',
};
const STATS: ContainerKind = {
  schemas: STAT_SCHEMAS,
  what: 'io.soakstream.Stat (stat.v2 or stat.v1)',
  recording: 'a stats recording',
};
const ALERTS: ContainerKind = {
  schemas: ALERT_SCHEMAS,
  what: 'io.soakstream.Alert (alert.v4, v3, v2 or v1)',
  recording: 'an alerts recording',
};

/**
 * Why a container of another kind of records cannot be read as `kind`: what it is, and for a
 * command that wanted samples, which file of the same recording holds them.
 */
function wrongKind(path: string, canonical: string, kind: ContainerKind): string | undefined {
  const registry = defaultSchemaRegistry();
  const other = [SAMPLES, STATS, ALERTS].find((candidate) =>
    candidate.schemas.some((name) => registry.get(name).canonicalForm === canonical),
  );
  if (other === undefined) return undefined;
  const samples = /-(?:stats|alerts)-(\d+)\.avro$/.test(path)
    ? path.replace(/-(?:stats|alerts)-(\d+)\.avro$/, '-samples-$1.avro')
    : '…-samples-000001.avro';
  return (
    `${path}: this is ${other.recording}, not ${kind.what}` +
    (kind === SAMPLES ? `; replay, report and test read sample recordings such as ${samples}` : '')
  );
}

/** Checks the header's codec and writer schema; returns the codec and the registered type the records are read with. */
function checkSchema(path: string, header: ContainerHeader, kind: ContainerKind): { codec: string; type: avro.Type } {
  const codec = header.meta['avro.codec']?.toString() ?? 'null';
  if (codec !== 'null' && codec !== 'deflate')
    throw new CorruptRecordingError(`${path}: unsupported codec ${codec}`, { file: path, records: 0 });
  const text = header.meta['avro.schema']?.toString();
  let canonical: string;
  try {
    canonical = parsingCanonicalForm(JSON.parse(text ?? 'null'));
  } catch (error) {
    throw new CorruptRecordingError(`${path}: header has no readable avro.schema`, { file: path, records: 0 }, error);
  }
  const registry = defaultSchemaRegistry();
  const written = kind.schemas.map((name) => registry.get(name)).find((entry) => entry.canonicalForm === canonical);
  if (written === undefined) {
    const message =
      wrongKind(path, canonical, kind) ??
      `${path} holds records of schema ${canonical.slice(0, 120)}, not ${kind.what}`;
    throw new UnknownSchemaError(message, { file: path, schema: canonical.slice(0, 200) });
  }
  return { codec, type: written.type };
}

/**
 * Streams the Samples of an Avro object container recording (Avro 1.11 spec, "Object Container
 * Files"), one block in memory at a time; each sample is validated. A truncated or corrupt file
 * yields every intact record, then throws CorruptRecordingError naming the file and the number
 * of records read. Cost: O(file size) time, O(block size) memory.
 */
export function readRecording(path: string, options: ReadRecordingOptions = {}): AsyncGenerator<Sample> {
  return flatten(readRecordingBatches(path, options));
}

/**
 * {@link readRecording} in batches, one per container block; a corrupt block yields its intact
 * records, then throws.
 */
export function readRecordingBatches(path: string, options: ReadRecordingOptions = {}): AsyncGenerator<Sample[]> {
  return readContainer(path, SAMPLES, (type) => new SampleRecords(type), options);
}

/** Reads one record at a time: `read` returns it and leaves in `end` where it ended. */
interface RecordReader<T> {
  read(data: Buffer, position: number, where: () => string): T;
  readonly end: number;
}

/** Records read by avsc after checkAvroBounds, then turned into items. */
class AvroRecords<T> implements RecordReader<T> {
  end = 0;

  constructor(
    private readonly type: avro.Type,
    private readonly toItem: (value: unknown) => T,
  ) {}

  read(data: Buffer, position: number): T {
    this.end = checkAvroBounds(this.type, data, position);
    const decoded = this.type.decode(data, position);
    if (decoded.offset !== this.end)
      throw new Error(`decoded ${decoded.offset - position} of ${this.end - position} bytes`);
    return this.toItem(decoded.value);
  }
}

/** Streams the Stats of an Avro container file written by ContainerWriter.openStats, as readRecording does. */
export function readStatsFile(path: string, options: ReadRecordingOptions = {}): AsyncGenerator<Stat> {
  return flatten(readContainer(path, STATS, (type) => new AvroRecords(type, statFromAvro), options));
}

/** Streams the Alerts of an Avro container file written by ContainerWriter.openAlerts, as readRecording does. */
export function readAlertsFile(path: string, options: ReadRecordingOptions = {}): AsyncGenerator<Alert> {
  return flatten(readContainer(path, ALERTS, (type) => new AvroRecords(type, alertFromAvro), options));
}

/** Bytes of an Avro long (zig-zag varint) holding `n` ≥ 0. */
function varintLength(n: number): number {
  let rest = n * 2;
  let length = 1;
  while (rest >= 128) {
    rest = Math.floor(rest / 128);
    length++;
  }
  return length;
}

/**
 * The block checksums of a container by block offset, from its companion (checksumsPath), or
 * null when it has none (a recording from before checksums, or copied without it). A line cut
 * short by a crash, or not of the documented form, is left out: its block is read unchecked.
 */
async function readChecksums(path: string): Promise<Map<number, BlockChecksum> | null> {
  let text: string;
  try {
    text = await readFile(checksumsPath(path), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CorruptRecordingError(`${checksumsPath(path)}: cannot read the checksums (${(error as Error).message})`, {
      file: checksumsPath(path),
    });
  }
  const sums = new Map<number, BlockChecksum>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      const { offset, size, count, crc32: sum } = JSON.parse(line) as BlockChecksum;
      if ([offset, size, count, sum].every((n) => Number.isSafeInteger(n) && n >= 0))
        sums.set(offset, { offset, size, count, crc32: sum });
    } catch {
      // a line cut short: its block is read unchecked
    }
  }
  return sums;
}

async function* readContainer<T>(
  path: string,
  kind: ContainerKind,
  readerFor: (type: avro.Type) => RecordReader<T>,
  options: ReadRecordingOptions,
): AsyncGenerator<T[]> {
  let records = 0;
  let consumed = 0;
  const corrupt = (reason: string, cause?: unknown): CorruptRecordingError =>
    new CorruptRecordingError(
      `${path} is corrupt after ${records} records (byte ${consumed}): ${reason}`,
      { file: path, records, offset: consumed, reason },
      cause,
    );

  const sums = await readChecksums(path);
  // Blocks that failed their checksum, skipped: where each was and how many records it held.
  const skipped: { offset: number; count: number }[] = [];
  // After a bad block, the offset where the next one starts (from the block's checksum entry).
  let skipTo: number | null = null;
  let pending: Buffer = Buffer.alloc(0);
  let header: ContainerHeader | undefined;
  let codec = 'null';
  // The writer's schema, one of the kind's readable versions; set with the header.
  let type: avro.Type = containerHeaderType;
  let reader: RecordReader<T> | undefined;
  const where = (): string => `${path} record ${records}`;
  const stream = createReadStream(path, { highWaterMark: options.chunkSize ?? 65_536 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    if (header === undefined) {
      if (
        pending.length >= CONTAINER_MAGIC.length &&
        !pending.subarray(0, CONTAINER_MAGIC.length).equals(CONTAINER_MAGIC)
      ) {
        throw new CorruptRecordingError(`${path} is not an Avro object container file (bad magic bytes)`, {
          file: path,
          records: 0,
          reason: 'bad magic',
        });
      }
      const end = completeEnd(containerHeaderType, pending, 0);
      if (end === undefined) {
        if (pending.length > MAX_HEADER_BYTES) throw corrupt('header larger than 1 MiB');
        continue;
      }
      header = containerHeaderType.fromBuffer(pending.subarray(0, end)) as ContainerHeader;
      ({ codec, type } = checkSchema(path, header, kind));
      pending = pending.subarray(end);
      consumed += end;
    }
    for (;;) {
      if (skipTo !== null) {
        // Drop the bytes of a bad block up to the next block the checksums know of.
        const drop = Math.min(skipTo - consumed, pending.length);
        pending = pending.subarray(drop);
        consumed += drop;
        if (consumed < skipTo) break;
        skipTo = null;
      }
      // A block with a checksum is checked before its prefix is read: a damaged count or size is caught too.
      const sum = sums?.get(consumed);
      if (sum !== undefined) {
        const checkedEnd = varintLength(sum.count) + varintLength(sum.size) + sum.size;
        if (checkedEnd + SYNC_LENGTH > MAX_BLOCK_BYTES + 64) throw corrupt('block larger than 256 MiB');
        if (pending.length < checkedEnd + SYNC_LENGTH) break;
        if (crc32(pending.subarray(0, checkedEnd)) !== sum.crc32) {
          skipped.push({ offset: consumed, count: sum.count });
          skipTo = consumed + checkedEnd + SYNC_LENGTH;
          continue;
        }
      }
      const prefixEnd = completeEnd(blockPrefixType, pending, 0);
      if (prefixEnd === undefined) {
        // Two longs take at most 20 bytes: more than that without an end is no block header.
        if (pending.length >= 20) throw corrupt('impossible block header');
        break;
      }
      const { count, size } = blockPrefixType.fromBuffer(pending.subarray(0, prefixEnd)) as {
        count: number;
        size: number;
      };
      if (count < 0 || size < 0 || size > MAX_BLOCK_BYTES)
        throw corrupt(`impossible block header (count ${count}, size ${size})`);
      const blockEnd = prefixEnd + size + SYNC_LENGTH;
      if (pending.length < blockEnd) break;
      if (!pending.subarray(prefixEnd + size, blockEnd).equals(header.sync)) throw corrupt('sync marker mismatch');
      let data = pending.subarray(prefixEnd, prefixEnd + size);
      if (codec === 'deflate') {
        try {
          data = inflateRawSync(data, { maxOutputLength: MAX_BLOCK_BYTES });
        } catch (error) {
          throw corrupt(`deflate block does not inflate (${(error as Error).message})`, error);
        }
      }
      let position = 0;
      const items: T[] = [];
      let failure: unknown = null;
      reader ??= readerFor(type);
      for (let index = 0; index < count; index++) {
        try {
          items.push(reader.read(data as Buffer, position, where));
        } catch (error) {
          // A sample that breaks the data model fails as itself; anything else is a malformed record.
          failure =
            error instanceof SoakstreamError
              ? error
              : corrupt(`record ${index} of a ${count}-record block is malformed (${(error as Error).message})`, error);
          break;
        }
        position = reader.end;
        records++;
      }
      // The intact records of a block come out before its error.
      if (items.length > 0) yield items;
      if (failure !== null) throw failure;
      if (position !== data.length)
        throw corrupt(`${data.length - position} stray bytes after the block's ${count} records`);
      pending = pending.subarray(blockEnd);
      consumed += blockEnd;
    }
  }
  if (skipped.length > 0) {
    const lost = skipped.reduce((total, block) => total + block.count, 0).toLocaleString('en-US');
    const where = skipped.slice(0, 5).map((block) => `byte ${block.offset}`);
    const one = skipped.length === 1;
    throw new CorruptRecordingError(
      `${path}: ${skipped.length} block${one ? '' : 's'} of ${lost} records failed ${one ? 'its' : 'their'} ` +
        `checksum and ${one ? 'was' : 'were'} skipped (${where.join(', ')}${skipped.length > 5 ? ', …' : ''}); ` +
        `${records.toLocaleString('en-US')} intact records were read`,
      { file: path, records, offset: skipped[0]?.offset ?? 0, reason: 'checksum' },
    );
  }
  if (header === undefined) {
    throw new CorruptRecordingError(
      `${path} is not an Avro object container file (${pending.length === 0 ? 'empty' : 'truncated header'})`,
      { file: path, records: 0, reason: 'no header' },
    );
  }
  if (pending.length > 0) throw corrupt(`truncated: ${pending.length} bytes of an incomplete block`);
}
