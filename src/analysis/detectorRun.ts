import { AlertState } from '../detectors/alertState.js';
import type { AlertDetails, SeriesContext, Timed } from '../detectors/definition.js';
import type { Processor } from '../detectors/processor.js';
import type { AnalysisEvent } from '../model/events.js';
import type { CompiledRule } from '../rules/compileRules.js';

/**
 * One rule's detector on one series (or group): its processor, and the alert state its results
 * drive when the rule alerts. Each result becomes the detector's event (when it stores one), then
 * the alert transition it causes (when it causes one).
 */
export class DetectorRun {
  private readonly processor: Processor<unknown, Timed>;
  private readonly alert: AlertState | null;
  private readonly describe: (result: Timed) => AlertDetails;

  constructor(
    private readonly compiled: CompiledRule,
    series: SeriesContext,
  ) {
    const { definition, options, policy } = compiled;
    this.processor = compiled.create(series);
    this.alert = policy !== null ? new AlertState(policy, series) : null;
    this.describe = (result) => definition.describe(result, options, series);
  }

  /** Whether a rule produces anything on its own: an event to store, or alerts. */
  static produces(compiled: CompiledRule): boolean {
    return compiled.definition.event !== undefined || compiled.policy !== null;
  }

  push(input: unknown, emit: (event: AnalysisEvent) => void): void {
    this.deliver(this.processor.push(input), emit);
  }

  end(emit: (event: AnalysisEvent) => void): void {
    this.deliver(this.processor.end(), emit);
  }

  private deliver(results: readonly Timed[], emit: (event: AnalysisEvent) => void): void {
    if (results.length === 0) return;
    const { definition, options } = this.compiled;
    for (let i = 0; i < results.length; i++) {
      const result = results[i] as Timed;
      if (definition.event !== undefined) emit(definition.event(result));
      if (this.alert !== null) {
        const alert = this.alert.update(result.ts, definition.active(result, options), result, this.describe);
        if (alert !== null) emit({ type: 'alert', alert });
      }
    }
  }
}
