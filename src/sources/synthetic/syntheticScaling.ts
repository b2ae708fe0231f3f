import { MICROS_PER_SECOND } from '../../model/sample.js';
import type { Sample, Tags } from '../../model/sample.js';
import { createRandom } from '../../stats/random.js';
import { uslThroughput, type UslParameters } from '../../stats/uslThroughput.js';

/** Parameters of a synthetic closed-model throughput stream; times in epoch µs. */
export interface SyntheticScalingSpec {
  readonly seed: number;
  readonly start: number;
  /** Concurrency steps, in order (default 1, 2, 4, 8, 16, 32). */
  readonly steps?: readonly number[];
  /** Seconds each step is held (default 60). */
  readonly stepSeconds?: number;
  /** The system's Universal Scalability Law (default σ 0.05, κ 0.002, λ 100 req/s). */
  readonly usl?: UslParameters;
  /** Relative noise of each one-second throughput reading, uniform ± (default 0.03). */
  readonly noise?: number;
  readonly tags?: Tags;
  /** Metric name (default http_reqs_throughput, as the closed-model load generator emits). */
  readonly metric?: string;
}

/**
 * Lazy throughput stream of a closed-model run: one `http_reqs_throughput` sample per second,
 * tagged `concurrency` and `stage` like closedModelLoad's, whose level at N users follows the
 * Universal Scalability Law X(N) (Gunther 2007) with uniform relative noise. O(1) per sample.
 */
export function* syntheticScaling(spec: SyntheticScalingSpec): Generator<Sample> {
  const random = createRandom(spec.seed);
  const steps = spec.steps ?? [1, 2, 4, 8, 16, 32];
  const seconds = spec.stepSeconds ?? 60;
  const usl = spec.usl ?? { sigma: 0.05, kappa: 0.002, lambda: 100 };
  const noise = spec.noise ?? 0.03;
  const metric = spec.metric ?? 'http_reqs_throughput';
  let ts = spec.start;
  for (const [stage, concurrency] of steps.entries()) {
    const tags = Object.freeze({ ...(spec.tags ?? {}), stage: String(stage), concurrency: String(concurrency) });
    const level = uslThroughput(concurrency, usl);
    for (let i = 0; i < seconds; i++) {
      yield { ts, metric, value: level * (1 + noise * (2 * random.next() - 1)), tags, unit: 'req/s' };
      ts += MICROS_PER_SECOND;
    }
  }
}
