import type { Message, Producer } from 'kafkajs';
import type { BrokerError } from '../../model/errors.js';
import type { Sample } from '../../model/sample.js';
import { encodeSample } from '../../model/sampleCodec.js';
import { seriesKeyCache } from '../../model/seriesKey.js';
import { retry, RetriesExhausted } from '../retry.js';
import {
  BrokerHealth,
  CONNECT_TIMEOUT_MS,
  DEFAULT_BROKER_TIMEOUT_MS,
  formatSeconds,
  isRetriableKafkaError,
} from './brokerHealth.js';
import { createKafka, type KafkaConnection } from './createKafka.js';

/** Options of {@link KafkaSampleProducer.connect}. */
export interface KafkaSampleProducerOptions {
  readonly connection: KafkaConnection;
  readonly topic: string;
  /** Messages per send. Default 500. */
  readonly batchSize?: number;
  /** A partial batch is sent after this long. Default 50 ms. */
  readonly lingerMs?: number;
  /** Samples queued or in flight at most: beyond it `publish` waits and `offer` refuses. Default 50,000. */
  readonly maxBuffered?: number;
  /** How long a send goes on retrying while the brokers are unreachable. Default 2 min. */
  readonly brokerTimeoutMs?: number;
  /** How long `connect` waits for a first answer from a broker. Default 5 s. */
  readonly connectTimeoutMs?: number;
}

/** What a producer has done so far and whether its brokers answer. */
export interface KafkaProducerStatus {
  /** Samples the brokers acknowledged. */
  readonly published: number;
  /** Samples queued or in flight. */
  readonly waiting: number;
  /** Samples `offer` refused because the buffer was full. */
  readonly refused: number;
  /** Samples given up on: queued when a send failed for good. */
  readonly abandoned: number;
  /** How long the brokers have been unreachable (ms), 0 while they answer; and the last failure. */
  readonly unreachableForMs: number;
  readonly reason: string | null;
}

/** How often the broker timeout is checked. */
const WATCH_MS = 1000;

/** Default of {@link KafkaSampleProducerOptions.maxBuffered}: about 15 MB of encoded samples and keys. */
export const DEFAULT_MAX_BUFFERED = 50_000;

/**
 * Publishes samples to a Kafka topic: each message is one sample in Avro single-object encoding
 * (magic, schema fingerprint, body), keyed by its series key so every series lands in one
 * partition and keeps its order. Messages are sent in batches (`batchSize`, or after `lingerMs`),
 * one send at a time, so a retried batch never overtakes an earlier one. A send that fails while
 * the brokers are unreachable is retried (the retry module, backoff up to 5 s) for up to
 * `brokerTimeoutMs`; then, or on an error no retry can help, the producer fails with a BrokerError
 * naming the brokers, which surfaces from the next `publish`, `offer`, `flush` or `close`, and what
 * was still queued is abandoned. Memory is bounded by `maxBuffered` samples: `publish` waits for
 * room (backpressure); `offer`, for a caller that must keep its schedule, refuses the sample and
 * counts it. `close` flushes and disconnects; calling it twice is safe.
 */
export class KafkaSampleProducer {
  private buffer: Message[] = [];
  /** Samples queued or in flight, not yet acknowledged by the broker nor abandoned. */
  private unsent = 0;
  private published = 0;
  private refused = 0;
  private abandoned = 0;
  private sending: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly keyOf = seriesKeyCache();
  /** Rejects once the brokers have been unreachable past the timeout while samples wait. */
  private readonly gaveUp: Promise<never>;
  private readonly watchdog: NodeJS.Timeout;

  private constructor(
    private readonly producer: Producer,
    private readonly health: BrokerHealth,
    private readonly topic: string,
    private readonly batchSize: number,
    private readonly lingerMs: number,
    private readonly maxBuffered: number,
    private readonly brokerTimeoutMs: number,
  ) {
    let giveUp: (error: unknown) => void = () => undefined;
    this.gaveUp = new Promise<never>((_resolve, reject) => {
      giveUp = reject;
    });
    this.gaveUp.catch(() => undefined);
    // The deadline is the outage's, not one send's: a send attempt inside kafkajs may run on past it.
    this.watchdog = setInterval(() => {
      const outage = health.unreachableForMs();
      if (outage > brokerTimeoutMs && this.unsent > 0) giveUp(this.timedOut(outage));
    }, WATCH_MS);
    this.watchdog.unref();
  }

