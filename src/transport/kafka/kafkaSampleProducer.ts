import type { Producer } from 'kafkajs';
import type { Sample } from '../../model/sample.js';
import { encodeSample } from '../../model/sampleCodec.js';
import { seriesKeyCache } from '../../model/seriesKey.js';
import { createKafka, type KafkaConnection } from './createKafka.js';

/** Options of {@link KafkaSampleProducer.connect}. */
export interface KafkaSampleProducerOptions {
  readonly connection: KafkaConnection;
  readonly topic: string;
  /** Messages per send. Default 500. */
  readonly batchSize?: number;
  /** A partial batch is sent after this long. Default 50 ms. */
  readonly lingerMs?: number;
  /** Messages buffered before `publish` makes the caller wait. Default 10,000. */
  readonly maxBuffered?: number;
}

/**
 * Publishes samples to a Kafka topic: each message is one sample in Avro single-object encoding
 * (magic, schema fingerprint, body), keyed by its series key so every series lands in one
 * partition and keeps its order. Messages are sent in batches (`batchSize`, or after `lingerMs`);
 * with `maxBuffered` messages queued or in flight, `publish` returns a promise that resolves once
 * the queued batches have gone out (backpressure). Send failures are retried by kafkajs, then surface from the next
 * `publish`, `flush` or `close`. `close` flushes and disconnects; calling it twice is safe.
 */
export class KafkaSampleProducer {
  private buffer: { key: string; value: Buffer }[] = [];
  /** Messages queued or in flight, not yet acknowledged by the broker. */
  private unsent = 0;
  private sending: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly keyOf = seriesKeyCache();

  private constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly batchSize: number,
    private readonly lingerMs: number,
    private readonly maxBuffered: number,
  ) {}

  /** Connects a producer (idempotent writes off; kafkajs retries) and returns it. */
  static async connect(options: KafkaSampleProducerOptions): Promise<KafkaSampleProducer> {
    const producer = createKafka(options.connection).producer({ allowAutoTopicCreation: true });
    await producer.connect();
    return new KafkaSampleProducer(
      producer,
      options.topic,
      options.batchSize ?? 500,
      options.lingerMs ?? 50,
      options.maxBuffered ?? 10_000,
    );
  }

  /** Queues one sample (validated and encoded now: invalid samples throw InvalidSampleError). */
  publish(sample: Sample): void | Promise<void> {
    this.throwIfFailed();
    if (this.closed) throw new Error('KafkaSampleProducer: publish after close');
    // Encode (and so validate) first: a malformed sample fails as InvalidSampleError, not in the key.
    const value = encodeSample(sample);
    this.buffer.push({ key: this.keyOf(sample.metric, sample.tags), value });
    this.unsent++;
    if (this.buffer.length >= this.batchSize) this.send();
    else this.timer ??= setTimeout(() => this.send(), this.lingerMs);
    if (this.unsent >= this.maxBuffered) return this.sending.then(() => this.throwIfFailed());
    return undefined;
  }

  /** Sends everything queued and waits for it. */
  async flush(): Promise<void> {
    this.send();
    await this.sending;
    this.throwIfFailed();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      await this.producer.disconnect();
    }
  }

  private send(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.buffer.length === 0) return;
    const messages = this.buffer;
    this.buffer = [];
    this.sending = this.sending
      .then(async () => {
        // publish sends whenever batchSize messages are queued, so one send carries them all.
        await this.producer.send({ topic: this.topic, messages });
        this.unsent -= messages.length;
      })
      .catch((error: unknown) => {
        this.failure ??= error;
      });
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }
}
