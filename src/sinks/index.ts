// Sinks (InfluxDB, Kafka alerts, recorder, console, HTML report, NDJSON) acknowledge writes so that
// upstream commits only what every sink holds.
export type { SinkRecord, Sink } from './sink.js';
export { ConsoleSink } from './console/consoleSink.js';
export type { ConsoleSinkOptions, ConsoleSummary } from './console/consoleSink.js';
export { formatAlertLine, formatEventTime } from './console/formatAlertLine.js';
export { formatRecoveryLine } from './console/formatRecoveryLine.js';
export { InfluxSink } from './influx/influxSink.js';
export type { InfluxSinkOptions, InfluxSinkStats } from './influx/influxSink.js';
export { safeTagValue, pointsOf } from './influx/points.js';
export type { PointOptions } from './influx/points.js';
export { MEASUREMENT, TAG, FIELD, DEFAULT_DATABASE } from './influx/schema.js';
export {
  DEFAULT_ALERTS_TOPIC,
  DEFAULT_REGRESSIONS_TOPIC,
  ALERT_ID_HEADER,
  ALERT_STATE_HEADER,
  KafkaAlertSink,
} from './kafka/kafkaAlertSink.js';
export type { KafkaAlertSinkOptions } from './kafka/kafkaAlertSink.js';
export { NdjsonSink } from './ndjson/ndjsonSink.js';
export type { NdjsonSinkOptions } from './ndjson/ndjsonSink.js';
export { DEFAULT_MAX_BYTES, RecorderSink } from './recorder/recorderSink.js';
export type { RecorderSinkOptions } from './recorder/recorderSink.js';
export { escapeHtml, scriptJson, renderReport } from './report/renderReport.js';
export { ReportCollector } from './report/reportData.js';
export type {
  ReportSeries,
  ReportScaling,
  ReportFault,
  ReportData,
  ReportCollectorOptions,
} from './report/reportData.js';
export { ReportSink } from './report/reportSink.js';
export type { ReportSinkOptions } from './report/reportSink.js';
