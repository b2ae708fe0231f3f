import { EMPTY, map, type Observable } from 'rxjs';
import type { AnalysisEvent, SeriesRef } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import type { Stat } from '../model/stat.js';
import { changePoints } from '../operators/changePoints.js';
import type { DetectorSignal } from '../operators/detectorSignal.js';
import { leakSlope } from '../operators/leakSlope.js';
import { regression } from '../operators/regression.js';
import { robustZ } from '../operators/robustZ.js';
import { formatDuration, formatPercent, formatPValue, formatQuantity } from '../model/formatQuantity.js';
import type { Rule } from '../rules/rule.js';
import { signalOf } from './signalOf.js';

/** What a detector emits: an analysis result to publish, a signal for the alert state machine, or both. */
export interface DetectorOutput {
  readonly event?: AnalysisEvent;
  readonly signal?: DetectorSignal;
}

const withSignal = (rule: Rule, event: AnalysisEvent, signal: () => DetectorSignal): DetectorOutput =>
  rule.alert ? { event, signal: signal() } : { event };

/**
 * Runs one rule's detector on one series and describes each result as an event and, when the
 * rule alerts, as a signal with a human-readable message. Scaling rules span series and are
 * wired by the analysis graph instead.
 */
/** A fit's span for messages: whole minutes from 10 minutes on, whole seconds below (a seconds-long benchmark must not read "over 0s"). */
const roundSpan = (micros: number): number =>
  micros >= 600_000_000 ? Math.round(micros / 60_000_000) * 60_000_000 : Math.round(micros / 1_000_000) * 1_000_000;

export function detectorStream(
  rule: Rule,
  samples: Observable<Sample>,
  stats: Observable<Stat>,
  ref: SeriesRef,
  unit: string | undefined,
): Observable<DetectorOutput> {
  const detector = rule.detector;
  switch (detector.type) {
    case 'regression': {
      const { type: _type, ...options } = detector;
      return samples.pipe(
        regression({ ...options, ref }),
        map((r) =>
          withSignal(rule, { type: 'regression', regression: r }, () =>
            signalOf(rule, ref, {
              ts: r.ts,
              active: r.regressed,
              value: r.recentMedian,
              baseline: r.baselineMedian,
              effect: r.relativeShift,
              pValue: r.pValue,
              message: () =>
                `${ref.series}: median ${formatQuantity(r.recentMedian, unit)} over the last ${formatDuration(r.recentWindow)} vs ${formatQuantity(r.baselineMedian, unit)} baseline (Hodges–Lehmann shift ${formatQuantity(r.shift, unit)}, ${formatPercent(r.relativeShift)}; Mann–Whitney p = ${formatPValue(r.pValue)})`,
            }),
          ),
        ),
      );
    }
    case 'leak': {
      const { type: _type, ...options } = detector;
      return samples.pipe(
        leakSlope({ ...options, ref }),
        map((leak) =>
          withSignal(rule, { type: 'leak', leak }, () =>
            signalOf(rule, ref, {
              ts: leak.ts,
              active: leak.leaking,
              value: leak.slopePerHour,
              baseline: 0,
              effect: leak.level !== 0 ? leak.slopePerHour / Math.abs(leak.level) : 0,
              pValue: leak.pValue,
              message: () =>
                `${ref.series}: post-GC floor grows ${formatQuantity(leak.slopePerHour, unit)}/h (CI ${formatQuantity(leak.lowerPerHour, unit)}..${formatQuantity(leak.upperPerHour, unit)}/h, level ${formatQuantity(leak.level, unit)}, Mann–Kendall p = ${formatPValue(leak.pValue)}, ${leak.points} points over ${formatDuration(roundSpan(leak.spanMicros))})`,
            }),
          ),
        ),
      );
    }
    case 'changepoint': {
      const { type: _type, ...options } = detector;
      return samples.pipe(
        changePoints({ ...options, ref }),
        map((changePoint) =>
          withSignal(rule, { type: 'changepoint', changePoint }, () =>
            signalOf(rule, ref, {
              ts: changePoint.ts,
              active: true,
              value: changePoint.after,
              baseline: changePoint.before,
              effect: changePoint.before !== 0 ? changePoint.after / changePoint.before - 1 : 0,
              pValue: null,
              message: () =>
                `${ref.series}: ${changePoint.detector} change ${changePoint.direction} from ${formatQuantity(changePoint.before, unit)} to ${formatQuantity(changePoint.after, unit)}`,
            }),
          ),
        ),
      );
    }
    case 'outlier': {
      // Outlier and threshold rules produce nothing but signals: without alerting there is nothing to compute.
      if (!rule.alert) return EMPTY;
      const threshold = detector.threshold ?? 3.5;
      return samples.pipe(
        robustZ({
          ...(detector.window !== undefined ? { window: detector.window } : {}),
          ...(detector.minSamples !== undefined ? { minSamples: detector.minSamples } : {}),
        }),
        map((score) => ({
          signal: signalOf(rule, ref, {
            ts: score.sample.ts,
            active: Math.abs(score.z) >= threshold,
            value: score.sample.value,
            baseline: score.median,
            effect: score.median !== 0 ? score.sample.value / score.median - 1 : 0,
            pValue: null,
            message: () =>
              `${ref.series}: ${formatQuantity(score.sample.value, unit)} is an outlier (modified z = ${score.z.toFixed(1)}, median ${formatQuantity(score.median, unit)})`,
          }),
        })),
      );
    }
    case 'threshold': {
      if (!rule.alert) return EMPTY;
      const { stat: field, above, below } = detector;
      return stats.pipe(
        map((stat) => {
          const value = stat[field];
          const limit = above ?? below ?? 0;
          const active = (above !== undefined && value > above) || (below !== undefined && value < below);
          return {
            signal: signalOf(rule, ref, {
              ts: stat.ts,
              active,
              value,
              baseline: limit,
              effect: limit !== 0 ? value / limit - 1 : 0,
              pValue: null,
              message: () =>
                `${ref.series}: ${field} of the last ${stat.n} samples is ${formatQuantity(value, unit)} (alerts when ${above !== undefined ? `above ${formatQuantity(above, unit)}` : `below ${formatQuantity(below ?? 0, unit)}`})`,
            }),
          };
        }),
      );
    }
    case 'scaling':
      throw new RangeError(`rule ${rule.name}: scaling rules span series and cannot run per series`);
  }
}
