import fc from 'fast-check';
import type { Sample } from '../../src/model/sample.js';
import { MAX_TIMESTAMP_MICROS, MIN_TIMESTAMP_MICROS } from '../../src/model/validateSample.js';

// Full-Unicode strings (astral planes included, never lone surrogates) and doubles biased toward
// the edge cases of the binary encodings: ±0, subnormals, extremes.
const text = fc.string({ unit: 'binary', maxLength: 12 });
/**
 * Names the model accepts (metric, tag keys and values): non-empty, no C0/DEL/C1 control
 * character, no backslash at the end or before a space, comma or equals sign.
 */
const isName = (s: string): boolean =>
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  s.length > 0 && !/[\u0000-\u001f\u007f-\u009f]/.test(s) && !/\\(?=[ ,=]|$)/.test(s);
export const nameArbitrary = (maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: 'binary', minLength: 1, maxLength }).filter(isName);
const specialValues = fc.constantFrom(
  0,
  -0,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  2.2250738585072014e-308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  0.1,
  1 / 3,
);

/** Arbitrary valid Samples for round-trip properties; `unit` is absent rather than undefined when missing. */
export const sampleArbitrary: fc.Arbitrary<Sample> = fc
  .record({
    ts: fc.oneof(
      fc.integer({ min: MIN_TIMESTAMP_MICROS, max: MAX_TIMESTAMP_MICROS }),
      fc.integer({ min: 1_000_000_000_000_000, max: 4_000_000_000_000_000 }),
      fc.constantFrom(MIN_TIMESTAMP_MICROS, MAX_TIMESTAMP_MICROS, 0, -1),
    ),
    metric: nameArbitrary(16),
    value: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), specialValues),
    tags: fc.dictionary(
      nameArbitrary(12).filter((key) => key !== '__proto__' && key !== 'time'),
      nameArbitrary(12),
      { maxKeys: 4 },
    ),
    unit: fc.option(
      // eslint-disable-next-line no-control-regex -- control characters are what it looks for
      text.filter((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s)),
      { nil: undefined },
    ),
  })
  .map(({ unit, ...rest }) => (unit === undefined ? rest : { ...rest, unit }));

/** Asserts exact equality of samples, including the sign of zero and absence of `unit`. */
export function sameSample(actual: Sample, expected: Sample): boolean {
  if (actual.ts !== expected.ts || actual.metric !== expected.metric || !Object.is(actual.value, expected.value))
    return false;
  if ('unit' in actual !== 'unit' in expected || actual.unit !== expected.unit) return false;
  const actualKeys = Object.keys(actual.tags).sort();
  const expectedKeys = Object.keys(expected.tags).sort();
  return (
    actualKeys.length === expectedKeys.length &&
    actualKeys.every((key, index) => key === expectedKeys[index] && actual.tags[key] === expected.tags[key])
  );
}
