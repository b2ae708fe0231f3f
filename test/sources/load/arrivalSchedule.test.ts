import { describe, expect, it } from 'vitest';
import { arrivalTime } from '../../../src/sources/load/arrivalSchedule.js';
import { approxEqual } from '../../support/approxEqual.js';

describe('arrivalTime', () => {
  it('spaces arrivals evenly at a constant rate', () => {
    const stage = { from: 10, to: 10, durationMs: 1000 };
    expect([0, 1, 5, 9].map((n) => arrivalTime(stage, n))).toEqual([0, 100, 500, 900]);
    expect(arrivalTime(stage, 10)).toBe(Number.POSITIVE_INFINITY);
  });

  it('follows the cumulative count of a linear ramp: 0→100/s over 1 s holds 50 arrivals', () => {
    const stage = { from: 0, to: 100, durationMs: 1000 };
    // ∫₀ᵗ 100·s ds = 50 t² = n → t = √(n/50) s.
    for (const n of [1, 2, 8, 32, 49])
      approxEqual(arrivalTime(stage, n), Math.sqrt(n / 50) * 1000, 1e-12, 1e-9, `n=${n}`);
    expect(arrivalTime(stage, 50)).toBe(Number.POSITIVE_INFINITY);
    // A downward ramp 100→0/s over 1 s also holds 50.
    const down = { from: 100, to: 0, durationMs: 1000 };
    let count = 0;
    while (Number.isFinite(arrivalTime(down, count))) count++;
    expect(count).toBe(50);
  });

  it('has no arrivals at rate zero', () => {
    expect(arrivalTime({ from: 0, to: 0, durationMs: 1000 }, 0)).toBe(Number.POSITIVE_INFINITY);
  });
});
