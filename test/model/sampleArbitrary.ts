import fc from 'fast-check';
import type { Sample } from '../../src/model/sample.js';
import { MAX_TIMESTAMP_MICROS, MIN_TIMESTAMP_MICROS } from '../../src/model/validateSample.js';

// Full-Unicode strings (astral planes included, never lone surrogates) and doubles biased toward
// the edge cases of the binary encodings: ±0, subnormals, extremes.
const text = fc.string({ unit: 'binary', maxLength: 12 });
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
    metric: fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }),
    value: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), specialValues),
    tags: fc.dictionary(
      text.filter((key) => key !== '__proto__'),
      text,
      { maxKeys: 4 },
    ),
    unit: fc.option(text, { nil: undefined }),
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
