import type { Processor } from '../detectors/processor.js';
import type { Diagnostic } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { seriesKey } from '../model/seriesKey.js';
import { BinaryHeap } from '../stats/binaryHeap.js';

/** Options of {@link EventTimeOrder}. */
export interface EventTimeOptions {
  /** How far (µs) a sample may trail the newest timestamp seen and still be accepted. Default 0. */
  readonly allowedLateness?: number;
  /**
   * How far (µs) a sample may lie ahead of the newest accepted timestamp (and of `now()`, when
   * given) and still be accepted. Default: no bound.
   */
  readonly maxAhead?: number;
  /**
   * How many consecutive samples ahead of the newest accepted one make a real jump in event time
   * (a gap in a recording, a restart) rather than a bad clock. Default 20.
   */
  readonly confirmAhead?: number;
  /** Wall-clock time (µs) of live runs: samples further ahead of it than `maxAhead` are always quarantined. */
  readonly now?: () => number;
  /**
   * Receives a 'late' diagnostic per dropped sample, an 'out-of-order' one per reordered sample
   * and a 'quarantined' one per quarantined sample.
   */
  readonly onDiagnostic?: (diagnostic: Diagnostic) => void;
}

/** The allowed lateness of `options` (default 0); RangeError unless it is a finite number ≥ 0. */
export function checkedLateness(options: EventTimeOptions): number {
  const lateness = options.allowedLateness ?? 0;
  if (!(lateness >= 0) || !Number.isFinite(lateness))
    throw new RangeError(`eventTime: allowedLateness must be a finite number ≥ 0 µs, got ${lateness}`);
  return lateness;
}

/** The bound ahead of `options` (default: none); RangeError unless it is a number > 0. */
export function checkedMaxAhead(options: EventTimeOptions): number {
  const maxAhead = options.maxAhead ?? Number.POSITIVE_INFINITY;
  if (!(maxAhead > 0)) throw new RangeError(`eventTime: maxAhead must be a number > 0 µs, got ${maxAhead}`);
  const confirm = options.confirmAhead ?? DEFAULT_CONFIRM_AHEAD;
  if (!Number.isSafeInteger(confirm) || confirm < 1)
    throw new RangeError(`eventTime: confirmAhead must be an integer ≥ 1, got ${confirm}`);
  return maxAhead;
}

const DEFAULT_CONFIRM_AHEAD = 20;

