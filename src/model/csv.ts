import type { Readable } from 'node:stream';
import { InvalidSampleError, ParseError } from './errors.js';
import { formatCsvTimestamp, parseCsvTimestamp } from './csvTimestamp.js';
import type { CsvTimeUnit } from './csvTimestamp.js';
import type { Sample, Tags } from './sample.js';
import { validateSample } from './validateSample.js';
import { readLines } from './textLines.js';
import { showValue } from './showValue.js';

/**
 * Options of readCsvSamples: the series the rows belong to, how numeric timestamps are read, the
 * unit, and a name for stream errors.
 */
export interface ReadCsvOptions {
  readonly metric: string;
  readonly tags?: Tags;
  readonly timeUnit?: CsvTimeUnit;
  readonly unit?: string;
  readonly name?: string;
  /** Longest line accepted, in characters (see readLines). */
  readonly maxLineCharacters?: number;
}

interface Field {
  readonly text: string;
  /** 1-based column of the field's first character. */
  readonly column: number;
}

// Unambiguous (the dot is not optional between two digit runs), so a long non-number fails in linear time.
const numberPattern = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

// RFC 4180 quoting: a quoted field may hold commas, and "" inside quotes is one quote.
function splitFields(line: string): { fields: Field[]; error?: { column: number; reason: string } } {
  const fields: Field[] = [];
  let index = 0;
  for (;;) {
    const column = index + 1;
    if (line[index] === '"') {
      let text = '';
      let cursor = index + 1;
      for (;;) {
        const quote = line.indexOf('"', cursor);
        if (quote < 0) return { fields, error: { column, reason: 'unterminated quoted field' } };
        text += line.slice(cursor, quote);
        if (line[quote + 1] === '"') {
          text += '"';
          cursor = quote + 2;
          continue;
        }
        index = quote + 1;
        break;
      }
      fields.push({ text, column });
      if (index < line.length && line[index] !== ',')
        return { fields, error: { column: index + 1, reason: 'text after a closing quote' } };
    } else {
      const comma = line.indexOf(',', index);
      const end = comma < 0 ? line.length : comma;
      fields.push({ text: line.slice(index, end).trim(), column });
      index = end;
    }
    if (index >= line.length) return { fields };
    index++;
  }
}

/**
 * Streams Samples from a two-column CSV (`timestamp,value`, RFC 4180 quoting). The first
 * non-blank line is a header when its value column is not a number. Timestamps: see
 * parseCsvTimestamp (ISO 8601 or epoch s/ms/µs). Errors name `file:line:column` and show the
 * text (cut to 60 characters, escaped). Lines as readLines reads them (bounded length, strict
 * UTF-8). O(1) memory per line.
 */
export async function* readCsvSamples(source: string | Readable, options: ReadCsvOptions): AsyncGenerator<Sample> {
  const name = typeof source === 'string' ? source : (options.name ?? '<stream>');
  if (options.metric.length === 0)
    throw new InvalidSampleError(`CSV import of ${name}: metric must be a non-empty string`, {
      file: name,
      field: 'metric',
    });
  const timeUnit = options.timeUnit ?? 'auto';
  let lineNumber = 0;
  let seenContent = false;
  const fail: (column: number, reason: string, text: string) => never = (column, reason, text) => {
    throw new ParseError(`${name}:${lineNumber}:${column}: ${reason}: ${showValue(text)}`, {
      file: name,
      line: lineNumber,
      column,
      text: showValue(text),
    });
  };
  for await (const { lines, firstLine } of readLines(source, options)) {
    lineNumber = firstLine - 1;
    for (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      const { fields, error } = splitFields(line);
      if (error !== undefined) fail(error.column, error.reason, line);
      const [time, value] = fields;
      if (time === undefined || value === undefined || fields.length !== 2) {
        fail(1, `expected 2 fields (timestamp,value), found ${fields.length}`, line);
      }
      const isFirst = !seenContent;
      seenContent = true;
      if (isFirst && !numberPattern.test(value.text)) continue;
      const ts = parseCsvTimestamp(time.text, timeUnit);
      if (ts === undefined) fail(time.column, 'not an ISO 8601 or epoch timestamp', time.text);
      const number = numberPattern.test(value.text) ? Number(value.text) : Number.NaN;
      if (!Number.isFinite(number)) fail(value.column, 'not a finite number', value.text);
      const where = `${name}:${lineNumber}`;
      yield validateSample(
        { ts, metric: options.metric, value: number, tags: options.tags ?? {}, unit: options.unit },
        where,
      );
    }
  }
}

/**
 * One `timestamp,value` CSV row (ISO 8601 UTC with µs, shortest exact number; no newline);
 * readCsvSamples reads it back exactly. O(1).
 */
export function formatCsvSample(sample: Sample): string {
  return `${formatCsvTimestamp(sample.ts)},${Object.is(sample.value, -0) ? '-0' : String(sample.value)}`;
}
