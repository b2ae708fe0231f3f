import { describe, expect, it } from 'vitest';
import { MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND } from '../../../src/model/sample.js';
import type { Sample } from '../../../src/model/sample.js';
import { syntheticHeap } from '../../../src/sources/synthetic/syntheticHeap.js';
import { approxEqual } from '../../support/approxEqual.js';

const start = 1_767_225_600_000_000;
const MB = 1_000_000;
const minutes = (m: number): number => m * MICROS_PER_MINUTE;

/** Post-GC minima: the first sample after each drop of more than 10 MB. */
function envelope(samples: readonly Sample[]): Sample[] {
  const out: Sample[] = [];
  for (let i = 1; i < samples.length; i++) {
    if (samples[i - 1]!.value - samples[i]!.value > 10 * MB) out.push(samples[i]!);
  }
  return out;
}

/** Ordinary least-squares slope of value on time, in MB per hour. */
function slopePerHour(points: readonly Sample[]): number {
  const xs = points.map((p) => p.ts / MICROS_PER_HOUR);
  const ys = points.map((p) => p.value / MB);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sxx += (x - mx) ** 2;
  });
  return sxy / sxx;
}

describe('syntheticHeap', () => {
  it('is a pure function of its seed', () => {
    const spec = { seed: 4, start, duration: minutes(3) };
    expect([...syntheticHeap(spec)]).toEqual([...syntheticHeap(spec)]);
    expect([...syntheticHeap({ ...spec, seed: 5 })].map((s) => s.value)).not.toEqual(
      [...syntheticHeap(spec)].map((s) => s.value),
    );
  });

  it('samples integer bytes once a second with the heap metric', () => {
    const samples = [...syntheticHeap({ seed: 1, start, duration: minutes(2), tags: { instance: '0' } })];
    expect(samples.length).toBe(120);
    samples.forEach((s, i) => {
      expect(s.ts).toBe(start + i * MICROS_PER_SECOND);
      expect(Number.isInteger(s.value)).toBe(true);
      expect(s.metric).toBe('process_heap_used_bytes');
      expect(s.unit).toBe('bytes');
      expect(s.tags).toEqual({ instance: '0' });
    });
  });

  it('draws a sawtooth with 30–50 MB teeth every 15–60 s above a 150–250 MB live set', () => {
    const samples = [...syntheticHeap({ seed: 2, start, duration: minutes(40) })];
    const minima = envelope(samples);
    const gaps = minima.slice(1).map((p, i) => (p.ts - minima[i]!.ts) / MICROS_PER_SECOND);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(14);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(61);
    const meanGap = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    approxEqual(meanGap, 37.5, 0.2, 0, 'mean collection interval');
    for (let i = 1; i < samples.length; i++) {
      const drop = samples[i - 1]!.value - samples[i]!.value;
      if (drop > 10 * MB) {
        expect(drop).toBeGreaterThan(25 * MB);
        expect(drop).toBeLessThan(52 * MB);
      }
    }
    const floor = Math.min(...samples.map((s) => s.value)) / MB;
    expect(floor).toBeGreaterThanOrEqual(150);
    expect(floor).toBeLessThanOrEqual(254);
  });

  it('has a flat post-GC envelope without a leak', () => {
    const minima = envelope([...syntheticHeap({ seed: 3, start, duration: minutes(40) })]);
    approxEqual(slopePerHour(minima), 0, 0, 3, 'envelope slope');
  });

  it.each([
    [30, 40],
    [60, 20],
    [10, 60],
  ])('has a post-GC envelope slope of %i MB/h after onset (%i min after onset)', (rate, span) => {
    // 30 min before the onset: over 10 min the envelope slope's standard error is ~2 MB/h.
    const at = start + minutes(30);
    const samples = [...syntheticHeap({ seed: 6, start, duration: minutes(30 + span), leak: { at, rate } })];
    const before = envelope(samples.filter((s) => s.ts < at));
    const after = envelope(samples.filter((s) => s.ts >= at));
    approxEqual(slopePerHour(before), 0, 0, 6, 'slope before onset');
    approxEqual(slopePerHour(after), rate, 0, Math.max(3, 0.1 * rate), 'slope after onset');
  });
});
