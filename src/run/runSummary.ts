import { relative } from 'node:path';
import type { Scenario } from '../config/scenario.js';
import type { HoldBack } from '../sources/load/holdBack.js';
import { formatMeasured, type SuccessCriteria } from '../sources/load/successCriteria.js';
import { faultLabel } from '../detectors/recovery.js';
import { MICROS_PER_MS, MICROS_PER_SECOND } from '../model/sample.js';
import { faultFigures } from './runFigures.js';
import { notAnalysedWarnings, plural, refusedWarnings } from './describe.js';
import { DeliveryError } from './delivery.js';
import type { OpenedSinks } from './openSinks.js';
import type { SessionSummary } from './session.js';
import type { SinkStatus } from './sinkQueue.js';
import { alertFailure, type FailOn } from './verdict.js';

/** How a run ended: what `soakstream run` summarises. */
export interface RunOutcome {
  readonly scenario: Scenario;
  readonly elapsedMs: number;
  /** The run length planned, null for a run until stopped. */
  readonly plannedMs: number | null;
  readonly verdicts: SuccessCriteria;
  readonly summary: SessionSummary;
  readonly opened: OpenedSinks;
  readonly holdBack: HoldBack;
  readonly failOn: FailOn;
  /** When a signal stopped it (ms into the run), null when it ran to its end. */
  readonly interruptedAtMs: number | null;
  /** The sink failure that ended it, null when none did. */
  readonly sinkFailure: unknown;
}

const ms = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');
const percent = (value: number): string => `${(value * 100).toFixed(2)}%`;

/** "  latency   p50 6.6 ms · p95 26.8 ms · p99 28.8 ms · errors 3.29%" of the requests so far. */
export const latencyLine = (verdicts: SuccessCriteria): string =>
  `  latency   p50 ${ms(verdicts.statistic('p50'))} · p95 ${ms(verdicts.statistic('p95'))} · ` +
  `p99 ${ms(verdicts.statistic('p99'))} · errors ${percent(verdicts.statistic('errors'))}`;

/** "6.0 s of 12 s" (or "6.0 s" for a run until stopped). */
export const stoppedAt = (elapsedMs: number, plannedMs: number | null): string =>
  `${(elapsedMs / 1000).toFixed(1)} s${plannedMs !== null ? ` of ${(plannedMs / 1000).toFixed(0)} s` : ''}`;

/** "waiting up to 15 s for influxdb to store 4,210 records" (and how to quit at once when stopping). */
export function waitLine(waiting: readonly SinkStatus[], graceMs: number | undefined, interrupted: boolean): string {
  const sinks = waiting.map((w) => `${w.name} to store ${w.queued.toLocaleString('en-US')} records`).join(', ');
  const quit = interrupted ? ' (Ctrl-C again to quit now)' : '';
  return `waiting up to ${((graceMs ?? 0) / 1000).toFixed(0)} s for ${sinks}${quit}`;
}

const seconds = (micros: number): string => `${(micros / MICROS_PER_SECOND).toFixed(1)} s`;

/**
 * The faults of a run and how the service came through them: MTTR (the mean time to recover),
 * the slowest recovery, availability during and outside faults (when `verdicts` counted the
 * requests), then one line per fault.
 */
export function faultLines(summary: SessionSummary, verdicts?: SuccessCriteria): string[] {
  const recoveries = summary.recoveries;
  const figures = faultFigures(recoveries, verdicts ?? null);
  if (figures === null) return [];
  const ms = (value: number): string => seconds(value * MICROS_PER_MS);
  const mttr =
    figures.mttrMs !== null && figures.slowestMs !== null
      ? `MTTR ${ms(figures.mttrMs)}, slowest ${ms(figures.slowestMs)}`
      : 'none recovered';
  const availability = (value: number | null): string => (value === null ? 'n/a' : percent(value));
  const lines = [
    `  faults    ${plural(figures.count, 'fault')}: ${mttr}` +
      `${figures.notRecovered > 0 ? `; ${figures.notRecovered} not recovered` : ''}` +
      (verdicts !== undefined
        ? `; availability ${availability(figures.availabilityDuringFaults)} during faults, ` +
          `${availability(figures.availabilityOutsideFaults)} outside`
        : ''),
  ];
  const origin = summary.first ?? 0;
  for (const r of recoveries) {
    const impact = r.impactAt !== null ? `impact after ${seconds(r.impactAt - r.start)}, ` : 'no visible impact, ';
    const verdict =
      r.phase === 'recovered'
        ? `recovered after ${seconds(r.recoveryTime ?? 0)}`
        : r.phase === 'not-recovered'
          ? 'NOT RECOVERED'
          : 'not recovered when the run ended';
    const lasted = r.end !== null ? `, lasted ${seconds(r.end - r.start)}` : '';
    lines.push(`    - ${faultLabel(r)} at ${seconds(r.start - origin)}${lasted}: ${impact}${verdict}`);
  }
  return lines;
}

