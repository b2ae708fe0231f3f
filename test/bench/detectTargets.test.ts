import { describe, expect, it } from 'vitest';
import { detectScore } from '../../bench/detectScore.js';
import type { ScoredAlert, SeriesTruth } from '../../bench/detectScore.js';
import { detectTargets } from '../../bench/detectTargets.js';
import { MICROS_PER_HOUR, MICROS_PER_MINUTE } from '../../src/model/sample.js';

const start = 0;
const end = 10 * MICROS_PER_HOUR;
const minute = MICROS_PER_MINUTE;
const onset = 60 * minute;

const targetClasses: [string, SeriesTruth['expect']][] = [
  ['latency_none', 'none'],
  ['latency_step_5', 'regression'],
  ['latency_step_10', 'regression'],
  ['latency_step_25', 'regression'],
  ['heap_leak_2', 'leak'],
  ['heap_leak_5', 'leak'],
  ['heap_leak_10', 'leak'],
  ['heap_leak_30', 'leak'],
  ['heap_leak_60', 'leak'],
];

/** Four series per class, each detected `delayMinutes` after onset (null = missed). */
function scenario(delayMinutes: (cls: string, i: number) => number | null, extra: ScoredAlert[] = []) {
  const series: SeriesTruth[] = [];
  const alerts: ScoredAlert[] = [...extra];
  for (const [cls, expect] of targetClasses) {
    for (let i = 0; i < 4; i++) {
      const name = `${cls}/${i}`;
      series.push({ cls, series: name, expect, changeAt: expect === 'none' ? null : onset, start, end });
      const delay = expect === 'none' ? null : delayMinutes(cls, i);
      if (delay !== null && expect !== 'none')
        alerts.push({ series: name, kind: expect, state: 'firing', ts: onset + delay * minute });
    }
  }
  return detectScore(series, alerts);
}

const byTarget = (results: ReturnType<typeof detectTargets>, fragment: string) =>
  results.filter((r) => r.target.includes(fragment));

describe('detectTargets', () => {
  it('passes every target when everything is detected quickly without false alarms', () => {
    const results = detectTargets(scenario(() => 0.25));
    expect(results.length).toBe(12);
    expect(results.every((r) => r.pass)).toBe(true);
    // A minute is quick enough for the older targets, not for the sharper +25% one.
    const minute = detectTargets(scenario(() => 1));
    expect(minute.filter((r) => !r.pass).map((r) => r.target)).toEqual(['median delay of a +25% step ≤ 30 s']);
  });

  it('fails the false-alarm target above 0.05 per series-hour', () => {
    // 4 × 10 h + 28 × 1 h = 68 change-free hours; 4 alarms = 0.059 per hour.
    const noise: ScoredAlert[] = [0, 1, 2, 3].map((i) => ({
      series: `latency_none/${i}`,
      kind: 'regression',
      state: 'firing',
      ts: 5 * minute,
    }));
    const [falseAlarms] = detectTargets(scenario(() => 1, noise));
    expect(falseAlarms!.pass).toBe(false);
    const [justBelow] = detectTargets(scenario(() => 1, noise.slice(0, 3)));
    expect(justBelow!.pass).toBe(true);
  });

  it('fails the sharper 5% step and 2 MB/h leak targets on one series later than 10 or 60 min', () => {
    const late = detectTargets(
      scenario((cls, i) => (cls === 'latency_step_5' && i === 1 ? 11 : cls === 'heap_leak_2' && i === 3 ? 61 : 0.25)),
    );
    expect(byTarget(late, 'every +5% step')[0]!.pass).toBe(false);
    expect(byTarget(late, '2 MB/h')[0]!.pass).toBe(false);
    expect(byTarget(late, '≥ 75% of +5% steps')[0]!.pass).toBe(true);
  });

  it('fails step and leak targets on a single late or missed series', () => {
    const late = detectTargets(
      scenario((cls, i) => (cls === 'latency_step_10' && i === 2 ? 11 : cls === 'heap_leak_30' && i === 0 ? null : 1)),
    );
    expect(byTarget(late, '+10% step')[0]!.pass).toBe(false);
    expect(byTarget(late, '+25% step detected')[0]!.pass).toBe(true);
    expect(byTarget(late, '30 MB/h')[0]!.pass).toBe(false);
    expect(byTarget(late, '60 MB/h')[0]!.pass).toBe(true);
  });

  it('requires 75% of the 5% steps by the end of the stream, however late', () => {
    const threeOfFour = detectTargets(scenario((cls, i) => (cls === 'latency_step_5' ? (i === 0 ? null : 400) : 1)));
    expect(byTarget(threeOfFour, '+5% steps')[0]!.pass).toBe(true);
    const twoOfFour = detectTargets(scenario((cls, i) => (cls === 'latency_step_5' && i < 2 ? null : 1)));
    expect(byTarget(twoOfFour, '+5% steps')[0]!.pass).toBe(false);
  });

  it('counts misses as infinitely late in the median delay of the +25% step', () => {
    const slowMedian = detectTargets(scenario((cls, i) => (cls === 'latency_step_25' ? [1, 2, 3, 4][i]! : 1)));
    // Median of 1, 2, 3, 4 minutes is 2.5 minutes.
    expect(byTarget(slowMedian, 'median delay')[0]!.pass).toBe(false);
    const fast = detectTargets(scenario((cls, i) => (cls === 'latency_step_25' ? [0.5, 1, 2, 9][i]! : 1)));
    expect(byTarget(fast, 'median delay')[0]!.pass).toBe(true);
    const misses = detectTargets(scenario((cls, i) => (cls === 'latency_step_25' ? (i < 2 ? null : 0.5) : 1)));
    expect(byTarget(misses, 'median delay')[0]!.pass).toBe(false);
  });

  it('fails a target whose class is absent', () => {
    const results = detectTargets(detectScore([], []));
    expect(results.every((r) => !r.pass)).toBe(true);
  });
});
