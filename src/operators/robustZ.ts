import type { OperatorFunction } from 'rxjs';
import { outlierDetector, type RobustZScore } from '../detectors/outlier.js';
import type { Sample } from '../model/sample.js';
import { detectorOperator, type DetectorOperatorOptions } from './detectorOperator.js';

/** Options of {@link robustZ}: the reference window and the fewest samples it needs. */
export type RobustZOperatorOptions = Pick<DetectorOperatorOptions<typeof outlierDetector>, 'window' | 'minSamples'>;

/** Modified z-score of each sample against the window before it (see the RobustZ processor). */
export const robustZ = (options: RobustZOperatorOptions = {}): OperatorFunction<Sample, RobustZScore> =>
  detectorOperator(outlierDetector, options);
