import type { AnalysisEvent } from '../model/events.js';
import type { Sample } from '../model/sample.js';

/** What flows into sinks: raw samples and everything the analysis emits. */
export type SinkRecord = { readonly type: 'sample'; readonly sample: Sample } | AnalysisEvent;

/** Points a destination refused while storing the rest: how many, and the first reason it gave. */
export interface SinkRefusal {
  readonly count: number;
  readonly reason: string;
}

/** A sink's writes are failing and being retried: since when (epoch ms) and the last reason. */
export interface SinkTrouble {
  readonly since: number;
  readonly reason: string;
}

/**
 * A destination for records. `write` resolves once the records are stored (the server
 * acknowledged them) or, for a file written a block at a time, taken; after `sync()` the file
 * holds them. A Kafka source commits offsets only once both have resolved;
 * records of one sink are stored in the order they were written. Sinks write what they are given
 * at once (batching and queueing are Delivery's, one queue per sink); a write waits while its
 * destination does, retrying what may succeed up to the sink's deadline, and then rejects with a
 * SinkError naming the destination. `close` stores what is left and releases resources.
 */
export interface Sink {
  readonly name: string;
  /** Where it writes (URL, file, topic), for messages. */
  readonly target?: string;
  write(records: readonly SinkRecord[]): Promise<void>;
  close(): Promise<void>;
  /** While writes are failing and being retried: since when and why; null when healthy. */
  trouble?(): SinkTrouble | null;
  /**
   * What the destination refused of what it was given while storing the rest (InfluxDB's partial
   * writes: a point it cannot store), counted rather than ending the sink; null when nothing.
   */
  refused?(): SinkRefusal | null;
  /** Stop retrying now: the write in progress and later ones reject (the end of a grace period). */
  abort?(): void;
  /**
   * For a sink whose writes are buffered (a file written a block at a time): resolves once
   * everything written so far is in its destination, so a consumer may commit offsets then.
   */
  sync?(): Promise<void>;
}
