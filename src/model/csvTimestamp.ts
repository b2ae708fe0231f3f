import { MICROS_PER_MS, MICROS_PER_SECOND } from './sample.js';

/** How numeric CSV timestamps are read; 'auto' decides by magnitude (see parseCsvTimestamp). */
export type CsvTimeUnit = 'auto' | 'ms' | 'us' | 's';

// 'auto' thresholds: |x| < 1e11 is seconds, < 1e14 milliseconds, otherwise microseconds. Every
// instant from 1973-03-03 to the end of the µs range (year 2255) is then read right in any of the
// three units; earlier instants only in seconds.
export const AUTO_SECONDS_BELOW = 1e11;
export const AUTO_MILLISECONDS_BELOW = 1e14;

const numericPattern = /^([+-]?)(\d+)(?:\.(\d*))?$/;
// ISO 8601 extended format (with optional zone; none means UTC), also with a space instead of
// the T as in the NAB corpus, and the ±YYYYYY expanded years that Date#toISOString writes.
const isoPattern =
  /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function scaleDecimal(sign: string, whole: string, fraction: string, unitMicros: number): number {
  const digits = unitMicros === MICROS_PER_SECOND ? 6 : unitMicros === MICROS_PER_MS ? 3 : 0;
  const padded = `${fraction}0000000`.slice(0, digits + 1);
  // Rounds half away from zero on the first digit below one microsecond.
  let micros =
    Number(whole) * unitMicros + Number(padded.slice(0, digits) || '0') + (Number(padded[digits] ?? '0') >= 5 ? 1 : 0);
  if (sign === '-') micros = -micros;
  return micros === 0 ? 0 : micros;
}

function parseIso(match: RegExpExecArray): number | undefined {
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fraction = '', zone] = match;
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  const hour = Number(hourText ?? '0');
  const minute = Number(minuteText ?? '0');
  const second = Number(secondText ?? '0');
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return undefined;
  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const hours = Number(digits.slice(0, 2));
    const minutes = Number(digits.slice(2) || '0');
    if (hours > 23 || minutes > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
  }
  const fractionMicros = scaleDecimal('+', '0', fraction, MICROS_PER_SECOND);
  return (date.getTime() - offsetMinutes * 60_000) * MICROS_PER_MS + fractionMicros;
}

/**
 * Epoch microseconds of a CSV timestamp: ISO 8601 date-time (zone optional, UTC when absent;
 * `YYYY-MM-DD HH:MM:SS[.ffffff]` accepted) or epoch seconds/ms/µs per `unit`; undefined when the
 * text is neither or out of the safe-integer range. Fractions below 1 µs are rounded. O(length).
 */
export function parseCsvTimestamp(text: string, unit: CsvTimeUnit = 'auto'): number | undefined {
  const numeric = numericPattern.exec(text);
  if (numeric !== null) {
    const [, sign = '', whole = '', fraction = ''] = numeric;
    let unitMicros: number;
    if (unit === 'auto') {
      const magnitude = Math.abs(Number(`${whole}.${fraction}0`));
      unitMicros =
        magnitude < AUTO_SECONDS_BELOW ? MICROS_PER_SECOND : magnitude < AUTO_MILLISECONDS_BELOW ? MICROS_PER_MS : 1;
    } else {
      unitMicros = unit === 's' ? MICROS_PER_SECOND : unit === 'ms' ? MICROS_PER_MS : 1;
    }
    const micros = scaleDecimal(sign, whole, fraction, unitMicros);
    return Number.isSafeInteger(micros) ? micros : undefined;
  }
  const iso = isoPattern.exec(text);
  if (iso === null) return undefined;
  const micros = parseIso(iso);
  return micros !== undefined && Number.isSafeInteger(micros) ? micros : undefined;
}

/**
 * ISO 8601 UTC text with microseconds (`2014-07-01T00:00:00.000000Z`) of an epoch-µs timestamp;
 * parseCsvTimestamp reads it back exactly. O(1).
 */
export function formatCsvTimestamp(ts: number): string {
  const milliseconds = Math.floor(ts / MICROS_PER_MS);
  const micros = ts - milliseconds * MICROS_PER_MS;
  return new Date(milliseconds).toISOString().replace('Z', `${String(micros).padStart(3, '0')}Z`);
}
