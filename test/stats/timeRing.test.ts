import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeRing } from '../../src/stats/timeRing.js';

describe('TimeRing', () => {
  it('keeps exactly the samples with ts > newest − duration', () => {
    const ring = new TimeRing(10, 2);
    for (let ts = 0; ts <= 30; ts += 5) ring.push(ts, ts);
    // newest 30: keeps ts > 20, i.e. 25 and 30
    expect(ring.size).toBe(2);
    expect([...ring.sortedSince(-Infinity)]).toEqual([25, 30]);
  });

  it('matches a naive filter-and-sort for any suffix (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), {
          minLength: 1,
          maxLength: 300,
        }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 250 }),
        (steps, duration, back) => {
          const ring = new TimeRing(duration, 1);
          const all: [number, number][] = [];
          let ts = 0;
          for (const [gap, value] of steps) {
            ts += gap;
            ring.push(ts, value);
            all.push([ts, value]);
          }
          const held = all.filter(([t]) => t > ts - duration);
          expect(ring.size).toBe(held.length);
          const since = ts - back;
          const expected = [...Float64Array.from(held.filter(([t]) => t > since).map(([, v]) => v)).sort()];
          expect(ring.countSince(since)).toBe(expected.length);
          expect([...ring.sortedSince(since)]).toEqual(expected);
          expect([...ring.timeOrderedSince(since)]).toEqual(held.filter(([t]) => t > since).map(([, v]) => v));
        },
      ),
    );
  });

  it('evicts by an external clock and rejects time going backwards', () => {
    const ring = new TimeRing(10);
    ring.push(0, 1);
    ring.push(5, 2);
    ring.evictBefore(12);
    expect([...ring.sortedSince(-Infinity)]).toEqual([2]);
    expect(() => ring.push(4, 3)).toThrow(RangeError);
    expect(() => new TimeRing(0)).toThrow(RangeError);
  });

  it('sums integer marks over any tail, numbers samples in push order, and re-marks what it holds (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: -20, max: 20 })), {
          minLength: 1,
          maxLength: 200,
        }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 80 }),
        (steps, duration, back) => {
          const ring = new TimeRing(duration, 1, 2);
          const all: { ts: number; value: number; n: number }[] = [];
          let ts = 0;
          for (const [gap, value] of steps) {
            ts += gap;
            all.push({ ts, value, n: ring.nextNumber });
            ring.push(ts, value, Math.abs(value), value > 0 ? 1 : 0);
          }
          const held = all.filter((s) => s.ts > ts - duration);
          const since = ts - back;
          const tail = held.filter((s) => s.ts > since);
          expect(ring.markSince(0, since)).toBe(tail.reduce((sum, s) => sum + Math.abs(s.value), 0));
          expect(ring.markSince(1, since)).toBe(tail.filter((s) => s.value > 0).length);
          expect(ring.oldestNumber).toBe(held[0]?.n ?? all.length);
          expect(ring.numberAfter(since)).toBe(tail[0]?.n ?? all.length);
          const out = new Float64Array(held.length);
          ring.copyNumbered(ring.oldestNumber, ring.nextNumber, out);
          expect([...out]).toEqual(held.map((s) => s.value));
          ring.remark((value, marks) => {
            marks[0] = value * value;
            marks[1] = 1;
          });
          expect(ring.markSince(0, since)).toBe(tail.reduce((sum, s) => sum + s.value * s.value, 0));
          expect(ring.markSince(1, since)).toBe(tail.length);
        },
      ),
    );
  });

  it('refuses marks it does not keep and numbers it no longer holds', () => {
    const ring = new TimeRing(10, 4, 1);
    ring.push(0, 1, 5);
    ring.push(20, 2, 7);
    expect(ring.markSince(0, -1)).toBe(7);
    expect(() => ring.markSince(1, -1)).toThrow(RangeError);
    expect(() => ring.copyNumbered(0, 2, new Float64Array(2))).toThrow(RangeError);
  });

  it('keeps its sums modulo 2^32, so the sum of a tail stays exact however much was summed before it', () => {
    const ring = new TimeRing(3, 4, 1);
    for (let ts = 0; ts < 100; ts++) ring.push(ts, ts, 2 ** 30);
    // 100 marks of 2^30 have wrapped the running sums many times; the three held still sum right.
    expect(ring.size).toBe(3);
    expect(ring.markSince(0, 96)).toBe(3 * 2 ** 30);
  });

  it('counts flags exactly past 2^16 samples held, and refuses a flag other than 0 or 1', () => {
    const ring = new TimeRing(1e9, 64, 2);
    for (let ts = 0; ts < 70_000; ts++) ring.push(ts, ts, 1, ts % 3 === 0 ? 1 : 0);
    expect(ring.markSince(1, -1)).toBe(23_334);
    expect(ring.markSince(1, 69_990)).toBe(3);
    expect(ring.markSince(0, -1)).toBe(70_000);
    expect(() => ring.push(70_000, 1, 0, 2)).toThrow(RangeError);
  });
});
