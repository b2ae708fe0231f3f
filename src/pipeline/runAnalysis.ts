import { from, Subject } from 'rxjs';
import type { AnalysisEvent } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { analyze } from './analyze.js';
import { defaultRuleSet } from '../rules/defaultRules.js';
import type { RuleSet } from '../rules/rule.js';

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

/**
 * Runs the analysis graph over a sync or async sample sequence (recordings as they are read),
 * handing every event to `onEvent`. `onSample` sees each sample (and its index) just before it
 * is analysed; when it returns a promise, the next sample waits for it (backpressure for writers).
 * Resolves with the number of samples analysed; rejects with what the source or the graph fails with.
 */
export async function analyzeSamples(
  samples: Iterable<Sample> | AsyncIterable<Sample>,
  ruleSet: RuleSet,
  onEvent: (event: AnalysisEvent) => void,
  onSample?: (sample: Sample, index: number) => void | Promise<void>,
): Promise<number> {
  let failure: { error: unknown } | null = null;
  const input = new Subject<Sample>();
  const subscription = input.pipe(analyze(ruleSet)).subscribe({
    next: onEvent,
    error: (error: unknown) => {
      failure = { error };
    },
  });
  let count = 0;
  try {
    for await (const sample of samples) {
      const waiting = onSample?.(sample, count);
      if (waiting !== undefined) await waiting;
      input.next(sample);
      if (failure !== null) throw (failure as { error: unknown }).error;
      count++;
    }
    input.complete();
    if (failure !== null) throw (failure as { error: unknown }).error;
  } finally {
    subscription.unsubscribe();
  }
  return count;
}
