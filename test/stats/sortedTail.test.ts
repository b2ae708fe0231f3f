import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedTail } from '../../src/stats/sortedTail.js';
import { TimeRing } from '../../src/stats/timeRing.js';

describe('SortedTail', () => {
  it('equals a fresh sort of the tail after any pushes, evictions and tail bounds (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gap: fc.integer({ min: 0, max: 4 }),
            value: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e3, max: 1e3, noNaN: true })),
            read: fc.option(fc.integer({ min: 0, max: 40 })),
          }),
          { minLength: 1, maxLength: 300 },
        ),
        fc.integer({ min: 5, max: 60 }),
        (steps, duration) => {
          const ring = new TimeRing(duration, 2);
          const tail = new SortedTail();
          let ts = 0;
          for (const { gap, value, read } of steps) {
            ts += gap;
            ring.push(ts, value);
            if (read === null) continue;
            const fresh = [...ring.sortedSince(ts - read)];
            // -0 and +0 are equal values; a merge may keep either where a fresh sort has the other.
            expect([...tail.of(ring, ts - read)].map((x) => x + 0)).toEqual(fresh.map((x) => x + 0));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('merges in what entered and out what left when a window slides by a little', () => {
    const ring = new TimeRing(100);
    const tail = new SortedTail();
    for (let ts = 0; ts < 60; ts++) ring.push(ts, (ts * 37) % 11);
    expect([...tail.of(ring, 29)]).toEqual([...ring.sortedSince(29)]);
    for (let ts = 60; ts < 65; ts++) ring.push(ts, (ts * 37) % 11);
    expect([...tail.of(ring, 34)]).toEqual([...ring.sortedSince(34)]);
  });
});
