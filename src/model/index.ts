// Data model: samples, stats, alerts, analysis events, value codecs, Avro schemas and codecs,
// recordings, text import/export.
export type { AlertState, AlertKind, Severity, Alert } from './alert.js';
export { AlertBook } from './alertBook.js';
export { ALERT_SCHEMAS, encodeAlert, alertToAvro, decodeAlert, alertFromAvro } from './alertCodec.js';
export { AvroBoundsError, checkAvroBounds } from './avroBounds.js';
export { flatten, batched } from './batches.js';
export { CONTAINER_MAGIC, containerHeaderType } from './containerHeader.js';
export type { ContainerHeader } from './containerHeader.js';
export type { Batches } from './batches.js';
export { readCsvSamples, formatCsvSample } from './csv.js';
export type { ReadCsvOptions } from './csv.js';
export { AUTO_SECONDS_BELOW, AUTO_MILLISECONDS_BELOW, parseCsvTimestamp, formatCsvTimestamp } from './csvTimestamp.js';
export type { CsvTimeUnit } from './csvTimestamp.js';
export {
  SoakstreamError,
  InvalidSampleError,
  DecodeError,
  UnknownSchemaError,
  CorruptRecordingError,
  ParseError,
  ConfigError,
  SinkError,
  BrokerError,
} from './errors.js';
export type { ErrorContext } from './errors.js';
export { fileErrorReason } from './fileErrorReason.js';
export { fileWriteError } from './fileWriteError.js';
export { uslFitOf } from './events.js';
export type {
  SeriesRef,
  LeakEstimate,
  ChangePoint,
  RegressionResult,
  ScalingResult,
  FaultRecovery,
  MeasureRecovery,
  Diagnostic,
  AnalysisEvent,
} from './events.js';
export { FAULT_METRIC, FAULT_EXIT_METRIC, faultSample, faultOf } from './faultRecord.js';
export type { FaultRecord } from './faultRecord.js';
export { formatQuantity, formatPercent, formatPValue, formatDuration } from './formatQuantity.js';
export { METRIC_KINDS } from './metricKind.js';
export type { MetricKind } from './metricKind.js';
export { KAFKA_TOPIC_NAME, FILE_PREFIX, isBrokerAddress, splitBrokers } from './names.js';
export { parseNdjsonLine, formatNdjson, readNdjson, readNdjsonBatches, writeNdjson } from './ndjson.js';
export type { ReadNdjsonOptions } from './ndjson.js';
export { parsingCanonicalForm } from './parsingCanonicalForm.js';
export { rabinFingerprint } from './rabinFingerprint.js';
export { readRecording, readRecordingBatches, readStatsFile, readAlertsFile } from './readRecording.js';
export { recordingKind } from './recordingKind.js';
export type { RecordingKind } from './recordingKind.js';
export type { ReadRecordingOptions } from './readRecording.js';
export { sampleRecord, ContainerWriter, RecordingWriter } from './recordingWriter.js';
export type { RecordingWriterOptions } from './recordingWriter.js';
export { MICROS_PER_MS, MICROS_PER_SECOND, MICROS_PER_MINUTE, MICROS_PER_HOUR } from './sample.js';
export type { Tags, Sample } from './sample.js';
export {
  sampleToAvro,
  encodeSample,
  decodeSample,
  encodeSampleBatch,
  decodeSampleBatch,
  decodeSamples,
} from './sampleCodec.js';
export {
  SCHEMA_NAMES,
  CURRENT_SCHEMA,
  loadSchemaFile,
  SchemaRegistry,
  defaultSchemaRegistry,
} from './schemaRegistry.js';
export type { SchemaName, RegisteredSchema } from './schemaRegistry.js';
export { SECRET_PATH, maskUrlPasswords, urlPassword } from './secrets.js';
export { seriesKey, seriesKeyCache } from './seriesKey.js';
export {
  SINGLE_OBJECT_MAGIC,
  SINGLE_OBJECT_HEADER_LENGTH,
  encodeSingleObject,
  readSingleObjectFingerprint,
  decodeSingleObject,
  expectSchema,
} from './singleObject.js';
export type { Stat } from './stat.js';
export { STAT_SCHEMAS, encodeStat, decodeStat, statFromAvro } from './statCodec.js';
export { sameTags, TagsInterner } from './tagsInterner.js';
export { MIN_TIMESTAMP_MICROS, MAX_TIMESTAMP_MICROS, describeValue, validateSample } from './validateSample.js';
export { Duration, PositiveDuration } from './fields/duration.js';
export { Fraction, Probability, NonNegative, PositiveInteger } from './fields/fraction.js';
export { parseDuration } from './fields/parseDuration.js';
export { strictObject } from './fields/strictObject.js';
export { NonEmpty, StringMap, SeverityCodec } from './fields/textCodecs.js';
export { WindowCodec } from './fields/window.js';
export type { WindowSpec } from './fields/window.js';
