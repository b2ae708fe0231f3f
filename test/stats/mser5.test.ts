import { describe, expect, it } from 'vitest';
import { mser5 } from '../../src/stats/mser5.js';
import { createRandom } from '../../src/stats/random.js';

/** MSER-5 written out from its definition (White 1997): batch means, then every d of the first half. */
function naive(values: readonly number[]): number {
  const b = Math.floor(values.length / 5);
  if (b < 2) return 0;
  const z = Array.from({ length: b }, (_, j) => values.slice(5 * j, 5 * j + 5).reduce((a, v) => a + v, 0) / 5);
  let best = Number.POSITIVE_INFINITY;
  let bestD = 0;
  for (let d = 0; d <= Math.floor(b / 2); d++) {
    const kept = z.slice(d);
    const mean = kept.reduce((a, v) => a + v, 0) / kept.length;
    const mser = kept.reduce((a, v) => a + (v - mean) ** 2, 0) / kept.length ** 2;
    if (mser < best) {
      best = mser;
      bestD = d;
    }
  }
  return 5 * bestD;
}

describe('mser5 (White 1997; Franklin & White 2008)', () => {
  it('cuts where the definition says, on series with and without a warm-up', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const random = createRandom(seed);
      const flat = Array.from({ length: 1000 }, () => 100 + random.normal());
      // A warm-up: 150 values decaying from +20 to the steady level.
      const warm = flat.map((v, i) => v + (i < 150 ? 20 * (1 - i / 150) ** 2 : 0));
      expect(mser5(flat)).toBe(naive(flat));
      expect(mser5(warm)).toBe(naive(warm));
      // The cut lies in the transient's tail, not in the steady part nor before the worst of it.
      expect(mser5(warm)).toBeGreaterThanOrEqual(60);
      expect(mser5(warm)).toBeLessThanOrEqual(200);
      expect(mser5(flat)).toBeLessThan(mser5(warm));
    }
  });

  it('keeps everything when there are fewer than two batches, and works at large levels', () => {
    expect(mser5([5, 4, 3, 2, 1, 0, 1, 2, 3])).toBe(0);
    const random = createRandom(9);
    const big = Array.from({ length: 500 }, (_, i) => 1e12 + (i < 100 ? 1e3 : 0) + random.normal());
    expect(mser5(big)).toBe(naive(big));
    // The offset is all of the first 100 values; the cut is at it or a few batches after.
    expect(mser5(big)).toBeGreaterThanOrEqual(100);
    expect(mser5(big)).toBeLessThanOrEqual(130);
  });
});
