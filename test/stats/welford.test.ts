import fc from 'fast-check';
import { mean, sampleVariance } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { Welford } from '../../src/stats/welford.js';
import { approxEqual } from '../support/approxEqual.js';

describe('Welford', () => {
  it('matches simple-statistics mean and sampleVariance', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 80 }), (xs) => {
        const welford = new Welford();
        xs.forEach((x) => welford.push(x));
        expect(welford.count).toBe(xs.length);
        approxEqual(welford.mean, mean(xs), 1e-9, 1e-6);
        approxEqual(welford.variance, sampleVariance(xs), 1e-7, 1e-6);
        approxEqual(welford.stdev, Math.sqrt(sampleVariance(xs)), 1e-7, 1e-6);
      }),
    );
  });

  it('keeps its precision on 1e9 + noise (Knuth TAOCP 4.2.2)', () => {
    const welford = new Welford();
    const xs = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
    xs.forEach((x) => welford.push(x));
    approxEqual(welford.variance, 30, 1e-12);
  });

  it('evict inverts push: the window of the last values matches a batch recomputation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 3, maxLength: 80 }),
        fc.integer({ min: 2, max: 10 }),
        (xs, width) => {
          const welford = new Welford();
          xs.forEach((x, index) => {
            welford.push(x);
            if (index >= width) welford.evict(xs[index - width]!);
          });
          const recent = xs.slice(-width);
          approxEqual(welford.mean, mean(recent), 1e-9, 1e-8);
          if (recent.length >= 2) approxEqual(welford.variance, sampleVariance(recent), 1e-6, 1e-6);
        },
      ),
    );
  });

  it('is NaN below two values (as R var) and rejects eviction from empty', () => {
    const welford = new Welford();
    expect(welford.mean).toBeNaN();
    welford.push(5);
    expect(welford.variance).toBeNaN();
    welford.evict(5);
    expect(welford.count).toBe(0);
    expect(() => welford.evict(1)).toThrow(RangeError);
  });
});
