import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ParseError } from './errors.js';
import type { Sample } from './sample.js';
import { validateSample } from './validateSample.js';

/** Options of readNdjson: the name used in error messages when reading a stream (default `<stream>`). */
export interface ReadNdjsonOptions {
  readonly name?: string;
}

/**
 * Parses one NDJSON line (https://github.com/ndjson/ndjson-spec) holding one Sample object;
 * ParseError for bad JSON, InvalidSampleError for a bad field, both naming `where`. O(line).
 */
export function parseNdjsonLine(line: string, where: string): Sample {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    const text = line.length > 80 ? `${line.slice(0, 80)}…` : line;
    throw new ParseError(`${where}: not a JSON object (${(error as Error).message}): ${text}`, { where, text }, error);
  }
  return validateSample(parsed, where);
}

// JSON.stringify writes -0 as 0; the sign is kept so that text round trips are exact.
const formatNumber = (value: number): string => (Object.is(value, -0) ? '-0' : String(value));

/** One Sample as a single-line JSON object without newline; keys ts, metric, value, tags, unit. O(size). */
export function formatNdjson(sample: Sample): string {
  const unit = sample.unit === undefined ? '' : `,"unit":${JSON.stringify(sample.unit)}`;
  return `{"ts":${sample.ts},"metric":${JSON.stringify(sample.metric)},"value":${formatNumber(sample.value)},"tags":${JSON.stringify(sample.tags)}${unit}}`;
}

/**
 * Streams Samples from an NDJSON file or stream, one JSON object per line; blank lines are
 * skipped, a leading byte-order mark is ignored. Errors name `file:line`. O(1) memory per line.
 */
export async function* readNdjson(source: string | Readable, options: ReadNdjsonOptions = {}): AsyncGenerator<Sample> {
  const name = typeof source === 'string' ? source : (options.name ?? '<stream>');
  const input = typeof source === 'string' ? createReadStream(source, { encoding: 'utf8' }) : source;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const raw of lines) {
      lineNumber++;
      const line = lineNumber === 1 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
      if (line.trim() === '') continue;
      yield parseNdjsonLine(line, `${name}:${lineNumber}`);
    }
  } finally {
    lines.close();
    if (typeof source === 'string') input.destroy();
  }
}

/**
 * Writes Samples as NDJSON to a file (created or truncated) or a stream, waiting for 'drain'
 * when the destination asks; resolves with the count once a file is flushed. O(total size).
 */
export async function writeNdjson(
  samples: Iterable<Sample> | AsyncIterable<Sample>,
  destination: string | Writable,
): Promise<number> {
  const output = typeof destination === 'string' ? createWriteStream(destination) : destination;
  let count = 0;
  try {
    for await (const sample of samples) {
      if (!output.write(`${formatNdjson(validateSample(sample, `sample ${count}`))}\n`)) await once(output, 'drain');
      count++;
    }
  } catch (error) {
    if (typeof destination === 'string') output.destroy();
    throw error;
  }
  if (typeof destination === 'string') {
    output.end();
    await finished(output);
  }
  return count;
}
