import { extname } from 'node:path';
import { readCsvSamples } from '../../model/csv.js';
import type { CsvTimeUnit } from '../../model/csvTimestamp.js';
import { ConfigError } from '../../model/errors.js';
import { readNdjson } from '../../model/ndjson.js';
import { readRecording } from '../../model/readRecording.js';
import { mergeAsyncByTime } from './mergeAsyncByTime.js';
import type { Sample, Tags } from '../../model/sample.js';

/** Options for reading CSV files, which carry only `timestamp,value`. */
export interface SampleFileOptions {
  readonly metric?: string;
  readonly tags?: Tags;
  readonly unit?: string;
  readonly timeUnit?: CsvTimeUnit;
}

/** File formats soakstream reads samples from, by extension. */
export type SampleFileFormat = 'avro' | 'ndjson' | 'csv';

/** The format of a sample file from its extension; throws a ConfigError naming the accepted ones. */
export function sampleFileFormat(path: string): SampleFileFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.avro') return 'avro';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  if (ext === '.csv') return 'csv';
  throw new ConfigError(
    `${path}: unknown file type "${ext}"`,
    ['expected .avro (recording), .ndjson/.jsonl (one Sample per line) or .csv (timestamp,value)'],
    { file: path },
  );
}

/**
 * Streams the samples of an Avro recording, NDJSON or CSV file, in file order. Corrupt or
 * truncated input yields every intact sample first, then throws an error naming the file.
 */
export function readSampleFile(path: string, options: SampleFileOptions = {}): AsyncGenerator<Sample> {
  switch (sampleFileFormat(path)) {
    case 'avro':
      return readRecording(path);
    case 'ndjson':
      return readNdjson(path);
    case 'csv':
      if (options.metric === undefined || options.metric === '') {
        throw new ConfigError(
          `${path}: a CSV file holds only timestamp,value`,
          ['name its metric with --metric (and tags with --tag key=value)'],
          { file: path },
        );
      }
      return readCsvSamples(path, {
        metric: options.metric,
        ...(options.tags !== undefined ? { tags: options.tags } : {}),
        ...(options.unit !== undefined ? { unit: options.unit } : {}),
        ...(options.timeUnit !== undefined ? { timeUnit: options.timeUnit } : {}),
      });
  }
}

/** The samples of several files (each in time order) merged into one time-ordered stream; see {@link readSampleFile}. */
export function readSampleFiles(paths: readonly string[], options: SampleFileOptions = {}): AsyncGenerator<Sample> {
  return mergeAsyncByTime(paths.map((path) => readSampleFile(path, options)));
}
