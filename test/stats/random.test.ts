import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/stats/random.js';
import { approxEqual } from '../support/approxEqual.js';

describe('createRandom', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it('draws uniforms in [0,1) and integers in [0,n)', () => {
    const r = createRandom(1);
    for (let i = 0; i < 10_000; i++) {
      const u = r.next();
      expect(u >= 0 && u < 1).toBe(true);
      const k = r.nextInt(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
    }
  });

  it('draws normals with mean ≈ 0 and variance ≈ 1', () => {
    const r = createRandom(7);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      sum += z;
      sumSq += z * z;
    }
    const mean = sum / n;
    const variance = sumSq / n - mean * mean;
    // Standard errors: 1/sqrt(n) ≈ 0.0022 for the mean, sqrt(2/n) ≈ 0.0032 for the variance.
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.015);
  });

  it('makes the first draw of neighbouring small seeds uniform', () => {
    const firsts = Array.from({ length: 2000 }, (_, seed) => createRandom(seed).next());
    approxEqual(firsts.reduce((a, b) => a + b, 0) / firsts.length, 0.5, 0, 0.03, 'mean of first draws');
    // Each decile of [0, 1) should hold about 200 of the 2000 first draws.
    for (let decile = 0; decile < 10; decile++) {
      const count = firsts.filter((u) => u >= decile / 10 && u < (decile + 1) / 10).length;
      expect(count).toBeGreaterThan(140);
      expect(count).toBeLessThan(260);
    }
  });
});
