import { describeRecovery } from '../../detectors/recovery.js';
import type { FaultRecovery } from '../../model/events.js';
import { formatEventTime } from './formatAlertLine.js';

/**
 * A console line on a phase of a fault's course, in the columns of an alert line: event time,
 * FAULT where an alert has its state, the phase where it has its severity, the fault's name where
 * it has its rule, then the recovery detector's description (see describeRecovery).
 */
export function formatRecoveryLine(recovery: FaultRecovery): string {
  return (
    `${formatEventTime(recovery.ts)} ${'FAULT'.padEnd(8)} ${recovery.phase.padEnd(8)} ` +
    `${recovery.fault}  ${describeRecovery(recovery)}`
  );
}
