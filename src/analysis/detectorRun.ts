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
  private readonly series: SeriesContext;
  /** The rule's options, stretched for the series' sampling interval when it needed it. */
  private readonly options: object;

  /** `interval`: the series' usual sampling interval (µs), when known, which the detector's windows follow. */
  constructor(
    private readonly compiled: CompiledRule,
    series: SeriesContext,
    interval?: number,
  ) {
    const { definition, policy } = compiled;
    const options =
      interval !== undefined && definition.scale !== undefined
        ? definition.scale(compiled.options, interval)
        : compiled.options;
    this.options = options;
    this.series = series;
    this.processor = options === compiled.options ? compiled.create(series) : definition.compile(options)(series);
    // An episodic detector's results are events: each fires at once, whatever the rule's `for`.
    const alertPolicy = policy !== null && definition.episodic === true ? { ...policy, forMicros: 0 } : policy;
    this.alert = alertPolicy !== null ? new AlertState(alertPolicy, series) : null;
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

  /** The series was released for idleness at event time `ts`: its open alert resolves, saying so. */
  evict(ts: number, emit: (event: AnalysisEvent) => void): void {
    const alert = this.alert?.evict(ts) ?? null;
    if (alert !== null) emit({ type: 'alert', alert });
  }

  private deliver(results: readonly Timed[], emit: (event: AnalysisEvent) => void): void {
    if (results.length === 0) return;
    const { definition } = this.compiled;
    const options = this.options;
    for (let i = 0; i < results.length; i++) {
      const result = results[i] as Timed;
      if (definition.event !== undefined) {
        const event = definition.event(result, options, this.series);
        if (event !== null) emit(event);
      }
      if (this.alert !== null) {
        const active = definition.active(result, options);
        if (active && definition.episodic === true) {
          const superseded = this.alert.supersede(result.ts);
          if (superseded !== null) emit({ type: 'alert', alert: superseded });
        }
        const alert = this.alert.update(result.ts, active, result, this.describe);
        if (alert !== null) emit({ type: 'alert', alert });
      }
    }
  }
}
