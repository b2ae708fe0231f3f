import { describe, expect, it } from 'vitest';
import { SeasonalProfile } from '../../src/stats/seasonalProfile.js';

const MINUTE = 60_000_000;
const DAY = 24 * 60 * MINUTE;
const START = 1_767_225_600_000_000; // 2026-01-01T00:00:00Z, a day boundary

describe('SeasonalProfile (seasonal naive forecast, Hyndman & Athanasopoulos 2021 §5.2)', () => {
  it('forecasts the median of the same phase in the last three seasons, nothing before a season has passed', () => {
    const profile = new SeasonalProfile({ period: DAY, phases: 288, seasons: 3 });
    // Day d, phase p (5 minutes each): value 100·d + p.
    const at = (day: number, phase: number): number => START + day * DAY + phase * 5 * MINUTE;
    for (let phase = 0; phase < 288; phase++) {
      expect(profile.expected(at(0, phase))).toBeNull();
      profile.push(at(0, phase), phase);
    }
    expect(profile.expected(at(1, 7))).toBe(7);
    for (let day = 1; day < 5; day++)
      for (let phase = 0; phase < 288; phase++) profile.push(at(day, phase), 100 * day + phase);
    // Days 2, 3, 4 at phase 7: 207, 307, 407; day 1 has left the three seasons kept.
    expect(profile.expected(at(5, 7))).toBe(307);
    expect(profile.seasonsSeen).toBe(4);
  });

  it('keeps one mean per phase whatever the sampling rate: 1 s and 5 min give the same forecast', () => {
    const fast = new SeasonalProfile({ period: DAY, phases: 288, seasons: 3 });
    const slow = new SeasonalProfile({ period: DAY, phases: 288, seasons: 3 });
    // A phase's 300 samples at 1 s average 10 + phase; the 5-minute series has that mean once.
    for (let phase = 0; phase < 288; phase++) {
      for (let s = 0; s < 300; s++)
        fast.push(START + phase * 5 * MINUTE + s * 1_000_000, 10 + phase + (s - 149.5) / 150);
      slow.push(START + phase * 5 * MINUTE, 10 + phase);
    }
    for (const phase of [0, 100, 287]) {
      const ts = START + DAY + phase * 5 * MINUTE;
      expect(fast.expected(ts)).toBeCloseTo(slow.expected(ts) as number, 9);
    }
    expect(() => new SeasonalProfile({ period: 0, phases: 288, seasons: 3 })).toThrow(RangeError);
  });
});
