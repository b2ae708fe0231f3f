import type { FaultRecovery } from '../model/events.js';
import { MICROS_PER_MS } from '../model/sample.js';
import { formatMeasured, type SuccessCriteria } from '../sources/load/successCriteria.js';

/** A criterion's verdict as summaries report it: its text, whether it held, the value measured and as shown. */
export interface CriterionFigure {
  readonly criterion: string;
  readonly pass: boolean;
  /**
   * In the criterion's own terms: ms for latency and recovery, a fraction for rates; null when
   * nothing was measured, or for a recovery that never came (`shown` says "not recovered").
   */
  readonly measured: number | null;
  readonly shown: string;
}

/** A fault and its verdict, times as epoch µs, durations in ms. */
export interface FaultFigure {
  readonly fault: string;
  readonly occurrence: number;
  readonly action: string;
  readonly verdict: 'recovered' | 'not-recovered' | 'unfinished';
  readonly startTs: number;
  readonly endTs: number | null;
  readonly impactTs: number | null;
  readonly recoveredTs: number | null;
  readonly recoveryMs: number | null;
}

/** What a run measured, for its summary document and its RunResult. */
export interface RunFigures {
  readonly requests: number;
  readonly elapsedMs: number;
  /** Latency quantiles of every request (ms, HdrHistogram to 3 significant digits), null without requests. */
  readonly latency: { readonly p50: number; readonly p95: number; readonly p99: number } | null;
  /** Failed requests / requests (0 without requests). */
  readonly errorRate: number;
  /** Requests per second over the run. */
  readonly throughput: number;
  readonly criteria: readonly CriterionFigure[];
  /** The faults injected and how the service came through them; null without faults. */
  readonly faults: FaultFigures | null;
}

/** The faults of a run: how many, MTTR and the slowest recovery, availability, each fault. */
export interface FaultFigures {
  readonly count: number;
  readonly notRecovered: number;
  /** Mean and slowest time to recover of the recovered faults (ms), null when none recovered. */
  readonly mttrMs: number | null;
  readonly slowestMs: number | null;
  /** Null when nothing was counted (no requests, or no verdicts given: a replay). */
  readonly availabilityDuringFaults: number | null;
  readonly availabilityOutsideFaults: number | null;
  readonly list: readonly FaultFigure[];
}

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

/** A fault's latest verdict as a figure. */
function faultFigure(r: FaultRecovery): FaultFigure {
  return {
    fault: r.fault,
    occurrence: r.occurrence,
    action: r.action,
    verdict: r.phase === 'recovered' ? 'recovered' : r.phase === 'not-recovered' ? 'not-recovered' : 'unfinished',
    startTs: r.start,
    endTs: r.end,
    impactTs: r.impactAt,
    recoveredTs: r.phase === 'recovered' ? r.recoveredAt : null,
    recoveryMs: r.phase === 'recovered' && r.recoveryTime !== null ? r.recoveryTime / MICROS_PER_MS : null,
  };
}

/**
 * The figures of a run's faults from the recovery detector's verdicts, with availability from the
 * running verdicts when there are any; null without faults.
 */
export function faultFigures(
  recoveries: readonly FaultRecovery[],
  verdicts: SuccessCriteria | null,
): FaultFigures | null {
  if (recoveries.length === 0) return null;
  const list = recoveries.map(faultFigure);
  const recovered = list.flatMap((f) => (f.recoveryMs !== null ? [f.recoveryMs] : []));
  const availability = (statistic: string): number | null =>
    verdicts === null ? null : finiteOrNull(verdicts.statistic(statistic));
  return {
    count: list.length,
    notRecovered: list.length - recovered.length,
    mttrMs: recovered.length > 0 ? recovered.reduce((a, b) => a + b, 0) / recovered.length : null,
    slowestMs: recovered.length > 0 ? Math.max(...recovered) : null,
    availabilityDuringFaults: availability('availability during faults'),
    availabilityOutsideFaults: availability('availability outside faults'),
    list,
  };
}

/**
 * The figures of a run from its running verdicts (requests, latency, errors, criteria) and the
 * recovery detector's verdicts on its faults. The criteria are evaluated now, so call it once the
 * verdicts have every sample and the recoveries (SuccessCriteria.recordRecoveries).
 */
export function runFigures(
  verdicts: SuccessCriteria,
  recoveries: readonly FaultRecovery[],
  elapsedMs: number,
): RunFigures {
  const requests = verdicts.requestCount;
  return {
    requests,
    elapsedMs,
    latency:
      requests > 0
        ? { p50: verdicts.statistic('p50'), p95: verdicts.statistic('p95'), p99: verdicts.statistic('p99') }
        : null,
    errorRate: verdicts.statistic('errors'),
    throughput: elapsedMs > 0 ? requests / (elapsedMs / 1000) : 0,
    criteria: verdicts.evaluate().map((result) => ({
      criterion: result.criterion.text,
      pass: result.pass,
      measured: finiteOrNull(result.actual),
      shown: formatMeasured(result),
    })),
    faults: faultFigures(recoveries, verdicts),
  };
}
