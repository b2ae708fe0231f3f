import type { ConnectionOptions } from 'node:tls';
import { Kafka, logLevel, type RetryOptions, type SASLOptions } from 'kafkajs';
import { isBrokerAddress } from '../../model/names.js';

/** How to reach the Kafka cluster. SASL, TLS and retry options are passed through to kafkajs as they are. */
export interface KafkaConnection {
  readonly brokers: readonly string[];
  readonly clientId?: string;
  readonly ssl?: boolean | ConnectionOptions;
  readonly sasl?: SASLOptions;
  /** kafkajs retry options (retries, initialRetryTime, maxRetryTime, …), passed through as given. */
  readonly retry?: RetryOptions;
  /** kafkajs log level: 'nothing' (default), 'error', 'warn', 'info', 'debug'. */
  readonly logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
}

const LEVELS = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
} as const;

/** A kafkajs client from connection settings; validates the broker list. */
export function createKafka(connection: KafkaConnection): Kafka {
  if (connection.brokers.length === 0) throw new RangeError('kafka: at least one broker (host:port) is needed');
  connection.brokers.forEach((broker, i) => {
    if (!isBrokerAddress(broker))
      throw new RangeError(`kafka: brokers[${i}] must be host:port, got ${JSON.stringify(broker)}`);
  });
  return new Kafka({
    brokers: [...connection.brokers],
    clientId: connection.clientId ?? 'soakstream',
    ...(connection.ssl !== undefined ? { ssl: connection.ssl } : {}),
    ...(connection.sasl !== undefined ? { sasl: connection.sasl } : {}),
    ...(connection.retry !== undefined ? { retry: connection.retry } : {}),
    logLevel: LEVELS[connection.logLevel ?? 'nothing'],
  });
}
