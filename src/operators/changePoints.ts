import type { OperatorFunction } from 'rxjs';
import { changePointDetector } from '../detectors/changePoint.js';
import type { ChangePoint } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { detectorOperator, type DetectorOperatorOptions } from './detectorOperator.js';

/** Options of {@link changePoints}: any option of the change-point detector. */
export type ChangePointsOperatorOptions = DetectorOperatorOptions<typeof changePointDetector>;

/** Change points of one series by CUSUM or Page–Hinkley (see the ChangePoints processor). */
export const changePoints = (options: ChangePointsOperatorOptions = {}): OperatorFunction<Sample, ChangePoint> =>
  detectorOperator(changePointDetector, options);
