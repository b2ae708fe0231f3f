import { MICROS_PER_MINUTE } from '../src/model/sample.js';
import type { Sample } from '../src/model/sample.js';
import { compareRunData, runOf, type CompareResult, type Run } from '../src/run/compare.js';
import { syntheticLatency } from '../src/sources/synthetic/syntheticLatency.js';
import { createRandom, fmix32 } from '../src/stats/random.js';

/** Options of the compare benchmark. */
export interface CompareBenchOptions {
  /** Pairs of runs per condition. Default 200 (quick: 40). */
  readonly pairs?: number;
  readonly seed?: number;
  readonly quick?: boolean;
}

const START = Date.UTC(2026, 0, 1) * 1000;
/** Run length and rate: 10 minutes at 10 samples/s, of which MSER-5 drops what looks like warm-up. */
const RUN_MINUTES = 10;
const RATE = 10;

/** One run of one latency series: AR(1) log-normal noise with spikes, its level scaled by `factor`. */
function latencyRun(seed: number, factor: number, label: string): Run {
  const samples: Sample[] = [];
  for (const sample of syntheticLatency({
    seed,
    start: START,
    duration: RUN_MINUTES * MICROS_PER_MINUTE,
    rate: RATE,
    median: 50 * factor,
    tags: { route: '/checkout', run: label },
  }))
    samples.push(sample);
  return runOf(label, samples);
}

interface Condition {
  readonly name: string;
  readonly shift: number;
  readonly betweenRuns: number;
  readonly runs: number;
}

/** How often the p50 row, and any row of the series, was flagged over the pairs of one condition. */
function measure(condition: Condition, pairs: number, seed: number): { p50: number; any: number; regressions: number } {
  let p50 = 0;
  let any = 0;
  let regressions = 0;
  for (let pair = 0; pair < pairs; pair++) {
    const random = createRandom(fmix32(seed ^ Math.imul(pair + 1, 0x9e3779b1)));
    // Each run gets its own level, exp(N(0, σ_between)): runs of one build differ a little.
    const side = (factor: number, name: string): Run[] =>
      Array.from({ length: condition.runs }, (_, i) =>
        latencyRun(
          random.nextInt(2 ** 31),
          factor * Math.exp(condition.betweenRuns * random.normal()),
          `${name}-${pair}-${i}`,
        ),
      );
    const result: CompareResult = compareRunData(side(1, 'base'), side(1 + condition.shift, 'new'));
    const flagged = result.rows.filter((row) => row.verdict !== '~');
    if (flagged.some((row) => row.stat === 'p50')) p50++;
    if (flagged.length > 0) any++;
    if (result.rows.some((row) => row.regression)) regressions++;
  }
  return { p50: p50 / pairs, any: any / pairs, regressions: regressions / pairs };
}

const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;

/**
 * Quality of `soakstream compare` on generated pairs of runs (`npm run bench -- compare`): latency
 * series of 10 minutes at 10 samples/s (log-normal, AR(1) φ 0.4, rare spikes), without a change and
 * with a 5% shift of every sample, with 1 and 3 runs per side, without and with 1% (log sd)
 * variation between runs of the same build; the default settings (welch, α 0.01, MSER-5 warm-up).
 * Prints how often a series was flagged (any of p50/p95/p99) and how often its p50 was, with the
 * targets: ≤ 1% of unchanged series flagged, ≥ 90% of 5% shifts found with 3 runs per side.
 */
export function runCompareBench(options: CompareBenchOptions = {}): boolean {
  const pairs = options.pairs ?? (options.quick ? 40 : 200);
  const seed = options.seed ?? 1;
  const conditions: Condition[] = [];
  for (const betweenRuns of [0, 0.01])
    for (const runs of [1, 3]) for (const shift of [0, 0.05]) conditions.push({ name: '', shift, betweenRuns, runs });
  console.log(
    `compare: ${pairs} pairs per row, latency ${RUN_MINUTES} min at ${RATE}/s per run, seed ${seed}\n\n` +
      '| change | runs per side | between-run sd | series flagged (any stat) | p50 flagged | regressions | ' +
      'target | result |\n' +
      '|---|--:|--:|--:|--:|--:|---|---|',
  );
  let pass = true;
  for (const condition of conditions) {
    const started = performance.now();
    const found = measure(condition, pairs, seed);
    const target =
      condition.shift === 0
        ? { text: '≤ 1% flagged', ok: found.any <= 0.01 }
        : condition.runs === 3
          ? { text: '≥ 90% p50 found', ok: found.p50 >= 0.9 }
          : { text: '—', ok: true };
    // The target holds for runs of one build that differ only by noise; with between-run
    // variation it is shown, not required.
    const required = condition.betweenRuns === 0 && target.text !== '—';
    if (required && !target.ok) pass = false;
    const shown = target.text === '—' ? '' : `${target.text}${required ? '' : ' (shown)'}`;
    const result = target.text === '—' ? '' : target.ok ? 'PASS' : 'FAIL';
    console.log(
      `| ${condition.shift === 0 ? 'none' : `+${condition.shift * 100}%`} | ${condition.runs} | ` +
        `${percent(condition.betweenRuns)} | ${percent(found.any)} | ${percent(found.p50)} | ` +
        `${percent(found.regressions)} | ${shown} | ${result} |`,
    );
    process.stderr.write(`  ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  return pass;
}
