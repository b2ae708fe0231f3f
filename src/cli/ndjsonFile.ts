import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** An NDJSON output file written with backpressure; `close` flushes it. */
export class NdjsonFile {
  private constructor(
    private readonly stream: WriteStream,
    readonly path: string,
  ) {}

  /** Opens (truncates) the file; rejects with the path when it cannot be created. */
  static async open(path: string): Promise<NdjsonFile> {
    const stream = createWriteStream(path);
    await Promise.race([
      once(stream, 'open'),
      once(stream, 'error').then(([error]) =>
        Promise.reject(new Error(`cannot write ${path}: ${(error as Error).message}`)),
      ),
    ]);
    return new NdjsonFile(stream, path);
  }

  /** Appends one JSON object as a line; false when the buffer is full and the caller should await `drained()`. */
  write(value: unknown): boolean {
    return this.stream.write(`${JSON.stringify(value)}\n`);
  }

  /** Resolves when the stream's buffer has drained (at once when it is not full). */
  async drained(): Promise<void> {
    if (this.stream.writableNeedDrain) await once(this.stream, 'drain');
  }

  /** Flushes and closes; safe to call twice. */
  async close(): Promise<void> {
    if (this.stream.closed || this.stream.writableEnded) return;
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
}
