import * as t from 'io-ts';
import { parseDuration } from './parseDuration.js';
import { showValue } from '../showValue.js';

/** io-ts codec: a duration string (`30s`, `1m30s`, `2h`, `500ms`) decoded to microseconds. */
export const Duration = new t.Type<number, string, unknown>(
  'Duration',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    if (typeof u !== 'string')
      return t.failure(u, c, `expected a duration like "30s", "5m" or "1h", got ${showValue(u)}`);
    const micros = parseDuration(u);
    return micros === null
      ? t.failure(u, c, `expected a duration like "30s", "5m" or "1h", got ${showValue(u)}`)
      : t.success(micros);
  },
  (micros) => `${micros / 1_000_000}s`,
);

/** io-ts codec: a positive duration. */
export const PositiveDuration = new t.Type<number, string, unknown>(
  'PositiveDuration',
  Duration.is,
  (u, c) => {
    const decoded = Duration.validate(u, c);
    if (decoded._tag === 'Left') return decoded;
    return decoded.right > 0 ? decoded : t.failure(u, c, `expected a duration greater than zero, got ${showValue(u)}`);
  },
  Duration.encode,
);
