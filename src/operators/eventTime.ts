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
 * On completion every buffered sample is released. O(log B) per sample for B buffered samples;
 * O(1) when the lateness is zero.
 */
export function eventTime(options: EventTimeOptions = {}): OperatorFunction<Sample, Sample> {
  const lateness = options.allowedLateness ?? 0;
  if (!(lateness >= 0) || !Number.isFinite(lateness)) {
    throw new RangeError(`eventTime: allowedLateness must be a finite number ≥ 0 µs, got ${lateness}`);
  }
  const report = options.onDiagnostic;
  return (source) =>
    new Observable<Sample>((subscriber) => {
      const heap = new BinaryHeap<Sample>();
      let newest = Number.NEGATIVE_INFINITY;
      let watermark = Number.NEGATIVE_INFINITY;
      let late = 0;
      let outOfOrder = 0;

      const release = (upTo: number): void => {
        while (heap.size > 0 && heap.peekKey() <= upTo) subscriber.next(heap.pop() as Sample);
      };

      const subscription = source.subscribe({
        next: (sample) => {
          const ts = sample.ts;
          if (ts < watermark) {
            late++;
            report?.({ ts: newest, kind: 'late', count: late, message: `sample of ${sample.metric} at ${ts} µs is older than the watermark ${watermark} µs; dropped` });
            return;
          }
          if (ts < newest) {
            outOfOrder++;
            report?.({ ts: newest, kind: 'out-of-order', count: outOfOrder, message: `sample of ${sample.metric} at ${ts} µs arrived after ${newest} µs; reordered` });
          } else {
            newest = ts;
          }
          if (lateness === 0) {
            if (ts >= watermark) watermark = ts;
            subscriber.next(sample);
            return;
          }
          heap.push(ts, sample);
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
