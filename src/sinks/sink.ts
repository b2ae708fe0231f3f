import type { AnalysisEvent } from '../model/events.js';
import type { Sample } from '../model/sample.js';

/** What flows into sinks: raw samples and everything the analysis emits. */
export type SinkRecord = { readonly type: 'sample'; readonly sample: Sample } | AnalysisEvent;

/**
 * A destination for records. `write` resolves once the records are stored (the server
 * acknowledged them, the file holds them), so a Kafka source may commit their offsets only then;
 * records of one sink are stored in the order they were written. Sinks write what they are given
 * at once (batching is Delivery's); a write waits while its destination does, and the next write
 * waits behind it, which is how an outage pauses upstream instead of dropping data or growing
 * memory. `close` stores what is left and releases resources.
 */
export interface Sink {
  readonly name: string;
  write(records: readonly SinkRecord[]): Promise<void>;
  close(): Promise<void>;
}
