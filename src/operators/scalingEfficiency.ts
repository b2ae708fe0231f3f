import type { OperatorFunction } from 'rxjs';
import { scalingDetector } from '../detectors/scaling.js';
import type { ScalingResult } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { detectorOperator, type DetectorOperatorOptions } from './detectorOperator.js';

/**
 * Options of {@link scalingEfficiency}: any option of the scaling detector, and `ref`, the scaling
 * group (by default the first sample's series without the concurrency and ignored tags).
 */
export type ScalingEfficiencyOperatorOptions = DetectorOperatorOptions<typeof scalingDetector>;

/** Scaling efficiency and USL fit of one scaling group's throughput samples (see the ScalingEfficiency processor). */
export const scalingEfficiency = (
  options: ScalingEfficiencyOperatorOptions = {},
): OperatorFunction<Sample, ScalingResult> => detectorOperator(scalingDetector, options);
