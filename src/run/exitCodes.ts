import { SoakstreamError } from '../model/errors.js';

/**
 * The exit codes of every command, one table (README "Exit codes", `soakstream --help`). A
 * script can tell "the system under test failed" (1) from "you called it wrong" (2), "something
 * it depends on failed, try again" (3) and "it was stopped" (130).
 */
export const ExitCode = {
  /** Done, criteria held, no alert per --fail-on. */
  ok: 0,
  /** The verdict failed: a criterion failed, alerts fired or were firing (per --fail-on), a rule test did not match. */
  verdict: 1,
  /** Usage, configuration or input error: a flag, a scenario or rules file, a recording, a file that cannot be read. */
  usage: 2,
  /** Infrastructure failure: a sink (InfluxDB, Kafka, a file on a full disk), a broker, the target service. */
  infrastructure: 3,
  /** A fault of soakstream itself (a bug: run again with --debug and report the stack trace). */
  internal: 4,
  /** Stopped by SIGINT or SIGTERM before the end; what was accepted is written. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The table as the help and README print it. */
export const EXIT_CODE_TABLE: readonly (readonly [ExitCode, string])[] = [
  [ExitCode.ok, 'success'],
  [ExitCode.verdict, 'criteria failed, or alerts fired or firing per --fail-on, or a rule test mismatched'],
  [ExitCode.usage, 'usage, configuration or input error (flag, scenario, rules, recording, unreadable file)'],
  [ExitCode.infrastructure, 'infrastructure failure (sink, disk, Kafka broker, target service)'],
  [ExitCode.internal, 'internal error (a bug; --debug prints the stack trace)'],
  [ExitCode.interrupted, 'interrupted by SIGINT/SIGTERM; what was accepted is written'],
];

// Error codes of the errors soakstream raises, by exit code.
const USAGE_CODES = new Set([
  'CONFIG_ERROR',
  'USAGE_ERROR',
  'DECODE_ERROR',
  'UNKNOWN_SCHEMA',
  'CORRUPT_RECORDING',
  'PARSE_ERROR',
  'INVALID_SAMPLE',
]);
const INFRASTRUCTURE_CODES = new Set(['SINK_ERROR', 'SERVICE_FAILED', 'BROKER_ERROR', 'PROBE_FAILED']);
/** The exit code an error ends a command with. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof SoakstreamError) {
    if (error.code === 'INTERRUPTED') return ExitCode.interrupted;
    if (USAGE_CODES.has(error.code)) return ExitCode.usage;
    if (INFRASTRUCTURE_CODES.has(error.code)) return ExitCode.infrastructure;
    return ExitCode.internal;
  }
  if (error instanceof Error) {
    // kafkajs raises its own hierarchy (KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded...).
    if (error.name.startsWith('KafkaJS')) return ExitCode.infrastructure;
    // Node's system errors (a refused connection, a full disk) are the world outside, not a bug.
    if (typeof (error as NodeJS.ErrnoException).syscall === 'string') return ExitCode.infrastructure;
  }
  return ExitCode.internal;
}
