// Sinks (InfluxDB, Kafka alerts, recorder, console, HTML report) acknowledge writes so that
// upstream commits only what every sink holds. The recording writer lives in src/model.
export { RecordingWriter } from '../model/recordingWriter.js';
export type { RecordingWriterOptions } from '../model/recordingWriter.js';
