import { describe, expect, it } from 'vitest';
import { Anomalies, anomalyDetector, type AnomalyOptions } from '../../src/detectors/anomaly.js';
import type { AnomalyScore } from '../../src/model/events.js';
import type { Sample } from '../../src/model/sample.js';
import { createRandom } from '../../src/stats/random.js';

const MINUTE = 60_000_000;
const START = 1_767_225_600_000_000; // 2026-01-01T00:00:00Z
const series = { series: 'm', metric: 'm', tags: {}, metricKind: 'other' as const };
const options = (overrides: Partial<AnomalyOptions> = {}): AnomalyOptions => ({
  ...anomalyDetector.defaults,
  ...overrides,
});

/** Scores of a series sampled every 5 minutes: value(i) for row i. */
function scores(rows: number, value: (i: number) => number, overrides: Partial<AnomalyOptions> = {}): AnomalyScore[] {
  const detector = new Anomalies(options(overrides), series);
  const out: AnomalyScore[] = [];
  for (let i = 0; i < rows; i++) {
    const sample: Sample = { ts: START + i * 5 * MINUTE, metric: 'm', value: value(i), tags: {} };
    out.push(...detector.push(sample));
  }
  return out;
}

/** Rows (5-minute index) at which an anomaly starts. */
const onsets = (out: readonly AnomalyScore[]): number[] =>
  out.flatMap((s, i) => (s.anomalous && !(out[i - 1]?.anomalous ?? false) ? [(s.ts - START) / (5 * MINUTE)] : []));

describe('anomaly detector', () => {
  const noise = (seed: number): ((i: number) => number) => {
    const random = createRandom(seed);
    return () => random.normal();
  };

  it('scores in [0, 1] and raises nothing on stationary noise', () => {
    const n = noise(1);
    const out = scores(4000, (i) => 100 + n(i));
    expect(out.every((s) => s.score >= 0 && s.score <= 1)).toBe(true);
    expect(onsets(out)).toEqual([]);
  });

  it('finds a spike, level shifts up and down, a variance change and a drift, each within a few samples', () => {
    const cases: [string, (i: number, e: number) => number][] = [
      ['spike', (i, e) => 100 + e + (i >= 2000 && i < 2003 ? 15 : 0)],
      ['shift up', (i, e) => 100 + e + (i >= 2000 ? 6 : 0)],
      ['shift down', (i, e) => 100 + e - (i >= 2000 ? 6 : 0)],
      ['variance', (i, e) => 100 + e * (i >= 2000 ? 8 : 1)],
      ['drift', (i, e) => 100 + e + (i >= 2000 ? (i - 2000) * 0.2 : 0)],
    ];
    for (const [name, shape] of cases) {
      const n = noise(2);
      const found = onsets(scores(2400, (i) => shape(i, n(i))));
      expect(found.length, name).toBeGreaterThanOrEqual(1);
      expect(found[0], name).toBeGreaterThanOrEqual(2000);
      expect(found[0], name).toBeLessThan(2050);
    }
  });

  it('lets a daily pattern explain itself once two days are seen, and still finds a break in it', () => {
    const n = noise(3);
    const daily = (i: number): number => 100 + 40 * Math.sin((2 * Math.PI * i) / 288) + n(i);
    // Four days of the pattern: nothing after the second day with the daily season...
    const seasonal = onsets(scores(4 * 288, daily));
    expect(seasonal.filter((row) => row >= 2 * 288)).toEqual([]);
    // ...and the evening a plateau stays up, it is found.
    const broken = onsets(scores(5 * 288, (i) => (i >= 4 * 288 + 216 ? 180 : daily(i))));
    expect(broken.some((row) => row >= 4 * 288 + 216 && row < 4 * 288 + 230)).toBe(true);
  });

  it('is causal: the score of a sample does not change when later samples are left out', () => {
    const n = noise(4);
    const values = Array.from({ length: 1500 }, (_, i) => 100 + n(i) + (i >= 900 ? 5 : 0));
    const full = scores(values.length, (i) => values[i] as number);
    const cut = scores(1000, (i) => values[i] as number);
    expect(cut).toEqual(full.slice(0, cut.length));
  });

  it('holds an anomaly for `hold` samples after its last anomalous one: one episode, not one per sample', () => {
    const n = noise(5);
    const out = scores(2400, (i) => 100 + n(i) + (i === 2000 ? 30 : 0), { hold: 10 });
    const active = out.filter((s) => s.anomalous).map((s) => (s.ts - START) / (5 * MINUTE));
    expect(active[0]).toBe(2000);
    expect(active.length).toBeGreaterThanOrEqual(11);
    expect(active.length).toBeLessThan(20);
    expect(() => anomalyDetector.compile(options({ minSamples: 2 }))).toThrow(RangeError);
    expect(() => anomalyDetector.compile(options({ seasons: [0] }))).toThrow(/season/);
  });
});
