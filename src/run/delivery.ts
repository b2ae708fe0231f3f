import { SinkError } from '../model/errors.js';
import { Serial } from '../transport/serial.js';
import type { Sink, SinkRecord } from '../sinks/sink.js';

export interface DeliveryOptions {
  /** Records per write to the sinks. Default 2,000. */
  readonly batchSize?: number;
  /** A partial batch is written after this long. Default 250 ms. */
  readonly lingerMs?: number;
}

/**
 * The one batching layer between the analysis and the sinks: fans records out to every sink in
 * batches (sinks write what they are given, at once). Each batch goes to all sinks at once and batches are
 * written in order; `flush()` resolves when every record pushed so far is stored by every sink,
 * which is when a Kafka batch may be acknowledged. The first sink failure is kept: it rejects
 * that flush and every later one, so a caller never acknowledges data a sink lost.
 */
export class Delivery {
  private batch: SinkRecord[] = [];
  private readonly serial = new Serial();
  private failure: Error | null = null;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  private readonly batchSize: number;
  private readonly lingerMs: number;

  constructor(
    readonly sinks: readonly Sink[],
    options: DeliveryOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 2000;
    this.lingerMs = options.lingerMs ?? 250;
  }

  /** Records pushed and not yet stored by every sink. */
  get pending(): number {
    return this.batch.length + this.inFlight;
  }

  /** The first sink failure, if any. */
  get error(): Error | null {
    return this.failure;
  }

  push(record: SinkRecord): void {
    this.batch.push(record);
    if (this.batch.length >= this.batchSize) void this.flush().catch(() => undefined);
    else this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), this.lingerMs);
  }

  /** Writes what is batched; resolves once everything pushed so far is stored by every sink. */
  flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const records = this.batch;
    this.batch = [];
    if (records.length > 0) {
      this.inFlight += records.length;
      // The task never rejects: a failure is kept in `failure` and rethrown to every flush.
      void this.serial.run(async () => {
        try {
          if (this.failure !== null) return;
          const results = await Promise.allSettled(this.sinks.map((sink) => sink.write(records)));
          const failed = results.findIndex((r) => r.status === 'rejected');
          if (failed >= 0) {
            const reason = (results[failed] as PromiseRejectedResult).reason as unknown;
            this.failure =
              reason instanceof Error
                ? reason
                : new SinkError(`sink ${this.sinks[failed]?.name ?? failed} failed: ${String(reason)}`);
          }
        } finally {
          this.inFlight -= records.length;
        }
      });
    }
    return this.serial.idle().then(() => {
      if (this.failure !== null) throw this.failure;
    });
  }

  /** Flushes, then closes every sink (all of them, even when one fails); rethrows the first failure. */
  async close(): Promise<void> {
    let first: unknown = null;
    try {
      await this.flush();
    } catch (error) {
      first = error;
    }
    for (const sink of this.sinks) {
      try {
        await sink.close();
      } catch (error) {
        first ??= error;
      }
    }
    if (first !== null) throw first;
  }
}
