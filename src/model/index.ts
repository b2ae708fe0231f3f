// Data model: samples, stats, alerts, analysis events, Avro schemas and codecs, recordings, text import/export.
export type { AlertState, AlertKind, Severity, Alert } from './alert.js';
export { encodeAlert, decodeAlert } from './alertCodec.js';
export { AvroBoundsError, checkAvroBounds } from './avroBounds.js';
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
} from './errors.js';
export type { ErrorContext } from './errors.js';
export { uslFitOf } from './events.js';
export type {
  SeriesRef,
  LeakEstimate,
  ChangePoint,
  RegressionResult,
  ScalingResult,
  Diagnostic,
  AnalysisEvent,
} from './events.js';
export { parseNdjsonLine, formatNdjson, readNdjson, writeNdjson } from './ndjson.js';
export type { ReadNdjsonOptions } from './ndjson.js';
export { parsingCanonicalForm } from './parsingCanonicalForm.js';
export { rabinFingerprint } from './rabinFingerprint.js';
export { readRecording, readStatsFile, readAlertsFile } from './readRecording.js';
export type { ReadRecordingOptions } from './readRecording.js';
export { RecordingWriter, ContainerWriter } from './recordingWriter.js';
export type { RecordingWriterOptions } from './recordingWriter.js';
export { MICROS_PER_MS, MICROS_PER_SECOND, MICROS_PER_MINUTE, MICROS_PER_HOUR } from './sample.js';
export type { Tags, Sample } from './sample.js';
export { encodeSample, decodeSample, encodeSampleBatch, decodeSampleBatch, decodeSamples } from './sampleCodec.js';
export { SCHEMA_NAMES, loadSchemaFile, SchemaRegistry, defaultSchemaRegistry } from './schemaRegistry.js';
export type { SchemaName, RegisteredSchema } from './schemaRegistry.js';
export { seriesKey } from './seriesKey.js';
export {
  SINGLE_OBJECT_MAGIC,
  SINGLE_OBJECT_HEADER_LENGTH,
  encodeSingleObject,
  readSingleObjectFingerprint,
  decodeSingleObject,
} from './singleObject.js';
export type { Stat } from './stat.js';
export { encodeStat, decodeStat } from './statCodec.js';
export { MIN_TIMESTAMP_MICROS, MAX_TIMESTAMP_MICROS, describeValue, validateSample } from './validateSample.js';
