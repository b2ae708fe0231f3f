import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mannWhitney, mannWhitneyTest } from '../../src/stats/mannWhitney.js';
import { tieGroups } from '../../src/stats/tieGroups.js';
import { approxEqual } from '../support/approxEqual.js';

// R ?wilcox.test, Hollander & Wolfe (1973, p. 69): permeability constants of the human
// chorioamnion at term (x) and at 12–26 weeks gestational age (y).
const termX = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
const earlyY = [1.15, 0.88, 0.9, 0.74, 1.21];

/** U of x by counting pairs, straight from the definition. */
function pairCountU(x: number[], y: number[]): number {
  let u = 0;
  for (const a of x) for (const b of y) u += a > b ? 1 : a === b ? 0.5 : 0;
  return u;
}

/** Exact permutation p-value: every split of the pooled sample into groups of the original sizes. */
function permutationPValue(x: number[], y: number[], alternative: 'two-sided' | 'less' | 'greater'): number {
  const pooled = [...x, ...y];
  const n = x.length;
  const product = n * y.length;
  const nulls: number[] = [];
  const visit = (start: number, chosen: number[]): void => {
    if (chosen.length === n) {
      const inX = new Set(chosen);
      nulls.push(
        pairCountU(
          chosen.map((i) => pooled[i]!),
          pooled.filter((_, i) => !inX.has(i)),
        ),
      );
      return;
    }
    for (let i = start; i < pooled.length; i++) visit(i + 1, [...chosen, i]);
  };
  visit(0, []);
  const observed = pairCountU(x, y);
  const share = (keep: (u: number) => boolean): number => nulls.filter(keep).length / nulls.length;
  if (alternative === 'greater') return share((u) => u >= observed);
  if (alternative === 'less') return share((u) => u <= observed);
  // scipy's two-sided exact p: twice the upper tail at max(U, nm − U), capped at 1.
  const larger = Math.max(observed, product - observed);
  return Math.min(1, 2 * share((u) => u >= larger));
}

