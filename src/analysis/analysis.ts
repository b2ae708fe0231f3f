import type { SeriesContext } from '../detectors/definition.js';
import type { Processor } from '../detectors/processor.js';
import type { AnalysisEvent, Diagnostic, SeriesRef } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { compileRuleSet, type CompiledRule, type CompiledRuleSet } from '../rules/compileRules.js';
import { defaultRuleSet } from '../rules/defaultRules.js';
import type { RuleSet } from '../rules/rule.js';
import { ruleMatches } from '../rules/ruleMatches.js';
import { seriesOf } from '../rules/seriesOf.js';
import { DetectorRun } from './detectorRun.js';
import { EventTimeOrder } from './eventTimeOrder.js';
import { SeriesAnalyzer } from './seriesAnalyzer.js';
import { SeriesTable } from './seriesTable.js';

/** What one series runs: its own analyzer, and the runs of the groups it belongs to (scaling). */
interface SeriesState {
  readonly analyzer: SeriesAnalyzer;
  readonly groups: readonly DetectorRun[];
}

/**
 * The whole analysis of a sample stream, as one processor (DESIGN.md): samples are put in
 * event-time order (late ones counted and dropped), dispatched by series within the cardinality
 * limit (idle series closed), and each series' analyzer runs rolling stats, the detectors of its
 * rules and their alert states; rules whose detector spans series (scaling) run one processor per
 * group in the same loop. Diagnostics (late, out-of-order, series limit, evictions) are events
 * too. Events come out in this order: a sample's diagnostics as they arise, then its series'
 * events (see {@link SeriesAnalyzer}), then those of its groups in rule order; at the end, every
 * buffered sample's, then each series' flush in the order the series opened, then each group's
 * in rule order and the order the groups formed. Deterministic: the same samples give the same
 * events in the same order. Each call returns the events it produced, in one reused array.
 */
export class Analysis implements Processor<Sample, AnalysisEvent> {
  private readonly ruleSet: CompiledRuleSet;
  private readonly order: EventTimeOrder;
  private readonly table: SeriesTable<SeriesState>;
  private readonly groupRules: readonly CompiledRule[];
  /** Per group rule (same index as groupRules): its runs by group key, in the order they formed. */
  private readonly groupRuns: Map<string, DetectorRun>[];
  private readonly out: AnalysisEvent[] = [];
  private readonly emit = (event: AnalysisEvent): void => {
    this.out.push(event);
  };

  /**
   * `ruleSet` may be compiled already (compileRuleSet), as the analyze operator does once for
   * every subscriber. `options.now` is the wall clock (µs) of a live run, which bounds how far
   * ahead samples may be.
   */
  constructor(ruleSet: RuleSet | CompiledRuleSet = defaultRuleSet(), options: { readonly now?: () => number } = {}) {
    this.ruleSet = 'compiled' in ruleSet ? ruleSet : compileRuleSet(ruleSet);
    const onDiagnostic = (diagnostic: Diagnostic): void => this.emit({ type: 'diagnostic', diagnostic });
    this.order = new EventTimeOrder({
      allowedLateness: ruleSet.allowedLateness,
      maxAhead: ruleSet.maxAhead,
      ...(options.now !== undefined ? { now: options.now } : {}),
      onDiagnostic,
    });
    this.table = new SeriesTable<SeriesState>(
      {
        open: (key, first) => this.open(seriesOf(first, key, ruleSet.metrics)),
        close: (state, _key, evictedAt) => state.analyzer.end(this.emit, evictedAt),
      },
      { maxSeries: ruleSet.maxSeries, idleAfter: ruleSet.idleAfter, onDiagnostic },
    );
    this.groupRules = this.ruleSet.compiled.filter((c) => c.group !== undefined && DetectorRun.produces(c));
    this.groupRuns = this.groupRules.map(() => new Map());
  }

  push(sample: Sample): readonly AnalysisEvent[] {
    this.out.length = 0;
    const ordered = this.order.push(sample);
    for (let i = 0; i < ordered.length; i++) this.dispatch(ordered[i] as Sample);
    return this.out;
  }

  end(): readonly AnalysisEvent[] {
    this.out.length = 0;
    const ordered = this.order.end();
    for (let i = 0; i < ordered.length; i++) this.dispatch(ordered[i] as Sample);
    this.table.closeAll();
    for (const runs of this.groupRuns) for (const run of runs.values()) run.end(this.emit);
    return this.out;
  }

  private dispatch(sample: Sample): void {
    const state = this.table.stateOf(sample);
    if (state === null) return;
    state.analyzer.push(sample, this.emit);
    const groups = state.groups;
    for (let i = 0; i < groups.length; i++) (groups[i] as DetectorRun).push(sample, this.emit);
  }

  private open(series: SeriesContext): SeriesState {
    const groups: DetectorRun[] = [];
    this.groupRules.forEach((compiled, index) => {
      const group = (compiled.group as (series: SeriesRef) => SeriesRef | null)(series);
      if (group === null || !ruleMatches(compiled.rule.match, group)) return;
      const runs = this.groupRuns[index] as Map<string, DetectorRun>;
      let run = runs.get(group.series);
      if (run === undefined) runs.set(group.series, (run = new DetectorRun(compiled, group)));
      groups.push(run);
    });
    return { analyzer: new SeriesAnalyzer(series, this.ruleSet), groups };
  }
}
