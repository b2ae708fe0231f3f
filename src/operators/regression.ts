import type { OperatorFunction } from 'rxjs';
import { regressionDetector } from '../detectors/regression.js';
import type { RegressionResult } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { detectorOperator, type DetectorOperatorOptions } from './detectorOperator.js';

/** Options of {@link regression}: `direction`, and any other option of the regression detector. */
export type RegressionOperatorOptions = DetectorOperatorOptions<typeof regressionDetector>;

/** Regression test of recent samples against a reference, on one series (see the Regression processor). */
export const regression = (options: RegressionOperatorOptions): OperatorFunction<Sample, RegressionResult> =>
  detectorOperator(regressionDetector, options);
