import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpError, InfluxDB, type WriteApi } from '@influxdata/influxdb-client';
import { SinkError } from '../../model/errors.js';
import { maskUrlPasswords } from '../../model/secrets.js';
import type { Tags } from '../../model/sample.js';
import { retry, RetriesExhausted } from '../../transport/retry.js';
import type { Sink, SinkRecord, SinkRefusal, SinkTrouble } from '../sink.js';
import { Serial } from '../../transport/serial.js';
import { pointsOf, safeTagValue } from './points.js';
import { DEFAULT_DATABASE, DEFAULT_RETRY_TIME_MS } from './schema.js';

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
  /** Most points per write request: a larger write is sent in several, in order. Default 5000. */
  readonly batchSize?: number;
  /** Retry delays grow from min to max, doubling, with jitter. Defaults 500 ms and 10 s. */
  readonly minRetryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /** Give up (and fail the waiting writes) after retrying one request this long. Default 3 min. */
  readonly maxRetryTimeMs?: number;
  /** Timeout of one write request. Default 10 s. */
  readonly timeoutMs?: number;
  /** Told about every failed attempt that will be retried. */
  readonly onRetry?: (error: Error, attempt: number, delayMs: number) => void;
}

/** Counters of an {@link InfluxSink}. */
export interface InfluxSinkStats {
  /** Points of writes taken and not yet acknowledged. */
  readonly buffered: number;
  readonly written: number;
  readonly requests: number;
  readonly retries: number;
}

const retriable = (error: unknown): boolean =>
  !(error instanceof HttpError) || error.statusCode === 408 || error.statusCode >= 429;

/**
 * The points InfluxDB refused in a request it otherwise stored (HTTP 400 "partial write: …
 * dropped=N", 1.x and 2.x: N points refused for their values, plus each line it could not parse,
 * such as a time outside its range), or null for any other failure.
 */
const partialWrite = (error: unknown): number | null => {
  if (!(error instanceof HttpError) || error.statusCode !== 400) return null;
  const body = error.body ?? '';
  const match = /partial write[\s\S]*?dropped=(\d+)/.exec(body);
  if (match === null) return null;
  // Points refused for their values are counted in dropped=N; each line it could not parse is named.
  return Number(match[1]) + (body.match(/unable to parse/g)?.length ?? 0);
};

const describe = (error: unknown): string => {
  // InfluxDB before 1.8 has no /api/v2/write, which the official client uses.
  if (error instanceof HttpError && error.statusCode === 404 && !/bucket|database/i.test(error.body ?? ''))
    return 'HTTP 404: the server has no /api/v2/write endpoint (InfluxDB 1.8+ or 2.x is needed)';
  if (error instanceof HttpError)
    return `HTTP ${error.statusCode}${error.body ? `: ${error.body.trim().slice(0, 300)}` : ''}`;
  return error instanceof Error ? error.message : String(error);
};

/**
 * Writes sink records to InfluxDB as points (schema in ./schema.ts) through the official
 * `@influxdata/influxdb-client`: each write is sent at once, in requests of at most `batchSize`
 * points, one request at a time and writes in the order they came, and resolves when the server
 * has acknowledged every point of it. Batching is the caller's (Delivery), so the sink holds no
 * timer and no buffer of its own: while a write waits for the server, the next one waits behind
 * it, which is how an outage pauses upstream instead of dropping points or growing memory. A
 * failed request is retried by the retry module (network errors, 408, 429, 5xx) until it
 * succeeds or `maxRetryTimeMs` passes; a request the server refuses (other 4xx: bad line
 * protocol, field type conflict, no such bucket, unauthorised) fails its write and every later
 * one with a SinkError naming the status and the server's message.
 */
export class InfluxSink implements Sink {
  readonly name = 'influxdb';
  readonly target: string;
  private troubleSince: SinkTrouble | null = null;
  private refusal: SinkRefusal | null = null;
  private readonly aborted = new AbortController();
  // The sink's own connections, closed with it: a server that stalls cannot keep the process alive.
  private readonly agent: HttpAgent;
  private readonly writeApi: WriteApi;
  private readonly serial = new Serial();
  private taken = 0;
  private acknowledged = 0;
  private requests = 0;
  private retries = 0;
  private failure: SinkError | null = null;
  private closing = false;
  private readonly batchSize: number;
  private readonly settings: {
    readonly convertTime: (value: string | number | Date | undefined) => string | undefined;
    readonly defaultTags: Record<string, string>;
  };

