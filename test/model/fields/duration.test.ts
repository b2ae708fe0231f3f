import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { Duration, PositiveDuration } from '../../../src/model/fields/duration.js';
import { parseDuration } from '../../../src/model/fields/parseDuration.js';
import { formatErrors } from '../../../src/config/formatErrors.js';

const errorsOf = (codec: typeof Duration, value: unknown): string[] => {
  const decoded = codec.decode(value);
  if (!isLeft(decoded)) throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
  return formatErrors(decoded.left);
};

describe('parseDuration', () => {
  it.each([
    ['250us', 250],
    ['250µs', 250],
    ['500ms', 500_000],
    ['30s', 30_000_000],
    ['1.5s', 1_500_000],
    ['5m', 300_000_000],
    ['1m30s', 90_000_000],
    ['1h30m', 5_400_000_000],
    ['2h', 7_200_000_000],
    ['1d', 86_400_000_000],
    ['0s', 0],
    ['  30s  ', 30_000_000],
  ])('reads %j as %d µs', (text, micros) => {
    expect(parseDuration(text)).toBe(micros);
  });

  it('rounds fractional microseconds to the nearest one', () => {
    expect(parseDuration('0.0015ms')).toBe(2);
  });

  it.each(['', '30', 's', '30 s', '-5s', '1x', '5min', '1h 30m', '1,5s', '.5s', '30s!'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe('Duration codec', () => {
  it('decodes a duration string to microseconds and encodes it back in seconds', () => {
    const decoded = Duration.decode('1m30s');
    expect(isRight(decoded) && decoded.right).toBe(90_000_000);
    expect(Duration.encode(90_000_000)).toBe('90s');
  });

  it.each([
    ['soon', '"soon"'],
    [30, '30'],
    [null, 'null'],
  ])('rejects %j with a message that shows the expected form and the value', (value, shown) => {
    expect(errorsOf(Duration, value)).toEqual([
      `(top level): expected a duration like "30s", "5m" or "1h", got ${shown}`,
    ]);
  });
});

describe('PositiveDuration codec', () => {
  it('accepts durations above zero', () => {
    const decoded = PositiveDuration.decode('500ms');
    expect(isRight(decoded) && decoded.right).toBe(500_000);
  });

  it('rejects zero with its own message, and malformed text with the Duration message', () => {
    expect(errorsOf(PositiveDuration, '0s')).toEqual(['(top level): expected a duration greater than zero, got "0s"']);
    expect(errorsOf(PositiveDuration, '0ms')).toEqual([
      '(top level): expected a duration greater than zero, got "0ms"',
    ]);
    expect(errorsOf(PositiveDuration, 'later')).toEqual([
      '(top level): expected a duration like "30s", "5m" or "1h", got "later"',
    ]);
  });
});
