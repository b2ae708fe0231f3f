import type { Message, Producer } from 'kafkajs';
import type { Alert } from '../../model/alert.js';
import { encodeAlert } from '../../model/alertCodec.js';
import { SinkError } from '../../model/errors.js';
import { createKafka, type KafkaConnection } from '../../transport/kafka/createKafka.js';
import { Serial } from '../../transport/serial.js';
import type { Sink, SinkRecord, SinkTrouble } from '../sink.js';
import { retry, RetriesExhausted } from '../../transport/retry.js';
import { KAFKA_TOPIC_NAME } from '../../model/names.js';
import { showValue } from '../../model/showValue.js';

export const DEFAULT_ALERTS_TOPIC = 'soakstream.alerts';
export const DEFAULT_REGRESSIONS_TOPIC = 'soakstream.regressions';

/** Options of {@link KafkaAlertSink.connect}. */
export interface KafkaAlertSinkOptions {
  readonly connection: KafkaConnection;
  /** Every alert transition. Default 'soakstream.alerts'. */
  readonly alertsTopic?: string;
  /** Transitions of regression alerts only. Default 'soakstream.regressions'; null to publish none. */
  readonly regressionsTopic?: string | null;
  /** Keep retrying a send that fails (after kafkajs's own retries) this long, then fail. Default 3 min. */
  readonly retryForMs?: number;
}

/** How long a failing send is retried before the sink gives up, unless set: 3 minutes. */
export const DEFAULT_KAFKA_RETRY_TIME_MS = 180_000;

// Errors worth another send: kafkajs marks its own; a send whose retries ran out may succeed later.
const retriable = (error: unknown): boolean =>
  error instanceof Error &&
  ((error as { retriable?: boolean }).retriable === true || error.name === 'KafkaJSNumberOfRetriesExceeded');

/** Header that carries the alert id, so consumers can deduplicate without decoding. */
export const ALERT_ID_HEADER = 'soakstream-alert-id';
export const ALERT_STATE_HEADER = 'soakstream-alert-state';

const messageOf = (alert: Alert): Message => ({
  key: alert.series,
  value: encodeAlert(alert),
  headers: { [ALERT_ID_HEADER]: alert.id, [ALERT_STATE_HEADER]: alert.state },
});

/**
 * Publishes alerts to Kafka: each transition (pending, firing, resolved) Avro single-object encoded
 * (schema alert.v4) to the alerts topic, and transitions of `regression` alerts also to the
 * regressions topic; keyed by series, so one series' alerts stay in order in one partition. The
 * alert id is deterministic (rule, series, start time), so a replayed or redelivered alert
 * carries the same id and consumers deduplicate on it (also in the `soakstream-alert-id`
 * header). `write` resolves when every broker in sync has the messages (acks: all); kafkajs
 * retries transient errors, after which `write` rejects with a retriable SinkError. Records other
 * than alerts are ignored.
 */
export class KafkaAlertSink implements Sink {
  readonly name = 'kafka-alerts';
  readonly target: string;
  private readonly serial = new Serial();
  private readonly aborted = new AbortController();
  private troubleSince: SinkTrouble | null = null;
  private published = 0;

  private constructor(
    private readonly producer: Producer,
    private readonly alertsTopic: string,
    private readonly regressionsTopic: string | null,
    private readonly brokers: readonly string[],
    private readonly retryForMs: number,
  ) {
    this.target = `${alertsTopic} on ${brokers.join(',')}`;
  }

  static async connect(options: KafkaAlertSinkOptions): Promise<KafkaAlertSink> {
    const alertsTopic = options.alertsTopic ?? DEFAULT_ALERTS_TOPIC;
    const regressionsTopic =
      options.regressionsTopic === undefined ? DEFAULT_REGRESSIONS_TOPIC : options.regressionsTopic;
    for (const [name, topic] of [
      ['alertsTopic', alertsTopic],
      ['regressionsTopic', regressionsTopic],
    ] as const) {
      if (topic !== null && !KAFKA_TOPIC_NAME.test(topic))
        throw new RangeError(`kafka alerts: ${name} must be 1–249 of [A-Za-z0-9._-], got ${showValue(topic)}`);
    }
    const producer = createKafka(options.connection).producer({ allowAutoTopicCreation: true });
    await producer.connect();
    return new KafkaAlertSink(
      producer,
      alertsTopic,
      regressionsTopic,
      options.connection.brokers,
      options.retryForMs ?? DEFAULT_KAFKA_RETRY_TIME_MS,
    );
  }

  /** While a send is being retried: since when and the last failure; null when healthy. */
  trouble(): SinkTrouble | null {
    return this.troubleSince;
  }

  /** Stops retrying at once: the send being retried and every later write fail. */
  abort(): void {
    this.aborted.abort();
  }

  /** Alert messages acknowledged so far (both topics). */
  get messages(): number {
    return this.published;
  }

  write(records: readonly SinkRecord[]): Promise<void> {
    const alerts: Message[] = [];
    const regressions: Message[] = [];
    for (const record of records) {
      if (record.type !== 'alert') continue;
      const message = messageOf(record.alert);
      alerts.push(message);
      if (this.regressionsTopic !== null && record.alert.kind === 'regression') regressions.push(message);
    }
    if (alerts.length === 0) return this.serial.idle();
    const topicMessages = [
      { topic: this.alertsTopic, messages: alerts },
      ...(regressions.length > 0 ? [{ topic: this.regressionsTopic as string, messages: regressions }] : []),
    ];
    // One send at a time keeps the order of writes; the promise of each write is its own send.
    return this.serial.run(async () => {
      try {
        await retry(() => this.producer.sendBatch({ topicMessages, acks: -1 }), {
          minDelayMs: 1000,
          maxDelayMs: 10_000,
          maxTimeMs: this.retryForMs,
          signal: this.aborted.signal,
          retriable,
          onRetry: (error) => {
            this.troubleSince = { since: this.troubleSince?.since ?? Date.now(), reason: (error as Error).message };
          },
        });
        this.troubleSince = null;
        this.published += alerts.length + regressions.length;
      } catch (error) {
        this.troubleSince = null;
        const last = error instanceof RetriesExhausted ? error.lastError : error;
        throw new SinkError(
          `kafka alerts: could not publish ${alerts.length} alerts to ${this.alertsTopic} on ` +
            `${this.brokers.join(',')}${error instanceof RetriesExhausted ? ` (${error.message})` : ''}: ` +
            `${(last as Error).message}`,
          { retriable: true, context: { topic: this.alertsTopic, alerts: alerts.length }, cause: last },
        );
      }
    });
  }

  async close(): Promise<void> {
    await this.serial.idle();
    await this.producer.disconnect();
  }
}
