/**
 * The shapes of names that cross process boundaries (Kafka topics and brokers, recording file
 * prefixes), checked where they are given (flags, scenario files) and where they are used (the
 * sinks and the transport). No dependencies, so the CLI can check flags before loading anything.
 */

/** A legal Kafka topic name: 1–249 of [A-Za-z0-9._-]. */
export const KAFKA_TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

/** A file name prefix the recorder accepts: letters, digits, '.', '_' and '-'. */
export const FILE_PREFIX = /^[A-Za-z0-9._-]+$/;

/** Whether `broker` is a Kafka bootstrap address, host:port. */
export const isBrokerAddress = (broker: unknown): broker is string =>
  typeof broker === 'string' && /^[^\s:]+:\d{1,5}$/.test(broker);

/** Brokers from one comma-separated string (a flag or `${KAFKA_BROKERS}`), blanks dropped. */
export const splitBrokers = (text: string): string[] =>
  text
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
