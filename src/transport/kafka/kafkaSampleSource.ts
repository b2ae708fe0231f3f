import type { Consumer, KafkaMessage, Producer } from 'kafkajs';
import { Observable } from 'rxjs';
import { SoakstreamError } from '../../model/errors.js';
import type { Sample, Tags } from '../../model/sample.js';
import { sameTags } from '../../model/tagsInterner.js';
import { decodeSamples } from '../../model/sampleCodec.js';
import { createKafka, type KafkaConnection } from './createKafka.js';

/** Samples of one fetched batch of one partition; call `ack()` once every sink holds them. */
export interface KafkaBatch {
  readonly topic: string;
  readonly partition: number;
  readonly firstOffset: string;
  readonly lastOffset: string;
  readonly samples: readonly Sample[];
  ack(): void;
}

/** A message that could not be decoded, as sent to the dead-letter topic. */
export interface DeadLetter {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly reason: string;
}

/** Options of {@link kafkaSampleSource}. */
export interface KafkaSampleSourceOptions {
  readonly connection: KafkaConnection;
  readonly topic: string;
  readonly groupId: string;
  /** Where undecodable or invalid messages go. Default `<topic>.dead-letter`. */
  readonly deadLetterTopic?: string;
  /** A new group starts at the earliest offset (default) or only sees new messages. */
  readonly fromBeginning?: boolean;
  readonly onDeadLetter?: (letter: DeadLetter) => void;
  /** How long a silent worker keeps its partitions before the group moves them. Default 30,000 ms. */
  readonly sessionTimeoutMs?: number;
}

/** The consumer source and its flow control. */
export interface KafkaSampleSource {
  readonly batches: Observable<KafkaBatch>;
  /** Stops fetching (kafkajs pause) until `resume`: backpressure beyond the per-batch acknowledgement. */
  pause(): void;
  resume(): void;
  /** Resolves once the last subscription's consumer has left the group (after unsubscribing). */
  disconnected(): Promise<void>;
}

const HEARTBEAT_MS = 3000;
/** Series whose tags objects are shared at once; beyond it the table starts afresh. */
const MAX_INTERNED = 100_000;

/**
 * Consumes samples from a Kafka topic as a consumer-group member (scale out by adding members:
 * every series is keyed to one partition, so its state lives in one worker). Messages are Avro
 * single-object encoded samples or sample batches. Delivery is **at-least-once**: a batch's
 * offset is committed only after its `ack()`; until then the partition is not fetched further,
 * and a worker that stops without acknowledging leaves the batch to be delivered again.
 * Undecodable or invalid messages go to the dead-letter topic with the reason and their origin in
 * headers (`soakstream-error`, `soakstream-source`), are counted via `onDeadLetter`, and the
 * stream goes on. Broker and network faults, after kafkajs' retries, end the stream with an error
 * naming topic and group. Unsubscribing disconnects.
 */
