// Detectors: one synchronous processor and one definition per detector, listed in registry.ts; the
// alert state machine; event-time buckets.
export { alertId } from './alertId.js';
export { AlertState } from './alertState.js';
export type { AlertPolicy } from './alertState.js';
export { AlertStates } from './alertStates.js';
export { ChangePoints, changePointDetector } from './changePoint.js';
export type { ChangePointOptions } from './changePoint.js';
export { identityOf, resolveOptions } from './definition.js';
export type {
  SeriesContext,
  Timed,
  AlertDetails,
  DetectorDefinition,
  AnyDetectorDefinition,
  OptionsOf,
  ConfigOf,
} from './definition.js';
export type { DetectorSignal } from './detectorSignal.js';
export { EventTimeBuckets } from './eventTimeBuckets.js';
export { LeakSlope, leakDetector } from './leak.js';
export type { LeakOptions } from './leak.js';
export { RobustZ, outlierDetector } from './outlier.js';
export type { RobustZScore, OutlierOptions } from './outlier.js';
export { NONE } from './processor.js';
export type { Processor } from './processor.js';
export { DETECTORS, DETECTOR_TYPES, detectorDefinition } from './registry.js';
export type { DetectorType, DetectorConfig } from './registry.js';
export { DEFAULT_REGRESSION_TIERS, Regression, regressionDetector } from './regression.js';
export type { RegressionTier, RegressionOptions } from './regression.js';
export { DEFAULT_REFERENCE, validateReferenceSpec, createReference, ReferenceCodec } from './regressionReference.js';
export type { ReferenceSpec, Reference } from './regressionReference.js';
export {
  ROLLING_STATS_FIELDS,
  ROLLING_STATS_DEFAULTS,
  validateRollingStats,
  statOf,
  RollingStats,
} from './rollingStats.js';
export type { RollingStatsOptions } from './rollingStats.js';
export { RecoveryTracker, recoveryDetector, describeRecovery, faultLabel } from './recovery.js';
export type { RecoveryOptions, RecoveryCheck } from './recovery.js';
export { ScalingEfficiency, scalingDetector } from './scaling.js';
export type { ScalingOptions } from './scaling.js';
export { StatPassThrough, thresholdDetector } from './threshold.js';
export type { StatField, ThresholdOptions } from './threshold.js';
export { createWindow, validateWindowSpec } from './window.js';
