import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { open, type FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import avro from 'avsc';
import type { Alert } from './alert.js';
import { alertToAvro } from './alertCodec.js';
import type { SinkError } from './errors.js';
import { fileWriteError } from './fileWriteError.js';
import type { Sample } from './sample.js';
import { sampleToAvro } from './sampleCodec.js';
import { CURRENT_SCHEMA, defaultSchemaRegistry, type SchemaName } from './schemaRegistry.js';
import type { Stat } from './stat.js';
import { validateSample } from './validateSample.js';

/**
 * Options of RecordingWriter.open: uncompressed block size in bytes (default 64 KiB) and block
 * codec (default deflate).
 */
export interface RecordingWriterOptions {
  readonly blockSize?: number;
  readonly codec?: 'deflate' | 'null';
}

/**
 * The companion of a container file that holds its block checksums: `.<file>.crc` beside it (a
 * hidden file, so a glob such as `out/run-samples-*` names only recordings), one NDJSON line per
 * block as it is written, `{"offset":…,"size":…,"count":…,"crc32":…}`: the block's byte offset
 * in the container, the size of its data (as stored, compressed or not), its record count and the
 * CRC-32 (ISO 3309, zlib's) of its bytes from the record count to the end of the data (the sync
 * marker excluded). Readers check each block against it.
 */
export const checksumsPath = (path: string): string => join(dirname(path), `.${basename(path)}.crc`);

/** One line of a checksum companion (see checksumsPath). */
export interface BlockChecksum {
  readonly offset: number;
  readonly size: number;
  readonly count: number;
  readonly crc32: number;
}

/** What a container file holds: its schema and how one item becomes an Avro record (validating it). */
interface RecordKind<T> {
  readonly schema: SchemaName;
  readonly what: string;
  toRecord(item: T, where: string): unknown;
}

/**
 * A sample validated (InvalidSampleError naming `where` otherwise) and mapped to its sample.v1
 * record, for {@link ContainerWriter.writeRecord}.
 */
export const sampleRecord = (sample: Sample, where: string): unknown => sampleToAvro(validateSample(sample, where));

const SAMPLES: RecordKind<Sample> = { schema: 'sample.v1', what: 'recording', toRecord: sampleRecord };
const STATS: RecordKind<Stat> = { schema: CURRENT_SCHEMA.stat, what: 'stats file', toRecord: (stat) => stat };
const ALERTS: RecordKind<Alert> = { schema: CURRENT_SCHEMA.alert, what: 'alerts file', toRecord: alertToAvro };

// Names the writer in its errors: "recorder: cannot write out/soak-samples-000001.avro: ...".
const WRITER = 'recorder';

/** The header of an Avro object container file (Avro 1.11 spec, "Object Container Files"). */
const HEADER = avro.Type.forSchema({
  type: 'record',
  name: 'org.apache.avro.file.Header',
  fields: [
    { name: 'magic', type: { type: 'fixed', name: 'Magic', size: 4 } },
    { name: 'meta', type: { type: 'map', values: 'bytes' } },
    { name: 'sync', type: { type: 'fixed', name: 'Sync', size: 16 } },
  ],
});
const MAGIC = Buffer.from('Obj\x01', 'latin1');
const LONG = avro.Type.forSchema('long');
const deflateRaw = promisify(zlib.deflateRaw);

/**
 * Writes items to a new Avro object container file (Avro 1.11 spec, "Object Container Files"):
 * samples (sample.v1, replayable), stats (stat.v2) or alerts (alert.v4). The file is created
 * exclusively: an existing file is never truncated. Items are encoded into a block of `blockSize`
 * bytes; a full block is compressed and written out behind the ones before it, in order, while
 * writing goes on. `flush()` writes the block in progress and resolves once every item written
 * so far is in the file, so a consumer can commit what it recorded; a process killed at any
 * moment loses only items not yet flushed, and the file reads to its last complete block. Memory
 * is bounded by the block in progress and the blocks being written (writes wait beyond four);
 * each write costs O(item size), compression included. A file-system error (a full disk, a
 * read-only one) fails the write, flush or close that meets it, and every later one, with a
 * SinkError naming the file.
 */
export class ContainerWriter<T> {
  private readonly type: avro.Type;
  private readonly blockSize: number;
  private readonly codec: 'deflate' | 'null';
  private readonly syncMarker = randomBytes(16);
  private block: Buffer;
  private position = 0;
  private blockItems = 0;
  /** Blocks handed to `writing` and not in the file yet, in bytes before compression. */
  private queuedBytes = 0;
  /** The block writes, one after another; never rejects (a failure is kept in `failure`). */
  private writing: Promise<void> = Promise.resolve();
  private failure: SinkError | undefined;
  private closing: Promise<void> | undefined;
  private written = 0;
  private fileBytes = 0;
  /** Names the file in errors: "recording out/soak-samples-000001.avro". */
  private readonly where: string;

  protected constructor(
    readonly path: string,
    private readonly file: FileHandle,
    private readonly sums: FileHandle,
    private readonly kind: RecordKind<T>,
    options: RecordingWriterOptions,
  ) {
    this.where = `${kind.what} ${path}`;
    this.type = avro.Type.forSchema(defaultSchemaRegistry().get(kind.schema).schema as avro.Schema);
    this.blockSize = options.blockSize ?? 65_536;
    this.codec = options.codec ?? 'deflate';
    this.block = Buffer.allocUnsafe(this.blockSize);
  }

  /** Keeps the first failure, named after the file, and returns it. */
  private fail(error: unknown): SinkError {
    this.failure ??= fileWriteError(WRITER, this.path, error);
    return this.failure;
  }

  protected static async openWith<W extends ContainerWriter<unknown>>(
    path: string,
    make: (file: FileHandle, sums: FileHandle) => W,
  ): Promise<W> {
    let file: FileHandle;
    let sums: FileHandle;
    try {
      // 'wx': created here or not at all; an existing file (EEXIST) is left as it is.
      file = await open(path, 'wx');
    } catch (error) {
      throw fileWriteError(WRITER, path, error);
    }
    try {
      // The container was created just now, so a companion already there is a stale one: replaced.
      sums = await open(checksumsPath(path), 'w');
    } catch (error) {
      await file.close().catch(() => undefined);
      throw fileWriteError(WRITER, checksumsPath(path), error);
    }
    const writer = make(file, sums);
    // The header goes out at once: a file of zero items is still a valid container.
    await writer.append(writer.header());
    if (writer.failure !== undefined) {
      await file.close().catch(() => undefined);
      await sums.close().catch(() => undefined);
      throw writer.failure;
    }
    return writer;
  }

  /** Creates a file of stats (schema stat.v2); rejects with EEXIST as cause when it exists. */
  static openStats(path: string, options: RecordingWriterOptions = {}): Promise<ContainerWriter<Stat>> {
    return ContainerWriter.openWith(path, (file, sums) => new ContainerWriter(path, file, sums, STATS, options));
  }

  /** Creates a file of alerts (schema alert.v4); rejects with EEXIST as cause when it exists. */
  static openAlerts(path: string, options: RecordingWriterOptions = {}): Promise<ContainerWriter<Alert>> {
    return ContainerWriter.openWith(path, (file, sums) => new ContainerWriter(path, file, sums, ALERTS, options));
  }

  private header(): Buffer {
    // Passing the schema's JSON (not the avsc Type) keeps doc and logicalType in the file header.
    const schema = JSON.stringify(defaultSchemaRegistry().get(this.kind.schema).schema);
    return HEADER.toBuffer({
      magic: MAGIC,
      meta: { 'avro.schema': Buffer.from(schema), 'avro.codec': Buffer.from(this.codec) },
      sync: this.syncMarker,
    });
  }

  /**
   * Queues bytes to go into the file after everything queued before them; a block's checksum
   * line (given its offset in the file) goes into the companion once the block is in the file.
   */
  private append(bytes: Buffer | (() => Promise<Buffer>), checksum?: (offset: number) => string): Promise<void> {
    this.writing = this.writing.then(async () => {
      if (this.failure !== undefined) return;
      try {
        const offset = this.fileBytes;
        let data = typeof bytes === 'function' ? await bytes() : bytes;
        while (data.length > 0) {
          const { bytesWritten } = await this.file.write(data);
          this.fileBytes += bytesWritten;
          data = data.subarray(bytesWritten);
        }
        if (checksum !== undefined) await this.sums.write(checksum(offset));
      } catch (error) {
        this.fail(error);
      }
    });
    return this.writing;
  }

  /** Hands the block in progress to the writes behind the others: count, size, data, sync marker. */
  private cut(): void {
    if (this.blockItems === 0) return;
    const raw = this.block.subarray(0, this.position);
    const items = this.blockItems;
    this.block = Buffer.allocUnsafe(this.blockSize);
    this.position = 0;
    this.blockItems = 0;
    this.queuedBytes += raw.length;
    let sum: Omit<BlockChecksum, 'offset'> | undefined;
    void this.append(
      async () => {
        const data = this.codec === 'deflate' ? await deflateRaw(raw) : raw;
        this.queuedBytes -= raw.length;
        const block = Buffer.concat([LONG.toBuffer(items), LONG.toBuffer(data.length), data]);
        sum = { size: data.length, count: items, crc32: zlib.crc32(block) };
        return Buffer.concat([block, this.syncMarker]);
      },
      (offset) => `${JSON.stringify({ offset, ...sum })}\n`,
    );
  }

  /** Number of items accepted so far. */
  get count(): number {
    return this.written;
  }

  /** Bytes in the file so far (the header and the compressed blocks written). */
  get bytes(): number {
    return this.fileBytes;
  }

  /**
   * Validates and appends one item (an error and nothing written when a sample is invalid).
   * Returns a promise only when blocks are waiting to be written; await it before writing more.
   */
  write(item: T): Promise<void> | void {
    if (this.failure !== undefined) throw this.failure;
    return this.writeRecord(this.kind.toRecord(item, this.where));
  }

  /**
   * Appends a record already mapped to this file's schema (a caller that validated a batch up
   * front, e.g. with {@link sampleRecord}); otherwise as {@link write}. A record the schema
   * cannot encode throws, and nothing of it is written.
   */
  writeRecord(record: unknown): Promise<void> | void {
    if (this.failure !== undefined) throw this.failure;
    if (this.closing !== undefined) throw new Error(`${this.where} is closed`);
    let end = this.type.encode(record, this.block, this.position);
    if (end < 0) {
      // The block is full: it goes out, and the record starts the next (one larger than a block gets its own).
      this.cut();
      end = this.type.encode(record, this.block, 0);
      if (end < 0) {
        const bytes = this.type.toBuffer(record);
        this.block = Buffer.allocUnsafe(Math.max(this.blockSize, bytes.length));
        end = bytes.copy(this.block, 0);
      }
    }
    this.position = end;
    this.blockItems++;
    this.written++;
    if (this.queuedBytes > 4 * this.blockSize) return this.settled();
  }

  private async settled(): Promise<void> {
    await this.writing;
    if (this.failure !== undefined) throw this.failure;
  }

  /**
   * Writes out the block in progress; resolves once every item accepted so far is in the file
   * (written to the operating system, which keeps it when this process is killed), rejects with
   * the file's first failure.
   */
  flush(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.cut();
    return this.settled();
  }

  /**
   * Writes the last block and closes the file; resolves when everything is in it, rejects with
   * the file's first failure (the file is closed either way). Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.failure === undefined) this.cut();
      await this.writing;
      await this.file.close().catch((error: unknown) => this.fail(error));
      await this.sums.close().catch((error: unknown) => this.fail(error));
      if (this.failure !== undefined) throw this.failure;
    })();
    return this.closing;
  }
}

/** A replayable recording: samples (schema sample.v1) in an Avro container file. */
export class RecordingWriter extends ContainerWriter<Sample> {
  /**
   * Creates `path` (never truncating an existing file: EEXIST as cause) and resolves once it is
   * open; rejects with a SinkError naming it on file-system errors. O(1).
   */
  static open(path: string, options: RecordingWriterOptions = {}): Promise<RecordingWriter> {
    return ContainerWriter.openWith(path, (file, sums) => new RecordingWriter(path, file, sums, SAMPLES, options));
  }
}
