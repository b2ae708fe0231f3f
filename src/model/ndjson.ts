import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { flatten } from './batches.js';
import { ParseError } from './errors.js';
import type { Sample } from './sample.js';
import { TagsInterner } from './tagsInterner.js';
import { readLines, type ReadLinesOptions } from './textLines.js';
import { cutText, quoteText } from './showValue.js';
import { validateSample } from './validateSample.js';

/** Options of readNdjson: the name used in error messages when reading a stream, the longest line. */
export type ReadNdjsonOptions = ReadLinesOptions;

/**
 * Parses one NDJSON line (https://github.com/ndjson/ndjson-spec) holding one Sample object;
 * ParseError for bad JSON, InvalidSampleError for a bad field, both naming `where`. O(line).
 */
export function parseNdjsonLine(line: string, where: string): Sample {
  return parseLine(line, () => where);
}

/**
 * parseNdjsonLine with the error location made only when there is an error, and the tags of each
 * series shared through `tags` (checked once per tag set).
 */
function parseLine(line: string, where: () => string, tags?: TagsInterner): Sample {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    const text = quoteText(cutText(line, 80));
    const place = where();
    throw new ParseError(
      `${place}: not a JSON object (${cutText((error as Error).message, 120)}): ${text}`,
      { where: place, text },
      error,
    );
  }
  const known = tags?.find((parsed as { tags?: unknown } | null)?.tags);
  let sample: Sample;
  try {
    sample = validateSample(parsed, undefined, known);
  } catch {
    return validateSample(parsed, where()); // the same failure, now with its file and line
  }
  if (known === undefined) tags?.remember(sample.tags);
  return sample;
}

// JSON.stringify writes -0 as 0; the sign is kept so that text round trips are exact.
const formatNumber = (value: number): string => (Object.is(value, -0) ? '-0' : String(value));

/** One Sample as a single-line JSON object without newline; keys ts, metric, value, tags, unit. O(size). */
export function formatNdjson(sample: Sample): string {
  const unit = sample.unit === undefined ? '' : `,"unit":${JSON.stringify(sample.unit)}`;
  return (
    `{"ts":${sample.ts},"metric":${JSON.stringify(sample.metric)},"value":${formatNumber(sample.value)},` +
    `"tags":${JSON.stringify(sample.tags)}${unit}}`
  );
}

/**
 * Streams Samples from an NDJSON file or stream, one JSON object per line; blank lines are
 * skipped, a leading byte-order mark is ignored. Errors name `file:line`, and echo at most 80
 * characters of the line, escaped. The samples of a series share one tags object. O(1) memory
 * per line; lines are at most `maxLineCharacters` long.
 */
export function readNdjson(source: string | Readable, options: ReadNdjsonOptions = {}): AsyncGenerator<Sample> {
  return flatten(readNdjsonBatches(source, options));
}

/**
 * {@link readNdjson} in batches, one per chunk read (1 MiB, see readLines: lines up to
 * `maxLineCharacters`, strict UTF-8). A bad line yields the samples before it, then throws.
 */
export async function* readNdjsonBatches(
  source: string | Readable,
  options: ReadNdjsonOptions = {},
): AsyncGenerator<Sample[]> {
  const name = typeof source === 'string' ? source : (options.name ?? '<stream>');
  const tags = new TagsInterner();
  let lineNumber = 0;
  const where = (): string => `${name}:${lineNumber}`;
  for await (const { lines, firstLine } of readLines(source, options)) {
    const batch: Sample[] = [];
    lineNumber = firstLine - 1;
    try {
      for (const line of lines) {
        lineNumber++;
        if (line.trim() !== '') batch.push(parseLine(line, where, tags));
      }
    } catch (error) {
      if (batch.length > 0) yield batch;
      throw error;
    }
    if (batch.length > 0) yield batch;
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
