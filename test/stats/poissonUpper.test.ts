import { describe, expect, it } from 'vitest';
import { poissonUpper } from '../../src/stats/poissonUpper.js';

describe('poissonUpper (Garwood 1936)', () => {
  it('gives the exact 95% upper limits', () => {
    // Garwood's one-sided 95% limits, χ²(0.95; 2(k + 1))/2, from scipy.stats.chi2.ppf:
    // 0 → 2.995732, 1 → 4.743865, 2 → 6.295794, 5 → 10.513035, 10 → 16.962219.
    expect(poissonUpper(0)).toBeCloseTo(-Math.log(0.05), 9);
    expect(poissonUpper(1)).toBeCloseTo(4.743865, 5);
    expect(poissonUpper(2)).toBeCloseTo(6.295794, 5);
    expect(poissonUpper(5)).toBeCloseTo(10.513035, 5);
    expect(poissonUpper(10)).toBeCloseTo(16.962219, 5);
    expect(() => poissonUpper(-1)).toThrow(RangeError);
  });
});
