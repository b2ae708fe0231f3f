// soakstream's public API: `import { scenario, runScenario, replay, analyze, ... } from 'soakstream'`.
// What is listed here is what users get; everything else is internal and may change.

// Scenarios in code, and running them as `soakstream run` does.
export { ScenarioBuilder, scenario } from './config/scenarioBuilder.js';
export type * from './config/scenarioDocument.js';
export type { Scenario } from './config/scenario.js';
export { loadScenario } from './config/loadScenario.js';
export { loadRules, parseRules } from './config/loadRules.js';
export { runScenario, runScenarioFile } from './run/runScenario.js';
export type { RunOptions, RunResult, FailOn } from './run/runScenario.js';
export { processTerminal } from './run/terminal.js';
export type { Terminal } from './run/terminal.js';

// Offline work on recordings, and rule tests: the programmatic form of replay, report and test.
export { replay } from './run/replay.js';
export type { ReplayOptions, ReplaySummary } from './run/replay.js';
export { report } from './run/report.js';
export type { ReportOptions } from './run/report.js';
export { testRules } from './run/testRules.js';
export type { TestRulesResult } from './run/testRules.js';

// The session every command uses: a sample source's analysis delivered to sinks.
export { Session, analyzeAll } from './run/session.js';
export type { SessionOptions, SessionSummary } from './run/session.js';

// Rules and the analysis.
export { DEFAULT_RULES, defaultRuleSet } from './rules/defaultRules.js';
export type { Rule, RuleMatch, RuleSet } from './rules/rule.js';
export { metricKind } from './rules/metricKind.js';
export { Analysis } from './analysis/analysis.js';
export { DETECTORS } from './detectors/registry.js';
export type { DetectorConfig, DetectorType } from './detectors/registry.js';
export type { DetectorDefinition, AlertDetails, SeriesContext } from './detectors/definition.js';
export type { Processor } from './detectors/processor.js';

// RxJS operators: the analysis, event time, the per-series split, each detector, alert states.
export {
  alerting,
  analyze,
  bySeries,
  changePoints,
  eventTime,
  faultRecovery,
  leakSlope,
  processorOperator,
  regression,
  robustZ,
  rollingStats,
  scalingEfficiency,
} from './operators/index.js';
export type {
  BySeriesOptions,
  ChangePointsOperatorOptions,
  FaultRecoveryOperatorOptions,
  LeakSlopeOperatorOptions,
  RegressionOperatorOptions,
  RobustZOperatorOptions,
  RollingStatsOperatorOptions,
  ScalingEfficiencyOperatorOptions,
} from './operators/index.js';
export type { RobustZScore } from './detectors/outlier.js';
export type { DetectorSignal } from './detectors/detectorSignal.js';

// The data model.
export type { Sample, Tags } from './model/sample.js';
export { MICROS_PER_MS, MICROS_PER_SECOND, MICROS_PER_MINUTE, MICROS_PER_HOUR } from './model/sample.js';
export type { Stat } from './model/stat.js';
export type { Alert, AlertKind, AlertState, Severity } from './model/alert.js';
export type {
  AnalysisEvent,
  ChangePoint,
  Outlier,
  AnomalyScore,
  Diagnostic,
  LeakEstimate,
  RegressionResult,
  ScalingResult,
  FaultRecovery,
  MeasureRecovery,
  SeriesRef,
} from './model/events.js';
export { FAULT_METRIC, faultSample, faultOf } from './model/faultRecord.js';
export type { FaultRecord } from './model/faultRecord.js';
export type { MetricKind } from './model/metricKind.js';
export { seriesKey } from './model/seriesKey.js';
export { AlertBook } from './model/alertBook.js';
export {
  SoakstreamError,
  ConfigError,
  CorruptRecordingError,
  DecodeError,
  InvalidSampleError,
  ParseError,
  SinkError,
  BrokerError,
  UnknownSchemaError,
} from './model/errors.js';
export { readRecording, readStatsFile, readAlertsFile } from './model/readRecording.js';
export { RecordingWriter } from './model/recordingWriter.js';
export { readNdjson, writeNdjson } from './model/ndjson.js';

// Sources and the Kafka transport.
export { functionBenchmark } from './sources/bench/functionBenchmark.js';
export type { FunctionBenchmarkOptions } from './sources/bench/functionBenchmark.js';
export { openModelLoad } from './sources/load/openModelLoad.js';
export { closedModelLoad } from './sources/load/closedModelLoad.js';
export { processProbe } from './sources/probes/processProbe.js';
export { nodeSelfProbe } from './sources/probes/nodeSelfProbe.js';
export { hostProbe } from './sources/probes/hostProbe.js';
export { replaySource } from './sources/files/replaySource.js';
export { labelledSuite } from './sources/synthetic/labelledSuite.js';
export type { LabelledSeries, LabelledSuiteOptions } from './sources/synthetic/labelledSuite.js';
export { mergeByTime } from './sources/synthetic/mergeByTime.js';
export { KafkaSampleProducer } from './transport/kafka/kafkaSampleProducer.js';
export { kafkaSampleSource } from './transport/kafka/kafkaSampleSource.js';
export { MemoryTransport } from './transport/memoryTransport.js';

// Sinks.
export type { Sink, SinkRecord } from './sinks/sink.js';
export { ConsoleSink } from './sinks/console/consoleSink.js';
export { formatAlertLine } from './sinks/console/formatAlertLine.js';
export { InfluxSink } from './sinks/influx/influxSink.js';
export type { InfluxSinkOptions } from './sinks/influx/influxSink.js';
export { KafkaAlertSink } from './sinks/kafka/kafkaAlertSink.js';
export { NdjsonSink } from './sinks/ndjson/ndjsonSink.js';
export { RecorderSink } from './sinks/recorder/recorderSink.js';
export { ReportSink } from './sinks/report/reportSink.js';