/**
 * The summary of a run (latency, criteria, alerts, files, what was held back or not stored) and
 * its result line: ERROR when a sink failed, INTERRUPTED when a signal stopped it, else PASS or
 * FAIL with the reasons; with the exit code that goes with it.
 */
export function runSummary(outcome: RunOutcome): {
  lines: string[];
  exitCode: 0 | 1 | 130;
  criteriaFailed: number;
  reasons: string[];
} {
  const { scenario, verdicts, summary, opened, holdBack } = outcome;
  const criteria = verdicts.evaluate();
  const failedCriteria = criteria.filter((c) => !c.pass);
  const fired = summary.fired;
  const firing = summary.firingAtEnd;
  const lines: string[] = [
    '',
    `summary of ${scenario.name} (${(outcome.elapsedMs / 1000).toFixed(1)} s, ` +
      `${plural(verdicts.requestCount, 'request')}, ${plural(summary.samples, 'sample')}, ` +
      `${plural(summary.series, 'series')})`,
  ];
  for (const warning of [...notAnalysedWarnings(summary.notAnalysed), ...refusedWarnings(summary.sinks)])
    lines.push(`  warning   ${warning}`);
  if (verdicts.requestCount > 0) lines.push(latencyLine(verdicts));
  if (criteria.length > 0) {
    lines.push('  criteria');
    for (const result of criteria)
      lines.push(`    ${result.pass ? '✓' : '✗'} ${result.criterion.text} (measured ${formatMeasured(result)})`);
  }
  lines.push(...faultLines(summary, verdicts));
  lines.push(`  alerts    ${plural(fired.length, 'alert')} fired, ${firing.length} still firing`);
  for (const alert of fired)
    lines.push(
      `    - ${alert.rule} [${alert.severity}] on ${alert.series} (id ${alert.id})` +
        `${firing.some((f) => f.id === alert.id) ? ' — still firing' : ''}`,
    );
  if (scenario.sinks.report !== undefined) lines.push(`  report    ${scenario.sinks.report.path}`);
  if (opened.recorder !== null) {
    lines.push(`  recording ${opened.recorder.files.join(', ')}`);
    lines.push(
      `  replay    soakstream replay ${opened.recorder.sampleFiles.join(' ')}` +
        `${scenario.rulesFile !== undefined ? ` --rules ${relative(process.cwd(), scenario.rulesFile)}` : ''}`,
    );
  }
  if (holdBack.skipped > 0 || holdBack.waitedMs > 0)
    lines.push(
      `  load      held back while the sinks were behind: ` +
        (holdBack.skipped > 0
          ? `${plural(holdBack.skipped, 'request')} not sent`
          : `virtual users waited ${(holdBack.waitedMs / 1000).toFixed(1)} s`),
    );
  for (const sink of summary.sinks)
    if (sink.lost > 0) lines.push(`  ${sink.name.padEnd(9)} ${plural(sink.lost, 'record')} not stored`);
  const reasons: string[] = [];
  if (failedCriteria.length > 0) reasons.push(`${plural(failedCriteria.length, 'criterion')} failed`);
  const alertReason = alertFailure(outcome.failOn, summary);
  if (alertReason !== null) reasons.push(alertReason);
  const { sinkFailure, interruptedAtMs } = outcome;
  lines.push(
    sinkFailure !== null
      ? `result: ERROR (${sinkFailure instanceof DeliveryError ? sinkFailure.sink.name : 'a sink'} failed)`
      : interruptedAtMs !== null
        ? `result: INTERRUPTED (stopped at ${stoppedAt(interruptedAtMs, outcome.plannedMs)})`
        : `result: ${reasons.length === 0 ? 'PASS' : `FAIL (${reasons.join('; ')})`}`,
  );
  return {
    lines,
    exitCode: interruptedAtMs !== null ? 130 : reasons.length === 0 ? 0 : 1,
    criteriaFailed: failedCriteria.length,
    reasons: [
      ...failedCriteria.map((c) => `criterion ${c.criterion.text} failed (measured ${formatMeasured(c)})`),
      ...(alertReason !== null ? [alertReason] : []),
    ],
  };
}
