import type { AnalysisEvent } from '../model/events.js';
import type { Sample } from '../model/sample.js';

/** What flows into sinks: raw samples and everything the analysis emits. */
export type SinkRecord = { readonly type: 'sample'; readonly sample: Sample } | AnalysisEvent;

/**
 * A destination for records. `write` resolves once the records are stored (the server
 * acknowledged them, the file holds them), so a Kafka source may commit their offsets only then;
 * records of one sink are stored in the order they were written. A sink with a bounded buffer
 * makes `write` wait while the buffer is full, which is how an outage pauses upstream instead of
 * dropping data or growing memory. `close` stores what is buffered and releases resources.
 */
export interface Sink {
  readonly name: string;
  write(records: readonly SinkRecord[]): Promise<void>;
  close(): Promise<void>;
  /**
   * For a sink that batches on its own (a batch size, a flush interval): send what the writes so
   * far have buffered now rather than when a batch fills or the interval ends, so their promises
   * resolve promptly. A caller that waits for every write before the next (Delivery) calls it.
   */
  sendBuffered?(): void;
}
