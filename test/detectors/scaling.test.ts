import fc from 'fast-check';
import { map } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { ScalingResult, SeriesRef } from '../../src/model/events.js';
import type { Sample } from '../../src/model/sample.js';
import { scalingDetector } from '../../src/detectors/scaling.js';
import { scalingEfficiency } from '../../src/operators/scalingEfficiency.js';
import { createRandom } from '../../src/stats/random.js';
import { fitUsl } from '../../src/stats/usl.js';
import { uslThroughput } from '../../src/stats/uslThroughput.js';
import { approxEqual } from '../support/approxEqual.js';
import { runOperator } from '../support/runOperator.js';
import { sample } from '../support/sample.js';
import { testScheduler } from '../support/testScheduler.js';
import { medianOf } from '../support/medianOf.js';

const ref: SeriesRef = {
  series: 'throughput{scenario=s}',
  metric: 'throughput',
  tags: { scenario: 's' },
  metricKind: 'other',
};
const at = (ts: number, concurrency: number | string, value: number): Sample =>
  sample(ts, value, 'throughput', { scenario: 's', concurrency: String(concurrency) });

const brief = (r: ScalingResult): string =>
  `${r.ts}:${r.levels.map((l) => `${l.concurrency}=${l.throughput}/${l.efficiency}`).join(',')}:${r.degraded}`;

/** Batch model: at each level change and at the end, per-level medians of the last `perLevel` samples. */
function batchScaling(
  samples: readonly Sample[],
  perLevel: number,
): { ts: number; levels: { concurrency: number; throughput: number }[] }[] {
  const byLevel = new Map<number, number[]>();
  const out: { ts: number; levels: { concurrency: number; throughput: number }[] }[] = [];
  const snapshot = (ts: number): void => {
    const levels = [...byLevel.entries()]
      .sort(([a], [b]) => a - b)
      .map(([concurrency, xs]) => ({ concurrency, throughput: medianOf(xs.slice(-perLevel)) }));
    if (levels.length >= 2) out.push({ ts, levels });
  };
  let current: number | undefined;
  let lastTs = 0;
  for (const s of samples) {
    const concurrency = Number(s.tags.concurrency);
    if (!(concurrency > 0 && Number.isFinite(concurrency))) continue;
    if (current !== undefined && concurrency !== current) snapshot(s.ts);
    current = concurrency;
    lastTs = s.ts;
    byLevel.set(concurrency, [...(byLevel.get(concurrency) ?? []), s.value]);
  }
  if (byLevel.size > 0) snapshot(lastTs);
  return out;
}