  /**
   * Connects a producer (idempotent writes off; kafkajs retries each request) and returns it; fails
   * with "cannot reach Kafka brokers …" when no broker answers within `connectTimeoutMs`.
   */
  static async connect(options: KafkaSampleProducerOptions): Promise<KafkaSampleProducer> {
    const health = new BrokerHealth(options.connection.brokers);
    const producer = createKafka(options.connection, health).producer({ allowAutoTopicCreation: true });
    producer.on(producer.events.REQUEST_TIMEOUT, () => health.failure('request timed out'));
    await health.connect(
      () => producer.connect(),
      () => producer.disconnect(),
      options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    );
    return new KafkaSampleProducer(
      producer,
      health,
      options.topic,
      options.batchSize ?? 500,
      options.lingerMs ?? 50,
      options.maxBuffered ?? DEFAULT_MAX_BUFFERED,
      options.brokerTimeoutMs ?? DEFAULT_BROKER_TIMEOUT_MS,
    );
  }

  /**
   * Queues one sample (validated and encoded now: invalid samples throw InvalidSampleError); with
   * `maxBuffered` samples waiting, returns a promise that resolves once there is room again.
   */
  publish(sample: Sample): void | Promise<void> {
    this.queue(sample);
    if (this.unsent >= this.maxBuffered) return this.sending.then(() => this.throwIfFailed());
    return undefined;
  }

  /** Queues one sample unless `maxBuffered` samples are waiting: then refuses it (false) and counts it. */
  offer(sample: Sample): boolean {
    this.throwIfFailed();
    if (this.unsent >= this.maxBuffered) {
      this.refused++;
      return false;
    }
    this.queue(sample);
    return true;
  }

  /** Sends everything queued and waits for it. */
  async flush(): Promise<void> {
    this.send();
    await this.sending;
    this.throwIfFailed();
  }

  /** Counts so far and the brokers' state (O(1)). */
  status(): KafkaProducerStatus {
    return {
      published: this.published,
      waiting: this.unsent,
      refused: this.refused,
      abandoned: this.abandoned,
      unreachableForMs: this.health.unreachableForMs(),
      reason: this.health.reason,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      clearInterval(this.watchdog);
      await this.producer.disconnect();
    }
  }

  private queue(sample: Sample): void {
    this.throwIfFailed();
    if (this.closed) throw new Error('KafkaSampleProducer: publish after close');
    // Encode (and so validate) first: a malformed sample fails as InvalidSampleError, not in the key.
    const value = encodeSample(sample);
    this.buffer.push({ key: this.keyOf(sample.metric, sample.tags), value });
    this.unsent++;
    if (this.buffer.length >= this.batchSize) this.send();
    else this.timer ??= setTimeout(() => this.send(), this.lingerMs);
  }

  private send(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.buffer.length === 0) return;
    const messages = this.buffer;
    this.buffer = [];
    this.sending = this.sending.then(async () => {
      // After a failure nothing more is sent: the rest is abandoned and counted.
      if (this.failure === null) {
        // publish sends whenever batchSize messages are queued, so one send carries them all.
        const sent = retry(
          () => {
            this.throwIfFailed();
            return this.producer.send({ topic: this.topic, messages });
          },
          {
            minDelayMs: 500,
            maxDelayMs: 5_000,
            maxTimeMs: this.brokerTimeoutMs,
            retriable: (error) => this.failure === null && isRetriableKafkaError(error),
          },
        );
        sent.catch(() => undefined);
        try {
          await Promise.race([sent, this.gaveUp]);
          this.published += messages.length;
          this.unsent -= messages.length;
          return;
        } catch (error) {
          const outage = this.health.unreachableForMs();
          this.failure ??=
            error instanceof RetriesExhausted && outage > 0
              ? this.timedOut(outage, error.lastError)
              : this.health.errorOf(
                  error instanceof RetriesExhausted ? error.lastError : error,
                  `cannot publish to ${this.topic}`,
                );
        }
      }
      this.abandoned += messages.length;
      this.unsent -= messages.length;
    });
  }

  private timedOut(outage: number, cause?: unknown): BrokerError {
    return this.health.unreachable(
      ` for ${formatSeconds(outage)}, past the broker timeout of ${formatSeconds(this.brokerTimeoutMs)}; ` +
        `gave up publishing to ${this.topic}`,
      cause,
    );
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }
}
