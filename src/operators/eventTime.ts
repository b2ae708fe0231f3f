import { Observable, type OperatorFunction } from 'rxjs';
import type { Diagnostic } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { BinaryHeap } from '../stats/binaryHeap.js';

/** Options of {@link eventTime}. */
export interface EventTimeOptions {
  /** How far (µs) a sample may trail the newest timestamp seen and still be accepted. Default 0. */
  readonly allowedLateness?: number;
  /** Receives a 'late' diagnostic per dropped sample and an 'out-of-order' one per reordered sample. */
  readonly onDiagnostic?: (diagnostic: Diagnostic) => void;
}

/**
 * Puts a sample stream into event-time order. The watermark is the newest timestamp seen minus
 * the allowed lateness; samples wait in a min-heap until the watermark passes them, so samples
 * that arrive out of order within the lateness are re-sorted, and samples older than the
 * watermark are counted as late and dropped (Akidau et al., "The Dataflow Model", VLDB 2015).
 * On completion every buffered sample is released. O(1) per in-order sample; O(log B) per
 * out-of-order sample for B buffered out-of-order samples.
 */
export function eventTime(options: EventTimeOptions = {}): OperatorFunction<Sample, Sample> {
  const lateness = options.allowedLateness ?? 0;
  if (!(lateness >= 0) || !Number.isFinite(lateness)) {
    throw new RangeError(`eventTime: allowedLateness must be a finite number ≥ 0 µs, got ${lateness}`);
  }
  const report = options.onDiagnostic;
  return (source) =>
    new Observable<Sample>((subscriber) => {
      // In-order samples (the usual case) wait in a FIFO, which is already sorted: O(1). Only
      // out-of-order ones go through the heap. Release merges the two, FIFO first on equal
      // timestamps, since a FIFO sample at time t arrived before any heap sample at time t.
      const heap = new BinaryHeap<Sample>();
      let fifo: Sample[] = [];
      let fifoHead = 0;
      let newest = Number.NEGATIVE_INFINITY;
      let watermark = Number.NEGATIVE_INFINITY;
      let late = 0;
      let outOfOrder = 0;

      const release = (upTo: number): void => {
        while (fifoHead < fifo.length || heap.size > 0) {
          const fifoTs = fifoHead < fifo.length ? (fifo[fifoHead] as Sample).ts : Number.POSITIVE_INFINITY;
          const heapTs = heap.peekKey();
          if (fifoTs <= heapTs) {
            if (fifoTs > upTo) break;
            subscriber.next(fifo[fifoHead++] as Sample);
          } else {
            if (heapTs > upTo) break;
            subscriber.next(heap.pop() as Sample);
          }
        }
        if (fifoHead > 1024 && fifoHead * 2 > fifo.length) {
          fifo = fifo.slice(fifoHead);
          fifoHead = 0;
        }
      };

      const subscription = source.subscribe({
        next: (sample) => {
          const ts = sample.ts;
          if (ts < watermark) {
            late++;
            report?.({
              ts: newest,
              kind: 'late',
              count: late,
              message: `sample of ${sample.metric} at ${ts} µs is older than the watermark ${watermark} µs; dropped`,
            });
            return;
          }
          const inOrder = ts >= newest;
          if (!inOrder) {
            outOfOrder++;
            report?.({
              ts: newest,
              kind: 'out-of-order',
              count: outOfOrder,
              message: `sample of ${sample.metric} at ${ts} µs arrived after ${newest} µs; reordered`,
            });
          } else {
            newest = ts;
          }
          if (lateness === 0) {
            if (ts >= watermark) watermark = ts;
            subscriber.next(sample);
            return;
          }
          if (inOrder) fifo.push(sample);
          else heap.push(ts, sample);
          const next = newest - lateness;
          if (next > watermark) watermark = next;
          // A sample exactly at the watermark is already due; release it without waiting for the next advance.
          release(watermark);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => {
          release(Number.POSITIVE_INFINITY);
          subscriber.complete();
        },
      });
      return () => subscription.unsubscribe();
    });
}
