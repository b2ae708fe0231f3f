import type { SeriesContext } from '../detectors/definition.js';
import { RollingStats } from '../detectors/rollingStats.js';
import type { AnalysisEvent } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import type { Stat } from '../model/stat.js';
import type { CompiledRule, CompiledRuleSet } from '../rules/compileRules.js';
import { ruleMatches } from '../rules/ruleMatches.js';
import { DetectorRun } from './detectorRun.js';

/** The per-series rules of a set that apply to a series: not spanning series, matching it, producing something. */
export const seriesRules = (ruleSet: CompiledRuleSet, series: SeriesContext): CompiledRule[] =>
  ruleSet.compiled.filter(
    (compiled) =>
      compiled.group === undefined && ruleMatches(compiled.rule.match, series) && DetectorRun.produces(compiled),
  );

/**
 * Everything one series runs: rolling stats, and the detector of every rule that applies to it
 * with its alert state. For each sample, in this order: the results of the detectors that read
 * samples, in rule order (each result's event, then the alert transition it causes); then the
 * rolling Stat of a hop the sample closed, followed by the results of the detectors that read
 * Stats, in rule order. `end()` flushes in the same order. Plain objects, no RxJS: O(detectors)
 * per sample on top of the detectors' own costs.
 */
export class SeriesAnalyzer {
  private readonly stats: RollingStats;
  private readonly sampleRuns: DetectorRun[] = [];
  private readonly statRuns: DetectorRun[] = [];

  constructor(
    readonly series: SeriesContext,
    ruleSet: CompiledRuleSet,
  ) {
    this.stats = new RollingStats(ruleSet.stats, series);
    for (const compiled of seriesRules(ruleSet, series)) {
      const run = new DetectorRun(compiled, series);
      (compiled.definition.input === 'stats' ? this.statRuns : this.sampleRuns).push(run);
    }
  }

  push(sample: Sample, emit: (event: AnalysisEvent) => void): void {
    const sampleRuns = this.sampleRuns;
    for (let i = 0; i < sampleRuns.length; i++) (sampleRuns[i] as DetectorRun).push(sample, emit);
    const stats = this.stats.push(sample);
    for (let i = 0; i < stats.length; i++) this.stat(stats[i] as Stat, emit);
  }

  /**
   * Flushes the series. `evictedAt`: the event time at which it was released for idleness; its
   * open alerts then resolve with reason `idle` (at the end of a stream they stay as they are).
   */
  end(emit: (event: AnalysisEvent) => void, evictedAt?: number): void {
    for (const run of this.sampleRuns) run.end(emit);
    for (const stat of this.stats.end()) this.stat(stat, emit);
    for (const run of this.statRuns) run.end(emit);
    if (evictedAt === undefined) return;
    for (const run of this.sampleRuns) run.evict(evictedAt, emit);
    for (const run of this.statRuns) run.evict(evictedAt, emit);
  }

  private stat(stat: Stat, emit: (event: AnalysisEvent) => void): void {
    emit({ type: 'stat', stat });
    const statRuns = this.statRuns;
    for (let i = 0; i < statRuns.length; i++) (statRuns[i] as DetectorRun).push(stat, emit);
  }
}