export function kafkaSampleSource(options: KafkaSampleSourceOptions): KafkaSampleSource {
  const deadLetterTopic = options.deadLetterTopic ?? `${options.topic}.dead-letter`;
  let consumer: Consumer | null = null;
  let leaving: Promise<void> = Promise.resolve();
  const batches = new Observable<KafkaBatch>((subscriber) => {
    const kafka = createKafka(options.connection);
    const sessionTimeout = options.sessionTimeoutMs ?? 30_000;
    const own = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout,
      rebalanceTimeout: sessionTimeout,
      heartbeatInterval: Math.min(HEARTBEAT_MS, Math.floor(sessionTimeout / 3)),
    });
    const producer: Producer = kafka.producer();
    let stopped = false;
    // Decoding gives every sample its own tags object; one per series (by message key, checked
    // equal) lets the per-tags caches downstream (series keys, scaling groups) hit.
    const tagsByKey = new Map<string, Tags>();
    const internTags = (key: string, sample: Sample): Sample => {
      const known = tagsByKey.get(key);
      if (known !== undefined && sameTags(known, sample.tags)) return { ...sample, tags: known };
      if (tagsByKey.size >= MAX_INTERNED) tagsByKey.clear();
      tagsByKey.set(key, sample.tags);
      return sample;
    };
    // A batch waiting for its ack when the stream stops is released uncommitted (redelivered later).
    let releasePending: (() => void) | null = null;
    consumer = own;

    const deadLetter = async (message: KafkaMessage, partition: number, error: unknown): Promise<void> => {
      const reason =
        error instanceof SoakstreamError
          ? `${error.code}: ${error.message}`
          : String((error as Error).message ?? error);
      await producer.send({
        topic: deadLetterTopic,
        messages: [
          {
            key: message.key,
            value: message.value,
            headers: {
              'soakstream-error': reason,
              'soakstream-source': `${options.topic}/${partition}/${message.offset}`,
            },
          },
        ],
      });
      options.onDeadLetter?.({ topic: options.topic, partition, offset: message.offset, reason });
    };

    const start = async (): Promise<void> => {
      await Promise.all([own.connect(), producer.connect()]);
      await own.subscribe({ topic: options.topic, fromBeginning: options.fromBeginning ?? true });
      own.on(own.events.CRASH, (event) => {
        // With restart, kafkajs rejoins the group by itself (a retriable fault); only a final crash ends the stream.
        if (!stopped && !event.payload.restart)
          subscriber.error(
            new SoakstreamError(
              'KAFKA_CONSUMER_CRASHED',
              `kafka consumer of ${options.topic} (group ${options.groupId}) crashed: ${event.payload.error.message}`,
              {
                retriable: event.payload.restart,
                cause: event.payload.error,
                context: { topic: options.topic, group: options.groupId },
              },
            ),
          );
      });
      await own.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          const samples: Sample[] = [];
          for (const message of batch.messages) {
            if (message.value === null) continue;
            try {
              const key = message.key === null ? null : message.key.toString();
              for (const sample of decodeSamples(message.value))
                samples.push(key === null ? sample : internTags(key, sample));
            } catch (error) {
              await deadLetter(message, batch.partition, error);
            }
          }
          if (!isRunning() || isStale() || stopped) return;
          if (samples.length > 0) {
            let acknowledge: () => void = () => undefined;
            const acknowledged = new Promise<void>((resolve) => {
              acknowledge = resolve;
              releasePending = resolve;
            });
            // Keep the group membership alive while downstream works on the batch.
            const beat = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_MS);
            subscriber.next({
              topic: batch.topic,
              partition: batch.partition,
              firstOffset: batch.firstOffset() ?? batch.lastOffset(),
              lastOffset: batch.lastOffset(),
              samples,
              ack: acknowledge,
            });
            try {
              await acknowledged;
            } finally {
              clearInterval(beat);
              releasePending = null;
            }
          }
          if (stopped) return;
          resolveOffset(batch.lastOffset());
          await own.commitOffsets([
            { topic: batch.topic, partition: batch.partition, offset: (BigInt(batch.lastOffset()) + 1n).toString() },
          ]);
        },
      });
    };
    start().catch((error: unknown) => {
      if (!stopped)
        subscriber.error(
          new SoakstreamError(
            'KAFKA_CONSUMER_FAILED',
            `kafka consumer of ${options.topic} (group ${options.groupId}): ${(error as Error).message}`,
            { cause: error, context: { topic: options.topic, group: options.groupId } },
          ),
        );
    });

    return () => {
      stopped = true;
      consumer = null;
      releasePending?.();
      leaving = Promise.all([
        own.disconnect().catch(() => undefined),
        producer.disconnect().catch(() => undefined),
      ]).then(() => undefined);
    };
  });
  return {
    batches,
    pause: () => consumer?.pause([{ topic: options.topic }]),
    resume: () => consumer?.resume([{ topic: options.topic }]),
    disconnected: () => leaving,
  };
}
