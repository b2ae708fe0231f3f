import { describe, expect, it } from 'vitest';
import { InvalidSampleError } from '../../src/model/errors.js';
import { validateSample } from '../../src/model/validateSample.js';

const good = { ts: 1_404_172_800_000_000, metric: 'latency', value: 12.5, tags: { host: 'a' }, unit: 'ms' };

function rejection(input: unknown): InvalidSampleError {
  try {
    validateSample(input, 'input.ndjson:7');
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSampleError);
    return error as InvalidSampleError;
  }
  throw new Error('expected InvalidSampleError');
}

describe('validateSample', () => {
  it('returns a fresh plain copy of a valid sample', () => {
    const result = validateSample(good);
    expect(result).toEqual(good);
    expect(result).not.toBe(good);
    expect(result.tags).not.toBe(good.tags);
  });

  it('defaults missing tags to {} and drops a null unit', () => {
    expect(validateSample({ ts: 0, metric: 'm', value: -0, unit: null })).toStrictEqual({
      ts: 0,
      metric: 'm',
      value: -0,
      tags: {},
    });
  });

  it.each([
    ['metric', { ...good, metric: '' }, /metric must be a non-empty string, got ""/],
    ['metric', { ...good, metric: 5 }, /metric must be a non-empty string, got 5/],
    ['value', { ...good, value: Number.NaN }, /value must be a finite number, got NaN/],
    ['value', { ...good, value: Number.POSITIVE_INFINITY }, /got Infinity/],
    ['value', { ...good, value: Number.NEGATIVE_INFINITY }, /got -Infinity/],
    ['value', { ...good, value: '1.5' }, /value must be a finite number, got "1.5"/],
    ['ts', { ...good, ts: 1.5 }, /ts must be an integer.*got 1.5/],
    ['ts', { ...good, ts: 2 ** 53 - 1 }, /ts must be an integer.*got 9007199254740991/],
    ['ts', { ...good, ts: '2014-07-01' }, /ts must be an integer/],
    ['ts', { ...good, ts: -(2 ** 52) - 1 }, /ts must be .*\[−2\^52, 2\^53 − 2\], got -4503599627370497/],
    ['tags.host', { ...good, tags: { host: 3 } }, /tags.host must be a string, got 3/],
    ['tags', { ...good, tags: ['a'] }, /tags must be an object of strings, got an array/],
    ['tags', { ...good, tags: JSON.parse('{"__proto__":"x"}') }, /may not use the key, got "__proto__"/],
    ['unit', { ...good, unit: 1 }, /unit must be a string, got 1/],
    ['unit', { ...good, unit: 'm\uD800s' }, /unit must be well-formed Unicode/],
    ['sample', null, /sample must be an object, got null/],
  ])('rejects a bad %s, naming field, value and place', (field, input, message) => {
    const error = rejection(input);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('input.ndjson:7');
    expect(error.context['field']).toBe(field);
  });
});
