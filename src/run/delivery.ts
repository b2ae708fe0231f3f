import { setTimeout as sleep } from 'node:timers/promises';
import { SinkError } from '../model/errors.js';
import type { Sink, SinkRecord } from '../sinks/sink.js';
import { SinkQueue, type SinkStatus } from './sinkQueue.js';

export interface DeliveryOptions {
  /** Records per write to the sinks. Default 2,000. */
  readonly batchSize?: number;
  /** A partial batch is written after this long. Default 250 ms. */
  readonly lingerMs?: number;
  /** Records a sink may have queued before the source is asked to wait ({@link Delivery.ready}). Default 200,000. */
  readonly maxQueued?: number;
}

/** How {@link Delivery.close} ends: how long sinks may take to store what is queued. */
export interface CloseOptions {
  /** After this long, what a sink has not stored is given up (counted as lost). Default: no limit. */
  readonly graceMs?: number;
  /** Told once, when the wait begins, of the sinks that still have records queued. */
  readonly onWait?: (waiting: readonly SinkStatus[], graceMs: number | undefined) => void;
}

// How long the end of a delivery may take before the wait is announced.
const QUIET_WAIT_MS = 1000;

/** Whether `done` settles within `ms` (undefined: waits for it). */
async function waitAtMost(done: Promise<boolean>, ms: number | undefined): Promise<boolean> {
  if (ms === undefined) return done;
  const timeout = new AbortController();
  const settled = await Promise.race([done, sleep(ms, false, { signal: timeout.signal }).catch(() => false)]);
  timeout.abort();
  return settled;
}

/** A sink failed to store records: the first failure, with how many records each sink lost. */
export class DeliveryError extends SinkError {
  constructor(
    readonly sink: SinkStatus,
    readonly statuses: readonly SinkStatus[],
    cause: Error,
  ) {
    super(
      `${cause.message.startsWith(sink.name) ? cause.message : `${sink.name}: ${cause.message}`}` +
        `${sink.target !== undefined && !cause.message.includes(sink.target) ? ` (${sink.target})` : ''}; ` +
        `${sink.lost.toLocaleString('en-US')} records not stored`,
      { retriable: cause instanceof SinkError && cause.retriable, context: { sink: sink.name }, cause },
    );
  }
}

/**
 * The one batching layer between the analysis and the sinks. Records are batched (`batchSize`,
 * or after `lingerMs`) and every batch goes to each sink's own queue ({@link SinkQueue}), so each
 * sink stores at its own pace and a stalled one never holds back the others. Memory stays bounded
 * through {@link ready}: the source waits while a sink has more than `maxQueued` records queued.
 * `flush()` resolves once every record pushed so far is stored by every sink (when a Kafka batch
 * may be acknowledged) and rejects once any sink has failed; a failed sink is given nothing more.
 */
export class Delivery {
  private batch: SinkRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly queues: SinkQueue[];
  private readonly batchSize: number;
  private readonly lingerMs: number;
  private readonly maxQueued: number;
  private roomWaiters: (() => void)[] = [];

  constructor(
    readonly sinks: readonly Sink[],
    options: DeliveryOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 2000;
    this.lingerMs = options.lingerMs ?? 250;
    this.maxQueued = options.maxQueued ?? 200_000;
    this.queues = sinks.map((sink) => new SinkQueue(sink, () => this.onProgress()));
  }

  /** Records pushed and not yet stored by the slowest healthy sink. */
  get pending(): number {
    let most = 0;
    for (const queue of this.queues) if (queue.error === null) most = Math.max(most, queue.queued);
    return this.batch.length + most;
  }

  /** The first sink failure, if any, with what each sink lost. */
  get error(): DeliveryError | null {
    const failed = this.queues.find((queue) => queue.error !== null);
    return failed === undefined ? null : this.failureOf(failed);
  }

  /** What each sink is doing. */
  statuses(): SinkStatus[] {
    return this.queues.map((queue) => queue.status());
  }

  push(record: SinkRecord): void {
    this.batch.push(record);
    if (this.batch.length >= this.batchSize) this.dispatch();
    else this.timer ??= setTimeout(() => this.dispatch(), this.lingerMs);
  }

  /**
   * Undefined while every healthy sink has room; otherwise a promise that resolves once the
   * fullest has worked its queue down to half of `maxQueued` (or failed).
   */
  ready(): Promise<void> | undefined {
    if (this.pending <= this.maxQueued) return undefined;
    this.dispatch();
    return new Promise<void>((resolve) => this.roomWaiters.push(resolve));
  }

  /**
   * Hands what is batched to the sinks; resolves once everything pushed so far is stored by every
   * sink, in a file's case written out to it (`Sink.sync`), so a Kafka batch may be committed.
   */
  async flush(): Promise<void> {
    this.dispatch();
    const results = await Promise.allSettled(
      this.queues.map(async (queue) => {
        await queue.drained();
        await queue.sink.sync?.();
      }),
    );
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed !== undefined) throw this.error ?? failed.reason;
  }

  /**
   * Hands over what is batched, waits until every sink has stored its queue (or, past `graceMs`,
   * gives up what is left), then closes every sink, even when one fails. Rethrows the first sink
   * failure as a DeliveryError. Returns each sink's final status.
   */
  async close(options: CloseOptions = {}): Promise<SinkStatus[]> {
    this.dispatch();
    const draining = Promise.allSettled(this.queues.map((queue) => queue.drained())).then(() => true);
    const started = Date.now();
    // Most ends take moments; only a sink still busy after a second is worth a word.
    if (!(await waitAtMost(draining, Math.min(QUIET_WAIT_MS, options.graceMs ?? QUIET_WAIT_MS)))) {
      const waiting = this.statuses().filter((status) => status.queued > 0 && status.error === null);
      if (waiting.length > 0) options.onWait?.(waiting, options.graceMs);
      const left = options.graceMs === undefined ? undefined : Math.max(0, options.graceMs - (Date.now() - started));
      if (!(await waitAtMost(draining, left)))
        for (const queue of this.queues)
          queue.abandon(
            `could not store its queue within the ${((options.graceMs ?? 0) / 1000).toFixed(1)} s grace period`,
          );
    }
    let first: unknown = null;
    for (const queue of this.queues) {
      try {
        const closing = queue.sink.close().then(() => true);
        // A sink given up on gets a moment to close, never longer.
        if (queue.error !== null && !(await waitAtMost(closing, QUIET_WAIT_MS))) closing.catch(() => undefined);
        else await closing;
      } catch (error) {
        first ??= error;
      }
    }
    const failed = this.error;
    if (failed !== null) throw failed;
    if (first !== null) throw first;
    return this.statuses();
  }

  private failureOf(queue: SinkQueue): DeliveryError {
    return new DeliveryError(queue.status(), this.statuses(), queue.error as Error);
  }

  private dispatch(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.batch.length === 0) return;
    const records = this.batch;
    this.batch = [];
    for (const queue of this.queues) queue.push(records);
  }

  private onProgress(): void {
    if (this.roomWaiters.length === 0 || this.pending > this.maxQueued / 2) return;
    const waiting = this.roomWaiters;
    this.roomWaiters = [];
    for (const resolve of waiting) resolve();
  }
}
