import * as t from 'io-ts';
import { PositiveDuration } from './duration.js';
import { showValue } from '../showValue.js';

/** A window of the last `count` samples, or of the last `duration` µs of event time. */
export type WindowSpec = { readonly count: number } | { readonly duration: number };

/** io-ts codec: a window given as a duration (`60s`) or a sample count (`1024`). */
export const WindowCodec = new t.Type<WindowSpec, unknown, unknown>(
  'Window',
  (u): u is WindowSpec => typeof u === 'object' && u !== null,
  (u, c) => {
    if (typeof u === 'number')
      return Number.isInteger(u) && u > 0
        ? t.success({ count: u })
        : t.failure(u, c, `expected a sample count (positive integer) or a duration like "60s", got ${showValue(u)}`);
    const decoded = PositiveDuration.validate(u, c);
    return decoded._tag === 'Right'
      ? t.success({ duration: decoded.right })
      : t.failure(u, c, `expected a duration like "60s" or a sample count like 1024, got ${showValue(u)}`);
  },
  (w) => ('count' in w ? w.count : PositiveDuration.encode(w.duration)),
);
