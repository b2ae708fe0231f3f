// Sinks (InfluxDB, Kafka alerts, recorder, console, HTML report) acknowledge writes so that
// upstream commits only what every sink holds. The recording writer lives in src/model.
export { RecordingWriter, ContainerWriter } from '../model/recordingWriter.js';
export type { RecordingWriterOptions } from '../model/recordingWriter.js';
export type { Sink, SinkRecord } from './sink.js';
export { Backoff } from '../transport/retry.js';
export { InfluxSink } from './influx/influxSink.js';
export type { InfluxSinkOptions, InfluxSinkStats } from './influx/influxSink.js';
export { pointsOf, safeTagValue } from './influx/points.js';
export type { PointOptions } from './influx/points.js';
export { MEASUREMENT, TAG, FIELD, DEFAULT_DATABASE } from './influx/schema.js';
export { KafkaAlertSink, ALERT_ID_HEADER, ALERT_STATE_HEADER } from './kafka/kafkaAlertSink.js';
export type { KafkaAlertSinkOptions } from './kafka/kafkaAlertSink.js';
export { RecorderSink } from './recorder/recorderSink.js';
export type { RecorderSinkOptions } from './recorder/recorderSink.js';
export { ConsoleSink } from './console/consoleSink.js';
export type { ConsoleSinkOptions, ConsoleSummary } from './console/consoleSink.js';
export { formatAlertLine, formatEventTime } from './console/formatAlertLine.js';
export { ReportSink } from './report/reportSink.js';
export type { ReportSinkOptions } from './report/reportSink.js';
export { ReportCollector } from './report/reportData.js';
export type { ReportCollectorOptions, ReportData, ReportScaling, ReportSeries } from './report/reportData.js';
export { renderReport, escapeHtml, scriptJson } from './report/renderReport.js';