describe('scalingEfficiency', () => {
  const values = { a: at(1, 1, 100), b: at(2, 1, 100), c: at(3, 2, 180), d: at(4, 4, 300) };

  it('emits per-level throughput and efficiency at each level change with two levels measured, and at the end', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-|', values);
      expectObservable(source.pipe(scalingEfficiency({ ref }), map(brief))).toBe('-------x-(y|)', {
        x: '4:1=100/1,2=180/0.9:false',
        y: '4:1=100/1,2=180/0.9,4=300/0.75:false',
      });
      expectSubscriptions(source.subscriptions).toBe('^--------!');
    });
  });

  it('reports the series identity, efficiency at the top level and a USL fit from three levels on', () => {
    const results = runOperator(Object.values(values), scalingEfficiency({ ref })).values;
    const last = results.at(-1) as ScalingResult;
    expect(last).toMatchObject({ ...ref, ts: 4, efficiency: 0.75, degraded: false });
    expect(results[0]?.sigma).toBeNull();
    expect(last.sigma).not.toBeNull();
    expect(last.kappa).not.toBeNull();
  });

  it('emits nothing for a single level', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-b-|', values).pipe(scalingEfficiency({ ref }))).toBe('-----|');
    });
  });

  it('ignores samples without a positive numeric concurrency tag', () => {
    const input = [at(1, 1, 100), at(2, 'x', 1), at(3, 0, 1), sample(4, 1, 'throughput'), at(5, 2, 200)];
    const results = runOperator(input, scalingEfficiency({ ref })).values;
    expect(results.map(brief)).toEqual(['5:1=100/1,2=200/1:false']);
  });

  it('refuses a bad samplesPerLevel', () => {
    expect(() => scalingEfficiency({ ref, samplesPerLevel: 0 })).toThrow(RangeError);
  });

  it('recovers σ and κ of USL throughput, finds the peak and flags the retrograde top level', () => {
    const truth = { sigma: 0.05, kappa: 0.001, lambda: 100 };
    const random = createRandom(3);
    const input: Sample[] = [];
    let ts = 0;
    for (const n of [1, 2, 4, 8, 16, 32, 64]) {
      for (let i = 0; i < 50; i++)
        input.push(at((ts += 1_000_000), n, uslThroughput(n, truth) * (1 + 0.002 * random.normal())));
    }
    const last = runOperator(input, scalingEfficiency({ ref })).values.at(-1) as ScalingResult;
    approxEqual(last.sigma as number, 0.05, 0.1, 0, 'sigma');
    approxEqual(last.kappa as number, 0.001, 0.1, 0, 'kappa');
    approxEqual(last.peakConcurrency as number, Math.sqrt(0.95 / 0.001), 0.05, 0, 'peak');
    expect(last.degraded).toBe(true);
  });

  it('does not flag near-linear scaling', () => {
    const input: Sample[] = [];
    let ts = 0;
    for (const n of [1, 2, 4, 8])
      for (let i = 0; i < 5; i++) input.push(at((ts += 1), n, 100 * n * (1 - 0.01 * Math.log2(n))));
    const last = runOperator(input, scalingEfficiency({ ref })).values.at(-1) as ScalingResult;
    approxEqual(last.efficiency, 0.97, 1e-12, 1e-12, 'efficiency');
    expect(last.degraded).toBe(false);
  });

  it('streaming == batch: efficiencies follow from per-level medians of the last samplesPerLevel samples', () => {
    const input = fc.array(
      fc.record({
        concurrency: fc.constantFrom<number | string>(1, 2, 3, 4, 8, 'none'),
        value: fc.integer({ min: 1, max: 1_000 }),
      }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(
        input,
        fc.integer({ min: 1, max: 6 }),
        fc.double({ min: 0.1, max: 1, noNaN: true }),
        (raw, samplesPerLevel, minEfficiency) => {
          const samples = raw.map((r, i) => at(i, r.concurrency, r.value));
          const results = runOperator(samples, scalingEfficiency({ ref, samplesPerLevel, minEfficiency })).values;
          const expected = batchScaling(samples, samplesPerLevel);
          expect(results.map((r) => r.ts)).toEqual(expected.map((e) => e.ts));
          results.forEach((result, i) => {
            const { levels } = expected[i] as { levels: { concurrency: number; throughput: number }[] };
            const base = levels[0] as { concurrency: number; throughput: number };
            const top = levels.at(-1) as { concurrency: number; throughput: number };
            expect(result.levels.map((l) => [l.concurrency, l.throughput])).toEqual(
              levels.map((l) => [l.concurrency, l.throughput]),
            );
            result.levels.forEach((l, j) => {
              const level = levels[j] as { concurrency: number; throughput: number };
              approxEqual(
                l.efficiency,
                level.throughput / level.concurrency / (base.throughput / base.concurrency),
                1e-12,
                0,
                'efficiency',
              );
            });
            const efficiency = top.throughput / top.concurrency / (base.throughput / base.concurrency);
            approxEqual(result.efficiency, efficiency, 1e-12, 0, 'top efficiency');
            const best = Math.max(...levels.map((l) => l.throughput));
            expect(result.degraded).toBe(efficiency < minEfficiency || top.throughput < 0.95 * best);
            if (levels.length < 3) expect(result.sigma).toBeNull();
            else {
              let fit: ReturnType<typeof fitUsl> | null = null;
              try {
                fit = fitUsl(levels);
              } catch {
                fit = null;
              }
              expect(result.sigma).toBe(fit?.sigma ?? null);
              expect(result.kappa).toBe(fit?.kappa ?? null);
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('scaling detector groups', () => {
  it('a concurrency tag named like an Object.prototype member groups only series that carry it', () => {
    const options = { ...scalingDetector.defaults, concurrencyTag: 'constructor' } as Parameters<
      NonNullable<typeof scalingDetector.group>
    >[0];
    const ref = (tags: Record<string, string>): SeriesRef => ({
      series: 'x',
      metric: 'http_reqs_throughput',
      tags,
      metricKind: 'throughput',
    });
    const group = scalingDetector.group as NonNullable<typeof scalingDetector.group>;
    // It took Object's constructor function for the missing tag: every series became a member.
    expect(group(options, ref({ host: 'a' }))).toBeNull();
    expect(group(options, ref({ constructor: '4', host: 'a' }))?.tags).toEqual({ host: 'a' });
  });
});
