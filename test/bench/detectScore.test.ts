import { describe, expect, it } from 'vitest';
import { detectScore } from '../../bench/detectScore.js';
import type { ScoredAlert, SeriesTruth } from '../../bench/detectScore.js';
import { MICROS_PER_HOUR, MICROS_PER_MINUTE } from '../../src/model/sample.js';
import { approxEqual } from '../support/approxEqual.js';

const start = 1_000 * MICROS_PER_HOUR;
const end = start + 3 * MICROS_PER_HOUR;
const at = (minutes: number): number => start + minutes * MICROS_PER_MINUTE;

const truth = (cls: string, series: string, expect: SeriesTruth['expect'], onset: number | null): SeriesTruth => ({
  cls,
  series,
  expect,
  changeAt: onset === null ? null : at(onset),
  start,
  end,
});
const alert = (
  series: string,
  kind: ScoredAlert['kind'],
  minutes: number,
  state: ScoredAlert['state'] = 'firing',
): ScoredAlert => ({
  series,
  kind,
  state,
  ts: at(minutes),
});

describe('detectScore', () => {
  it('counts regression/leak alarms on change-free series over their whole span', () => {
    const series = [truth('latency_none', 'a', 'none', null), truth('latency_none', 'b', 'none', null)];
    const score = detectScore(series, [
      alert('a', 'regression', 10),
      alert('a', 'leak', 20),
      alert('b', 'regression', 170),
      alert('b', 'outlier', 30), // not a regression or leak
      alert('b', 'regression', 40, 'pending'),
      alert('b', 'regression', 50, 'resolved'),
    ]);
    const [cls] = score.classes;
    expect(cls!.falseAlarms).toBe(3);
    approxEqual(cls!.changeFreeHours, 6, 1e-12, 0, 'change-free hours');
    approxEqual(cls!.falseAlarmRate!, 0.5, 1e-12, 0, 'rate');
    expect(cls!.changed).toBe(0);
    expect(cls!.recall).toBeNull();
    expect(cls!.medianDelay).toBeNull();
  });

  it('treats an improvement as change-free even after its onset', () => {
    const score = detectScore([truth('latency_improve_20', 'i', 'none', 60)], [alert('i', 'regression', 90)]);
    expect(score.classes[0]!.falseAlarms).toBe(1);
    approxEqual(score.classes[0]!.changeFreeHours, 3, 1e-12, 0, 'whole span is change-free');
  });

  it('counts only alarms before the onset of a change as false, over the pre-onset hours', () => {
    const series = [truth('latency_step_25', 's', 'regression', 60)];
    const score = detectScore(series, [
      alert('s', 'regression', 30),
      alert('s', 'leak', 59),
      alert('s', 'regression', 61),
      alert('s', 'leak', 90),
    ]);
    const [cls] = score.classes;
    expect(cls!.falseAlarms).toBe(2);
    approxEqual(cls!.changeFreeHours, 1, 1e-12, 0, 'pre-onset hours');
    expect(cls!.detected).toBe(1);
    expect(cls!.delays).toEqual([1 * MICROS_PER_MINUTE]);
  });

  it('measures the delay to the first firing alert of the expected kind at or after onset', () => {
    const series = [
      truth('heap_leak_5', 'h0', 'leak', 60),
      truth('heap_leak_5', 'h1', 'leak', 50),
      truth('heap_leak_5', 'h2', 'leak', 40),
      truth('heap_leak_5', 'h3', 'leak', 45),
    ];
    const score = detectScore(series, [
      alert('h0', 'leak', 60), // exactly at onset: delay 0
      alert('h0', 'leak', 65),
      alert('h1', 'regression', 52), // wrong kind
      alert('h1', 'leak', 55, 'pending'), // not firing
      alert('h1', 'leak', 80), // 30 min
      alert('h2', 'leak', 150), // 110 min
      // h3 is never detected
    ]);
    const [cls] = score.classes;
    expect(cls!.changed).toBe(4);
    expect(cls!.detected).toBe(3);
    expect(cls!.detectedWithin10).toBe(1);
    expect(cls!.detectedWithin60).toBe(2);
    approxEqual(cls!.recallWithin10!, 0.25, 1e-12, 0, 'recall 10');
    approxEqual(cls!.recallWithin60!, 0.5, 1e-12, 0, 'recall 60');
    approxEqual(cls!.recall!, 0.75, 1e-12, 0, 'recall by end');
    expect(cls!.medianDelay).toBe(30 * MICROS_PER_MINUTE);
    expect(cls!.maxDelay).toBe(110 * MICROS_PER_MINUTE);
    expect(cls!.falseAlarms).toBe(0);
    // Pre-onset time: 60 + 50 + 40 + 45 minutes.
    approxEqual(cls!.changeFreeHours, 195 / 60, 1e-12, 0, 'change-free hours');
  });

  it('averages the two middle delays for an even count and counts a 10-minute delay as within 10 minutes', () => {
    const series = [truth('latency_step_10', 'p', 'regression', 60), truth('latency_step_10', 'q', 'regression', 60)];
    const score = detectScore(series, [alert('p', 'regression', 62), alert('q', 'regression', 70)]);
    const [cls] = score.classes;
    expect(cls!.medianDelay).toBe(6 * MICROS_PER_MINUTE);
    expect(cls!.detectedWithin10).toBe(2);
  });

  it('pools false alarms across classes and counts alarms on unknown series', () => {
    const series = [truth('heap_none', 'n', 'none', null), truth('heap_leak_30', 'l', 'leak', 60)];
    const score = detectScore(series, [
      alert('n', 'leak', 5),
      alert('l', 'leak', 10),
      alert('l', 'leak', 70),
      alert('ghost', 'leak', 1),
      alert('ghost', 'outlier', 2),
    ]);
    expect(score.classes.map((c) => c.cls)).toEqual(['heap_none', 'heap_leak_30']);
    expect(score.unmatchedAlarms).toBe(1);
    expect(score.falseAlarms).toBe(3);
    approxEqual(score.changeFreeHours, 4, 1e-12, 0, 'pooled hours');
    approxEqual(score.falseAlarmRate!, 0.75, 1e-12, 0, 'pooled rate');
  });

  it('does not depend on the order in which alerts arrive', () => {
    const series = [truth('latency_step_5', 'x', 'regression', 60)];
    const alerts = [alert('x', 'regression', 100), alert('x', 'regression', 75), alert('x', 'regression', 20)];
    const forward = detectScore(series, alerts);
    expect(forward.classes[0]!.delays).toEqual([15 * MICROS_PER_MINUTE]);
    expect(detectScore(series, [...alerts].reverse())).toEqual(forward);
  });
});
