import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsvTimestamp, parseCsvTimestamp } from '../../src/model/csvTimestamp.js';
import { MAX_TIMESTAMP_MICROS, MIN_TIMESTAMP_MICROS } from '../../src/model/validateSample.js';

// 2014-07-01T00:00:00Z, the first NAB nyc_taxi row, is 1404172800 s after the epoch
// (date -u -d 2014-07-01 +%s).
const JULY_2014 = 1_404_172_800_000_000;

describe('parseCsvTimestamp', () => {
  it.each([
    ['2014-07-01 00:00:00', JULY_2014],
    ['2014-07-01T00:00:00Z', JULY_2014],
    ['2014-07-01T02:00:00+02:00', JULY_2014],
    ['2014-06-30T19:30:00-0430', JULY_2014],
    ['2014-07-01', JULY_2014],
    ['2014-07-01T00:00', JULY_2014],
    ['2014-07-01 00:00:00.000001', JULY_2014 + 1],
    ['2014-07-01T00:00:00,5Z', JULY_2014 + 500_000],
    ['2014-07-01T00:00:00.0000005Z', JULY_2014 + 1],
    ['1970-01-01T00:00:00Z', 0],
    ['1969-12-31T23:59:59.999999Z', -1],
  ])('reads ISO 8601 %s', (text, expected) => {
    expect(parseCsvTimestamp(text)).toBe(expected);
  });

  it('reads epoch numbers by magnitude in auto mode (s below 1e11, ms below 1e14, else µs)', () => {
    expect(parseCsvTimestamp('1404172800')).toBe(JULY_2014);
    expect(parseCsvTimestamp('1404172800.25')).toBe(JULY_2014 + 250_000);
    expect(parseCsvTimestamp('1404172800000')).toBe(JULY_2014);
    expect(parseCsvTimestamp('1404172800000000')).toBe(JULY_2014);
    // Just below 1e11 the text means seconds: year 5138, beyond the µs range (year 2255).
    expect(parseCsvTimestamp('99999999999')).toBeUndefined();
    expect(parseCsvTimestamp('100000000000')).toBe(100_000_000_000_000);
    expect(parseCsvTimestamp('-1.5')).toBe(-1_500_000);
  });

  it('follows an explicit unit', () => {
    expect(parseCsvTimestamp('1404172800', 'ms')).toBe(1_404_172_800_000);
    expect(parseCsvTimestamp('1404172800', 'us')).toBe(1_404_172_800);
    expect(parseCsvTimestamp('1404172800000', 's')).toBeUndefined();
    expect(parseCsvTimestamp('1.0005', 'ms')).toBe(1_001);
  });

  it.each([
    '',
    'yesterday',
    '2014-13-01',
    '2014-02-30 00:00:00',
    '2014-07-01 24:00:00',
    '2014-07-01T00:00:00+25:00',
    '1e9',
    '0x10',
    '2014-07-01T00:00:00 Z',
  ])('refuses %j', (text) => {
    expect(parseCsvTimestamp(text)).toBeUndefined();
  });

  it('formats with microseconds and reads every accepted timestamp back exactly', () => {
    expect(formatCsvTimestamp(JULY_2014 + 7)).toBe('2014-07-01T00:00:00.000007Z');
    expect(formatCsvTimestamp(-1)).toBe('1969-12-31T23:59:59.999999Z');
    fc.assert(
      fc.property(
        fc.integer({ min: MIN_TIMESTAMP_MICROS, max: MAX_TIMESTAMP_MICROS }),
        (ts) => parseCsvTimestamp(formatCsvTimestamp(ts)) === ts,
      ),
    );
  });
});
