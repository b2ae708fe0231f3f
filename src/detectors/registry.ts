import { anomalyDetector } from './anomaly.js';
import { changePointDetector } from './changePoint.js';
import type { AnyDetectorDefinition, ConfigOf } from './definition.js';
import { leakDetector } from './leak.js';
import { outlierDetector } from './outlier.js';
import { recoveryDetector } from './recovery.js';
import { regressionDetector } from './regression.js';
import { scalingDetector } from './scaling.js';
import { thresholdDetector } from './threshold.js';

/**
 * Every detector a rule can name, by the name it is given as (`detector: regression`). A new
 * detector is a file in this folder exporting its definition, and a line here.
 */
export const DETECTORS = {
  regression: regressionDetector,
  leak: leakDetector,
  changepoint: changePointDetector,
  outlier: outlierDetector,
  threshold: thresholdDetector,
  scaling: scalingDetector,
  anomaly: anomalyDetector,
  recovery: recoveryDetector,
} as const;

/** The name of a detector. */
export type DetectorType = keyof typeof DETECTORS;

/** The names of the detectors, in registry order. */
export const DETECTOR_TYPES = Object.keys(DETECTORS) as DetectorType[];

/** A detector as a rule configures it: `{ type, ...options }`, each option optional unless required. */
export type DetectorConfig = { [K in DetectorType]: ConfigOf<(typeof DETECTORS)[K]> }[DetectorType];

/** The definition of a detector by name. */
export const detectorDefinition = (type: DetectorType): AnyDetectorDefinition =>
  DETECTORS[type] as AnyDetectorDefinition;
