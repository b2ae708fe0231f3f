import type { AnalysisEvent } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { defaultRuleSet } from '../rules/defaultRules.js';
import type { RuleSet } from '../rules/rule.js';
import { Analysis } from './analysis.js';

/** Options of {@link runAnalysis}. */
export interface RunAnalysisOptions {
  readonly onEvent: (event: AnalysisEvent) => void;
  readonly rules?: RuleSet;
}

/**
 * Runs the analysis synchronously over an in-memory or lazily generated sample sequence,
 * handing every event to `onEvent` as it is produced (the last ones when the sequence ends).
 * Throws what the analysis throws.
 */
export function runAnalysis(samples: Iterable<Sample>, options: RunAnalysisOptions): void {
  const analysis = new Analysis(options.rules ?? defaultRuleSet());
  const deliver = (events: readonly AnalysisEvent[]): void => {
    for (let i = 0; i < events.length; i++) options.onEvent(events[i] as AnalysisEvent);
  };
  for (const sample of samples) deliver(analysis.push(sample));
  deliver(analysis.end());
}
