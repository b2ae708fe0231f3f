import type { Sample, Tags } from './sample.js';

/**
 * The metric fault records travel under. A fault's start and end are samples of this metric in
 * the run's own sample stream (schema sample.v1), so they are published, recorded and replayed in
 * event-time order with the samples the fault affects, and a replay sees the faults the live run
 * saw. Value 1 marks the start, 0 the end; the `fault` tag names the fault, `action` says what it
 * does (kill, pause, restart, network, cpu, memory, exec).
 */
export const FAULT_METRIC = 'soakstream_fault';

/** The exit code of an `exec` fault's command (or -1 when it could not run or was stopped), at the fault's end. */
export const FAULT_EXIT_METRIC = 'soakstream_fault_exit_code';

/** The tags that name a fault on its records. */
export const FAULT_TAG = 'fault';
export const FAULT_ACTION_TAG = 'action';

/** A fault record read back from a sample. */
export interface FaultRecord {
  readonly ts: number;
  readonly fault: string;
  readonly action: string;
  readonly phase: 'start' | 'end';
}

/** The sample that records a fault's start or end at `ts` (µs), with the run's own tags besides. */
export function faultSample(
  ts: number,
  fault: string,
  action: string,
  phase: FaultRecord['phase'],
  tags: Tags = {},
): Sample {
  return {
    ts,
    metric: FAULT_METRIC,
    value: phase === 'start' ? 1 : 0,
    tags: { ...tags, [FAULT_TAG]: fault, [FAULT_ACTION_TAG]: action },
  };
}

/** The fault record a sample carries, or null when it is not one (another metric, no fault tag). */
export function faultOf(sample: Sample): FaultRecord | null {
  if (sample.metric !== FAULT_METRIC) return null;
  const fault = Object.hasOwn(sample.tags, FAULT_TAG) ? sample.tags[FAULT_TAG] : undefined;
  if (fault === undefined) return null;
  const action = Object.hasOwn(sample.tags, FAULT_ACTION_TAG) ? (sample.tags[FAULT_ACTION_TAG] ?? '') : '';
  return { ts: sample.ts, fault, action, phase: sample.value !== 0 ? 'start' : 'end' };
}
