import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import avro from 'avsc';
import type { Sample } from './sample.js';
import { defaultSchemaRegistry } from './schemaRegistry.js';
import { validateSample } from './validateSample.js';

/** Options of RecordingWriter.open: uncompressed block size in bytes (default 64 KiB) and block codec (default deflate). */
export interface RecordingWriterOptions {
  readonly blockSize?: number;
  readonly codec?: 'deflate' | 'null';
}

/**
 * Streams Samples into an Avro object container file with schema sample.v1 (Avro 1.11 spec,
 * "Object Container Files"), through avsc's BlockEncoder. Memory is bounded by one block plus
 * the stream buffers; each write costs O(sample size), amortised block compression included.
 */
export class RecordingWriter {
  private readonly encoder: avro.streams.BlockEncoder;
  private readonly finished: Promise<void>;
  private failure: unknown;
  private closing: Promise<void> | undefined;
  private written = 0;

  private constructor(readonly path: string, file: WriteStream, options: RecordingWriterOptions) {
    const schema = defaultSchemaRegistry().get('sample.v1').schema as avro.Schema;
    // Passing the JSON (not the avsc Type) keeps doc and logicalType in the file header.
    this.encoder = new avro.streams.BlockEncoder(schema, {
      codec: options.codec ?? 'deflate',
      blockSize: options.blockSize ?? 65_536,
      // Eager header: a recording of zero samples is still a valid container.
      writeHeader: 'always',
    });
    // pipeline forwards file-system errors, which createFileEncoder's plain pipe would drop.
    this.finished = pipeline(this.encoder, file);
    this.finished.catch((error: unknown) => {
      this.failure ??= error;
    });
  }

  /** Creates (or truncates) `path` and resolves once the file is open; rejects on file-system errors. O(1). */
  static async open(path: string, options: RecordingWriterOptions = {}): Promise<RecordingWriter> {
    const file = createWriteStream(path);
    const writer = new RecordingWriter(path, file, options);
    await Promise.race([once(file, 'open'), writer.finished]);
    if (writer.failure !== undefined) throw writer.failure;
    return writer;
  }

  /** Number of samples accepted so far. */
  get count(): number {
    return this.written;
  }

  /**
   * Validates and appends one sample (InvalidSampleError and nothing written when invalid).
   * Returns a promise only when the stream asks for backpressure; await it before writing more.
   */
  write(sample: Sample): Promise<void> | void {
    if (this.failure !== undefined) throw this.failure;
    if (this.closing !== undefined) throw new Error(`recording ${this.path} is closed`);
    const valid = validateSample(sample, `recording ${this.path}`);
    this.written++;
    if (!this.encoder.write({ ...valid, unit: valid.unit ?? null })) return this.drained();
  }

  private async drained(): Promise<void> {
    await Promise.race([once(this.encoder, 'drain'), this.finished]);
    if (this.failure !== undefined) throw this.failure;
  }

  /** Flushes the last block and closes the file; resolves when everything is on disk. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.encoder.end();
      await this.finished;
    })();
    return this.closing;
  }
}
