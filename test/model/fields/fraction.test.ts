import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { formatErrors } from '../../../src/config/formatErrors.js';
import { Fraction, NonNegative, PositiveInteger, Probability } from '../../../src/model/fields/fraction.js';
import { approxEqual } from '../../support/approxEqual.js';

const valueOf = (codec: t.Type<number, number, unknown>, input: unknown): number => {
  const decoded = codec.decode(input);
  if (!isRight(decoded))
    throw new Error(`expected ${JSON.stringify(input)} to decode: ${formatErrors(decoded.left).join('; ')}`);
  return decoded.right;
};

const errorsOf = (codec: t.Type<number, number, unknown>, input: unknown): string[] => {
  const decoded = codec.decode(input);
  if (!isLeft(decoded)) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  return formatErrors(decoded.left);
};

describe('Fraction', () => {
  it.each([
    ['5%', 0.05],
    ['10%', 0.1],
    [' 2.5 % ', 0.025],
    ['0%', 0],
    ['100%', 1],
    [0.05, 0.05],
    [0, 0],
    [1, 1],
  ])('reads %j as %d', (input, expected) => {
    approxEqual(valueOf(Fraction, input), expected, 1e-15, 1e-15, JSON.stringify(input));
  });

  it('gives the same value for "5%" and 0.05', () => {
    expect(valueOf(Fraction, '5%')).toBe(valueOf(Fraction, 0.05));
  });

  it.each([
    ['fast', '"fast"'],
    ['5', '"5"'],
    ['-5%', '"-5%"'],
    ['5 percent', '"5 percent"'],
    [1.5, '1.5'],
    // Percentages obey the same bound as plain fractions.
    ['150%', '"150%"'],
    [-0.1, '-0.1'],
    [Number.NaN, 'NaN'],
    [true, 'true'],
  ])('rejects %j', (input, shown) => {
    expect(errorsOf(Fraction, input)).toEqual([
      `(top level): expected a percentage like "5%" or a fraction between 0 and 1, got ${shown}`,
    ]);
  });
});

describe('Probability', () => {
  it('accepts numbers strictly between 0 and 1', () => {
    expect(valueOf(Probability, 0.001)).toBe(0.001);
    expect(valueOf(Probability, 0.999)).toBe(0.999);
  });

  it.each([0, 1, -0.5, 2, '0.05'])('rejects %j', (input) => {
    expect(errorsOf(Probability, input)).toEqual([
      `(top level): expected a number strictly between 0 and 1, got ${JSON.stringify(input)}`,
    ]);
  });
});

describe('NonNegative', () => {
  it('accepts zero and positive finite numbers', () => {
    expect(valueOf(NonNegative, 0)).toBe(0);
    expect(valueOf(NonNegative, 12.5)).toBe(12.5);
  });

  it.each([
    [-1, '-1'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    ['3', '"3"'],
  ])('rejects %j', (input, shown) => {
    expect(errorsOf(NonNegative, input)).toEqual([`(top level): expected a number ≥ 0, got ${shown}`]);
  });
});

describe('PositiveInteger', () => {
  it('accepts positive integers', () => {
    expect(valueOf(PositiveInteger, 1)).toBe(1);
    expect(valueOf(PositiveInteger, 10_000)).toBe(10_000);
  });

  it.each([0, -3, 2.5, '7'])('rejects %j', (input) => {
    expect(errorsOf(PositiveInteger, input)).toEqual([
      `(top level): expected a positive integer, got ${JSON.stringify(input)}`,
    ]);
  });
});
