import { Observable, type Subscriber } from 'rxjs';
import { SoakstreamError } from '../model/errors.js';
import type { Sample } from '../model/sample.js';

/** Options of {@link MemoryTransport}. */
export interface MemoryTransportOptions {
  /** Most samples held while no consumer takes them; publishers wait beyond it. Default 100,000. */
  readonly capacity?: number;
}

/**
 * The embedded transport between sources and the analysis: in-process, with bounded buffering.
 * Samples published while a consumer is attached go straight to it; otherwise they queue up to
 * `capacity`, and `publish` then returns a promise that resolves when there is room again
 * (backpressure instead of unbounded memory), and `full` tells a source that cannot wait (a load
 * on its schedule) to hold back. `consume()` delivers the queue first, then live samples, as they
 * come; `batches()` instead takes what has queued up whenever its reader is ready, so a reader
 * that waits (for its sinks) makes the queue fill. One consumer at a time. `close()` ends the
 * consumer after the queue drains. Nothing accepted is dropped. O(1) per sample.
 */
export class MemoryTransport {
  private readonly capacity: number;
  private queue: Sample[] = [];
  private head = 0;
  private consumer: Subscriber<Sample> | null = null;
  private waiting: (() => void)[] = [];
  private wakeReader: (() => void) | null = null;
  private closed = false;

  constructor(options: MemoryTransportOptions = {}) {
    this.capacity = options.capacity ?? 100_000;
    if (!Number.isInteger(this.capacity) || this.capacity < 1)
      throw new RangeError(`MemoryTransport: capacity must be a positive integer, got ${this.capacity}`);
  }

  /** Samples queued and not yet consumed. */
  get buffered(): number {
    return this.queue.length - this.head;
  }

  /** True while the queue is at capacity: a source that cannot wait should hold back. */
  get full(): boolean {
    return this.buffered >= this.capacity;
  }

  /** Hands a sample to the consumer or the queue; a promise means "wait for room before the next". */
  publish(sample: Sample): void | Promise<void> {
    if (this.closed) throw new SoakstreamError('TRANSPORT_CLOSED', 'MemoryTransport: publish after close');
    if (this.consumer !== null && this.buffered === 0) {
      this.consumer.next(sample);
      return undefined;
    }
    this.queue.push(sample);
    this.wake();
    if (this.buffered < this.capacity) return undefined;
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** The stream of published samples; the queue is delivered first. */
  consume(): Observable<Sample> {
    return new Observable<Sample>((subscriber) => {
      if (this.consumer !== null) {
        subscriber.error(new SoakstreamError('TRANSPORT_BUSY', 'MemoryTransport: it already has a consumer'));
        return undefined;
      }
      this.consumer = subscriber;
      this.drain();
      return () => {
        if (this.consumer === subscriber) this.consumer = null;
      };
    });
  }

  /**
   * The published samples as batches: each is everything queued since the reader last asked
   * (waiting while nothing is); ends once the transport is closed and drained. Publishers waiting
   * for room resume as each batch is taken. Not together with `consume()`.
   */
  async *batches(): AsyncGenerator<Sample[]> {
    if (this.consumer !== null)
      throw new SoakstreamError('TRANSPORT_BUSY', 'MemoryTransport: it already has a consumer');
    for (;;) {
      while (this.buffered === 0) {
        if (this.closed) return;
        await new Promise<void>((resolve) => (this.wakeReader = resolve));
      }
      const batch = this.head === 0 ? this.queue : this.queue.slice(this.head);
      this.queue = [];
      this.head = 0;
      this.resumePublishers();
      yield batch;
    }
  }

  /** No more samples: the consumer completes once it has everything queued. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.wake();
    if (this.consumer !== null && this.buffered === 0) this.consumer.complete();
  }

  private wake(): void {
    const wake = this.wakeReader;
    this.wakeReader = null;
    wake?.();
  }

  private resumePublishers(): void {
    const resume = this.waiting;
    this.waiting = [];
    for (const resolve of resume) resolve();
  }

  private drain(): void {
    const consumer = this.consumer;
    if (consumer === null) return;
    while (this.head < this.queue.length && this.consumer === consumer)
      consumer.next(this.queue[this.head++] as Sample);
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    }
    this.resumePublishers();
    if (this.closed && this.buffered === 0 && this.consumer === consumer) consumer.complete();
  }
}
