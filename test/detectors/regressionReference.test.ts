import { describe, expect, it } from 'vitest';
import { createReference } from '../../src/detectors/regressionReference.js';
import type { SeriesRef } from '../../src/model/events.js';

const series = (tags: Record<string, string>): SeriesRef => ({
  series: 'latency',
  metric: 'latency',
  tags,
  metricKind: 'latency',
});

describe('regression reference from a saved baseline', () => {
  const spec = {
    type: 'stored',
    baseline: 'main',
    bySeries: new Map([['latency{route=/a}', Float64Array.from([1, 2, 3])]]),
    ignoreTags: ['run'],
  } as const;

  it("gives each series its own values, matched without the baseline's ignored tags", () => {
    const reference = createReference(spec, series({ route: '/a', run: 'r7' }));
    expect(Array.from(reference.sorted() ?? [])).toEqual([1, 2, 3]);
    expect(reference.fixed).toBe(true);
    // A series the baseline does not hold has no reference: it is never tested.
    expect(createReference(spec, series({ route: '/b' })).sorted()).toBeNull();
  });

  it('refuses a baseline reference that was never read', () => {
    expect(() => createReference({ type: 'stored', baseline: 'main' }, series({}))).toThrow(
      'regression reference: baseline "main" was not read (rules files read it)',
    );
  });
});
