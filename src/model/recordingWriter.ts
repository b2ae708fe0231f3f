import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
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

/**
 * Streams items into a new Avro object container file (Avro 1.11 spec, "Object Container Files")
 * through avsc's BlockEncoder: samples (sample.v1, replayable), stats (stat.v2) or alerts
 * (alert.v2). The file is created exclusively: an existing file is never truncated. Memory is
 * bounded by one block plus the stream buffers; each write costs O(item size), amortised block
 * compression included. Items are in the file once a block fills or the writer closes, so a crash
 * loses at most the last block (`blockSize` bytes before compression). A file-system error (a full
 * disk, a read-only one) fails the write or close that meets it, and every later one, with a
 * SinkError naming the file.
 */
export class ContainerWriter<T> {
  private readonly encoder: avro.streams.BlockEncoder;
  protected readonly finished: Promise<void>;
  protected failure: SinkError | undefined;
  private closing: Promise<void> | undefined;
  private written = 0;
  /** Names the file in errors: "recording out/soak-samples-000001.avro". */
  private readonly where: string;

  protected constructor(
    readonly path: string,
    private readonly file: WriteStream,
    private readonly kind: RecordKind<T>,
    options: RecordingWriterOptions,
  ) {
    this.where = `${kind.what} ${path}`;
    const schema = defaultSchemaRegistry().get(kind.schema).schema as avro.Schema;
    // Passing the JSON (not the avsc Type) keeps doc and logicalType in the file header.
    this.encoder = new avro.streams.BlockEncoder(schema, {
      codec: options.codec ?? 'deflate',
      blockSize: options.blockSize ?? 65_536,
      // Eager header: a file of zero items is still a valid container.
      writeHeader: 'always',
    });
    // pipeline forwards file-system errors, which createFileEncoder's plain pipe would drop.
    this.finished = pipeline(this.encoder, file).catch((error: unknown) => {
      throw this.fail(error);
    });
    // Seen by the write or close that waits on it; nobody may be waiting when it fails.
    this.finished.catch(() => undefined);
  }

  /** Keeps the first failure, named after the file, and returns it. */
  private fail(error: unknown): SinkError {
    this.failure ??= fileWriteError(WRITER, this.path, error);
    return this.failure;
  }

  protected static async openWith<W extends ContainerWriter<unknown>>(
    path: string,
    make: (file: WriteStream) => W,
  ): Promise<W> {
    // 'wx': created here or not at all; an existing file (EEXIST) is left as it is.
    const file = createWriteStream(path, { flags: 'wx' });
    const writer = make(file);
    try {
      await Promise.race([once(file, 'open'), writer.finished]);
    } catch (error) {
      throw writer.fail(error);
    }
    return writer;
  }

  /** Creates a file of stats (schema stat.v2); rejects with EEXIST as cause when it exists. */
  static openStats(path: string, options: RecordingWriterOptions = {}): Promise<ContainerWriter<Stat>> {
    return ContainerWriter.openWith(path, (file) => new ContainerWriter(path, file, STATS, options));
  }

  /** Creates a file of alerts (schema alert.v2); rejects with EEXIST as cause when it exists. */
  static openAlerts(path: string, options: RecordingWriterOptions = {}): Promise<ContainerWriter<Alert>> {
    return ContainerWriter.openWith(path, (file) => new ContainerWriter(path, file, ALERTS, options));
  }

  /** Number of items accepted so far. */
  get count(): number {
    return this.written;
  }

  /** Bytes in the file so far (compressed blocks that have reached the file system). */
  get bytes(): number {
    return this.file.bytesWritten;
  }

  /**
   * Validates and appends one item (an error and nothing written when a sample is invalid).
   * Returns a promise only when the stream asks for backpressure; await it before writing more.
   */
  write(item: T): Promise<void> | void {
    if (this.failure !== undefined) throw this.failure;
    return this.writeRecord(this.kind.toRecord(item, this.where));
  }

  /**
   * Appends a record already mapped to this file's schema (a caller that validated a batch up
   * front, e.g. with {@link sampleRecord}); otherwise as {@link write}.
   */
  writeRecord(record: unknown): Promise<void> | void {
    if (this.failure !== undefined) throw this.failure;
    if (this.closing !== undefined) throw new Error(`${this.where} is closed`);
    this.written++;
    if (!this.encoder.write(record)) return this.drained();
  }

  private async drained(): Promise<void> {
    try {
      await Promise.race([once(this.encoder, 'drain'), this.finished]);
    } catch (error) {
      throw this.fail(error);
    }
    if (this.failure !== undefined) throw this.failure;
  }

  /**
   * Flushes the last block and closes the file; resolves when everything is on disk, rejects with
   * the file's first failure. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.failure === undefined) this.encoder.end();
      await this.finished;
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
    return ContainerWriter.openWith(path, (file) => new RecordingWriter(path, file, SAMPLES, options));
  }
}
