import type { Alert } from '../../model/alert.js';

const isoSeconds = (micros: number): string => new Date(Math.floor(micros / 1000)).toISOString().replace('.000Z', 'Z');

/** One console line per alert transition: event time, state, severity, rule and message. */
export function formatAlertLine(alert: Alert): string {
  return (
    `${isoSeconds(alert.ts)} ${alert.state.toUpperCase().padEnd(8)} ${alert.severity.padEnd(8)} ` +
    `${alert.rule}  ${alert.message}`
  );
}

/** ISO-8601 event time (seconds) of an epoch-µs timestamp. */
export function formatEventTime(micros: number): string {
  return isoSeconds(micros);
}
