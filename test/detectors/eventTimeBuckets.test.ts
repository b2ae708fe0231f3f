import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventTimeBuckets } from '../../src/detectors/eventTimeBuckets.js';

describe('EventTimeBuckets', () => {
  it('closes buckets at multiples of the size since the epoch, whatever the first timestamp', () => {
    const buckets = new EventTimeBuckets(10);
    expect(buckets.advance(13)).toBeNull(); // the first sample opens [10, 20)
    expect(buckets.currentEnd).toBe(20);
    expect(buckets.advance(19)).toBeNull();
    expect(buckets.advance(20)).toBe(20);
    expect(buckets.advance(47)).toBe(30); // a jump closes the bucket left, not the empty ones between
    expect(buckets.currentEnd).toBe(50);
  });

  it('closes a bucket exactly when a timestamp reaches its end (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 100 }),
        (size, gaps) => {
          const buckets = new EventTimeBuckets(size);
          let ts = 1_000;
          let end = Number.NEGATIVE_INFINITY;
          for (const gap of gaps) {
            ts += gap;
            const closed = buckets.advance(ts);
            if (ts >= end) {
              expect(closed).toBe(end === Number.NEGATIVE_INFINITY ? null : end);
              end = (Math.floor(ts / size) + 1) * size;
            } else expect(closed).toBeNull();
          }
        },
      ),
    );
  });

  it('refuses a size that is not a positive finite number', () => {
    for (const size of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => new EventTimeBuckets(size)).toThrow(RangeError);
  });
});
