import { describe, expect, it } from 'vitest';
import { quantileSummary } from '../../src/stats/quantileSummary.js';
import { quantileSorted } from '../../src/stats/quantileSorted.js';
import { createRandom } from '../../src/stats/random.js';
import { approxEqual } from '../support/approxEqual.js';

describe('quantileSummary', () => {
  it('returns short samples unchanged', () => {
    const xs = Float64Array.from([1, 2, 3]);
    expect(quantileSummary(xs, 5)).toBe(xs);
  });

  it('takes type 7 quantiles at the plotting positions (i + 0.5)/k', () => {
    const random = createRandom(11);
    const xs = Float64Array.from({ length: 1001 }, () => random.normal()).sort();
    const summary = quantileSummary(xs, 10);
    expect(summary.length).toBe(10);
    for (let i = 0; i < 10; i++)
      approxEqual(summary[i] as number, quantileSorted(xs, (i + 0.5) / 10), 1e-12, 1e-12, `point ${i}`);
  });

  it('keeps the median of a large sample within one rank step', () => {
    const xs = Float64Array.from({ length: 10_000 }, (_, i) => i);
    const summary = quantileSummary(xs, 512);
    const mid = ((summary[255] as number) + (summary[256] as number)) / 2;
    expect(Math.abs(mid - 4999.5)).toBeLessThanOrEqual(10_000 / 512);
    for (let i = 1; i < summary.length; i++)
      expect(summary[i] as number).toBeGreaterThanOrEqual(summary[i - 1] as number);
  });

  it('rejects a non-positive size', () => {
    expect(() => quantileSummary(new Float64Array(3), 0)).toThrow(RangeError);
  });
});
