import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mad } from '../../src/stats/mad.js';
import { OrderStatisticMultiset } from '../../src/stats/orderStatisticMultiset.js';
import { quantile } from '../../src/stats/quantile.js';

type Operation = { kind: 'insert' | 'remove'; value: number };

/** Values drawn from a small pool so duplicates, negatives and both zeros are frequent. */
const value = fc.oneof(
  fc.integer({ min: -20, max: 20 }),
  fc.constantFrom(0, -0, 0.5, -0.5, 1e9, -1e9),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
);
const operation: fc.Arbitrary<Operation> = fc.record({ kind: fc.constantFrom('insert', 'insert', 'remove'), value });

/** The model: a plainly sorted array (zeros kept as +0 like the multiset). */
function applyToModel(model: number[], step: Operation): boolean {
  const normalized = step.value + 0;
  if (step.kind === 'insert') {
    model.push(normalized);
    model.sort((a, b) => a - b);
    return true;
  }
  const index = model.indexOf(normalized);
  if (index >= 0) model.splice(index, 1);
  return index >= 0;
}

function expectSameContents(set: OrderStatisticMultiset, model: number[]): void {
  expect(set.size).toBe(model.length);
  expect(Array.from(set.copySorted())).toEqual(model);
  if (model.length === 0) return;
  const visited: number[] = [];
  set.forEachSorted((x) => visited.push(x));
  expect(visited).toEqual(model);
  expect(set.min()).toBe(model[0]);
  expect(set.max()).toBe(model[model.length - 1]);
  for (const p of [0, 0.1, 0.5, 0.9, 0.99, 1]) expect(set.quantile(p)).toBe(quantile(model, p));
  expect(set.median()).toBe(quantile(model, 0.5));
  expect(set.mad()).toBe(mad(model));
  const probe = model[Math.floor(model.length / 2)]!;
  for (const x of [probe, probe + 0.25, -1e12, 1e12]) {
    expect(set.countLess(x)).toBe(model.filter((y) => y < x).length);
    expect(set.countLessOrEqual(x)).toBe(model.filter((y) => y <= x).length);
  }
}

describe('OrderStatisticMultiset', () => {
  for (const blockSize of [4, 8, 256]) {
    it(`matches a sorted array under random inserts and removes (blockSize ${blockSize})`, () => {
      fc.assert(
        fc.property(fc.array(operation, { maxLength: 400 }), (operations) => {
          const set = new OrderStatisticMultiset({ blockSize });
          const model: number[] = [];
          operations.forEach((step, index) => {
            const expected = applyToModel(model, step);
            if (step.kind === 'insert') set.insert(step.value);
            else expect(set.remove(step.value)).toBe(expected);
            if (index % 25 === 0) expectSameContents(set, model);
          });
          expectSameContents(set, model);
          for (let rank = 0; rank < model.length; rank++) expect(set.select(rank)).toBe(model[rank]);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('grows far above the block size and drains back through every split, share and merge path', () => {
    const set = new OrderStatisticMultiset({ blockSize: 8 });
    const model: number[] = [];
    let state = 12345;
    const next = (): number => (state = (state * 1103515245 + 12345) % 2147483648) % 1000;
    for (let round = 0; round < 3; round++) {
      for (let index = 0; index < 2000; index++) {
        const x = next() - 500;
        set.insert(x);
        applyToModel(model, { kind: 'insert', value: x });
      }
      expectSameContents(set, model);
      while (model.length > 0) {
        const victim = model[next() % model.length]!;
        expect(set.remove(victim)).toBe(true);
        applyToModel(model, { kind: 'remove', value: victim });
        if (model.length % 97 === 0) expectSameContents(set, model);
      }
      expect(set.size).toBe(0);
    }
  });

  it('stores both zeros as +0 and removes either with the other', () => {
    const set = new OrderStatisticMultiset();
    set.insert(-0);
    expect(Object.is(set.min(), 0)).toBe(true);
    expect(set.remove(0)).toBe(true);
    set.insert(0);
    expect(set.remove(-0)).toBe(true);
    expect(set.size).toBe(0);
  });

  it('gives MAD 0 when all values are equal', () => {
    const set = new OrderStatisticMultiset({ blockSize: 4 });
    for (let index = 0; index < 50; index++) set.insert(3.25);
    expect(set.mad()).toBe(0);
    expect(set.median()).toBe(3.25);
  });

  it('rejects NaN and reports absent values', () => {
    const set = new OrderStatisticMultiset();
    expect(() => set.insert(Number.NaN)).toThrow(RangeError);
    expect(() => set.countLess(Number.NaN)).toThrow(RangeError);
    expect(set.remove(Number.NaN)).toBe(false);
    set.insert(1);
    expect(set.remove(2)).toBe(false);
    expect(set.remove(0)).toBe(false);
  });

  it('throws RangeError with a clear message on empty queries and bad arguments', () => {
    const set = new OrderStatisticMultiset();
    for (const query of [
      () => set.min(),
      () => set.max(),
      () => set.median(),
      () => set.mad(),
      () => set.quantile(0.5),
    ]) {
      expect(query).toThrow(/empty/);
    }
    expect(() => set.select(0)).toThrow(RangeError);
    set.insert(1);
    expect(() => set.select(1)).toThrow(RangeError);
    expect(() => set.select(0.5)).toThrow(RangeError);
    expect(() => set.quantile(2)).toThrow(RangeError);
    expect(() => new OrderStatisticMultiset({ blockSize: 2 })).toThrow(RangeError);
    expect(set.countLess(5)).toBe(1);
    const out = new Float64Array(4);
    expect(set.copySorted(out)).toBe(out);
    expect(out[0]).toBe(1);
  });
});
