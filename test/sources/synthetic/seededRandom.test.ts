import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/sources/synthetic/seededRandom.js';
import { approxEqual } from '../../support/approxEqual.js';

describe('seededRandom', () => {
  it('is deterministic per seed', () => {
    const a = seededRandom(3);
    const b = seededRandom(3);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
  });

  it('makes the first draw of neighbouring small seeds uniform', () => {
    const firsts = Array.from({ length: 2000 }, (_, seed) => seededRandom(seed).next());
    approxEqual(firsts.reduce((a, b) => a + b, 0) / firsts.length, 0.5, 0, 0.03, 'mean of first draws');
    // Each decile of [0, 1) should hold about 200 of the 2000 first draws.
    for (let decile = 0; decile < 10; decile++) {
      const count = firsts.filter((u) => u >= decile / 10 && u < (decile + 1) / 10).length;
      expect(count).toBeGreaterThan(140);
      expect(count).toBeLessThan(260);
    }
  });
});
