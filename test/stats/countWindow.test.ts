import fc from 'fast-check';
import { sampleStandardDeviation } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { CountWindow } from '../../src/stats/countWindow.js';
import { mad } from '../../src/stats/mad.js';
import { quantile } from '../../src/stats/quantile.js';
import { approxEqual } from '../support/approxEqual.js';

/**
 * Naive recomputation of every query on the last `capacity` values (zeros as +0, as the window
 * stores them). The stdev's running sums keep a residue of about scale·√ε after values of that
 * scale leave the window (ShiftedMoments): it is compared within that residue of the largest |x| pushed.
 */
function expectMatchesNaive(window: CountWindow, held: number[], scale = 1): void {
  const recent = held.map((x) => x + 0);
  expect(window.size).toBe(recent.length);
  expect(window.median()).toBe(quantile(recent, 0.5));
  for (const p of [0, 0.05, 0.5, 0.9, 0.95, 0.99, 1]) expect(window.quantile(p)).toBe(quantile(recent, p));
  expect(window.mad()).toBe(mad(recent));
  expect(window.min()).toBe(Math.min(...recent));
  expect(window.max()).toBe(Math.max(...recent));
  const mean = recent.reduce((sum, x) => sum + x, 0) / recent.length;
  approxEqual(window.mean(), mean, 1e-12, 1e-9, 'mean');
  const residue = 4 * Math.sqrt(Number.EPSILON) * Math.max(1, scale);
  if (recent.length >= 2) approxEqual(window.stdev(), sampleStandardDeviation(recent), 1e-7, residue, 'stdev');
  else expect(window.stdev()).toBeNaN();
  expect(Array.from(window.copySorted())).toEqual([...recent].sort((a, b) => a - b));
}

const value = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e4, max: 1e4, noNaN: true }));

describe('CountWindow', () => {
  for (const blockSize of [4, undefined]) {
    it(
      `equals a naive recomputation after every push ` +
        `(${blockSize === undefined ? 'default strategy' : `blockSize ${blockSize}`})`,
      () => {
        fc.assert(
          fc.property(
            fc.integer({ min: 1, max: 40 }),
            fc.array(value, { minLength: 1, maxLength: 150 }),
            (capacity, xs) => {
              const window = new CountWindow(capacity, blockSize === undefined ? {} : { blockSize });
              xs.forEach((x, index) => {
                window.push(1000 + index, x);
                const recent = xs.slice(Math.max(0, index + 1 - capacity), index + 1);
                expectMatchesNaive(window, recent, Math.max(...xs.slice(0, index + 1).map(Math.abs)));
                expect(window.oldestTs).toBe(1000 + Math.max(0, index + 1 - capacity));
                expect(window.newestTs).toBe(1000 + index);
              });
            },
          ),
          { numRuns: 60 },
        );
      },
    );
  }

  it('uses the blocked layout for large capacities and stays exact', () => {
    let state = 99;
    const next = (): number => (state = (state * 48271) % 2147483647) / 2147483647;
    const window = new CountWindow(5000);
    const xs: number[] = [];
    for (let index = 0; index < 12_000; index++) {
      const x = Math.round(Math.exp(3 * next()) * 100) / 100;
      xs.push(x);
      window.push(index, x);
      if (index % 1999 === 0 || index === 11_999) expectMatchesNaive(window, xs.slice(Math.max(0, index + 1 - 5000)));
    }
    expect(window.capacity).toBe(5000);
  });

  it('keeps mean and stdev accurate on 1e9 + noise over many turnovers', () => {
    let state = 7;
    const next = (): number => (state = (state * 48271) % 2147483647) / 2147483647 - 0.5;
    const window = new CountWindow(100);
    const xs: number[] = [];
    for (let index = 0; index < 5000; index++) {
      const x = 1e9 + next();
      xs.push(x);
      window.push(index, x);
    }
    const recent = xs.slice(-100);
    approxEqual(window.stdev(), sampleStandardDeviation(recent), 1e-6);
    approxEqual(window.mean(), recent.reduce((sum, x) => sum + (x - 1e9), 0) / 100 + 1e9, 1e-15);
  });

  it('with capacity 1 holds only the newest sample', () => {
    const window = new CountWindow(1);
    window.push(1, 5);
    window.push(2, -3);
    expect(window.size).toBe(1);
    expect(window.median()).toBe(-3);
    expect(window.mad()).toBe(0);
    expect(window.oldestTs).toBe(2);
    expect(window.stdev()).toBeNaN();
  });

  it('gives MAD 0 and stdev 0 when all values are equal', () => {
    const window = new CountWindow(16);
    for (let index = 0; index < 40; index++) window.push(index, 2.5);
    expect(window.mad()).toBe(0);
    expect(window.stdev()).toBe(0);
  });

  it('throws RangeError on empty queries, non-finite values and bad capacities; clear empties it', () => {
    const window = new CountWindow(4);
    for (const query of [
      () => window.median(),
      () => window.mad(),
      () => window.min(),
      () => window.max(),
      () => window.mean(),
      () => window.stdev(),
      () => window.quantile(0.5),
      () => window.oldestTs,
      () => window.newestTs,
    ]) {
      expect(query).toThrow(/CountWindow\.\w+: the window is empty/);
    }
    expect(() => window.push(0, Number.NaN)).toThrow(RangeError);
    expect(() => window.push(0, Infinity)).toThrow(RangeError);
    expect(() => new CountWindow(0)).toThrow(RangeError);
    window.push(0, 1);
    window.clear();
    expect(window.size).toBe(0);
    window.push(1, 7);
    expect(window.median()).toBe(7);
  });
});

describe('CountWindow stdev after large values leave', () => {
  it('is exactly 0 for a window of equal values, whatever passed through before', () => {
    const window = new CountWindow(3);
    for (const x of [1e9, -12, 5, 0, 0, 0]) window.push(0, x);
    expect(window.stdev()).toBe(0);
  });
});
