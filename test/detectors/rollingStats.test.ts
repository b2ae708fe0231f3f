import fc from 'fast-check';
import { map } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/model/sample.js';
import type { Stat } from '../../src/model/stat.js';
import { rollingStats } from '../../src/operators/rollingStats.js';
import type { WindowSpec } from '../../src/model/fields/window.js';
import { approxEqual } from '../support/approxEqual.js';
import { runOperator } from '../support/runOperator.js';
import { sample } from '../support/sample.js';
import { testScheduler } from '../support/testScheduler.js';

/** Hyndman & Fan type 7 quantile of an ascending array, written out. */
function type7(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const low = sorted[lo] as number;
  const high = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return low + (h - lo) * (high - low);
}

/** Batch statistics of exactly the samples in `held`, as the Stat at `ts` should report them. */
function expectStat(actual: Stat, held: readonly Sample[], ts: number, scale = 0): void {
  const xs = held.map((s) => s.value);
  const sorted = [...xs].sort((a, b) => a - b);
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const stdev = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : 0;
  const median = type7(sorted, 0.5);
  const mad = type7(
    xs.map((x) => Math.abs(x - median)).sort((a, b) => a - b),
    0.5,
  );
  expect(actual.ts).toBe(ts);
  expect(actual.n).toBe(n);
  expect(actual.windowStart).toBe(held[0]?.ts);
  approxEqual(actual.min, sorted[0] as number, 0, 0, 'min');
  approxEqual(actual.max, sorted[n - 1] as number, 0, 0, 'max');
  approxEqual(actual.mean, mean, 1e-9, 1e-9, 'mean');
  // Running sums err by about scale·√ε, where scale is the largest value that passed through.
  approxEqual(actual.stdev, stdev, 1e-7, 1e-7 + 1e-7 * scale, 'stdev');
  approxEqual(actual.median, median, 1e-12, 1e-12, 'median');
  approxEqual(actual.mad, mad, 1e-12, 1e-12, 'mad');
  approxEqual(actual.p50, median, 1e-12, 1e-12, 'p50');
  approxEqual(actual.p90, type7(sorted, 0.9), 1e-12, 1e-12, 'p90');
  approxEqual(actual.p95, type7(sorted, 0.95), 1e-12, 1e-12, 'p95');
  approxEqual(actual.p99, type7(sorted, 0.99), 1e-12, 1e-12, 'p99');
}

/** What a window holds after the samples `seen` when its clock reads `clock`. */
function held(seen: readonly Sample[], window: WindowSpec, clock: number): Sample[] {
  return 'count' in window ? seen.slice(-window.count) : seen.filter((s) => s.ts > clock - window.duration);
}

/** Batch model of the hops: [ts of the Stat, samples it covers]. */
function batchHops(samples: readonly Sample[], window: WindowSpec, hop: WindowSpec): [number, Sample[]][] {
  const out: [number, Sample[]][] = [];
  const seen: Sample[] = [];
  let sinceHop = 0;
  let boundary = Number.NEGATIVE_INFINITY;
  for (const s of samples) {
    if ('duration' in hop) {
      if (s.ts >= boundary) {
        if (boundary !== Number.NEGATIVE_INFINITY && sinceHop > 0) {
          const content = held(seen, window, boundary);
          if (content.length > 0) out.push([boundary, content]);
          sinceHop = 0;
        }
        boundary = (Math.floor(s.ts / hop.duration) + 1) * hop.duration;
      }
      seen.push(s);
      sinceHop++;
    } else {
      seen.push(s);
      if (++sinceHop >= hop.count) {
        out.push([s.ts, held(seen, window, s.ts)]);
        sinceHop = 0;
      }
    }
  }
  const last = seen.at(-1);
  if (sinceHop > 0 && last !== undefined) out.push([last.ts, held(seen, window, last.ts)]);
  return out;
}

const summary = (stat: Stat): string => `${stat.ts}:${stat.n}:${stat.min}..${stat.max}:${stat.median}`;