  constructor(private readonly options: InfluxSinkOptions) {
    this.target = maskUrlPasswords(options.url);
    this.batchSize = positive('batchSize', options.batchSize ?? 5000);
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new RangeError(`influxdb: url is not a URL: ${JSON.stringify(this.target)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new RangeError(`influxdb: url must be http or https, got ${url.protocol}`);
    this.agent = url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    const client = new InfluxDB({
      url: options.url,
      transportOptions: { agent: this.agent },
      timeout: options.timeoutMs ?? 10_000,
      ...(options.token !== undefined ? { token: options.token } : {}),
    });
    // The client only sends: batching, ordering and retries are not its, so that an
    // acknowledgement means "stored" and a long outage never drops points.
    this.writeApi = client.getWriteApi(options.org ?? '-', options.bucket ?? DEFAULT_DATABASE, 'us', {
      // One request's points are handed over at a time, always below these bounds, and sent by flush().
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

  /**
   * Points taken and not yet acknowledged, points acknowledged, write requests sent (retries
   * included) and retries so far.
   */
  stats(): InfluxSinkStats {
    return {
      buffered: this.taken - this.acknowledged,
      written: this.acknowledged,
      requests: this.requests,
      retries: this.retries,
    };
  }

  /** While a request is being retried: since when and the last failure; null when healthy. */
  refused(): SinkRefusal | null {
    return this.refusal;
  }

  trouble(): SinkTrouble | null {
    return this.troubleSince;
  }

  /** Stops retrying at once: the request being retried and every later write fail. */
  abort(): void {
    this.aborted.abort();
    // The request in flight ends now instead of at its timeout.
    this.agent.destroy();
  }

  write(records: readonly SinkRecord[]): Promise<void> {
    if (this.closing) return Promise.reject(new SinkError('influxdb: write after close'));
    const lines: string[] = [];
    const pointOptions = { rawSamples: this.options.rawSamples ?? false };
    for (const record of records)
      for (const point of pointsOf(record, pointOptions)) {
        // A point whose every field was non-finite has no line to write.
        const line = point.toLineProtocol(this.settings);
        if (line !== undefined) lines.push(line);
      }
    if (lines.length === 0) return this.serial.idle().then(() => this.throwIfFailed());
    this.taken += lines.length;
    // Writes are sent one after another, so records are stored in the order written.
    return this.serial.run(async () => {
      this.throwIfFailed();
      for (let start = 0; start < lines.length; start += this.batchSize) {
        await this.send(lines.slice(start, start + this.batchSize));
        this.acknowledged += Math.min(this.batchSize, lines.length - start);
      }
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.serial.idle();
    await this.writeApi.close().catch(() => undefined);
    this.agent.destroy();
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }

  /** Sends one request, retried by the retry module; a refusal or giving up fails this and every later write. */
  private async send(batch: readonly string[]): Promise<void> {
    const context = { url: this.target, bucket: this.options.bucket ?? DEFAULT_DATABASE, points: batch.length };
    try {
      await retry(
        async () => {
          this.requests++;
          this.writeApi.writeRecords(batch as string[]);
          await this.writeApi.flush();
        },
        {
          minDelayMs: this.options.minRetryDelayMs ?? 500,
          maxDelayMs: this.options.maxRetryDelayMs ?? 10_000,
          maxTimeMs: this.options.maxRetryTimeMs ?? DEFAULT_RETRY_TIME_MS,
          signal: this.aborted.signal,
          retriable,
          onRetry: (error, attempt, delay) => {
            this.retries++;
            this.troubleSince = { since: this.troubleSince?.since ?? Date.now(), reason: describe(error) };
            this.options.onRetry?.(error as Error, attempt, delay);
          },
        },
      );
      this.troubleSince = null;
    } catch (error) {
      this.troubleSince = null;
      // InfluxDB stored the request's other points and refused some (a point out of its time range,
      // a field of another type): counted and named in the summary, the sink goes on.
      const partial = partialWrite(error);
      if (partial !== null) {
        this.refusal = { count: (this.refusal?.count ?? 0) + partial, reason: this.refusal?.reason ?? describe(error) };
        return;
      }
      this.failure =
        error instanceof RetriesExhausted
          ? new SinkError(`influxdb at ${this.target}: ${error.message}: ${describe(error.lastError)}`, {
              retriable: true,
              context: { ...context, attempts: error.attempts },
              cause: error.lastError,
            })
          : new SinkError(
              `influxdb at ${this.target}: the server refused a batch of ${batch.length} points: ` + describe(error),
              { context, cause: error },
            );
      throw this.failure;
    }
  }
}

function positive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value))
    throw new RangeError(`influxdb: ${name} must be a positive number, got ${value}`);
  return value;
}
