/**
 * The one error hierarchy of soakstream (CONVENTIONS.md §6). Every error carries a stable
 * machine-readable `code`, whether retrying can help (`retriable`), the context it happened
 * in (file, line, topic, partition, offset, field...) and the underlying `cause`.
 */
export type ErrorContext = Readonly<Record<string, string | number | boolean | undefined>>;

/** Base class of every error soakstream raises on purpose. */
export class SoakstreamError extends Error {
  readonly code: string;
  readonly retriable: boolean;
  readonly context: ErrorContext;

  constructor(
    code: string,
    message: string,
    options: { retriable?: boolean; context?: ErrorContext; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.context = options.context ?? {};
  }
}

/** A sample that violates the data model: empty metric, non-finite value, bad timestamp or tags. */
export class InvalidSampleError extends SoakstreamError {
  constructor(message: string, context: ErrorContext = {}, cause?: unknown) {
    super('INVALID_SAMPLE', message, { context, cause });
  }
}

/** Bytes that cannot be decoded: wrong magic, truncated payload, malformed Avro. */
export class DecodeError extends SoakstreamError {
  constructor(message: string, context: ErrorContext = {}, cause?: unknown) {
    super('DECODE_ERROR', message, { context, cause });
  }
}

/** A single-object encoded message whose schema fingerprint no registered schema has. */
export class UnknownSchemaError extends SoakstreamError {
  constructor(message: string, context: ErrorContext = {}, cause?: unknown) {
    super('UNKNOWN_SCHEMA', message, { context, cause });
  }
}

/** A recording (Avro container, NDJSON or CSV) that is truncated or corrupt after some intact records. */
export class CorruptRecordingError extends SoakstreamError {
  constructor(message: string, context: ErrorContext = {}, cause?: unknown) {
    super('CORRUPT_RECORDING', message, { context, cause });
  }
}

/** A line of a text import (NDJSON, CSV) that cannot be parsed; context names file and line. */
export class ParseError extends SoakstreamError {
  constructor(message: string, context: ErrorContext = {}, cause?: unknown) {
    super('PARSE_ERROR', message, { context, cause });
  }
}

/** Configuration or rules that fail validation; `issues` lists every problem with its path. */
export class ConfigError extends SoakstreamError {
  readonly issues: readonly string[];

  constructor(message: string, issues: readonly string[], context: ErrorContext = {}) {
    super('CONFIG_ERROR', issues.length > 0 ? `${message}\n  - ${issues.join('\n  - ')}` : message, { context });
    this.issues = issues;
  }
}

/** A sink could not store data: a server refused it (not retriable) or stayed unreachable. */
export class SinkError extends SoakstreamError {
  constructor(message: string, options: { retriable?: boolean; context?: ErrorContext; cause?: unknown } = {}) {
    super('SINK_ERROR', message, options);
  }
}

/** Kafka brokers that cannot be reached (at start, or past the broker timeout) or that refuse a request. */
export class BrokerError extends SoakstreamError {
  constructor(message: string, options: { retriable?: boolean; context?: ErrorContext; cause?: unknown } = {}) {
    super('BROKER_ERROR', message, options);
  }
}
