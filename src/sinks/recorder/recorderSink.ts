import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Alert } from '../../model/alert.js';
import { SinkError } from '../../model/errors.js';
import { fileWriteError } from '../../model/fileWriteError.js';
import {
  ContainerWriter,
  RecordingWriter,
  sampleRecord,
  type RecordingWriterOptions,
} from '../../model/recordingWriter.js';
import type { Sample } from '../../model/sample.js';
import type { Stat } from '../../model/stat.js';
import { Serial } from '../../transport/serial.js';
import type { Sink, SinkRecord } from '../sink.js';
import { FILE_PREFIX } from '../../model/names.js';
import { showValue } from '../../model/showValue.js';

/** Options of {@link RecorderSink.open}. */
export interface RecorderSinkOptions extends RecordingWriterOptions {
  /** Directory of the files; created when missing. */
  readonly dir: string;
  /** File name prefix. Default 'soak'. */
  readonly prefix?: string;
  /** A file is closed and the next one started once it holds this many bytes. Default 256 MiB. */
  readonly maxBytes?: number;
  /** Also record stats (stat.v2) and alerts (alert.v4), each in files of their own. Default false. */
  readonly stats?: boolean;
  readonly alerts?: boolean;
}

/** Size at which a recording file is rotated: 256 MiB. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

type Stream = 'samples' | 'stats' | 'alerts';

interface Rotating<T> {
  readonly stream: Stream;
  writer: ContainerWriter<T> | null;
  index: number;
  readonly open: (path: string) => Promise<ContainerWriter<T>>;
}

/** The number of a file `<prefix>-<stream>-NNNNNN.avro` of this prefix and stream, or null. */
function fileNumber(name: string, prefix: string, stream: Stream): number | null {
  const head = `${prefix}-${stream}-`;
  if (!name.startsWith(head) || !name.endsWith('.avro')) return null;
  const digits = name.slice(head.length, -'.avro'.length);
  return /^\d{6,}$/.test(digits) ? Number(digits) : null;
}

/** Whether opening failed because the file exists (someone else created it first). */
const exists = (error: unknown): boolean =>
  error instanceof SinkError && (error.cause as NodeJS.ErrnoException | undefined)?.code === 'EEXIST';

/**
 * Records to Avro container files in a directory, rotating by size: raw samples to
 * `<prefix>-samples-000001.avro`, `-000002`, … (each file a complete recording that replays on its
 * own; replay them in order for the whole run), and optionally stats and alerts to
 * `<prefix>-stats-*.avro` and `<prefix>-alerts-*.avro`. It never truncates a file: opened on a
 * directory that already holds files of its prefix (a restarted run or recorder), each stream
 * goes on after its highest number, and every file is created exclusively, so two recorders
 * racing for a number each get their own. A file is rotated once the bytes on disk reach
 * `maxBytes`, so a file exceeds it by at most one compressed block. `write` resolves when the
 * writers have taken the records (waiting while blocks queue up); they reach the file a block at a
 * time, and `sync()` writes out the blocks in progress, so a Kafka consumer commits only what is
 * in the files and a process killed at any moment loses nothing it committed. Invalid samples are
 * rejected with InvalidSampleError before anything of that write is recorded; a file-system error
 * fails the write or close that meets it with a SinkError naming the file.
 */
export class RecorderSink implements Sink {
  readonly name = 'recorder';
  private readonly closedFiles: string[] = [];
  private readonly serial = new Serial();
  private readonly samples: Rotating<Sample>;
  private readonly statsStream: Rotating<Stat> | null;
  private readonly alertsStream: Rotating<Alert> | null;

  private constructor(private readonly options: RecorderSinkOptions) {
    const writerOptions: RecordingWriterOptions = {
      ...(options.blockSize !== undefined ? { blockSize: options.blockSize } : {}),
      ...(options.codec !== undefined ? { codec: options.codec } : {}),
    };
    this.samples = {
      stream: 'samples',
      writer: null,
      index: 0,
      open: (path) => RecordingWriter.open(path, writerOptions),
    };
    this.statsStream =
      options.stats === true
        ? { stream: 'stats', writer: null, index: 0, open: (path) => ContainerWriter.openStats(path, writerOptions) }
        : null;
    this.alertsStream =
      options.alerts === true
        ? { stream: 'alerts', writer: null, index: 0, open: (path) => ContainerWriter.openAlerts(path, writerOptions) }
        : null;
  }

