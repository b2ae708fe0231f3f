import fc from 'fast-check';
import { map } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { RegressionResult } from '../../src/model/events.js';
import { MICROS_PER_SECOND, type Sample } from '../../src/model/sample.js';
import { regression, type RegressionOperatorOptions as RegressionOptions } from '../../src/operators/regression.js';
import type { ReferenceSpec } from '../../src/detectors/regressionReference.js';
import { mannWhitney } from '../../src/stats/mannWhitney.js';
import { quantileSorted } from '../../src/stats/quantileSorted.js';
import { createRandom } from '../../src/stats/random.js';
import { serialVarianceInflation } from '../../src/stats/serialVarianceInflation.js';
import { approxEqual } from '../support/approxEqual.js';
import { runOperator } from '../support/runOperator.js';
import { sample } from '../support/sample.js';
import { testScheduler } from '../support/testScheduler.js';
import { medianOf } from '../support/medianOf.js';

const SECOND = MICROS_PER_SECOND;

/** Hodges–Lehmann shift written out: the median of all differences recent − reference. */
function naiveShift(recent: readonly number[], reference: readonly number[]): number {
  return medianOf(recent.flatMap((x) => reference.map((y) => x - y)));
}

/** The reference values the documented spec describes after the samples `pushed`, or null while it is not ready. */
function referenceAfter(pushed: readonly Sample[], spec: ReferenceSpec): number[] | null {
  if (spec.type === 'stored') {
    if (!('values' in spec)) throw new Error('this model covers stored values, not baselines');
    return spec.values.length > 0 ? Array.from(spec.values) : null;
  }
  const first = pushed[0];
  const last = pushed.at(-1);
  if (first === undefined || last === undefined) return null;
  if (spec.type === 'initial') {
    const start = first.ts + spec.warmup;
    if (!pushed.some((s) => s.ts >= start + spec.duration)) return null;
    return pushed.filter((s) => s.ts >= start && s.ts < start + spec.duration).map((s) => s.value);
  }
  const end = last.ts - spec.lag;
  const held = pushed.filter((s) => s.ts > end - spec.duration && s.ts <= end).map((s) => s.value);
  return held.length > 0 ? held : null;
}

/**
 * Batch one-sided U test of a recent window (in time order) against the reference, its variance
 * inflated for the window's lag-1 autocorrelation, winsorized at the window's 1st and 99th
 * order-statistic ranks, as the operator documents.
 */
function batchTest(
  recentInTimeOrder: readonly number[],
  reference: readonly number[],
  sign: number,
): ReturnType<typeof mannWhitney> {
  const sorted = [...recentInTimeOrder].sort((a, b) => a - b);
  const n = sorted.length;
  const inflation = serialVarianceInflation(
    recentInTimeOrder,
    sorted[Math.floor(0.01 * (n - 1))],
    sorted[Math.ceil(0.99 * (n - 1))],
  );
  return mannWhitney(recentInTimeOrder, reference, {
    alternative: sign > 0 ? 'greater' : 'less',
    varianceInflation: inflation,
  });
}

interface Expected {
  readonly ts: number;
  readonly recent: number[];
  readonly reference: number[];
  readonly regressed: boolean;
  /** Verdict of the tier's previous test, which sets the hysteresis threshold. */
  readonly wasRegressed: boolean;
}

/** Batch model for one tier evaluated at every boundary of `evaluateEvery`. */
function batchRegression(
  samples: readonly Sample[],
  spec: ReferenceSpec,
  recentWindow: number,
  evaluateEvery: number,
  minSamples: number,
  alpha: number,
  minRelativeShift: number,
  sign: number,
): Expected[] {
  const out: Expected[] = [];
  let next = Number.NEGATIVE_INFINITY;
  let wasRegressed = false;
  samples.forEach((s, i) => {
    if (s.ts >= next) {
      if (next !== Number.NEGATIVE_INFINITY) {
        const pushed = samples.slice(0, i);
        const reference = referenceAfter(pushed, spec);
        if (reference !== null && reference.length >= minSamples) {
          const recent = pushed.filter((p) => p.ts > next - recentWindow && p.ts < next).map((p) => p.value);
          if (recent.length >= minSamples) {
            const test = batchTest(recent, reference, sign);
            const relative = naiveShift(recent, reference) / Math.abs(medianOf(reference));
            const regressed = test.pValue < alpha && sign * relative >= minRelativeShift * (wasRegressed ? 0.5 : 1);
            out.push({ ts: next, recent, reference, regressed, wasRegressed });
            wasRegressed = regressed;
          } else wasRegressed = false;
        }
      }
      next = (Math.floor(s.ts / evaluateEvery) + 1) * evaluateEvery;
    }
  });
  return out;
}

