import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryHeap } from '../../src/stats/binaryHeap.js';

describe('BinaryHeap', () => {
  it('pops in key order, equal keys in insertion order (property, against a stable sort)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 200 }), (keys) => {
        const heap = new BinaryHeap<number>();
        keys.forEach((key, i) => heap.push(key, i));
        const popped: number[] = [];
        while (heap.size > 0) popped.push(heap.pop() as number);
        const expected = keys
          .map((key, i) => [key, i] as const)
          .sort((a, b) => a[0] - b[0])
          .map(([, i]) => i);
        expect(popped).toEqual(expected);
      }),
    );
  });

  it('breaks ties by the given number instead of insertion order', () => {
    const heap = new BinaryHeap<string>();
    heap.push(1, 'c', 2);
    heap.push(1, 'a', 0);
    heap.push(0, 'first', 9);
    heap.push(1, 'b', 1);
    expect([heap.pop(), heap.pop(), heap.pop(), heap.pop(), heap.pop()]).toEqual(['first', 'a', 'b', 'c', undefined]);
    expect(heap.peekKey()).toBe(Number.POSITIVE_INFINITY);
  });
});
