import { filter, map, pipe, type OperatorFunction } from 'rxjs';
import { recoveryDetector, type RecoveryCheck } from '../detectors/recovery.js';
import type { FaultRecovery } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { detectorOperator, type DetectorOperatorOptions } from './detectorOperator.js';

/**
 * Options of {@link faultRecovery}: any option of the recovery detector, and `ref`, the group (by
 * default the first sample's, after the `groupBy` tags).
 */
export type FaultRecoveryOperatorOptions = DetectorOperatorOptions<typeof recoveryDetector>;

/**
 * Each fault's course (start, end, recovered, not-recovered, unfinished) from a stream holding the
 * fault records (`soakstream_fault`) and the requests' latency and error samples of one group (see
 * the RecoveryTracker processor).
 */
export const faultRecovery = (options: FaultRecoveryOperatorOptions = {}): OperatorFunction<Sample, FaultRecovery> =>
  pipe(
    detectorOperator(recoveryDetector, options),
    filter((check: RecoveryCheck) => check.event !== null),
    map((check) => check.event as FaultRecovery),
  );
