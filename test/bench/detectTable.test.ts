import { describe, expect, it } from 'vitest';
import { detectScore } from '../../bench/detectScore.js';
import type { SeriesTruth } from '../../bench/detectScore.js';
import { detectTable } from '../../bench/detectTable.js';
import { detectTargets } from '../../bench/detectTargets.js';
import { MICROS_PER_HOUR, MICROS_PER_MINUTE } from '../../src/model/sample.js';

const end = 2 * MICROS_PER_HOUR;
const series: SeriesTruth[] = [
  { cls: 'latency_none', series: 'a', expect: 'none', changeAt: null, start: 0, end },
  { cls: 'latency_step_25', series: 'b', expect: 'regression', changeAt: MICROS_PER_HOUR, start: 0, end },
  { cls: 'heap_leak_60', series: 'c', expect: 'leak', changeAt: MICROS_PER_HOUR, start: 0, end },
];

describe('detectTable', () => {
  it('renders one Markdown row per class, a total row and one row per target', () => {
    const score = detectScore(series, [
      { series: 'a', kind: 'regression', state: 'firing', ts: MICROS_PER_MINUTE },
      { series: 'b', kind: 'regression', state: 'firing', ts: MICROS_PER_HOUR + 90 * 1_000_000 },
    ]);
    const targets = detectTargets(score);
    const lines = detectTable(score, targets).split('\n');
    const classRows = lines.slice(0, 2 + series.length + 1);
    expect(classRows.every((line) => line.startsWith('|'))).toBe(true);
    expect(new Set(classRows.map((line) => line.split('|').length)).size).toBe(1);
    // 90 s after onset is 1.5 minutes.
    expect(lines.find((line) => line.startsWith('| latency_step_25 |'))).toContain('| 1.5 | 1.5 |');
    expect(lines.find((line) => line.startsWith('| latency_none |'))).toContain('| 1 | 0.500 |');
    expect(lines.find((line) => line.startsWith('| heap_leak_60 |'))).toContain('| 0% | 0% | 0% |');
    const verdicts = lines.filter((line) => line.endsWith('| PASS |') || line.endsWith('| FAIL |'));
    expect(verdicts.length).toBe(targets.length);
    expect(lines.filter((line) => line.endsWith('| FAIL |')).length).toBe(targets.filter((t) => !t.pass).length);
  });
});
