import { formatSeconds } from '../transport/kafka/brokerHealth.js';
import type { KafkaProducerStatus } from '../transport/kafka/kafkaSampleProducer.js';
import type { KafkaSampleSource } from '../transport/kafka/kafkaSampleSource.js';
import { Progress, type Terminal } from './terminal.js';

/** A line shown instead of the progress while no work goes on; a note of a new `kind` is printed at once. */
export interface StatusNote {
  readonly kind: string;
  readonly text: string;
}

/** How often a note is repeated when the status is printed as plain lines (not a TTY), as the progress is. */
const PLAIN_EVERY_MS = 10_000;

/**
 * The live status of a Kafka command, updated every second: the run's progress (stage, time,
 * samples/s, alerts) while work goes on, and a note instead while it does not (brokers
 * unreachable, waiting to join the group), so the status never claims samples/s that are not
 * happening. On a TTY it rewrites one line; otherwise a note is printed when it first shows and
 * every 10 s. The returned function stops it and clears the line.
 */
export function kafkaStatus(
  terminal: Terminal,
  plan: { readonly durationMs: number | null; readonly stages: readonly number[] },
  state: () => { samples: number; firing: readonly string[]; note: StatusNote | null },
): () => void {
  const progress = new Progress(terminal, plan);
  let shownKind: string | null = null;
  let shownAt = -Infinity;
  const ticker = setInterval(() => {
    const now = state();
    if (now.note === null) {
      shownKind = null;
      progress.update(now);
      return;
    }
    const at = performance.now();
    if (terminal.isTTY || now.note.kind !== shownKind || at - shownAt >= PLAIN_EVERY_MS) {
      terminal.status(now.note.text);
      shownAt = at;
    }
    shownKind = now.note.kind;
  }, 1000);
  return () => {
    clearInterval(ticker);
    progress.done();
  };
}

/**
 * The note of a producer whose brokers are unreachable:
 * "broker unreachable for 12 s (connect ECONNREFUSED); 3,400 samples waiting, 0 dropped".
 */
export function producerNote(status: KafkaProducerStatus): StatusNote | null {
  if (status.unreachableForMs === 0) return null;
  return {
    kind: 'unreachable',
    text:
      `broker unreachable for ${formatSeconds(status.unreachableForMs)}` +
      `${status.reason !== null ? ` (${status.reason})` : ''}; ` +
      `${status.waiting.toLocaleString('en-US')} samples waiting, ${status.refused.toLocaleString('en-US')} dropped`,
  };
}

/**
 * The note of a consumer that is not consuming: its brokers unreachable ("broker unreachable for
 * 12 s (connect ECONNREFUSED); 1,200 samples recorded"), or waiting to (re)join its group
 * ("joining group G on host:9092…").
 */
export function consumerNote(
  source: KafkaSampleSource,
  group: { readonly groupId: string; readonly brokers: readonly string[] },
  done: string,
): StatusNote | null {
  const status = source.status();
  if (status.unreachableForMs > 0)
    return {
      kind: 'unreachable',
      text:
        `broker unreachable for ${formatSeconds(status.unreachableForMs)}` +
        `${status.reason !== null ? ` (${status.reason})` : ''}; ${done}`,
    };
  if (status.phase !== 'consuming')
    return {
      kind: 'joining',
      text:
        `${status.firstJoinAt === null ? 'joining' : 'rejoining'} group ${group.groupId} ` +
        `on ${group.brokers.join(',')}…`,
    };
  return null;
}
