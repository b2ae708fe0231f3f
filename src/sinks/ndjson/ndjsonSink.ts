import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { SinkError } from '../../model/errors.js';
import { fileWriteError } from '../../model/fileWriteError.js';
import type { Sink, SinkRecord } from '../sink.js';

/** Options of {@link NdjsonSink}. */
export interface NdjsonSinkOptions {
  /** The file to write (created, or truncated). */
  readonly path: string;
  /** Which records to write, by type: 'alert' writes each Alert, 'stat' each Stat, and so on. */
  readonly types: readonly SinkRecord['type'][];
  /** Prefix each object with its record type (`{"type":"changepoint",...}`), for files of mixed types. */
  readonly typed?: boolean;
}

/** The object a record carries (an Alert, a Stat, a Sample...), as it is written. */
function payloadOf(record: SinkRecord): unknown {
  switch (record.type) {
    case 'sample':
      return record.sample;
    case 'stat':
      return record.stat;
    case 'alert':
      return record.alert;
    case 'leak':
      return record.leak;
    case 'changepoint':
      return record.changePoint;
    case 'outlier':
      return record.outlier;
    case 'anomaly':
      return record.anomaly;
    case 'regression':
      return record.regression;
    case 'scaling':
      return record.scaling;
    case 'recovery':
      return record.recovery;
    case 'diagnostic':
      return record.diagnostic;
  }
}

/**
 * Writes records of the chosen types to a file as NDJSON, one object per line in the order
 * written (the Avro field names: replay's --alerts-out and --stats-out; with `typed`, each object starts with its
 * record type: --events-out). A write resolves once the
 * file's stream has taken its lines without exceeding its buffer, so a slow disk paces the
 * analysis; a file-system error (a full or read-only disk) fails the write or close that meets it,
 * and every later one, with a SinkError naming the file: "ndjson: cannot write out.ndjson: no
 * space left on device (ENOSPC)".
 */
export class NdjsonSink implements Sink {
  readonly name = 'ndjson';
  readonly target: string;
  private readonly types: ReadonlySet<string>;
  private failure: SinkError | null = null;
  /** Settles when the stream has finished or failed (the failure is kept); never rejects. */
  private readonly done: Promise<void>;

  private constructor(
    private readonly stream: WriteStream,
    readonly path: string,
    types: readonly string[],
    private readonly typed: boolean,
  ) {
    this.target = path;
    this.types = new Set(types);
    this.done = finished(stream).catch((error: unknown) => {
      this.fail(error);
    });
  }

  /** Keeps the first failure, named after the file, and returns it. */
  private fail(error: unknown): SinkError {
    this.failure ??= fileWriteError('ndjson', this.path, error);
    return this.failure;
  }

  /** Creates (or truncates) the file; rejects with a SinkError naming it when it cannot be created. */
  static async open(options: NdjsonSinkOptions): Promise<NdjsonSink> {
    const { path } = options;
    const stream = createWriteStream(path);
    try {
      await once(stream, 'open');
    } catch (error) {
      throw fileWriteError('ndjson', path, error);
    }
    return new NdjsonSink(stream, path, options.types, options.typed === true);
  }

  async write(records: readonly SinkRecord[]): Promise<void> {
    if (this.failure !== null) throw this.failure;
    let text = '';
    for (const record of records) {
      if (!this.types.has(record.type)) continue;
      const payload = payloadOf(record);
      text += `${JSON.stringify(this.typed ? { type: record.type, ...(payload as object) } : payload)}\n`;
    }
    if (text === '') return;
    if (this.stream.writableEnded) throw fileWriteError('ndjson', this.path, new Error('the file is closed'));
    if (!this.stream.write(text)) {
      // Drained, or failed: `done` keeps a failure, and 'drain' waits reject with the stream's error.
      try {
        await Promise.race([once(this.stream, 'drain'), this.done]);
      } catch (error) {
        throw this.fail(error);
      }
    }
    if (this.failure !== null) throw this.failure;
  }

  /** Flushes and closes the file; safe to call twice. Rejects with the first write error. */
  async close(): Promise<void> {
    if (!this.stream.writableEnded && !this.stream.destroyed) this.stream.end();
    await this.done;
    if (this.failure !== null) throw this.failure;
  }
}
