import * as t from 'io-ts';

const UNITS: Readonly<Record<string, number>> = {
  us: 1,
  µs: 1,
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
  d: 86_400_000_000,
};
const PART = /(\d+(?:\.\d+)?)(us|µs|ms|s|m|h|d)/g;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:us|µs|ms|s|m|h|d))+$/;

/** Parses a duration such as `500ms`, `30s`, `1m30s`, `2h` into microseconds; null when malformed. */
export function parseDuration(text: string): number | null {
  const compact = text.trim();
  if (!WHOLE.test(compact)) return null;
  let micros = 0;
  for (const match of compact.matchAll(PART)) micros += Number(match[1]) * (UNITS[match[2] as string] as number);
  return Math.round(micros);
}

/** io-ts codec: a duration string (`30s`, `1m30s`, `2h`, `500ms`) decoded to microseconds. */
export const Duration = new t.Type<number, string, unknown>(
  'Duration',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    if (typeof u !== 'string')
      return t.failure(u, c, `expected a duration like "30s", "5m" or "1h", got ${JSON.stringify(u)}`);
    const micros = parseDuration(u);
    return micros === null
      ? t.failure(u, c, `expected a duration like "30s", "5m" or "1h", got ${JSON.stringify(u)}`)
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
    return decoded.right > 0
      ? decoded
      : t.failure(u, c, `expected a duration greater than zero, got ${JSON.stringify(u)}`);
  },
  Duration.encode,
);