/**
 * Puts a sample stream into event-time order. The watermark is the newest timestamp seen minus
 * the allowed lateness; samples wait until the watermark passes them, so samples that arrive out
 * of order within the lateness are re-sorted, and samples older than the watermark are counted as
 * late and dropped (Akidau et al., "The Dataflow Model", VLDB 2015). `end()` releases every
 * buffered sample. In-order samples wait in a FIFO, which is already sorted (O(1)); only
 * out-of-order ones go through a min-heap (O(log B) for B of them). Each call returns the samples
 * it releases, in one array reused from call to call.
 *
 * One bad clock cannot move the watermark: a sample more than `maxAhead` ahead of the newest
 * accepted timestamp is held; when `confirmAhead` such samples arrive in a row (nothing in
 * between within the bound), event time really jumped (a gap in a recording) and they are
 * accepted, but for those that a later sample of the run contradicts (more than `maxAhead`
 * earlier); when a sample within the bound arrives, the held ones are quarantined: counted,
 * reported with their series, never analysed. At the end of the stream a held run is accepted the
 * same way. Without a wall clock the first samples form such a run too (so a bad first sample
 * cannot anchor event time). In live runs (`now` given) a sample more than `maxAhead` ahead of the
 * wall clock is quarantined at once, and the first sample anchors event time.
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
  private quarantined = 0;
  private readonly released: Sample[] = [];
  private readonly maxAhead: number;
  private readonly confirmAhead: number;
  private readonly now: (() => number) | undefined;
  /** Consecutive samples ahead of the bound, waiting to be confirmed as a jump or quarantined. */
  private ahead: Sample[] = [];

  constructor(options: EventTimeOptions = {}) {
    this.lateness = checkedLateness(options);
    this.maxAhead = checkedMaxAhead(options);
    this.confirmAhead = options.confirmAhead ?? DEFAULT_CONFIRM_AHEAD;
    this.now = options.now;
    this.report = options.onDiagnostic;
  }

  /** Samples dropped as late so far. */
  get lateSamples(): number {
    return this.late;
  }

  /** Samples quarantined as too far ahead so far. */
  get quarantinedSamples(): number {
    return this.quarantined;
  }

  push(sample: Sample): readonly Sample[] {
    const out = this.released;
    out.length = 0;
    if (this.maxAhead !== Number.POSITIVE_INFINITY) {
      const ts = sample.ts;
      if (this.now !== undefined) {
        const now = this.now();
        if (ts > now + this.maxAhead) {
          this.quarantine(sample, 'the wall clock', now);
          return out;
        }
      }
      // Without a wall clock, the first samples are held too: the anchor is the median of a run, not one sample.
      const ahead =
        this.newest === Number.NEGATIVE_INFINITY ? this.now === undefined : ts > this.newest + this.maxAhead;
      if (ahead) {
        this.ahead.push(sample);
        if (this.ahead.length >= this.confirmAhead) this.acceptRun(out);
        return out;
      }
      if (this.ahead.length > 0) this.quarantineRun();
    }
    this.accept(sample, out);
    return out;
  }

  end(): readonly Sample[] {
    const out = this.released;
    out.length = 0;
    // Nothing came back below the held samples: they are accepted (nothing after them can be hurt).
    if (this.ahead.length > 0) this.acceptRun(out);
    this.release(Number.POSITIVE_INFINITY, out);
    return out;
  }

  /**
   * The held run is a real jump in event time: its samples are accepted in arrival order, except
   * those that a sample arriving after them contradicts, being more than `maxAhead` earlier (a
   * bad clock is followed by samples back at the real time; a sparse stream only moves forward).
   */
  private acceptRun(out: Sample[]): void {
    const run = this.ahead;
    this.ahead = [];
    // The earliest timestamp arriving after each sample of the run.
    const laterMin = new Array<number>(run.length);
    let min = Number.POSITIVE_INFINITY;
    for (let i = run.length - 1; i >= 0; i--) {
      laterMin[i] = min;
      min = Math.min(min, (run[i] as Sample).ts);
    }
    run.forEach((held, i) => {
      const later = laterMin[i] as number;
      if (later < held.ts - this.maxAhead) this.quarantine(held, 'a sample that came after it', later);
      else this.accept(held, out);
    });
  }

  /** A sample within the bound ended the held run: its samples came from a bad clock. */
  private quarantineRun(): void {
    const run = this.ahead;
    this.ahead = [];
    for (const held of run) this.quarantine(held, 'the newest sample', this.newest);
  }

  private quarantine(sample: Sample, of: string, reference: number): void {
    this.quarantined++;
    this.report?.({
      // Event time as far as it is known: the newest accepted sample, else the bound's reference.
      ts: Number.isFinite(this.newest) ? this.newest : reference,
      kind: 'quarantined',
      count: this.quarantined,
      series: seriesKey(sample.metric, sample.tags),
      limit: this.maxAhead,
      message:
        `sample at ${sample.ts} µs is more than ${this.maxAhead} µs ahead of ${of} (${reference} µs); ` +
        'quarantined, not analysed',
    });
  }

  /** Puts a sample within the bounds in order (or drops it as late); released samples go to `out`. */
  private accept(sample: Sample, out: Sample[]): void {
    const ts = sample.ts;
    if (ts < this.watermark) {
      this.late++;
      this.report?.({
        ts: this.newest,
        kind: 'late',
        count: this.late,
        series: seriesKey(sample.metric, sample.tags),
        limit: this.lateness,
        message: `sample of ${sample.metric} at ${ts} µs is older than the watermark ${this.watermark} µs; dropped`,
      });
      return;
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
      return;
    }
    if (inOrder) this.enqueue(sample);
    else this.heap.push(ts, sample);
    const next = this.newest - this.lateness;
    if (next > this.watermark) this.watermark = next;
    // A sample exactly at the watermark is already due; release it without waiting for the next advance.
    this.release(this.watermark, out);
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
