import { setTimeout as sleep } from 'node:timers/promises';
import { HttpError, InfluxDB, type Point, type WriteApi } from '@influxdata/influxdb-client';
import { SinkError } from '../../model/errors.js';
import type { Tags } from '../../model/sample.js';
import { Backoff } from '../../transport/retry.js';
import type { Sink, SinkRecord } from '../sink.js';
import { Serial } from '../../transport/serial.js';
import { pointsOf, safeTagValue } from './points.js';
import { DEFAULT_DATABASE } from './schema.js';

/** Options of {@link InfluxSink}. */
export interface InfluxSinkOptions {
  /** Server URL, e.g. http://localhost:8086. */
  readonly url: string;
  /** InfluxDB 2.x token, or `user:password` for 1.8+ with authentication. */
  readonly token?: string;
  /** Organisation (2.x); 1.x ignores it. Default '-'. */
  readonly org?: string;
  /** Bucket (2.x) or `database/retention-policy` (1.x). Default 'soakstream'. */
  readonly bucket?: string;
  /** Tags on every point, typically scenario, run and host. */
  readonly tags?: Tags;
  /** Also write raw samples (measurement `samples`). Default false. */
  readonly rawSamples?: boolean;
  /** Points per write request. Default 5000. */
  readonly batchSize?: number;
  /** A partial batch is sent after this long. Default 1000 ms. */
  readonly flushIntervalMs?: number;
  /** Points held before `write` waits (backpressure). Default 50,000. */
  readonly maxBufferedPoints?: number;
  /** Retry delays grow from min to max, doubling, with jitter. Defaults 500 ms and 30 s. */
  readonly minRetryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /** Give up (and fail the waiting writes) after retrying this long. Default: never. */
  readonly maxRetryTimeMs?: number;
  /** Timeout of one write request. Default 10 s. */
  readonly timeoutMs?: number;
  /** Told about every failed attempt that will be retried. */
  readonly onRetry?: (error: Error, attempt: number, delayMs: number) => void;
}

/** Counters of an {@link InfluxSink}. */
export interface InfluxSinkStats {
  readonly buffered: number;
  readonly written: number;
  readonly requests: number;
  readonly retries: number;
}

interface Waiter {
  readonly upTo: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

const retriable = (error: unknown): boolean =>
  !(error instanceof HttpError) || error.statusCode === 408 || error.statusCode >= 429;

const describe = (error: unknown): string => {
  if (error instanceof HttpError)
    return `HTTP ${error.statusCode}${error.body ? `: ${error.body.trim().slice(0, 300)}` : ''}`;
  return error instanceof Error ? error.message : String(error);
};

/**
 * Writes sink records to InfluxDB as points (schema in ./schema.ts) through the official
 * `@influxdata/influxdb-client`, in batches of `batchSize` points, one request at a time, in order.
 * `write` resolves when the server has acknowledged every point of it. A failed request is retried
 * with exponential backoff and jitter (network errors, 408, 429, 5xx) until it succeeds or
 * `maxRetryTimeMs` passes; meanwhile points accumulate up to `maxBufferedPoints`, after which
 * `write` waits: an outage pauses upstream, nothing is dropped and memory stays bounded. A
 * request the server refuses (other 4xx: bad line protocol, field type conflict, no such
 * bucket, unauthorised) fails its writes and every later one with a SinkError naming the status
 * and the server's message.
 */
export class InfluxSink implements Sink {
  readonly name = 'influxdb';
  private readonly writeApi: WriteApi;
  private readonly lines: string[] = [];
  private head = 0;
  private enqueued = 0;
  private acknowledged = 0;
  private requests = 0;
  private retries = 0;
  private readonly waiters: Waiter[] = [];
  private readonly roomWaiters: (() => void)[] = [];
  private readonly admission = new Serial();
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> | null = null;
  private failure: SinkError | null = null;
  private closing = false;
  /** Lines enqueued when sendBuffered was last asked: send without waiting until they are acknowledged. */
  private sendUpTo = 0;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly maxBuffered: number;
  private readonly settings: {
    readonly convertTime: (value: string | number | Date | undefined) => string | undefined;
    readonly defaultTags: Record<string, string>;
  };

