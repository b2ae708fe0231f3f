// The analysis as plain objects: event-time order, the series table, per-series analyzers, and
// Analysis, one processor for a whole stream.
export { Analysis } from './analysis.js';
export { DetectorRun } from './detectorRun.js';
export { checkedLateness, EventTimeOrder } from './eventTimeOrder.js';
export type { EventTimeOptions } from './eventTimeOrder.js';
export { runAnalysis } from './runAnalysis.js';
export type { RunAnalysisOptions } from './runAnalysis.js';
export { seriesRules, SeriesAnalyzer } from './seriesAnalyzer.js';
export { checkedSeriesLimits, SeriesTable } from './seriesTable.js';
export type { SeriesTableOptions, SeriesLifecycle } from './seriesTable.js';
