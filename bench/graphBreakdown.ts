import { Subject, type Observable } from 'rxjs';
import type { Sample } from '../src/model/sample.js';
import { bySeries } from '../src/operators/bySeries.js';
import { eventTime } from '../src/operators/eventTime.js';
import { rollingStats } from '../src/operators/rollingStats.js';
import { analyze } from '../src/operators/analyze.js';
import { defaultRuleSet } from '../src/rules/defaultRules.js';

/** Options of the graph breakdown benchmark. */
export interface GraphBreakdownOptions {
  readonly series?: number;
  readonly steps?: number;
}

/**
 * Where the per-sample time of the analysis graph goes: the same in-memory latency samples
 * (1,000 series at 1/s) pushed through successively larger parts of the graph, from a bare
 * Subject to the default rules. Detectors here are in their per-sample phase (no baseline yet),
 * so the last row shows their per-sample cost, not their evaluations. Prints figures only.
 */
export function runGraphBreakdownBench(options: GraphBreakdownOptions = {}): void {
  const seriesCount = options.series ?? 1_000;
  const steps = options.steps ?? 300;
  const tags = Array.from({ length: seriesCount }, (_, i) => ({ endpoint: `e${i}` }));
  const samples: Sample[] = [];
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < seriesCount; i++) {
      samples.push({
        ts: 1_767_225_600_000_000 + s * 1_000_000 + i,
        metric: 'http_req_duration',
        unit: 'ms',
        value: 50 + (i % 7) + (s % 13),
        tags: tags[i] as { endpoint: string },
      });
    }
  }
  const stages: readonly [string, (input: Observable<Sample>) => Observable<unknown>][] = [
    ['Subject only (pass-through)', (input) => input],
    ['eventTime (5 s lateness)', (input) => input.pipe(eventTime({ allowedLateness: 5_000_000 }))],
    [
      '+ bySeries (identity per series)',
      (input) =>
        input.pipe(
          eventTime({ allowedLateness: 5_000_000 }),
          bySeries((group) => group),
        ),
    ],
    [
      '+ rollingStats (60 s window, 10 s hop)',
      (input) =>
        input.pipe(
          eventTime({ allowedLateness: 5_000_000 }),
          bySeries((group) => group.pipe(rollingStats())),
        ),
    ],
    ['analyze, default rules (per-sample phase)', (input) => input.pipe(analyze(defaultRuleSet()))],
  ];
  console.log(`graph breakdown: ${seriesCount} latency series, ${samples.length.toLocaleString()} samples`);
  for (const [name, build] of stages) {
    let best = 0;
    for (let round = 0; round < 2; round++) {
      const input = new Subject<Sample>();
      const subscription = build(input).subscribe(() => undefined);
      const started = performance.now();
      for (const sample of samples) input.next(sample);
      input.complete();
      best = Math.max(best, samples.length / ((performance.now() - started) / 1000));
      subscription.unsubscribe();
    }
    console.log(
      `  ${name.padEnd(44)} ${Math.round(best).toLocaleString().padStart(12)} samples/s  ${(1e6 / best).toFixed(2).padStart(6)} µs/sample`,
    );
  }
}
