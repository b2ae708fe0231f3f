import * as t from 'io-ts';
import { showValue } from '../showValue.js';

/** io-ts codec: a string with something in it besides white space. */
export const NonEmpty = new t.Type<string, string, unknown>(
  'NonEmptyString',
  t.string.is,
  (u, c) =>
    typeof u === 'string' && u.trim() !== ''
      ? t.success(u)
      : t.failure(u, c, `expected a non-empty string, got ${showValue(u)}`),
  (s) => s,
);

/** io-ts codec: string keys to string values (tags, headers, environment). */
export const StringMap = t.record(t.string, t.string);

/** io-ts codec: an alert severity. */
export const SeverityCodec = t.keyof({ info: null, warning: null, critical: null }, '"info" | "warning" | "critical"');
