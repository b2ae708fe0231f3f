import type { Scenario } from '../config/scenario.js';
import { loadDurationMs, runDurationMs } from '../config/scenario.js';

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
