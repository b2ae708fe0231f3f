import { MICROS_PER_HOUR, MICROS_PER_MINUTE } from '../src/model/sample.js';
import type { Alert } from '../src/model/alert.js';
import { sortedMedian } from '../src/stats/sortedMedian.js';
import type { LabelledSeries } from '../src/sources/synthetic/labelledSuite.js';

/** What the scorer needs to know about one labelled series. */
export type SeriesTruth = Pick<LabelledSeries, 'cls' | 'series' | 'expect' | 'changeAt' | 'start' | 'end'>;

/** What the scorer needs to know about one alert transition. */
export type ScoredAlert = Pick<Alert, 'series' | 'kind' | 'state' | 'ts'>;

/** Detection quality of one class of labelled series; delays in µs, rates per series-hour. */
export interface ClassScore {
  readonly cls: string;
  readonly expect: SeriesTruth['expect'];
  readonly series: number;
  /** Hours of stream without a change in the bad direction, and the alarms raised in them. */
  readonly changeFreeHours: number;
  readonly falseAlarms: number;
  readonly falseAlarmRate: number | null;
  /** Series with an expected change and how many were detected within 10 min, 60 min, by the end. */
  readonly changed: number;
  readonly detectedWithin10: number;
  readonly detectedWithin60: number;
  readonly detected: number;
  readonly recallWithin10: number | null;
  readonly recallWithin60: number | null;
  readonly recall: number | null;
  readonly medianDelay: number | null;
  readonly maxDelay: number | null;
  readonly delays: readonly number[];
}

/** Scores of every class plus the pooled false-alarm rate. */
export interface DetectScore {
  readonly classes: readonly ClassScore[];
  readonly falseAlarms: number;
  readonly changeFreeHours: number;
  readonly falseAlarmRate: number | null;
  /** Regression/leak alarms on series that are not in the suite; counted as false alarms. */
  readonly unmatchedAlarms: number;
}

const ALARM_KINDS: ReadonlySet<string> = new Set(['regression', 'leak']);

const median = (sorted: readonly number[]): number | null => (sorted.length === 0 ? null : sortedMedian(sorted));

const ratio = (count: number, total: number): number | null => (total > 0 ? count / total : null);

/**
 * Scores firing alerts against labels. A false alarm is a firing regression/leak alert on a series
 * at a time without a change in the bad direction (expect 'none', or before the onset); a detection
 * is the first firing alert of the expected kind at ts ≥ onset, its delay ts − onset. Pending and
 * resolved transitions are ignored. O(A + S log S) for A alerts and S series.
 */
export function detectScore(series: readonly SeriesTruth[], alerts: readonly ScoredAlert[]): DetectScore {
  const bySeries = new Map<string, ScoredAlert[]>();
  for (const truth of series) bySeries.set(truth.series, []);
  let unmatchedAlarms = 0;
  for (const alert of alerts) {
    if (alert.state !== 'firing') continue;
    const list = bySeries.get(alert.series);
    if (list) list.push(alert);
    else if (ALARM_KINDS.has(alert.kind)) unmatchedAlarms++;
  }

  const classNames = [...new Set(series.map((truth) => truth.cls))];
  const classes = classNames.map((cls): ClassScore => {
    const members = series.filter((truth) => truth.cls === cls);
    let changeFreeMicros = 0;
    let falseAlarms = 0;
    let changed = 0;
    const delays: number[] = [];
    for (const truth of members) {
      const firing = [...(bySeries.get(truth.series) ?? [])].sort((a, b) => a.ts - b.ts);
      const bad = truth.expect !== 'none' && truth.changeAt !== null ? truth.changeAt : null;
      changeFreeMicros += (bad ?? truth.end) - truth.start;
      falseAlarms += firing.filter((alert) => ALARM_KINDS.has(alert.kind) && (bad === null || alert.ts < bad)).length;
      if (bad === null) continue;
      changed++;
      const hit = firing.find((alert) => alert.kind === truth.expect && alert.ts >= bad);
      if (hit) delays.push(hit.ts - bad);
    }
    delays.sort((a, b) => a - b);
    const within = (minutes: number): number => delays.filter((delay) => delay <= minutes * MICROS_PER_MINUTE).length;
    const changeFreeHours = changeFreeMicros / MICROS_PER_HOUR;
    return {
      cls,
      expect: members[0]?.expect ?? 'none',
      series: members.length,
      changeFreeHours,
      falseAlarms,
      falseAlarmRate: ratio(falseAlarms, changeFreeHours),
      changed,
      detectedWithin10: within(10),
      detectedWithin60: within(60),
      detected: delays.length,
      recallWithin10: ratio(within(10), changed),
      recallWithin60: ratio(within(60), changed),
      recall: ratio(delays.length, changed),
      medianDelay: median(delays),
      maxDelay: delays.length > 0 ? (delays[delays.length - 1] as number) : null,
      delays,
    };
  });

  const changeFreeHours = classes.reduce((sum, score) => sum + score.changeFreeHours, 0);
  const falseAlarms = classes.reduce((sum, score) => sum + score.falseAlarms, 0) + unmatchedAlarms;
  return {
    classes,
    falseAlarms,
    changeFreeHours,
    falseAlarmRate: ratio(falseAlarms, changeFreeHours),
    unmatchedAlarms,
  };
}
