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
    ['tags', { ...good, tags: ['a'] }, /tags must be an object of strings, got \["a"\]/],
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

  // Names that InfluxDB's line protocol cannot store exactly (they came back as `\n`, `\r`, `\t`, or with
  // a trailing backslash as `∖`, merging distinct series) or that would break a message's line.
  it.each([
    ['tags.host', { host: 'a\nb' }, /tags.host may not contain control characters \(U\+000A at index 1\), got "a\\nb"/],
    ['tags.host', { host: 'a\rb' }, /U\+000D at index 1/],
    ['tags.host', { host: 'a\tb' }, /U\+0009 at index 1/],
    ['tags.host', { host: 'x\u0085' }, /U\+0085 at index 1\), got "x\\u0085"/],
    [
      'tags.host',
      { host: 'C:\\dir\\' },
      /may not end with a backslash or have one before a space, comma or equals sign/,
    ],
    ['tags.host', { host: 'a\\,b' }, /may not end with a backslash/],
    ['tags.host', { host: '' }, /tags.host must be a non-empty string, got ""/],
    ['tags (key)', { '': 'a' }, /tags \(key\) must be a non-empty string/],
    ['tags (key)', { 'a\nb': 'a' }, /tags \(key\) may not contain control characters/],
    ['tags', { time: 'a' }, /tags may not use the key, got "time"/],
  ])('rejects a name the line protocol cannot store: %s of %j', (field, tags, message) => {
    const error = rejection({ ...good, tags });
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/[\n\r\t\u0085]/);
    expect(error.context['field']).toBe(field);
  });

  it('escapes a terminal escape sequence in the metric it refuses', () => {
    const error = rejection({ ...good, metric: 'm\u001b[2J' });
    expect(error.message).toContain('got "m\\u001b[2J"');
    expect(error.message).not.toContain('\u001b');
  });

  it('names an odd tag key in JSON quotes', () => {
    const error = rejection({ ...good, tags: { 'a b': 'x\\' } });
    expect(error.context['field']).toBe('tags["a b"]');
  });

  it('accepts backslashes elsewhere, any printable Unicode and prototype names as metric, tag key and value', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', 'a\\b', '\\x', 'é ✓ 𝄞', 'a b,c=d']) {
      const tags = { [name]: name, constructor: name };
      expect(validateSample({ ...good, metric: name, tags })).toEqual({ ...good, metric: name, tags });
    }
  });
});
