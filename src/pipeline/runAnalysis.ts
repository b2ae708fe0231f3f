import { from } from 'rxjs';
import type { AnalysisEvent } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { analyze } from './analyze.js';
import { defaultRuleSet } from './defaultRules.js';
import type { RuleSet } from './rule.js';

/** Options of {@link runAnalysis}. */
export interface RunAnalysisOptions {
  readonly onEvent: (event: AnalysisEvent) => void;
  readonly rules?: RuleSet;
}

/**
 * Runs the analysis graph synchronously over an in-memory or lazily generated sample sequence,
 * handing every event to `onEvent` as it is produced. Throws what the graph fails with.
 */
export function runAnalysis(samples: Iterable<Sample>, options: RunAnalysisOptions): void {
  let failure: { error: unknown } | null = null;
  from(samples)
    .pipe(analyze(options.rules ?? defaultRuleSet()))
    .subscribe({
      next: options.onEvent,
      error: (error: unknown) => {
        failure = { error };
      },
    });
  if (failure !== null) throw (failure as { error: unknown }).error;
}