describe('mannWhitney', () => {
  it('reproduces R wilcox.test(x, y, alternative = "g"): W = 35, p-value = 0.1272', () => {
    const result = mannWhitney(termX, earlyY, { alternative: 'greater' });
    expect(result.u).toBe(35);
    expect(result.method).toBe('exact');
    expect(result.z).toBeNull();
    approxEqual(result.pValue, 0.1272, 5e-4);
  });

  it(
    'reproduces R wilcox.test(x, y, alternative = "greater", exact = FALSE, correct = FALSE): ' + 'p-value = 0.1103',
    () => {
      const result = mannWhitney(termX, earlyY, { alternative: 'greater', method: 'asymptotic', continuity: false });
      approxEqual(result.pValue, 0.1103, 5e-4);
      expect(result.method).toBe('asymptotic');
      expect(result.z).toBeGreaterThan(0);
    },
  );

  it('reproduces the scipy.stats.mannwhitneyu documentation example (Conover 1999)', () => {
    // Ages of male and female faculty: U1 = 17, exact p = 0.1111, asymptotic p = 0.11134688653314041.
    const males = [19, 22, 16, 29, 24];
    const females = [20, 11, 17, 12];
    const exact = mannWhitney(males, females);
    expect(exact.u).toBe(17);
    expect(exact.method).toBe('exact');
    approxEqual(exact.pValue, 0.1111, 5e-4);
    approxEqual(mannWhitney(males, females, { method: 'asymptotic' }).pValue, 0.11134688653314041, 1e-9);
  });

  it('reproduces published tie-corrected R results (endmemo.com/r/wilcoxon.php)', () => {
    // wilcox.test(x, y): W = 51.5, p-value = 0.5966 and W = 0, p-value = 0.001364, both with ties.
    const x = [1, 5, 9, 24, 56, 21, 3, 7, 21, 4];
    const first = mannWhitney(x, [12, 15, 5, 9, 9, 14, 56, 22, 3, 7, 32, 5]);
    expect(first.u).toBe(51.5);
    expect(first.method).toBe('asymptotic');
    approxEqual(first.pValue, 0.5966, 2e-4);
    const second = mannWhitney(x, [1233, 4356, 987, 39999, 1111, 200000]);
    expect(second.u).toBe(0);
    approxEqual(second.pValue, 0.001364, 1e-3);
  });

  it('chooses exact only without ties and with a sample of at most 8 (scipy rule)', () => {
    const nine = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(
      mannWhitney(
        nine,
        nine.map((v) => v + 0.5),
      ).method,
    ).toBe('asymptotic');
    expect(mannWhitney(nine, [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5]).method).toBe('exact');
    expect(mannWhitney([1, 2, 3], [3, 4, 5]).method).toBe('asymptotic');
  });

  it('matches an exact permutation test on small samples without ties', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 2, maxLength: 10 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom('two-sided', 'less', 'greater') as fc.Arbitrary<'two-sided' | 'less' | 'greater'>,
        (values, split, alternative) => {
          const cut = Math.min(split, values.length - 1);
          const x = values.slice(0, cut);
          const y = values.slice(cut);
          const result = mannWhitney(x, y, { alternative, method: 'exact' });
          expect(result.u).toBe(pairCountU(x, y));
          approxEqual(result.pValue, permutationPValue(x, y, alternative), 1e-9, 1e-12);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gives the same answer on the sorted path, and U + U′ = n·m', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 1, maxLength: 50 }),
        fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 1, maxLength: 50 }),
        (x, y) => {
          const unsorted = mannWhitney(x, y);
          const sorted = mannWhitney(
            [...x].sort((a, b) => a - b),
            [...y].sort((a, b) => a - b),
            { sorted: true },
          );
          expect(sorted).toEqual(unsorted);
          expect(unsorted.u).toBe(pairCountU(x, y));
          expect(unsorted.u + mannWhitney(y, x).u).toBe(x.length * y.length);
          // 'less' for x is 'greater' for y.
          approxEqual(
            mannWhitney(x, y, { alternative: 'less' }).pValue,
            mannWhitney(y, x, { alternative: 'greater' }).pValue,
            1e-12,
            1e-15,
          );
        },
      ),
    );
  });

  it('mannWhitneyTest from U, the sizes and the pooled tie term gives the result of mannWhitney, bit for bit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 40 }),
        fc.constantFrom('two-sided', 'less', 'greater'),
        fc.constantFrom(1, 1.7),
        (x, y, alternative, varianceInflation) => {
          const pooled = [...x, ...y].sort((a, b) => a - b);
          const options = { alternative, varianceInflation } as const;
          expect(mannWhitneyTest(pairCountU(x, y), x.length, y.length, tieGroups(pooled).cubes, options)).toEqual(
            mannWhitney(x, y, options),
          );
        },
      ),
    );
  });

  it('returns p = 1 when every value is tied and rejects bad input', () => {
    const tied = mannWhitney([2, 2, 2, 2, 2, 2, 2, 2, 2], [2, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(tied.pValue).toBe(1);
    expect(() => mannWhitney([], [1])).toThrow(RangeError);
    expect(() => mannWhitney([2, 1], [1], { sorted: true })).toThrow(RangeError);
    expect(() => mannWhitney([Number.NaN], [1])).toThrow(RangeError);
  });
});

describe('mannWhitney varianceInflation', () => {
  it('divides the normal score by the square root of the inflation', () => {
    const x = Array.from({ length: 40 }, (_, i) => i + 0.5);
    const y = Array.from({ length: 50 }, (_, i) => i * 0.7);
    const plain = mannWhitney(x, y, { alternative: 'greater', method: 'asymptotic', continuity: false });
    const inflated = mannWhitney(x, y, { alternative: 'greater', continuity: false, varianceInflation: 4 });
    expect(inflated.method).toBe('asymptotic');
    approxEqual(inflated.z as number, (plain.z as number) / 2, 1e-12);
    expect(inflated.pValue).toBeGreaterThan(plain.pValue);
    expect(() => mannWhitney(x, y, { varianceInflation: 0.5 })).toThrow(RangeError);
  });
});
