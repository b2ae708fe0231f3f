import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { Kafka, logLevel, type ISocketFactory, type RetryOptions, type SASLOptions } from 'kafkajs';
import { isBrokerAddress } from '../../model/names.js';
import type { BrokerHealth } from './brokerHealth.js';
import { showValue } from '../../model/showValue.js';

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

/**
 * kafkajs' retries of one request or connection when none are given: about 6 s in all (300 ms
 * doubling to 2 s, 5 retries). They are set here rather than left to kafkajs, whose defaults change
 * under NODE_ENV=test; outages longer than this are ridden out by the commands (see BrokerHealth).
 */
export const DEFAULT_KAFKA_RETRY: RetryOptions = {
  initialRetryTime: 300,
  maxRetryTime: 2_000,
  retries: 5,
  factor: 0.2,
  multiplier: 2,
};

/** Keep-alive probes on broker connections, as kafkajs' own socket factory sets them. */
const KEEP_ALIVE_MS = 60_000;

/** "connect ECONNREFUSED", "getaddrinfo ENOTFOUND": a socket error in the words of the system call. */
function socketFailure(error: NodeJS.ErrnoException): string {
  return error.syscall !== undefined && error.code !== undefined ? `${error.syscall} ${error.code}` : error.message;
}

/**
 * kafkajs' socket factory (TCP, or TLS with SNI for host names) with every socket reporting to
 * `health`: bytes received are an answer; an error, or a socket closed before it connected (kafkajs'
 * connection timeout), is a failure.
 */
function watchedSocketFactory(health: BrokerHealth): ISocketFactory {
  return ({ host, port, ssl, onConnect }) => {
    const socket: Socket = ssl
      ? tlsConnect({ host, port, ...(isIP(host) === 0 ? { servername: host } : {}), ...ssl }, onConnect)
      : netConnect({ host, port }, onConnect);
    socket.setKeepAlive(true, KEEP_ALIVE_MS);
    health.adopt(socket);
    let connected = false;
    let failed = false;
    socket.once(ssl ? 'secureConnect' : 'connect', () => (connected = true));
    socket.on('data', () => health.answer());
    socket.on('error', (error: NodeJS.ErrnoException) => {
      failed = true;
      health.failure(socketFailure(error));
    });
    socket.once('close', () => {
      if (!connected && !failed) health.failure(`no connection to ${host}:${port} (timeout)`);
    });
    return socket;
  };
}

/**
 * A kafkajs client from connection settings; validates the broker list. With `health`, every
 * broker connection reports to it (answers and failures).
 */
export function createKafka(connection: KafkaConnection, health?: BrokerHealth): Kafka {
  if (connection.brokers.length === 0) throw new RangeError('kafka: at least one broker (host:port) is needed');
  connection.brokers.forEach((broker, i) => {
    if (!isBrokerAddress(broker))
      throw new RangeError(`kafka: brokers[${i}] must be host:port, got ${showValue(broker)}`);
  });
  return new Kafka({
    brokers: [...connection.brokers],
    clientId: connection.clientId ?? 'soakstream',
    ...(connection.ssl !== undefined ? { ssl: connection.ssl } : {}),
    ...(connection.sasl !== undefined ? { sasl: connection.sasl } : {}),
    retry: connection.retry ?? DEFAULT_KAFKA_RETRY,
    ...(health !== undefined ? { socketFactory: watchedSocketFactory(health) } : {}),
    logLevel: LEVELS[connection.logLevel ?? 'nothing'],
  });
}
