import { SinkError } from '../model/errors.js';
import type { Sink, SinkRecord, SinkRefusal, SinkTrouble } from '../sinks/sink.js';

/** What a sink is doing, for the live status and the summary. */
export interface SinkStatus {
  readonly name: string;
  /** Where it writes (URL, file, topic), when it says. */
  readonly target: string | undefined;
  /** Records handed to it and not yet stored. */
  readonly queued: number;
  readonly stored: number;
  /** Records it will never store: given up (its error) or abandoned at the end of a grace period. */
  readonly lost: number;
  /** Writes are failing and being retried, since when and why; null while it is healthy. */
  readonly trouble: SinkTrouble | null;
  /** What the destination refused while storing the rest (counted, not fatal); null when nothing. */
  readonly refused: SinkRefusal | null;
  /** Why it stopped storing, once it has. */
  readonly error: Error | null;
}

interface Waiter {
  readonly upTo: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

// Most records handed to a sink in one write when batches have queued up behind a slow one.
const MAX_WRITE_RECORDS = 20_000;

/**
 * One sink's own queue of batches: written in order, one write at a time, at the sink's pace, so
 * a sink that waits (an InfluxDB outage) never holds back another (the recorder). Batches that
 * queued up while the sink was busy go in one write (up to 20,000 records), so a slow server gets
 * fewer, larger writes instead of falling further behind. Once the sink fails, it is given
 * nothing more: later batches count as lost. O(records) per write.
 */
export class SinkQueue {
  private readonly batches: (readonly SinkRecord[])[] = [];
  private head = 0;
  private writing = false;
  private enqueued = 0;
  private storedCount = 0;
  private lostCount = 0;
  private failure: Error | null = null;
  private waiters: Waiter[] = [];

  constructor(
    readonly sink: Sink,
    /** Told after every batch stored or lost (Delivery's backpressure listens). */
    private readonly onProgress: () => void,
  ) {}

  /** Records handed over and neither stored nor lost yet. */
  get queued(): number {
    return this.enqueued - this.storedCount - this.lostCount;
  }

  get error(): Error | null {
    return this.failure;
  }

  status(): SinkStatus {
    return {
      name: this.sink.name,
      target: this.sink.target,
      queued: this.queued,
      stored: this.storedCount,
      lost: this.lostCount,
      trouble: this.failure === null ? (this.sink.trouble?.() ?? null) : null,
      refused: this.sink.refused?.() ?? null,
      error: this.failure,
    };
  }

  push(batch: readonly SinkRecord[]): void {
    this.enqueued += batch.length;
    if (this.failure !== null) {
      this.lostCount += batch.length;
      return;
    }
    this.batches.push(batch);
    if (!this.writing) void this.pump();
  }

  /** Resolves once everything pushed so far is stored; rejects once the sink has failed. */
  drained(): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const upTo = this.enqueued;
    if (this.storedCount >= upTo) return Promise.resolve();
    return new Promise<void>((resolve, reject) => this.waiters.push({ upTo, resolve, reject }));
  }

  /**
   * Gives up on what is still queued (the end of a grace period): the sink is asked to stop
   * retrying, and every record not stored counts as lost.
   */
  abandon(reason: string): void {
    if (this.failure !== null || this.queued === 0) return;
    this.sink.abort?.();
    this.fail(new SinkError(`${describeSink(this.sink)}: ${reason}`, { retriable: true }));
  }

  private async pump(): Promise<void> {
    this.writing = true;
    while (this.head < this.batches.length && this.failure === null) {
      const batch = this.takeWrite();
      try {
        await this.sink.write(batch);
        if (this.failure !== null) break;
        this.storedCount += batch.length;
      } catch (error) {
        this.fail(error instanceof Error ? error : new SinkError(`${describeSink(this.sink)}: ${String(error)}`));
        break;
      }
      if (this.head === this.batches.length) {
        this.batches.length = 0;
        this.head = 0;
      }
      this.settle();
      this.onProgress();
    }
    this.writing = false;
  }

  /** The next batch, joined with those queued behind it up to MAX_WRITE_RECORDS. */
  private takeWrite(): readonly SinkRecord[] {
    const first = this.batches[this.head] as readonly SinkRecord[];
    this.batches[this.head++] = [];
    if (this.head === this.batches.length || first.length >= MAX_WRITE_RECORDS) return first;
    const joined = first.slice();
    while (this.head < this.batches.length) {
      const next = this.batches[this.head] as readonly SinkRecord[];
      if (joined.length + next.length > MAX_WRITE_RECORDS) break;
      for (let i = 0; i < next.length; i++) joined.push(next[i] as SinkRecord);
      this.batches[this.head++] = [];
    }
    return joined;
  }

  private fail(error: Error): void {
    if (this.failure !== null) return;
    this.failure = error;
    this.lostCount = this.enqueued - this.storedCount;
    this.batches.length = 0;
    this.head = 0;
    this.settle();
    this.onProgress();
  }

  private settle(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (this.failure !== null) waiter.reject(this.failure);
      else if (this.storedCount >= waiter.upTo) waiter.resolve();
      else this.waiters.push(waiter);
    }
  }
}

/** A sink's name and, when it says, where it writes: `influxdb (http://localhost:8086)`. */
export function describeSink(sink: Pick<Sink, 'name' | 'target'>): string {
  return sink.target !== undefined ? `${sink.name} (${sink.target})` : sink.name;
}
