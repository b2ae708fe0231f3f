import * as t from 'io-ts';
import { showValue } from '../showValue.js';

/** io-ts codec: a fraction given as `5%` or as a number in [0, 1]. */
export const Fraction = new t.Type<number, number, unknown>(
  'Fraction',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    const message = `expected a percentage like "5%" or a fraction between 0 and 1, got ${showValue(u)}`;
    if (typeof u === 'number') return u >= 0 && u <= 1 ? t.success(u) : t.failure(u, c, message);
    if (typeof u === 'string') {
      const match = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(u);
      if (match !== null && Number(match[1]) <= 100) return t.success(Number(match[1]) / 100);
    }
    return t.failure(u, c, message);
  },
  (x) => x,
);

/** An io-ts codec of numbers that pass `accepts`; a failure says "expected <expected>, got <value>". */
const numberCodec = (
  name: string,
  accepts: (u: number) => boolean,
  expected: string,
): t.Type<number, number, unknown> =>
  new t.Type<number, number, unknown>(
    name,
    (u): u is number => typeof u === 'number',
    (u, c) =>
      typeof u === 'number' && accepts(u) ? t.success(u) : t.failure(u, c, `expected ${expected}, got ${showValue(u)}`),
    (x) => x,
  );

/** io-ts codec: a probability strictly between 0 and 1 (significance and confidence levels). */
export const Probability = numberCodec('Probability', (u) => u > 0 && u < 1, 'a number strictly between 0 and 1');

/** io-ts codec: a finite number ≥ 0. */
export const NonNegative = numberCodec('NonNegative', (u) => Number.isFinite(u) && u >= 0, 'a number ≥ 0');

/** io-ts codec: a positive integer. */
export const PositiveInteger = numberCodec(
  'PositiveInteger',
  (u) => Number.isInteger(u) && u > 0,
  'a positive integer',
);

/** io-ts codec: an integer ≥ 0. */
export const NonNegativeInteger = numberCodec(
  'NonNegativeInteger',
  (u) => Number.isInteger(u) && u >= 0,
  'an integer ≥ 0',
);
