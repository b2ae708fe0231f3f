import { createWriteStream, type WriteStream } from 'node:fs';
import { SinkError } from '../../model/errors.js';
import type { Sink, SinkRecord } from '../sink.js';

/** Options of {@link NdjsonSink}. */
export interface NdjsonSinkOptions {
  /** The file to write (created, or truncated). */
  readonly path: string;
  /** Which records to write, by type: 'alert' writes each Alert, 'stat' each Stat, and so on. */
  readonly types: readonly SinkRecord['type'][];
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
    case 'regression':
      return record.regression;
    case 'scaling':
      return record.scaling;
    case 'diagnostic':
      return record.diagnostic;
  }
}

/**
 * Writes records of the chosen types to a file as NDJSON, one object per line in the order
 * written (the Avro field names: replay's --alerts-out and --stats-out). A write resolves once the
 * file's stream has taken its lines without exceeding its buffer, so a slow disk paces the
 * analysis; a write error fails that write and every later one with the path in the message.
 */
export class NdjsonSink implements Sink {
  readonly name: string;
  private readonly types: ReadonlySet<string>;
  private failure: SinkError | null = null;

  private constructor(
    private readonly stream: WriteStream,
    readonly path: string,
    types: readonly string[],
  ) {
    this.name = `ndjson ${path}`;
    this.types = new Set(types);
    stream.on('error', (error) => {
      this.failure ??= new SinkError(`cannot write ${path}: ${error.message}`, { context: { path }, cause: error });
    });
  }

  /** Creates (or truncates) the file; rejects with the path when it cannot be created. */
  static async open(options: NdjsonSinkOptions): Promise<NdjsonSink> {
    const { path } = options;
    const stream = createWriteStream(path);
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', (error) =>
        reject(new SinkError(`cannot write ${path}: ${error.message}`, { context: { path }, cause: error })),
      );
    });
    return new NdjsonSink(stream, path, options.types);
  }

  async write(records: readonly SinkRecord[]): Promise<void> {
    if (this.failure !== null) throw this.failure;
    let text = '';
    for (const record of records) if (this.types.has(record.type)) text += `${JSON.stringify(payloadOf(record))}\n`;
    if (text === '') return;
    if (!this.stream.write(text)) {
      // Drained, or failed: the error listener keeps the failure.
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('error', done);
      });
    }
    if (this.failure !== null) throw this.failure;
  }

  /** Flushes and closes the file; safe to call twice. Rejects with the first write error. */
  async close(): Promise<void> {
    if (!this.stream.writableEnded) {
      await new Promise<void>((resolve) => this.stream.end(() => resolve()));
    }
    if (this.failure !== null) throw this.failure;
  }
}
