import { describe, expect, it } from 'vitest';
import { MICROS_PER_MINUTE, MICROS_PER_SECOND } from '../../../src/model/sample.js';
import { syntheticLatency } from '../../../src/sources/synthetic/syntheticLatency.js';
import type { SyntheticLatencySpec } from '../../../src/sources/synthetic/syntheticLatency.js';
import { approxEqual } from '../../support/approxEqual.js';
import { medianOf } from '../../support/medianOf.js';

const start = 1_767_225_600_000_000;
const minutes = (m: number): number => m * MICROS_PER_MINUTE;

function collect(spec: SyntheticLatencySpec) {
  return [...syntheticLatency(spec)];
}

describe('syntheticLatency', () => {
  it('is a pure function of its seed', () => {
    const spec = { seed: 11, start, duration: minutes(1) };
    expect(collect(spec)).toEqual(collect(spec));
    expect(collect({ ...spec, seed: 12 }).map((s) => s.value)).not.toEqual(collect(spec).map((s) => s.value));
  });

  it('emits integer, strictly increasing timestamps at the requested rate with metric, unit and tags', () => {
    const samples = collect({ seed: 1, start, duration: minutes(5), tags: { class: 'x' } });
    expect(samples.length).toBe(5 * 60 * 10);
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i]!;
      expect(Number.isInteger(s.ts)).toBe(true);
      if (i > 0) expect(s.ts).toBeGreaterThan(samples[i - 1]!.ts);
      expect(s.metric).toBe('http_req_duration');
      expect(s.unit).toBe('ms');
      expect(s.tags).toEqual({ class: 'x' });
      expect(s.value).toBeGreaterThan(0);
    }
    expect(samples[0]!.ts).toBeGreaterThanOrEqual(start);
    expect(samples.at(-1)!.ts).toBeLessThan(start + minutes(5));
  });

  it('has the requested median, log-sd and lag-1 autocorrelation of log latency', () => {
    const values = collect({
      seed: 3,
      start,
      duration: minutes(30),
      spikeProbability: 0,
      median: 50,
      sigmaLog: 0.3,
      phi: 0.4,
    }).map((s) => Math.log(s.value));
    approxEqual(Math.exp(medianOf(values)), 50, 0.03, 0, 'median');
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    let variance = 0;
    let lagged = 0;
    for (let i = 0; i < values.length; i++) {
      variance += (values[i]! - mean) ** 2;
      if (i > 0) lagged += (values[i]! - mean) * (values[i - 1]! - mean);
    }
    approxEqual(Math.sqrt(variance / values.length), 0.3, 0.05, 0, 'log sd');
    approxEqual(lagged / variance, 0.4, 0, 0.05, 'lag-1 autocorrelation');
  });

  it('multiplies roughly the requested fraction of samples by 3–10×', () => {
    // A narrow body makes every value above 2× the median a spike.
    const samples = collect({ seed: 5, start, duration: minutes(60), spikeProbability: 0.01, sigmaLog: 0.05 });
    const spikes = samples.filter((s) => s.value > 100);
    approxEqual(spikes.length / samples.length, 0.01, 0.15, 0, 'spike rate');
    for (const s of spikes) expect(s.value).toBeLessThan(50 * 10 * Math.exp(0.25));
  });

  it.each([1.05, 1.1, 1.25, 0.8])('moves the median by the step factor %f at onset', (factor) => {
    const at = start + minutes(10);
    const samples = collect({ seed: 7, start, duration: minutes(20), change: { shape: 'step', at, factor } });
    const beforeMedian = medianOf(samples.filter((s) => s.ts < at).map((s) => s.value));
    const afterMedian = medianOf(samples.filter((s) => s.ts >= at).map((s) => s.value));
    approxEqual(afterMedian / beforeMedian, factor, 0, 0.03, 'median ratio');
  });

  it('drifts linearly by the requested total over the drift span', () => {
    const at = start + minutes(10);
    const samples = collect({
      seed: 9,
      start,
      duration: minutes(40),
      change: { shape: 'drift', at, total: 0.3, over: minutes(20) },
    });
    const window = (from: number, to: number) =>
      medianOf(samples.filter((s) => s.ts >= start + minutes(from) && s.ts < start + minutes(to)).map((s) => s.value));
    const before = window(0, 10);
    approxEqual(window(18, 22) / before, 1.15, 0, 0.04, 'half way');
    approxEqual(window(30, 40) / before, 1.3, 0, 0.04, 'after the drift span');
  });

  it('keeps timestamps strictly increasing at non-integer intervals', () => {
    const samples = collect({ seed: 2, start, duration: 10 * MICROS_PER_SECOND, rate: 3 });
    expect(samples.length).toBe(30);
    for (let i = 1; i < samples.length; i++) expect(samples[i]!.ts).toBeGreaterThan(samples[i - 1]!.ts);
  });
});
