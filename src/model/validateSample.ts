import { InvalidSampleError } from './errors.js';
import type { Sample, Tags } from './sample.js';

/**
 * Accepted event-time range, [−2^52, 2^53 − 2] µs (years 1827 to 287396). avsc zig-zag encodes
 * longs with doubles: below −2^52 the encoding is inexact, and it refuses 2^53 − 1.
 */
export const MIN_TIMESTAMP_MICROS = -(2 ** 52);
export const MAX_TIMESTAMP_MICROS = 2 ** 53 - 2;

/** Short printable form of an offending value for error messages. O(1) (strings are cut at 60 characters). */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (value === null || value === undefined || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function fail(where: string | undefined, field: string, expectation: string, value: unknown): never {
  const shown = describeValue(value);
  const place = where === undefined ? '' : ` at ${where}`;
  throw new InvalidSampleError(`invalid sample${place}: ${field} ${expectation}, got ${shown}`, {
    where,
    field,
    value: shown,
  });
}

// Avro strings are UTF-8, so a lone UTF-16 surrogate would come back as U+FFFD.
const loneSurrogate = /\p{Cs}/u;

function checkText(where: string | undefined, field: string, text: string): void {
  if (loneSurrogate.test(text)) fail(where, field, 'must be well-formed Unicode (no lone surrogate)', text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the data model of DESIGN.md (non-empty metric, finite value, integer epoch-µs
 * ts in [MIN_TIMESTAMP_MICROS, MAX_TIMESTAMP_MICROS], string tags, string unit, all strings
 * well-formed Unicode) and returns a fresh plain Sample; missing tags become {},
 * a null unit is dropped. The tag key `__proto__` is refused: plain JS objects, and avsc's map
 * decoder, cannot hold it. `knownTags`, when given, are tags equal to the input's that were checked
 * before (TagsInterner): they are used as they are. Throws InvalidSampleError naming the field and
 * value. O(tags).
 */
export function validateSample(input: unknown, where?: string, knownTags?: Tags): Sample {
  if (!isRecord(input)) fail(where, 'sample', 'must be an object', input);
  const { ts, metric, value, tags, unit } = input;
  if (typeof ts !== 'number' || !Number.isInteger(ts) || ts < MIN_TIMESTAMP_MICROS || ts > MAX_TIMESTAMP_MICROS) {
    fail(where, 'ts', 'must be an integer of epoch microseconds in [−2^52, 2^53 − 2]', ts);
  }
  if (typeof metric !== 'string' || metric.length === 0) fail(where, 'metric', 'must be a non-empty string', metric);
  checkText(where, 'metric', metric);
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(where, 'value', 'must be a finite number', value);
  // Tags a reader has already checked (and shared across the samples of a series) are taken as they are.
  const copy: Record<string, string> = knownTags !== undefined ? (knownTags as Record<string, string>) : {};
  if (tags !== undefined && knownTags === undefined) {
    if (!isRecord(tags)) fail(where, 'tags', 'must be an object of strings', tags);
    for (const key of Object.keys(tags)) {
      if (key === '__proto__') fail(where, 'tags', 'may not use the key', key);
      const tag = tags[key];
      if (typeof tag !== 'string') fail(where, `tags.${key}`, 'must be a string', tag);
      checkText(where, 'tags (key)', key);
      checkText(where, `tags.${key}`, tag);
      copy[key] = tag;
    }
  }
  if (unit === undefined || unit === null) return { ts, metric, value, tags: copy };
  if (typeof unit !== 'string') fail(where, 'unit', 'must be a string', unit);
  checkText(where, 'unit', unit);
  return { ts, metric, value, tags: copy, unit };
}
