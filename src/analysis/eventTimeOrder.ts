import type { Processor } from '../detectors/processor.js';
import type { Diagnostic } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { BinaryHeap } from '../stats/binaryHeap.js';

/** Options of {@link EventTimeOrder}. */
export interface EventTimeOptions {
  /** How far (µs) a sample may trail the newest timestamp seen and still be accepted. Default 0. */
  readonly allowedLateness?: number;
  /** Receives a 'late' diagnostic per dropped sample and an 'out-of-order' one per reordered sample. */
  readonly onDiagnostic?: (diagnostic: Diagnostic) => void;
}

/** The allowed lateness of `options` (default 0); RangeError unless it is a finite number ≥ 0. */
export function checkedLateness(options: EventTimeOptions): number {
  const lateness = options.allowedLateness ?? 0;
  if (!(lateness >= 0) || !Number.isFinite(lateness))
    throw new RangeError(`eventTime: allowedLateness must be a finite number ≥ 0 µs, got ${lateness}`);
  return lateness;
}

/**
 * Puts a sample stream into event-time order. The watermark is the newest timestamp seen minus
 * the allowed lateness; samples wait until the watermark passes them, so samples that arrive out
 * of order within the lateness are re-sorted, and samples older than the watermark are counted as
 * late and dropped (Akidau et al., "The Dataflow Model", VLDB 2015). `end()` releases every
 * buffered sample. In-order samples wait in a FIFO, which is already sorted (O(1)); only
 * out-of-order ones go through a min-heap (O(log B) for B of them). Each call returns the samples
 * it releases, in one array reused from call to call.
 */
export class EventTimeOrder implements Processor<Sample, Sample> {
  private readonly lateness: number;
  private readonly report: ((diagnostic: Diagnostic) => void) | undefined;
  private readonly heap = new BinaryHeap<Sample>();
  /** In-order samples waiting for the watermark: a ring of `fifoCount` from `fifoHead`; released slots are cleared. */
  private fifo: (Sample | null)[] = new Array<Sample | null>(64).fill(null);
  private fifoHead = 0;
  private fifoCount = 0;
  private newest = Number.NEGATIVE_INFINITY;
  private watermark = Number.NEGATIVE_INFINITY;
  private late = 0;
  private outOfOrder = 0;
  private readonly released: Sample[] = [];

  constructor(options: EventTimeOptions = {}) {
    this.lateness = checkedLateness(options);
    this.report = options.onDiagnostic;
  }

  /** Samples dropped as late so far. */
  get lateSamples(): number {
    return this.late;
  }

  push(sample: Sample): readonly Sample[] {
    const out = this.released;
    out.length = 0;
    const ts = sample.ts;
    if (ts < this.watermark) {
      this.late++;
      this.report?.({
        ts: this.newest,
        kind: 'late',
        count: this.late,
        message: `sample of ${sample.metric} at ${ts} µs is older than the watermark ${this.watermark} µs; dropped`,
      });
      return out;
    }
    const inOrder = ts >= this.newest;
    if (!inOrder) {
      this.outOfOrder++;
      this.report?.({
        ts: this.newest,
        kind: 'out-of-order',
        count: this.outOfOrder,
        message: `sample of ${sample.metric} at ${ts} µs arrived after ${this.newest} µs; reordered`,
      });
    } else {
      this.newest = ts;
    }
    if (this.lateness === 0) {
      if (ts >= this.watermark) this.watermark = ts;
      out.push(sample);
      return out;
    }
    if (inOrder) this.enqueue(sample);
    else this.heap.push(ts, sample);
    const next = this.newest - this.lateness;
    if (next > this.watermark) this.watermark = next;
    // A sample exactly at the watermark is already due; release it without waiting for the next advance.
    this.release(this.watermark, out);
    return out;
  }

  end(): readonly Sample[] {
    const out = this.released;
    out.length = 0;
    this.release(Number.POSITIVE_INFINITY, out);
    return out;
  }

  private enqueue(sample: Sample): void {
    const capacity = this.fifo.length;
    if (this.fifoCount === capacity) {
      // Full: unroll into a ring twice the size.
      const grown = new Array<Sample | null>(capacity * 2).fill(null);
      for (let i = 0; i < capacity; i++) grown[i] = this.fifo[(this.fifoHead + i) % capacity] as Sample;
      this.fifo = grown;
      this.fifoHead = 0;
    }
    this.fifo[(this.fifoHead + this.fifoCount) % this.fifo.length] = sample;
    this.fifoCount++;
  }

  /**
   * Moves every sample at or before `upTo` to `out`, in time order: FIFO first on equal timestamps
   * (it arrived first).
   */
  private release(upTo: number, out: Sample[]): void {
    const heap = this.heap;
    const fifo = this.fifo;
    while (this.fifoCount > 0 || heap.size > 0) {
      const head = this.fifoCount > 0 ? (fifo[this.fifoHead] as Sample) : null;
      const fifoTs = head !== null ? head.ts : Number.POSITIVE_INFINITY;
      const heapTs = heap.peekKey();
      if (fifoTs <= heapTs) {
        if (fifoTs > upTo) break;
        out.push(head as Sample);
        fifo[this.fifoHead] = null; // released: not kept alive by the ring
        this.fifoHead = this.fifoHead + 1 === fifo.length ? 0 : this.fifoHead + 1;
        this.fifoCount--;
      } else {
        if (heapTs > upTo) break;
        out.push(heap.pop() as Sample);
      }
    }
  }
}