  constructor(private readonly options: InfluxSinkOptions) {
    this.batchSize = positive('batchSize', options.batchSize ?? 5000);
    this.flushIntervalMs = positive('flushIntervalMs', options.flushIntervalMs ?? 1000);
    this.maxBuffered = positive('maxBufferedPoints', options.maxBufferedPoints ?? 50_000);
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new RangeError(`influxdb: url is not a URL: ${JSON.stringify(options.url)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new RangeError(`influxdb: url must be http or https, got ${url.protocol}`);
    const client = new InfluxDB({
      url: options.url,
      timeout: options.timeoutMs ?? 10_000,
      ...(options.token !== undefined ? { token: options.token } : {}),
    });
    // The client only sends: batching, ordering and retries are this class's, so that an
    // acknowledgement means "stored" and a long outage never drops points.
    this.writeApi = client.getWriteApi(options.org ?? '-', options.bucket ?? DEFAULT_DATABASE, 'us', {
      // One batch is handed over at a time, always below these bounds, and sent by flush().
      batchSize: this.batchSize + 1,
      maxBufferLines: this.batchSize + 1,
      flushInterval: 0,
      maxRetries: 0,
      // Hand every failure back to flush() at once (no client retries, no client logging).
      writeFailed: (error: Error) => Promise.reject(error),
    });
    // Constant tags go through the same backslash rule as series tags (points.ts).
    const defaultTags = Object.fromEntries(
      Object.entries(options.tags ?? {}).map(([key, value]) => [safeTagValue(key), safeTagValue(value)]),
    );
    this.settings = { convertTime: (value) => (value === undefined ? undefined : String(value)), defaultTags };
  }

  /** Points buffered, points acknowledged, write requests sent (retries included) and retries so far. */
  stats(): InfluxSinkStats {
    return {
      buffered: this.enqueued - this.acknowledged,
      written: this.acknowledged,
      requests: this.requests,
      retries: this.retries,
    };
  }

  async write(records: readonly SinkRecord[]): Promise<void> {
    const points: Point[] = [];
    const pointOptions = { rawSamples: this.options.rawSamples ?? false };
    for (const record of records) for (const point of pointsOf(record, pointOptions)) points.push(point);
    if (points.length === 0) return;
    // Writes are admitted one after another, so records are stored in the order written even
    // when an earlier, larger write is still waiting for room.
    const acknowledged = await this.admission.run(async () => {
      await this.waitForRoom(points.length);
      return this.enqueue(points);
    });
    return acknowledged();
  }

  private async waitForRoom(count: number): Promise<void> {
    while (
      this.failure === null &&
      this.enqueued - this.acknowledged > 0 &&
      this.enqueued - this.acknowledged + count > this.maxBuffered
    ) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
  }

  /** Buffers the points' lines; returns a function giving the promise of their acknowledgement. */
  private enqueue(points: readonly Point[]): () => Promise<void> {
    if (this.failure !== null) throw this.failure;
    if (this.closing) throw new SinkError('influxdb: write after close');
    const before = this.enqueued;
    for (const point of points) {
      // A point whose every field was non-finite has no line to write.
      const line = point.toLineProtocol(this.settings);
      if (line === undefined) continue;
      this.lines.push(line);
      this.enqueued++;
    }
    if (this.enqueued === before) return () => Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ upTo: this.enqueued, resolve, reject }));
    this.schedule();
    return () => done;
  }

  sendBuffered(): void {
    void this.admission.idle().then(() => {
      this.sendUpTo = this.enqueued;
      if (this.sending === null && this.head < this.lines.length) void this.send();
    });
  }

  async close(): Promise<void> {
    await this.admission.idle();
    this.closing = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    while (this.failure === null && (this.sending !== null || this.head < this.lines.length))
      await (this.sending ?? this.send());
    await this.writeApi.close().catch(() => undefined);
    if (this.failure !== null) throw this.failure;
  }

  private schedule(): void {
    if (this.sending !== null) return;
    if (this.lines.length - this.head >= this.batchSize || this.acknowledged < this.sendUpTo) {
      void this.send();
    } else if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        if (this.sending === null) void this.send();
      }, this.flushIntervalMs);
    }
  }

  private send(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.sending = this.sendAll().finally(() => {
      this.sending = null;
      if (this.failure === null && this.head < this.lines.length && !this.closing) this.schedule();
    });
    return this.sending;
  }

  private async sendAll(): Promise<void> {
    while (this.failure === null && this.head < this.lines.length) {
      const end = Math.min(this.lines.length, this.head + this.batchSize);
      const batch = this.lines.slice(this.head, end);
      await this.sendBatch(batch);
      if (this.failure !== null) return;
      this.head = end;
      this.acknowledged += batch.length;
      if (this.head > 65_536 && this.head * 2 > this.lines.length) {
        this.lines.splice(0, this.head);
        this.head = 0;
      }
      while (this.waiters.length > 0 && (this.waiters[0] as Waiter).upTo <= this.acknowledged)
        (this.waiters.shift() as Waiter).resolve();
      for (const wake of this.roomWaiters.splice(0)) wake();
      if (!this.closing && this.acknowledged >= this.sendUpTo && this.lines.length - this.head < this.batchSize) return;
    }
  }

  private async sendBatch(batch: readonly string[]): Promise<void> {
    const backoff = new Backoff(this.options.minRetryDelayMs ?? 500, this.options.maxRetryDelayMs ?? 30_000);
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      this.requests++;
      try {
        this.writeApi.writeRecords(batch as string[]);
        await this.writeApi.flush();
        return;
      } catch (error) {
        const context = {
          url: this.options.url,
          bucket: this.options.bucket ?? DEFAULT_DATABASE,
          points: batch.length,
          attempt,
        };
        if (!retriable(error))
          return this.fail(
            new SinkError(`influxdb: the server refused a batch of ${batch.length} points: ${describe(error)}`, {
              context,
              cause: error,
            }),
          );
        const delay = backoff.next();
        if (Date.now() + delay - started > (this.options.maxRetryTimeMs ?? Number.POSITIVE_INFINITY)) {
          return this.fail(
            new SinkError(
              `influxdb: gave up after ${attempt} attempts over ${Date.now() - started} ms: ${describe(error)}`,
              { retriable: true, context, cause: error },
            ),
          );
        }
        this.retries++;
        this.options.onRetry?.(error as Error, attempt, delay);
        await sleep(delay);
      }
    }
  }

  private fail(error: SinkError): void {
    this.failure = error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    for (const wake of this.roomWaiters.splice(0)) wake();
  }
}

function positive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value))
    throw new RangeError(`influxdb: ${name} must be a positive number, got ${value}`);
  return value;
}
