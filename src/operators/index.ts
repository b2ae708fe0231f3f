// The public RxJS face of the analysis: event time, the per-series split, the whole analysis, and
// each detector and the alert state machine as an operator, all thin wrappers over the processors.
export { alerting } from './alerting.js';
export { analyze } from './analyze.js';
export { bySeries } from './bySeries.js';
export type { BySeriesOptions } from './bySeries.js';
export { changePoints } from './changePoints.js';
export type { ChangePointsOperatorOptions } from './changePoints.js';
export { detectorOperator } from './detectorOperator.js';
export type { DetectorOperatorOptions } from './detectorOperator.js';
export { eventTime } from './eventTime.js';
export { faultRecovery } from './faultRecovery.js';
export type { FaultRecoveryOperatorOptions } from './faultRecovery.js';
export { leakSlope } from './leakSlope.js';
export type { LeakSlopeOperatorOptions } from './leakSlope.js';
export { processorOperator } from './processorOperator.js';
export { regression } from './regression.js';
export type { RegressionOperatorOptions } from './regression.js';
export { robustZ } from './robustZ.js';
export type { RobustZOperatorOptions } from './robustZ.js';
export { rollingStats } from './rollingStats.js';
export type { RollingStatsOperatorOptions } from './rollingStats.js';
export { scalingEfficiency } from './scalingEfficiency.js';
export type { ScalingEfficiencyOperatorOptions } from './scalingEfficiency.js';
