import { InvalidSampleError } from './errors.js';
import type { Sample, Tags } from './sample.js';
import { quoteText, showValue } from './showValue.js';
import { maskUrlPasswords } from './secrets.js';

/**
 * Accepted event-time range, [−2^52, 2^53 − 2] µs (years 1827 to 287396). avsc zig-zag encodes
 * longs with doubles: below −2^52 the encoding is inexact, and it refuses 2^53 − 1.
 */
export const MIN_TIMESTAMP_MICROS = -(2 ** 52);
export const MAX_TIMESTAMP_MICROS = 2 ** 53 - 2;

/** Short printable form of an offending value for error messages (see showValue). */
export const describeValue = showValue;

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
// One test for the rare names that need a closer look: controls, backslashes, lone surrogates.
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const SUSPECT_NAME = /[\u0000-\u001f\u007f-\u009f\\]|\p{Cs}/u;
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// Line protocol cannot store a backslash before a delimiter or at the end of a tag exactly.
const UNSTORABLE_BACKSLASH = /\\(?=[ ,=]|$)/;
/** Longest metric name, tag key or tag value: far beyond any real one, far below InfluxDB's 64 KiB. */
export const MAX_NAME_CHARACTERS = 4096;
/** A tag key that reads well as `tags.key` in a message. */
const PLAIN_KEY = /^[A-Za-z_][\w.-]*$/;
/** Tag keys InfluxDB refuses (a point with one is dropped). */
const REFUSED_TAG_KEYS: ReadonlySet<string> = new Set(['__proto__', 'time']);

function checkText(where: string | undefined, field: string, text: string): void {
  if (loneSurrogate.test(text)) fail(where, field, 'must be well-formed Unicode (no lone surrogate)', text);
}

/**
 * The rule for metric names, tag keys and tag values: non-empty, well-formed Unicode, no control
 * characters (C0, DEL, C1), at most MAX_NAME_CHARACTERS long, and no backslash at the end or
 * before a space, comma or equals sign, so that every name the model accepts is stored exactly
 * by every sink, InfluxDB's line protocol included, and prints on one line.
 */
function checkName(where: string | undefined, fieldName: string | (() => string), text: string): void {
  // The field's name is only worked out when it is needed, for an error.
  const field = (): string => (typeof fieldName === 'string' ? fieldName : fieldName());
  if (text.length === 0) fail(where, field(), 'must be a non-empty string', text);
  if (text.length > MAX_NAME_CHARACTERS)
    fail(where, field(), `may be at most ${MAX_NAME_CHARACTERS.toLocaleString('en-US')} characters long`, text);
  if (!SUSPECT_NAME.test(text)) return;
  checkText(where, field(), text);
  const control = CONTROL.exec(text);
  if (control !== null)
    fail(
      where,
      field(),
      `may not contain control characters (U+${(control[0].codePointAt(0) as number)
        .toString(16)
        .toUpperCase()
        .padStart(4, '0')} at index ${control.index})`,
      text,
    );
  if (UNSTORABLE_BACKSLASH.test(text))
    fail(where, field(), 'may not end with a backslash or have one before a space, comma or equals sign', text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the data model of DESIGN.md (finite value, integer epoch-µs ts in
 * [MIN_TIMESTAMP_MICROS, MAX_TIMESTAMP_MICROS], string tags, string unit, all strings
 * well-formed Unicode without control characters; metric, tag keys and tag values follow the
 * name rule of checkName) and returns a fresh plain Sample; missing tags become {}, a null unit
 * is dropped; a URL's password in a tag value is masked (`https://u:***@host`). The tag keys `__proto__` (plain JS objects, and avsc's map decoder, cannot hold
 * it) and `time` (InfluxDB drops the point) are refused. `knownTags`, when given, are tags equal
 * to the input's that were checked before (TagsInterner): they are used as they are. Throws
 * InvalidSampleError naming the field and value. O(tags).
 */
export function validateSample(input: unknown, where?: string, knownTags?: Tags): Sample {
  if (!isRecord(input)) fail(where, 'sample', 'must be an object', input);
  const { ts, metric, value, tags, unit } = input;
  if (typeof ts !== 'number' || !Number.isInteger(ts) || ts < MIN_TIMESTAMP_MICROS || ts > MAX_TIMESTAMP_MICROS) {
    fail(where, 'ts', 'must be an integer of epoch microseconds in [−2^52, 2^53 − 2]', ts);
  }
  if (typeof metric !== 'string') fail(where, 'metric', 'must be a non-empty string', metric);
  checkName(where, 'metric', metric);
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(where, 'value', 'must be a finite number', value);
  // Tags a reader has already checked (and shared across the samples of a series) are taken as they are.
  const copy: Record<string, string> = knownTags !== undefined ? (knownTags as Record<string, string>) : {};
  if (tags !== undefined && knownTags === undefined) {
    if (!isRecord(tags)) fail(where, 'tags', 'must be an object of strings', tags);
    for (const key of Object.keys(tags)) {
      if (REFUSED_TAG_KEYS.has(key)) fail(where, 'tags', 'may not use the key', key);
      checkName(where, 'tags (key)', key);
      const field = (): string => (PLAIN_KEY.test(key) ? `tags.${key}` : `tags[${quoteText(key)}]`);
      const tag = tags[key];
      if (typeof tag !== 'string') fail(where, field(), 'must be a string', tag);
      checkName(where, field, tag);
      // A URL's password in a tag would reach every sink, report and recording: it is masked here.
      copy[key] = tag.includes('://') ? maskUrlPasswords(tag) : tag;
    }
  }
  if (unit === undefined || unit === null) return { ts, metric, value, tags: copy };
  if (typeof unit !== 'string') fail(where, 'unit', 'must be a string', unit);
  checkText(where, 'unit', unit);
  const control = CONTROL.exec(unit);
  if (control !== null) fail(where, 'unit', 'may not contain control characters', unit);
  return { ts, metric, value, tags: copy, unit };
}
