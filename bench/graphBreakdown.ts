import { Analysis } from '../src/analysis/analysis.js';
import { EventTimeOrder } from '../src/analysis/eventTimeOrder.js';
import { SeriesTable } from '../src/analysis/seriesTable.js';
import type { Sample } from '../src/model/sample.js';
import { MICROS_PER_SECOND } from '../src/model/sample.js';
import { defaultRuleSet } from '../src/rules/defaultRules.js';
import type { Rule, RuleSet } from '../src/rules/rule.js';
import { generateSamples, seriesSpecs, WARMUP_SECONDS } from './coreGraph.js';

/** Options of the breakdown benchmark. */
export interface GraphBreakdownOptions {
  readonly series?: number;
  readonly samples?: number;
  readonly seed?: number;
}

const START = Date.UTC(2026, 0, 1) * 1000;

/**
 * Where the per-sample time of the analysis goes, in its steady state: the core benchmark's
 * series (after the same 32 min warm-up) pushed through the parts of the analysis, from event
 * time and the dispatch to series alone, then the whole analysis with all the default rules and
 * with each detector's rules left out in turn; the difference is that detector's share. Prints
 * figures only.
 */
export function runGraphBreakdownBench(options: GraphBreakdownOptions = {}): void {
  const seriesCount = options.series ?? 1_000;
  const total = options.samples ?? 500_000;
  const specs = seriesSpecs(seriesCount, options.seed ?? 1);
  const warmup = [...generateSamples(specs, START, WARMUP_SECONDS, 1)];
  const timed = [
    ...generateSamples(specs, START + WARMUP_SECONDS * MICROS_PER_SECOND, Math.round(total / seriesCount), 1),
  ];
  const without =
    (...types: Rule['detector']['type'][]) =>
    (rules: RuleSet): RuleSet => ({
      ...rules,
      rules: rules.rules.filter((rule) => !types.includes(rule.detector.type)),
    });
  const variants: readonly [string, (rules: RuleSet) => RuleSet][] = [
    ['all default rules', (rules) => rules],
    ['without regression', without('regression')],
    ['without change points', without('changepoint')],
    ['without leak slope', without('leak')],
    ['without scaling and threshold', without('scaling', 'threshold')],
    ['rolling stats only (no rules)', without('regression', 'changepoint', 'leak', 'scaling', 'threshold')],
  ];
  console.log(
    `breakdown: ${seriesCount} series as in the full graph, after a ${WARMUP_SECONDS / 60} min warm-up, ` +
      `${timed.length.toLocaleString()} samples at 1/s per series`,
  );
  const row = (name: string, perSample: number): void =>
    console.log(
      `  ${name.padEnd(44)} ${Math.round(1e6 / perSample)
        .toLocaleString()
        .padStart(12)} samples/s  ${perSample.toFixed(2).padStart(6)} µs/sample`,
    );
  // Event time and the dispatch to series, without any analysis behind them.
  const order = new EventTimeOrder({ allowedLateness: 5 * MICROS_PER_SECOND });
  const table = new SeriesTable<null>({ open: () => null, close: () => undefined });
  for (const sample of warmup) for (const released of order.push(sample)) table.stateOf(released);
  let started = performance.now();
  for (const sample of timed) for (const released of order.push(sample)) table.stateOf(released);
  row('event time + dispatch to series', ((performance.now() - started) * 1000) / timed.length);
  const costs = new Map<string, number>();
  for (const [name, rules] of variants) {
    const analysis = new Analysis(rules(defaultRuleSet()));
    for (const sample of warmup) analysis.push(sample);
    started = performance.now();
    for (let i = 0; i < timed.length; i++) analysis.push(timed[i] as Sample);
    const perSample = ((performance.now() - started) * 1000) / timed.length;
    costs.set(name, perSample);
    row(name, perSample);
  }
  const all = costs.get('all default rules') as number;
  const shares = variants
    .slice(1, -1)
    .map(([name]) => `${name.replace('without ', '')} ${(all - (costs.get(name) as number)).toFixed(2)}`)
    .join(', ');
  console.log(`  µs per sample (all series) each detector adds: ${shares}`);
}
