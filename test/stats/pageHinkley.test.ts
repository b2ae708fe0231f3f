import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PageHinkley } from '../../src/stats/pageHinkley.js';
import { createRandom } from '../../src/stats/random.js';

/**
 * Batch Page–Hinkley (Gama et al. 2014): at every step recompute the running means, the faded
 * cumulative sums m_t, m'_t and their extremes from the samples since the last alarm.
 */
function naivePageHinkley(xs: number[], delta: number, threshold: number, alpha: number): Array<'up' | 'down' | null> {
  const signals: Array<'up' | 'down' | null> = [];
  let start = 0;
  for (let end = 0; end < xs.length; end++) {
    const segment = xs.slice(start, end + 1);
    const up = [0];
    const down = [0];
    // Welford's running mean and the same operation order as the stream, so results agree bit for bit.
    let mean = 0;
    segment.forEach((x, t) => {
      mean += (x - mean) / (t + 1);
      up.push(alpha * up[up.length - 1]! + (x - mean) - delta);
      down.push(alpha * down[down.length - 1]! + (x - mean) + delta);
    });
    const lastUp = up[up.length - 1]!;
    const lastDown = down[down.length - 1]!;
    let signal: 'up' | 'down' | null = null;
    if (lastUp - Math.min(...up) > threshold) signal = 'up';
    else if (Math.max(...down) - lastDown > threshold) signal = 'down';
    signals.push(signal);
    if (signal !== null) start = end + 1;
  }
  return signals;
}

describe('PageHinkley', () => {
  it('matches a batch recomputation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 120 }),
        fc.constantFrom(1, 0.99),
        (xs, alpha) => {
          const detector = new PageHinkley({ delta: 0.5, threshold: 15, alpha });
          const streamed = xs.map((x) => detector.push(x));
          const batch = naivePageHinkley(xs, 0.5, 15, alpha);
          expect(streamed).toEqual(batch);
        },
      ),
    );
  });

  it('detects an upward step with a short delay and a downward step as down', () => {
    const random = createRandom(8);
    const noise = (): number => 0.2 * random.normal();
    const up = new PageHinkley({ delta: 0.1, threshold: 20, alpha: 1 });
    const upSignals = Array.from({ length: 400 }, (_, i) => up.push((i < 200 ? 0 : 2) + noise()));
    const firstUp = upSignals.findIndex((s) => s !== null);
    expect(upSignals[firstUp]).toBe('up');
    // About 2 − mean − δ ≈ 1.9 gained per sample after the step: roughly 11 samples to exceed 20.
    expect(firstUp).toBeGreaterThanOrEqual(200);
    expect(firstUp).toBeLessThan(230);

    const down = new PageHinkley({ delta: 0.1, threshold: 20, alpha: 1 });
    const downSignals = Array.from({ length: 400 }, (_, i) => down.push((i < 200 ? 5 : 3) + noise()));
    const firstDown = downSignals.findIndex((s) => s !== null);
    expect(downSignals[firstDown]).toBe('down');
    expect(firstDown).toBeGreaterThanOrEqual(200);
    expect(firstDown).toBeLessThan(230);
  });

  it('never alarms on constant data', () => {
    const detector = new PageHinkley({ delta: 0, threshold: 1e-6 });
    for (let i = 0; i < 10_000; i++) expect(detector.push(42)).toBeNull();
  });

  it('forgets everything on reset and rejects invalid options', () => {
    const detector = new PageHinkley({ delta: 0, threshold: 5, alpha: 1 });
    for (let i = 0; i < 10; i++) detector.push(0);
    detector.reset();
    // After a reset the first sample is the new reference: no alarm however large it is.
    expect(detector.push(1000)).toBeNull();
    expect(() => new PageHinkley({ alpha: 0 })).toThrow(RangeError);
    expect(() => new PageHinkley({ threshold: -1 })).toThrow(RangeError);
    expect(() => new PageHinkley({ delta: -1 })).toThrow(RangeError);
  });
});
