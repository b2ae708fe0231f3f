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
