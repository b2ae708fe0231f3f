import { describe, expect, it } from 'vitest';
import { MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND } from '../../../src/model/sample.js';
import { syntheticFds } from '../../../src/sources/synthetic/syntheticFds.js';
import { approxEqual } from '../../support/approxEqual.js';

const start = 1_767_225_600_000_000;
const minutes = (m: number): number => m * MICROS_PER_MINUTE;

describe('syntheticFds', () => {
  it('is a pure function of its seed', () => {
    const spec = { seed: 8, start, duration: minutes(30) };
    expect([...syntheticFds(spec)]).toEqual([...syntheticFds(spec)]);
    expect([...syntheticFds({ ...spec, seed: 9 })].map((s) => s.value)).not.toEqual(
      [...syntheticFds(spec)].map((s) => s.value),
    );
  });

  it('samples integer descriptor counts every 5 s near a 50–200 baseline', () => {
    const samples = [...syntheticFds({ seed: 1, start, duration: minutes(10), burstsPerHour: 0 })];
    expect(samples.length).toBe(120);
    samples.forEach((s, i) => {
      expect(s.ts).toBe(start + i * 5 * MICROS_PER_SECOND);
      expect(Number.isInteger(s.value)).toBe(true);
      expect(s.metric).toBe('process_open_fds');
      expect(s.unit).toBe('fds');
    });
    const values = samples.map((s) => s.value);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(3);
  });

  it('adds transient bursts of 20–200 descriptors a few times an hour', () => {
    const samples = [...syntheticFds({ seed: 2, start, duration: 4 * MICROS_PER_HOUR, baseline: 100 })];
    let episodes = 0;
    let elevated = false;
    for (const s of samples) {
      const high = s.value >= 100 + 20;
      if (high && !elevated) episodes++;
      elevated = high;
    }
    // Poisson(12) arrivals; bursts shorter than the sampling interval can go unseen.
    expect(episodes).toBeGreaterThanOrEqual(3);
    expect(episodes).toBeLessThanOrEqual(25);
    const excess = samples.map((s) => s.value - 100);
    expect(Math.max(...excess)).toBeGreaterThanOrEqual(20);
    // Most of the time no burst is open.
    expect(excess.filter((x) => x <= 3).length / excess.length).toBeGreaterThan(0.8);
  });

  it('leaks descriptors one at a time at the requested rate after onset', () => {
    const at = start + minutes(10);
    const samples = [
      ...syntheticFds({
        seed: 3,
        start,
        duration: minutes(130),
        baseline: 80,
        burstsPerHour: 0,
        leak: { at, rate: 30 },
      }),
    ];
    const before = samples.filter((s) => s.ts <= at).map((s) => s.value);
    expect(Math.max(...before)).toBeLessThanOrEqual(83);
    const last = samples.filter((s) => s.ts >= start + minutes(120)).map((s) => s.value);
    // At least 110 min of leak at 30 fds/h on top of the 80–83 baseline.
    approxEqual(Math.min(...last), 80 + 55, 0, 2, 'leaked descriptors');
    for (let i = 1; i < samples.length; i++)
      expect(Math.abs(samples[i]!.value - samples[i - 1]!.value)).toBeLessThanOrEqual(4);
  });
});