/** Log-normal latencies (median 100) every 100 ms, multiplied by `factor` from `changeAt` µs on. */
function latencies(seed: number, seconds: number, changeAt: number, factor: number): Sample[] {
  const random = createRandom(seed);
  return Array.from({ length: seconds * 10 }, (_, i) => {
    const ts = i * 100_000;
    return sample(ts, Math.exp(Math.log(100) + 0.3 * random.normal()) * (ts >= changeAt ? factor : 1));
  });
}

const brief = (r: RegressionResult): string => `${r.ts}:${r.nRecent}:${r.nBaseline}:${r.regressed}`;

describe('regression', () => {
  const values = { a: sample(1, 100), b: sample(2, 101), c: sample(3, 102), d: sample(10, 103), e: sample(20, 104) };
  const small: RegressionOptions = {
    direction: 'up',
    reference: { type: 'stored', values: [1, 2, 3, 4, 5] },
    tiers: [{ window: 10, minShift: 0.1 }],
    evaluateEvery: 10,
    minSamples: 3,
    alpha: 0.05,
  };

  it('tests the recent window against the reference at each evaluation boundary', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-e-|', values);
      // At 10: recent (0, 10) = {100, 101, 102} vs {1..5}, exact one-sided p = 1/56. At 20 the
      // window (10, 20) is empty.
      expectObservable(source.pipe(regression(small), map(brief))).toBe('-------x---|', { x: '10:3:5:true' });
      expectSubscriptions(source.subscriptions).toBe('^----------!');
    });
  });

  it('reports medians, shift and p-value of the evaluation', () => {
    const [result] = runOperator(Object.values(values), regression(small)).values;
    expect(result).toMatchObject({
      series: 'latency',
      metric: 'latency',
      tags: {},
      ts: 10,
      baselineMedian: 3,
      recentMedian: 101,
      shift: 98,
      nBaseline: 5,
      nRecent: 3,
      recentWindow: 10,
      regressed: true,
    });
    approxEqual(result?.relativeShift as number, 98 / 3, 1e-12, 0, 'relative shift');
    approxEqual(result?.pValue as number, 1 / 56, 1e-12, 0, 'p-value');
  });

  it('sends a window error (a timestamp going backwards) to the error channel', () => {
    const run = runOperator([sample(50, 1), sample(40, 2)], regression(small));
    expect(run.error).toBeInstanceOf(RangeError);
    expect(run.completed).toBe(false);
  });

  it('refuses bad options', () => {
    expect(() => regression({ direction: 'up', tiers: [] })).toThrow(RangeError);
    expect(() => regression({ direction: 'up', tiers: [{ window: 0, minShift: 0.1 }] })).toThrow(RangeError);
    expect(() => regression({ direction: 'up', evaluateEvery: 0 })).toThrow(RangeError);
    expect(() => regression({ direction: 'up', alpha: 1 })).toThrow(RangeError);
    expect(() => regression({ direction: 'up', reference: { type: 'initial', warmup: -1, duration: 1 } })).toThrow(
      RangeError,
    );
    expect(() => regression({ direction: 'up', reference: { type: 'stored', values: [1, Number.NaN] } })).toThrow(
      RangeError,
    );
  });

  const realistic = (direction: 'up' | 'down'): RegressionOptions => ({
    direction,
    reference: { type: 'initial', warmup: 10 * SECOND, duration: 60 * SECOND },
    tiers: [
      { window: 30 * SECOND, minShift: 0.1 },
      { window: 60 * SECOND, minShift: 0.05 },
    ],
    evaluateEvery: 5 * SECOND,
  });

  it('flags a +25% step in log-normal latency soon after it, and nothing before', () => {
    for (const seed of [1, 2, 3]) {
      const results = runOperator(latencies(seed, 300, 150 * SECOND, 1.25), regression(realistic('up'))).values;
      expect(
        results.filter((r) => r.ts <= 150 * SECOND && r.regressed),
        `seed ${seed}`,
      ).toEqual([]);
      const first = results.find((r) => r.regressed);
      expect(first?.ts).toBeGreaterThan(150 * SECOND);
      expect(first?.ts).toBeLessThanOrEqual(185 * SECOND);
      const last = results.at(-1) as RegressionResult;
      expect(last.regressed).toBe(true);
      approxEqual(last.relativeShift, 0.25, 0, 0.08, 'relative shift');
    }
  });

  it('does not flag a −20% improvement when up is bad, and flags it when down is bad', () => {
    for (const seed of [4, 5]) {
      const input = latencies(seed, 300, 150 * SECOND, 0.8);
      expect(runOperator(input, regression(realistic('up'))).values.some((r) => r.regressed)).toBe(false);
      const down = runOperator(input, regression(realistic('down'))).values;
      expect(down.filter((r) => r.ts <= 150 * SECOND && r.regressed)).toEqual([]);
      expect(down.at(-1)?.regressed).toBe(true);
    }
  });

  it('stays quiet on stationary data', () => {
    const results = runOperator(latencies(6, 300, Number.POSITIVE_INFINITY, 1), regression(realistic('up'))).values;
    expect(results.length).toBeGreaterThan(30);
    expect(results.some((r) => r.regressed)).toBe(false);
  });

  it('a trailing reference ends lag before now, so it holds nothing from before a pause in the stream', () => {
    const input: Sample[] = [];
    for (let ts = 0; ts < 5 * SECOND; ts += 100_000) input.push(sample(ts, 10));
    for (let ts = 20 * SECOND; ts < 30 * SECOND; ts += 100_000) input.push(sample(ts, 20));
    const options: RegressionOptions = {
      direction: 'up',
      reference: { type: 'trailing', lag: SECOND, duration: 2 * SECOND },
      tiers: [{ window: 5 * SECOND, minShift: 0.1 }],
      evaluateEvery: SECOND,
      minSamples: 5,
      alpha: 0.05,
    };
    const results = runOperator(input, regression(options)).values;
    // After the pause the reference refills from the new level (20) only: nothing is compared with the old level (10).
    expect(results.filter((r) => r.ts > 5 * SECOND).map((r) => r.baselineMedian)).not.toContain(10);
    expect(results.some((r) => r.regressed)).toBe(false);
    expect(results.filter((r) => r.ts > 5 * SECOND).length).toBeGreaterThan(0);
  });

  const references = fc.oneof(
    fc.record({
      type: fc.constant('initial' as const),
      warmup: fc.constantFrom(0, 2 * SECOND),
      duration: fc.constant(10 * SECOND),
    }),
    fc.record({
      type: fc.constant('trailing' as const),
      lag: fc.integer({ min: 0, max: 8 * SECOND }),
      duration: fc.integer({ min: SECOND, max: 10 * SECOND }),
    }),
    fc.record({
      type: fc.constant('stored' as const),
      values: fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 12 }),
    }),
  );
  const series = fc
    .record({
      start: fc.integer({ min: -5 * SECOND, max: 5 * SECOND }),
      steps: fc.array(
        fc.record({
          step: fc.oneof(fc.integer({ min: 0, max: 900_000 }), fc.integer({ min: 0, max: 12 * SECOND })),
          value: fc.integer({ min: 1, max: 60 }),
        }),
        { maxLength: 90 },
      ),
    })
    .map(({ start, steps }) => {
      let ts = start;
      return steps.map(({ step, value }) => sample((ts += step), value));
    });

  it(
    'streaming == batch: pValue, shift and verdict equal batch Mann–Whitney (serial-correlation inflated) ' +
      'and Hodges–Lehmann on the same windows',
    () => {
      fc.assert(
        fc.property(
          series,
          references,
          fc.constantFrom<'up' | 'down'>('up', 'down'),
          fc.double({ min: 0.01, max: 0.5, noNaN: true }),
          (samples, reference, direction, minRelativeShift) => {
            // resolution 0 keeps each tier's threshold as given; the raised threshold is tested below.
            const options: RegressionOptions = {
              direction,
              reference,
              tiers: [{ window: 5 * SECOND, minShift: minRelativeShift }],
              evaluateEvery: SECOND,
              minSamples: 5,
              alpha: 0.2,
              resolution: 0,
            };
            const results = runOperator(samples, regression(options)).values;
            const expected = batchRegression(
              samples,
              reference,
              5 * SECOND,
              SECOND,
              5,
              0.2,
              minRelativeShift,
              direction === 'up' ? 1 : -1,
            );
            expect(results.map((r) => r.ts)).toEqual(expected.map((e) => e.ts));
            results.forEach((result, i) => {
              const want = expected[i] as Expected;
              const test = batchTest(want.recent, want.reference, direction === 'up' ? 1 : -1);
              expect(result.nRecent).toBe(want.recent.length);
              expect(result.nBaseline).toBe(want.reference.length);
              approxEqual(result.pValue, test.pValue, 1e-12, 1e-15, 'pValue');
              expect(result.baselineMedian).toBe(medianOf(want.reference));
              expect(result.recentMedian).toBe(medianOf(want.recent));
              // The exact Hodges–Lehmann shift is needed only where it can decide the verdict.
              const exact = test.pValue < 0.2 || want.wasRegressed;
              expect(result.shiftEstimator).toBe(exact ? 'hodges-lehmann' : 'median-difference');
              expect(result.shift).toBe(
                exact ? naiveShift(want.recent, want.reference) : medianOf(want.recent) - medianOf(want.reference),
              );
              expect(result.regressed).toBe(want.regressed);
              expect(result.threshold).toBe(minRelativeShift);
            });
          },
        ),
        { numRuns: 300 },
      );
    },
  );

  it(
    'raises a tier threshold to 4 standard errors ' +
      'of the Hodges–Lehmann shift ' +
      'when the windows cannot resolve it',
    () => {
      // Sparse noisy data: 1 sample/s, σ_log 0.3; a 1 min window cannot resolve a 5% shift.
      const random = createRandom(8);
      const input = Array.from({ length: 400 }, (_, i) => sample(i * SECOND, 50 * Math.exp(0.3 * random.normal())));
      const options: RegressionOptions = {
        direction: 'up',
        reference: { type: 'initial', warmup: 0, duration: 120 * SECOND },
        tiers: [{ window: 60 * SECOND, minShift: 0.05 }],
        evaluateEvery: 10 * SECOND,
      };
      const results = runOperator(input, regression(options)).values;
      expect(results.length).toBeGreaterThan(10);
      const reference = Float64Array.from(input.filter((s) => s.ts < 120 * SECOND).map((s) => s.value)).sort();
      const q = (p: number): number => quantileSorted(reference, p);
      for (const result of results) {
        const window = input.filter((s) => s.ts > result.ts - 60 * SECOND && s.ts < result.ts);
        const sorted = Float64Array.from(window.map((s) => s.value)).sort();
        const n = sorted.length;
        const inflation = serialVarianceInflation(
          window.map((s) => s.value),
          sorted[Math.floor(0.01 * (n - 1))],
          sorted[Math.ceil(0.99 * (n - 1))],
        );
        const sigma = (q(0.75) - q(0.25)) / 1.349;
        const standardError =
          (Math.sqrt(Math.PI / 3) * sigma * Math.sqrt(inflation * (1 / n + 1 / reference.length))) / Math.abs(q(0.5));
        approxEqual(result.threshold, Math.max(0.05, 4 * standardError), 1e-12, 0, `threshold at ${result.ts}`);
        expect(result.threshold).toBeGreaterThan(0.05);
        expect(result.regressed).toBe(false);
      }
    },
  );
});