  static async open(options: RecorderSinkOptions): Promise<RecorderSink> {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    if (!(maxBytes > 0)) throw new RangeError(`recorder: maxBytes must be > 0, got ${maxBytes}`);
    const prefix = options.prefix ?? 'soak';
    if (!FILE_PREFIX.test(prefix))
      throw new RangeError(`recorder: prefix must be letters, digits, '.', '_' or '-', got ${showValue(prefix)}`);
    let names: string[];
    try {
      await mkdir(options.dir, { recursive: true });
      names = await readdir(options.dir);
    } catch (error) {
      throw fileWriteError('recorder', options.dir, error);
    }
    const sink = new RecorderSink({ ...options, prefix, maxBytes });
    // O(files in the directory), once.
    for (const stream of [sink.samples, sink.statsStream, sink.alertsStream]) {
      if (stream === null) continue;
      for (const name of names) stream.index = Math.max(stream.index, fileNumber(name, prefix, stream.stream) ?? 0);
    }
    await sink.rotate(sink.samples);
    return sink;
  }

  /** Every file written so far, in order, the open ones included. */
  get files(): readonly string[] {
    const open = [this.samples, this.statsStream, this.alertsStream].flatMap((s) =>
      s?.writer != null ? [s.writer.path] : [],
    );
    return [...this.closedFiles, ...open];
  }

  /** The sample recordings among {@link files}: what `soakstream replay` takes. */
  get sampleFiles(): readonly string[] {
    const prefix = join(this.options.dir, `${this.options.prefix as string}-samples-`);
    return this.files.filter((file) => file.startsWith(prefix));
  }

  private fileName(stream: string, index: number): string {
    return join(this.options.dir, `${this.options.prefix as string}-${stream}-${String(index).padStart(6, '0')}.avro`);
  }

  write(records: readonly SinkRecord[]): Promise<void> {
    return this.serial.run(() => this.append(records));
  }

  private async append(records: readonly SinkRecord[]): Promise<void> {
    // Every sample is validated before any is written, so an invalid one rejects the whole write.
    const sampleRecords = records.map((record, i) =>
      record.type === 'sample' ? sampleRecord(record.sample, `recorder write, record ${i}`) : null,
    );
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as SinkRecord;
      if (record.type === 'sample') {
        this.samples.writer ??= await this.next(this.samples);
        const pending = this.samples.writer.writeRecord(sampleRecords[i]);
        if (pending !== undefined) await pending;
      } else if (record.type === 'stat' && this.statsStream !== null) await this.put(this.statsStream, record.stat);
      else if (record.type === 'alert' && this.alertsStream !== null) await this.put(this.alertsStream, record.alert);
    }
    for (const stream of [this.samples, this.statsStream, this.alertsStream]) {
      if (stream?.writer != null && stream.writer.bytes >= (this.options.maxBytes as number))
        await this.rotate(stream as Rotating<unknown>);
    }
  }

  private async put<T>(stream: Rotating<T>, item: T): Promise<void> {
    stream.writer ??= await this.next(stream);
    const pending = stream.writer.write(item);
    if (pending !== undefined) await pending;
  }

  /** Opens the stream's next file number that does not exist yet. */
  private async next<T>(stream: Rotating<T>): Promise<ContainerWriter<T>> {
    for (;;) {
      stream.index++;
      try {
        return await stream.open(this.fileName(stream.stream, stream.index));
      } catch (error) {
        if (!exists(error)) throw error;
      }
    }
  }

  private async rotate<T>(stream: Rotating<T>): Promise<void> {
    if (stream.writer !== null) {
      await stream.writer.close();
      this.closedFiles.push(stream.writer.path);
    }
    stream.writer = await this.next(stream);
  }

  /** Writes out the block in progress of every open file; resolves once all they were given is in them. */
  sync(): Promise<void> {
    return this.serial.run(async () => {
      for (const stream of [this.samples, this.statsStream, this.alertsStream]) await stream?.writer?.flush();
    });
  }

  /** Closes every open file (all of them, even when one fails) and rethrows the first failure; safe to call twice. */
  async close(): Promise<void> {
    await this.serial.idle();
    let failure: unknown = null;
    for (const stream of [this.samples, this.statsStream, this.alertsStream]) {
      const writer = stream?.writer;
      if (stream == null || writer == null) continue;
      stream.writer = null;
      this.closedFiles.push(writer.path);
      try {
        await writer.close();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== null) throw failure;
  }
}
