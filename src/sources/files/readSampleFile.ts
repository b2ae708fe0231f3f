import { accessSync, constants, statSync } from 'node:fs';
import { extname } from 'node:path';
import { readCsvSamples } from '../../model/csv.js';
import type { CsvTimeUnit } from '../../model/csvTimestamp.js';
import { ConfigError } from '../../model/errors.js';
import { batched, flatten } from '../../model/batches.js';
import { readNdjsonBatches } from '../../model/ndjson.js';
import { readRecordingBatches } from '../../model/readRecording.js';
import { mergeBatchesByTime } from './mergeBatchesByTime.js';
import type { Sample, Tags } from '../../model/sample.js';

/** Options for reading CSV files, which carry only `timestamp,value`. */
export interface SampleFileOptions {
  readonly metric?: string;
  readonly tags?: Tags;
  readonly unit?: string;
  readonly timeUnit?: CsvTimeUnit;
  /** Longest line of an NDJSON or CSV file, in characters (default DEFAULT_MAX_LINE_CHARACTERS). */
  readonly maxLineCharacters?: number;
}

/** Throws a ConfigError naming the file when it cannot be read (missing, a directory, no permission). */
function checkReadable(path: string): void {
  try {
    accessSync(path, constants.R_OK);
    if (statSync(path).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new ConfigError(`${path}: cannot read the file: ${reason}`, [], { file: path });
  }
}

const lineLimit = (options: SampleFileOptions): { maxLineCharacters?: number } =>
  options.maxLineCharacters !== undefined ? { maxLineCharacters: options.maxLineCharacters } : {};

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
  return flatten(readSampleFileBatches(path, options));
}

/** {@link readSampleFile} in batches (a container block, a chunk of lines). */
export function readSampleFileBatches(path: string, options: SampleFileOptions = {}): AsyncGenerator<Sample[]> {
  const format = sampleFileFormat(path);
  checkReadable(path);
  switch (format) {
    case 'avro':
      return readRecordingBatches(path);
    case 'ndjson':
      return readNdjsonBatches(path, lineLimit(options));
    case 'csv':
      if (options.metric === undefined || options.metric === '') {
        throw new ConfigError(
          `${path}: a CSV file holds only timestamp,value`,
          ['name its metric with --metric (and tags with --tag key=value)'],
          { file: path },
        );
      }
      return batched(
        readCsvSamples(path, {
          metric: options.metric,
          ...(options.tags !== undefined ? { tags: options.tags } : {}),
          ...(options.unit !== undefined ? { unit: options.unit } : {}),
          ...(options.timeUnit !== undefined ? { timeUnit: options.timeUnit } : {}),
          ...lineLimit(options),
        }),
      );
  }
}

/**
 * The samples of several files (each in time order) merged into one time-ordered stream; see {@link
 * readSampleFile}.
 */
export function readSampleFiles(paths: readonly string[], options: SampleFileOptions = {}): AsyncGenerator<Sample> {
  return flatten(readSampleFilesBatches(paths, options));
}

/**
 * {@link readSampleFiles} in batches: one file's batches as they are, several files merged by
 * time into batches. Every file's type is checked before any is opened.
 */
export function readSampleFilesBatches(
  paths: readonly string[],
  options: SampleFileOptions = {},
): AsyncGenerator<Sample[]> {
  const files = paths.map((path) => readSampleFileBatches(path, options));
  return files.length === 1 ? (files[0] as AsyncGenerator<Sample[]>) : mergeBatchesByTime(files);
}
