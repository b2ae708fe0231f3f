import { MICROS_PER_MINUTE } from '../src/model/sample.js';
import type { DetectScore } from './detectScore.js';
import type { TargetResult } from './detectTargets.js';

const percent = (x: number | null): string => (x === null ? '–' : `${(100 * x).toFixed(0)}%`);
const minutes = (micros: number | null): string => (micros === null ? '–' : (micros / MICROS_PER_MINUTE).toFixed(1));
const rate = (x: number | null): string => (x === null ? '–' : x.toFixed(3));

/**
 * Markdown (GitHub table syntax) of the per-class scores and the targets, ready to paste into the
 * README. Delays in minutes; false alarms per series-hour of change-free stream time. O(C + T).
 */
export function detectTable(score: DetectScore, targets: readonly TargetResult[]): string {
  const lines = [
    '| class | series | change-free h | false alarms | FA / series-h | ' +
      'recall ≤ 10 min | recall ≤ 60 min | recall by end | median delay (min) | max delay (min) |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const c of score.classes) {
    lines.push(
      `| ${c.cls} | ${c.series} | ${c.changeFreeHours.toFixed(1)} | ${c.falseAlarms} | ${rate(c.falseAlarmRate)} | ` +
        `${percent(c.recallWithin10)} | ${percent(c.recallWithin60)} | ${percent(c.recall)} | ` +
        `${minutes(c.medianDelay)} | ${minutes(c.maxDelay)} |`,
    );
  }
  const unmatched = score.unmatchedAlarms > 0 ? ` (${score.unmatchedAlarms} on unknown series)` : '';
  lines.push(
    `| **all** | ${score.classes.reduce((n, c) => n + c.series, 0)} | ${score.changeFreeHours.toFixed(1)} | ` +
      `${score.falseAlarms}${unmatched} | ${rate(score.falseAlarmRate)} | | | | | |`,
    '',
    '| target | measured | result |',
    '|---|---|---|',
    ...targets.map((t) => `| ${t.target} | ${t.measured} | ${t.pass ? 'PASS' : 'FAIL'} |`),
  );
  return lines.join('\n');
}
