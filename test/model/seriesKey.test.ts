import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tags } from '../../src/model/sample.js';
import { seriesKey } from '../../src/model/seriesKey.js';

// Names made of the key's own delimiters (and a letter), so that a careless key would collide.
const tricky = fc.string({ unit: fc.constantFrom('a', '{', '}', ',', '=', '\\'), minLength: 1, maxLength: 4 });
const series = fc.record({ metric: tricky, tags: fc.dictionary(tricky, tricky, { maxKeys: 3 }) });

/** The same series: same metric and the same tags, whatever their order. */
const same = (a: { metric: string; tags: Tags }, b: { metric: string; tags: Tags }): boolean =>
  a.metric === b.metric &&
  Object.keys(a.tags).length === Object.keys(b.tags).length &&
  Object.entries(a.tags).every(([key, value]) => Object.hasOwn(b.tags, key) && b.tags[key] === value);

describe('seriesKey (the Kafka message key, the report and analysis key of a series)', () => {
  it('two series share a key exactly when they are the same series: no collisions', () => {
    fc.assert(
      fc.property(series, series, (a, b) => {
        expect(seriesKey(a.metric, a.tags) === seriesKey(b.metric, b.tags)).toBe(same(a, b));
      }),
      { numRuns: 20_000 },
    );
  });

  it('is the same whatever the order of the tags', () => {
    expect(seriesKey('m', { b: '1', a: '2' })).toBe(seriesKey('m', { a: '2', b: '1' }));
    expect(seriesKey('m', { b: '1', a: '2' })).toBe('m{a=2,b=1}');
  });
});
