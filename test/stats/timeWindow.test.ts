import fc from 'fast-check';
import { sampleStandardDeviation } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { mad } from '../../src/stats/mad.js';
import { quantile } from '../../src/stats/quantile.js';
import { TimeWindow } from '../../src/stats/timeWindow.js';
import { approxEqual } from '../support/approxEqual.js';

interface Sample {
  ts: number;
  x: number;
}

/**
 * Naive recomputation of every query (zeros as +0, as the window stores them). The running sums
 * behind the stdev keep a residue of about scale·√ε after values of that scale leave the window
 * (ShiftedMoments), so the stdev is compared within that residue for the largest |x| pushed.
 */
function expectMatchesNaive(window: TimeWindow, held: Sample[], scale = 1): void {
  expect(window.size).toBe(held.length);
  if (held.length === 0) {
    expect(() => window.median()).toThrow(RangeError);
    return;
  }
  const values = held.map((sample) => sample.x + 0);
  expect(window.oldestTs).toBe(held[0]!.ts);
  expect(window.newestTs).toBe(held[held.length - 1]!.ts);
  expect(window.median()).toBe(quantile(values, 0.5));
  for (const p of [0, 0.25, 0.9, 0.99, 1]) expect(window.quantile(p)).toBe(quantile(values, p));
  expect(window.mad()).toBe(mad(values));
  expect(window.min()).toBe(Math.min(...values));
  expect(window.max()).toBe(Math.max(...values));
  approxEqual(window.mean(), values.reduce((sum, x) => sum + x, 0) / values.length, 1e-12, 1e-9, 'mean');
  const residue = 4 * Math.sqrt(Number.EPSILON) * Math.max(1, scale);
  if (values.length >= 2) approxEqual(window.stdev(), sampleStandardDeviation(values), 1e-7, residue, 'stdev');
}

const step = fc.record({
  gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 })),
  x: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e4, max: 1e4, noNaN: true })),
  watermark: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 60 })),
});

describe('TimeWindow', () => {
  it('holds exactly the samples with ts > newest − duration and equals a naive recomputation', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(step, { minLength: 1, maxLength: 150 }),
        (duration, initialCapacity, steps) => {
          const window = new TimeWindow(duration, initialCapacity, { blockSize: 4 });
          let held: Sample[] = [];
          let ts = 1_700_000_000_000_000;
          let scale = 0;
          for (const { gap, x, watermark } of steps) {
            ts += gap;
            scale = Math.max(scale, Math.abs(x));
            window.push(ts, x);
            held.push({ ts, x });
            held = held.filter((sample) => sample.ts > ts - duration);
            expectMatchesNaive(window, held, scale);
            if (watermark !== null) {
              const clock = ts + watermark;
              window.evictBefore(clock);
              held = held.filter((sample) => sample.ts > clock - duration);
              expectMatchesNaive(window, held, scale);
            }
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('keeps the boundary exclusive: a sample exactly one duration old is gone', () => {
    const window = new TimeWindow(1000);
    window.push(0, 1);
    window.push(999, 2);
    expect(window.size).toBe(2);
    window.push(1000, 3);
    expect(window.size).toBe(2);
    expect(window.oldestTs).toBe(999);
  });

  it('grows past its initial capacity, keeping the samples in order', () => {
    const window = new TimeWindow(1e12, 2);
    for (let index = 0; index < 1000; index++) window.push(index, (index * 37) % 101);
    expect(window.size).toBe(1000);
    expect(window.oldestTs).toBe(0);
    expect(window.newestTs).toBe(999);
    expect(window.max()).toBe(100);
  });

  it('rejects decreasing timestamps, non-finite values and bad durations', () => {
    const window = new TimeWindow(10);
    window.push(5, 1);
    expect(() => window.push(4, 1)).toThrow(/precedes the newest 5/);
    expect(() => window.push(6, Number.NaN)).toThrow(RangeError);
    expect(() => new TimeWindow(0)).toThrow(RangeError);
    expect(() => new TimeWindow(10, 0)).toThrow(RangeError);
  });

  it('throws RangeError on empty queries and empties with clear', () => {
    const window = new TimeWindow(10);
    expect(() => window.mad()).toThrow(/TimeWindow\.mad: the window is empty/);
    expect(() => window.oldestTs).toThrow(RangeError);
    window.push(1, 4);
    window.clear();
    expect(window.size).toBe(0);
    window.push(0, 3);
    expect(window.mean()).toBe(3);
    expect(window.durationMicros).toBe(10);
  });
});
