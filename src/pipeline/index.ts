// The analysis graph built from a rule set: default rules, metric kinds, per-series and scaling graphs.
export { analyze } from './analyze.js';
export { DEFAULT_RULES, defaultRuleSet } from './defaultRules.js';
export { detectorStream } from './detectorStream.js';
export type { DetectorOutput } from './detectorStream.js';
export { formatQuantity, formatPercent, formatPValue, formatDuration } from './formatQuantity.js';
export { METRIC_KINDS, metricKind } from './metricKind.js';
export type { MetricKind } from './metricKind.js';
export type { RuleMatch, StatField, DetectorConfig, Rule, RuleSet } from './rule.js';
export { globToRegExp, ruleMatches } from './ruleMatches.js';
export { runAnalysis } from './runAnalysis.js';
export type { RunAnalysisOptions } from './runAnalysis.js';
export { scalingGraph } from './scalingGraph.js';
export { seriesGraph } from './seriesGraph.js';
export { signalOf } from './signalOf.js';
export type { SignalFields } from './signalOf.js';
