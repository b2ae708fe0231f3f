import { MICROS_PER_SECOND } from '../../model/sample.js';
import type { Sample, Tags } from '../../model/sample.js';
import { createRandom } from '../../stats/random.js';

/** A latency change: none, a multiplicative step at `at`, or a linear drift of `total` over `over` µs from `at`. */
export type LatencyChange =
  | { readonly shape: 'none' }
  | { readonly shape: 'step'; readonly at: number; readonly factor: number }
  | { readonly shape: 'drift'; readonly at: number; readonly total: number; readonly over: number };

/** Parameters of a synthetic latency stream; every optional field has a realistic default. */
export interface SyntheticLatencySpec {
  readonly seed: number;
  /** First nominal sample time, epoch µs (integer). */
  readonly start: number;
  /** Stream length in µs. */
  readonly duration: number;
  readonly tags?: Tags;
  /** Samples per second (default 10). */
  readonly rate?: number;
  /** Median latency before any change, ms (default 50). */
  readonly median?: number;
  /** Marginal standard deviation of log latency (default 0.3). */
  readonly sigmaLog?: number;
  /** AR(1) coefficient of log latency (default 0.4). */
  readonly phi?: number;
  /** Probability that a sample is a spike (default 0.002). */
  readonly spikeProbability?: number;
  /** Spike multipliers are drawn uniformly from [minimum, maximum] (default 3–10). */
  readonly spikeMinimum?: number;
  readonly spikeMaximum?: number;
  readonly change?: LatencyChange;
}

const METRIC = 'http_req_duration';

/** Multiplicative effect of a change at event time `ts`. */
function changeFactor(change: LatencyChange, ts: number): number {
  switch (change.shape) {
    case 'none':
      return 1;
    case 'step':
      return ts >= change.at ? change.factor : 1;
    case 'drift':
      if (ts < change.at) return 1;
      return 1 + change.total * Math.min(1, (ts - change.at) / change.over);
  }
}

/**
 * Lazy labelled latency stream (ms): log-normal noise around `median` with Gaussian AR(1)
 * autocorrelation in log space, x_t = φ·x_{t−1} + √(1−φ²)·σ·ε_t, so the marginal log-sd stays σ
 * whatever φ (Box & Jenkins, Time Series Analysis, ch. 3). Rare spikes multiply one sample by
 * U(3, 10); changes multiply the underlying level. Timestamps are the nominal grid plus a jitter
 * of up to 80% of the interval, hence integer and strictly increasing. O(1) time and memory per sample.
 */
export function* syntheticLatency(spec: SyntheticLatencySpec): Generator<Sample> {
  const random = createRandom(spec.seed);
  const rate = spec.rate ?? 10;
  const median = spec.median ?? 50;
  const sigma = spec.sigmaLog ?? 0.3;
  const phi = spec.phi ?? 0.4;
  const spikeProbability = spec.spikeProbability ?? 0.002;
  const spikeMinimum = spec.spikeMinimum ?? 3;
  const spikeMaximum = spec.spikeMaximum ?? 10;
  const change = spec.change ?? { shape: 'none' };
  const tags = Object.freeze({ ...(spec.tags ?? {}) });
  const interval = MICROS_PER_SECOND / rate;
  const innovation = Math.sqrt(1 - phi * phi) * sigma;
  const count = Math.floor(spec.duration / interval);

  // Start from the stationary distribution so the first samples are not special.
  let x = sigma * random.normal();
  for (let i = 0; i < count; i++) {
    const ts = spec.start + Math.floor(i * interval + random.next() * 0.8 * interval);
    x = phi * x + innovation * random.normal();
    let value = median * Math.exp(x) * changeFactor(change, ts);
    if (random.next() < spikeProbability) {
      value *= spikeMinimum + (spikeMaximum - spikeMinimum) * random.next();
    }
    yield { ts, metric: METRIC, value, tags, unit: 'ms' };
  }
}
