import type { OperatorFunction } from 'rxjs';
import { leakDetector } from '../detectors/leak.js';
import type { LeakEstimate } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { detectorOperator, type DetectorOperatorOptions } from './detectorOperator.js';

/** Options of {@link leakSlope}: any option of the leak detector. */
export type LeakSlopeOperatorOptions = DetectorOperatorOptions<typeof leakDetector>;

/** Leak slope of the post-GC floor of one memory-like series (see the LeakSlope processor). */
export const leakSlope = (options: LeakSlopeOperatorOptions = {}): OperatorFunction<Sample, LeakEstimate> =>
  detectorOperator(leakDetector, options);
