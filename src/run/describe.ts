import type { Scenario } from '../config/scenario.js';
import { loadDurationMs, runDurationMs } from '../config/scenario.js';
import type { NotAnalysed, NotAnalysedReason } from '../model/alertBook.js';
import { formatDuration } from '../model/formatQuantity.js';
import type { SinkStatus } from './sinkQueue.js';
import { faultTimeline } from '../sources/faults/faultSchedule.js';

const PLURALS: Readonly<Record<string, string>> = { series: 'series', criterion: 'criteria' };

/** `1 request`, `9,000 requests`, `17 series`. */
export const plural = (n: number, word: string): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? word : (PLURALS[word] ?? `${word}s`)}`;

/** What a scenario's load is, in a few words. */
export function describeLoad(scenario: Scenario): string {
  const load = scenario.load;
  if (load === undefined) return 'no load (probes only)';
  return (
    `${load.model} model, ${plural(load.stages.length, 'stage')} ` +
    `over ${(loadDurationMs(scenario) / 1000).toFixed(0)} s, ` +
    `${plural(scenario.requests.length, 'request')} in the mix`
  );
}

/** How long a scenario runs, in a few words. */
export function describeDuration(scenario: Scenario): string {
  const duration = runDurationMs(scenario);
  return duration === null ? 'until stopped (Ctrl-C)' : `${(duration / 1000).toFixed(0)} s`;
}

/** The sinks a scenario writes, by name. */
export const describeSinks = (scenario: Scenario): string => Object.keys(scenario.sinks).join(', ') || 'none';

/** What a `NotAnalysed` names: `(3 series; first: m{a=b})`. */
const fromSeries = (n: NotAnalysed): string =>
  n.first === null
    ? ''
    : n.series <= 1
      ? ` (${n.first})`
      : ` (${n.series.toLocaleString('en-US')}${n.seriesCapped ? '+' : ''} series; first: ${n.first})`;

/**
 * The summary's warnings about samples not analysed, one line per reason:
 * `2 samples quarantined, more than 1h ahead of event time (m{a=b})`. Empty when every sample was used.
 */
export function notAnalysedWarnings(notAnalysed: Partial<Record<NotAnalysedReason, NotAnalysed>>): string[] {
  const lines: string[] = [];
  const { late, quarantined } = notAnalysed;
  const overLimit = notAnalysed['series-limit'];
  if (late !== undefined)
    lines.push(
      `${plural(late.samples, 'late sample')} dropped` +
        `${late.limit !== null ? `, more than ${formatDuration(late.limit)} behind the newest` : ''}` +
        fromSeries(late),
    );
  if (quarantined !== undefined)
    lines.push(
      `${plural(quarantined.samples, 'sample')} quarantined, not analysed: more than ` +
        `${formatDuration(quarantined.limit ?? 0)} ahead of event time${fromSeries(quarantined)}`,
    );
  if (overLimit !== undefined)
    lines.push(
      `${plural(overLimit.samples, 'sample')} of series past the series limit of ` +
        `${(overLimit.limit ?? 0).toLocaleString('en-US')} not analysed` +
        `${overLimit.first === null ? '' : ` (first: ${overLimit.first})`}`,
    );
  return lines;
}

/** The summary's warnings about what sinks' destinations refused: `influxdb refused 3 points (first: …)`. */
export const refusedWarnings = (sinks: readonly SinkStatus[]): string[] =>
  sinks.flatMap((sink) =>
    sink.refused === null
      ? []
      : [
          `${sink.name} refused ${plural(sink.refused.count, 'point')} it could not store ` +
            `(first: ${sink.refused.reason})`,
        ],
  );

/**
 * "kill-target (kill) at 20s, freeze (pause) every 10m (5 times)": the scenario's faults and when they
 * run, with the number of occurrences the run length gives.
 */
export function describeFaults(scenario: Scenario): string {
  const runMs = runDurationMs(scenario) ?? 0;
  const timeline = faultTimeline(scenario.faults, runMs, scenario.seed);
  return scenario.faults
    .map((fault) => {
      const when =
        fault.atMs !== undefined
          ? `at ${formatDuration(fault.atMs * 1000)}`
          : `every ${formatDuration((fault.everyMs ?? 0) * 1000)} ` +
            `(${timeline.filter((f) => f.name === fault.name).length} times)`;
      return `${fault.name} (${fault.action.kind}) ${when}`;
    })
    .join(', ');
}
