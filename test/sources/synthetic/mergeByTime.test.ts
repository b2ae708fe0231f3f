import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import type { Sample } from '../../../src/model/sample.js';
import { mergeByTime } from '../../../src/sources/synthetic/mergeByTime.js';

const sample = (ts: number, stream: number): Sample => ({
  ts,
  metric: 'm',
  value: stream,
  tags: { stream: String(stream) },
});

describe('mergeByTime', () => {
  it('orders by ts and breaks ties by stream index', () => {
    const a = [sample(1, 0), sample(5, 0), sample(5, 0), sample(9, 0)];
    const b = [sample(0, 1), sample(5, 1), sample(10, 1)];
    const c = [sample(5, 2)];
    const merged = [...mergeByTime([c, b, a])];
    expect(merged.map((s) => [s.ts, s.value])).toEqual([
      [0, 1],
      [1, 0],
      [5, 2],
      [5, 1],
      [5, 0],
      [5, 0],
      [9, 0],
      [10, 1],
    ]);
  });

  it('handles no streams and empty streams', () => {
    expect([...mergeByTime([])]).toEqual([]);
    expect([...mergeByTime([[], [sample(2, 1)], []])].map((s) => s.ts)).toEqual([2]);
  });

  it('is lazy and closes its inputs when the consumer stops', () => {
    let closed = 0;
    function* endless(stream: number): Generator<Sample> {
      try {
        for (let ts = stream; ; ts += 2) yield sample(ts, stream);
      } finally {
        closed++;
      }
    }
    const taken: number[] = [];
    for (const s of mergeByTime([endless(0), endless(1)])) {
      taken.push(s.ts);
      if (taken.length === 7) break;
    }
    expect(taken).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(closed).toBe(2);
  });

  it('equals a stable sort of the concatenated streams (property)', () => {
    const sortedTimes = fc
      .array(fc.integer({ min: 0, max: 50 }), { maxLength: 30 })
      .map((xs) => [...xs].sort((p, q) => p - q));
    fc.assert(
      fc.property(fc.array(sortedTimes, { maxLength: 6 }), (streams) => {
        const inputs = streams.map((times, index) => times.map((ts) => sample(ts, index)));
        const expected = inputs.flat().sort((p, q) => p.ts - q.ts || p.value - q.value);
        expect([...mergeByTime(inputs)]).toEqual(expected);
      }),
    );
  });
});