describe('rollingStats', () => {
  it('emits a Stat every `hop` samples over the last `window` samples, and a last one on completion', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-e-|', {
        a: sample(10, 1),
        b: sample(20, 2),
        c: sample(30, 3),
        d: sample(40, 4),
        e: sample(50, 8),
      });
      const out = source.pipe(rollingStats({ window: { count: 3 }, hop: { count: 2 } }), map(summary));
      expectObservable(out).toBe('---x---y---(z|)', { x: '20:2:1..2:1.5', y: '40:3:2..4:3', z: '50:3:3..8:4' });
      expectSubscriptions(source.subscriptions).toBe('^----------!');
    });
  });

  it('emits a duration hop at the boundary when the first sample at or after it arrives', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      // hop 100 µs, window 150 µs: the hop at 100 covers (−50, 100), the one at 200 covers (50, 200),
      // the last one on completion covers (80, 230].
      const source = cold('-a-b-c-d-e-|', {
        a: sample(10, 1),
        b: sample(60, 2),
        c: sample(100, 3),
        d: sample(150, 4),
        e: sample(230, 5),
      });
      const out = source.pipe(rollingStats({ window: { duration: 150 }, hop: { duration: 100 } }), map(summary));
      expectObservable(out).toBe('-----x---y-(z|)', { x: '100:2:1..2:1.5', y: '200:3:2..4:3', z: '230:3:3..5:4' });
    });
  });

  it('carries the series identity and a full Stat', () => {
    const [stat] = runOperator(
      [sample(5, 2, 'heap', { host: 'h' }), sample(6, 4, 'heap', { host: 'h' })],
      rollingStats({ window: { count: 10 }, hop: { count: 2 } }),
    ).values;
    expect(stat).toEqual({
      ts: 6,
      windowStart: 5,
      series: 'heap{host=h}',
      metric: 'heap',
      tags: { host: 'h' },
      metricKind: 'memory',
      n: 2,
      min: 2,
      max: 4,
      mean: 3,
      stdev: Math.SQRT2,
      median: 3,
      mad: 1,
      p50: 3,
      p90: 3.8,
      p95: 3.9,
      p99: 3.98,
    });
  });

  it('sends a window error (a timestamp going backwards) to the error channel', () => {
    const run = runOperator(
      [sample(50, 1), sample(40, 2), sample(60, 3)],
      rollingStats({ window: { duration: 100 }, hop: { count: 1 } }),
    );
    expect(run.values.map((s) => s.ts)).toEqual([50]);
    expect(run.error).toBeInstanceOf(RangeError);
    expect(run.completed).toBe(false);
  });

  it('refuses bad windows and hops', () => {
    expect(() => rollingStats({ window: { count: 0 } })).toThrow(RangeError);
    expect(() => rollingStats({ window: { duration: -1 } })).toThrow(RangeError);
    expect(() => rollingStats({ hop: { count: 1.5 } })).toThrow(RangeError);
    expect(() => rollingStats({ hop: { duration: 0 } })).toThrow(RangeError);
  });

  const spec = fc.oneof(
    fc.integer({ min: 1, max: 12 }).map((count): WindowSpec => ({ count })),
    fc.integer({ min: 1, max: 40 }).map((duration): WindowSpec => ({ duration })),
  );
  const series = fc
    .array(
      fc.record({
        step: fc.integer({ min: 0, max: 8 }),
        value: fc.oneof(fc.integer({ min: -20, max: 20 }), fc.double({ min: -1e3, max: 1e3, noNaN: true })),
      }),
      { maxLength: 80 },
    )
    .map((steps) => {
      let ts = -30;
      return steps.map(({ step, value }) => sample((ts += step), value));
    });

  it('streaming == batch: every Stat equals the batch statistics of exactly the samples its window holds', () => {
    fc.assert(
      fc.property(series, spec, spec, (samples, window, hop) => {
        const run = runOperator(samples, rollingStats({ window, hop }));
        const expected = batchHops(samples, window, hop);
        expect(run.completed).toBe(true);
        expect(run.values).toHaveLength(expected.length);
        const scale = Math.max(0, ...samples.map((s) => Math.abs(s.value)));
        run.values.forEach((stat, i) => {
          const [ts, content] = expected[i] as [number, Sample[]];
          expectStat(stat, content, ts, scale);
        });
      }),
      { numRuns: 400 },
    );
  });

  it('duration hops fall on multiples of the hop since the epoch, whatever the first timestamp', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000, max: 1_000 }), fc.integer({ min: 1, max: 50 }), (start, hop) => {
        const samples = Array.from({ length: 30 }, (_, i) => sample(start + i * 7, i));
        const stats = runOperator(samples, rollingStats({ window: { count: 5 }, hop: { duration: hop } })).values;
        for (const stat of stats.slice(0, -1)) expect(Math.abs(stat.ts % hop)).toBe(0);
      }),
    );
  });
});
