import type { SeriesContext } from '../detectors/definition.js';
import { RollingStats, scaleRollingStats } from '../detectors/rollingStats.js';
import type { AnalysisEvent } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import type { Stat } from '../model/stat.js';
import { median } from '../stats/median.js';
import type { CompiledRule, CompiledRuleSet } from '../rules/compileRules.js';
import { ruleMatches } from '../rules/ruleMatches.js';
import { DetectorRun } from './detectorRun.js';

/** The per-series rules of a set that apply to a series: not spanning series, matching it, producing something. */
export const seriesRules = (ruleSet: CompiledRuleSet, series: SeriesContext): CompiledRule[] =>
  ruleSet.compiled.filter(
    (compiled) =>
      compiled.group === undefined && ruleMatches(compiled.rule.match, series) && DetectorRun.produces(compiled),
  );

/** Samples a series' usual interval is learnt from (the median of their gaps) before its windows are set. */
export const INTERVAL_SAMPLES = 5;

/**
 * Everything one series runs: rolling stats, and the detector of every rule that applies to it
 * with its alert state. Time windows follow the series' sampling: when the rolling stats or a
 * detector have duration windows, the series' first {@link INTERVAL_SAMPLES} samples are held
 * until the median of their gaps is known, windows too short for that interval are stretched
 * (see DetectorDefinition.scale), and the held samples are then analysed in order, so a series
 * sampled every 5 minutes gets windows that hold enough samples and a 1-second one the rules'
 * own. For each sample, in this order: the results of the detectors that read samples, in rule
 * order (each result's event, then the alert transition it causes); then the rolling Stat of a
 * hop the sample closed, followed by the results of the detectors that read Stats, in rule order.
 * `end()` flushes in the same order. Plain objects, no RxJS: O(detectors) per sample on top of
 * the detectors' own costs.
 */
export class SeriesAnalyzer {
  private stats: RollingStats | null = null;
  private readonly sampleRuns: DetectorRun[] = [];
  private readonly statRuns: DetectorRun[] = [];
  private readonly rules: readonly CompiledRule[];
  /** Samples held until the interval is known; null once the windows are set. */
  private held: Sample[] | null;

  constructor(
    readonly series: SeriesContext,
    private readonly ruleSet: CompiledRuleSet,
  ) {
    this.rules = seriesRules(ruleSet, series);
    const followsInterval =
      'duration' in ruleSet.stats.window || this.rules.some((compiled) => compiled.definition.scale !== undefined);
    this.held = followsInterval ? [] : null;
    if (!followsInterval) this.build(undefined);
  }

  push(sample: Sample, emit: (event: AnalysisEvent) => void): void {
    const held = this.held;
    if (held !== null) {
      held.push(sample);
      if (held.length < INTERVAL_SAMPLES) return;
      this.release(emit);
      return;
    }
    this.analyse(sample, emit);
  }

  /**
   * Flushes the series. `evictedAt`: the event time at which it was released for idleness; its
   * open alerts then resolve with reason `idle` (at the end of a stream they stay as they are).
   */
  end(emit: (event: AnalysisEvent) => void, evictedAt?: number): void {
    if (this.held !== null) this.release(emit);
    for (const run of this.sampleRuns) run.end(emit);
    for (const stat of (this.stats as RollingStats).end()) this.stat(stat, emit);
    for (const run of this.statRuns) run.end(emit);
    if (evictedAt === undefined) return;
    for (const run of this.sampleRuns) run.evict(evictedAt, emit);
    for (const run of this.statRuns) run.evict(evictedAt, emit);
  }

  /** Sets the windows from the held samples' median gap, then analyses them in order. */
  private release(emit: (event: AnalysisEvent) => void): void {
    const held = this.held as Sample[];
    this.held = null;
    const gaps = held.slice(1).map((sample, i) => sample.ts - (held[i] as Sample).ts);
    // In whole µs, as every window and timestamp is.
    const interval = gaps.length === 0 ? undefined : Math.round(median(gaps));
    this.build(interval);
    for (const sample of held) this.analyse(sample, emit);
  }

  private build(interval: number | undefined): void {
    const statsOptions = interval !== undefined ? scaleRollingStats(this.ruleSet.stats, interval) : this.ruleSet.stats;
    this.stats = new RollingStats(statsOptions, this.series);
    for (const compiled of this.rules) {
      const run = new DetectorRun(compiled, this.series, interval);
      (compiled.definition.input === 'stats' ? this.statRuns : this.sampleRuns).push(run);
    }
  }

  private analyse(sample: Sample, emit: (event: AnalysisEvent) => void): void {
    const sampleRuns = this.sampleRuns;
    for (let i = 0; i < sampleRuns.length; i++) (sampleRuns[i] as DetectorRun).push(sample, emit);
    const stats = (this.stats as RollingStats).push(sample);
    for (let i = 0; i < stats.length; i++) this.stat(stats[i] as Stat, emit);
  }

  private stat(stat: Stat, emit: (event: AnalysisEvent) => void): void {
    emit({ type: 'stat', stat });
    const statRuns = this.statRuns;
    for (let i = 0; i < statRuns.length; i++) (statRuns[i] as DetectorRun).push(stat, emit);
  }
}
