import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/model/alert.js';
import type { AnalysisEvent, Diagnostic, ScalingResult } from '../../src/model/events.js';
import { MICROS_PER_MINUTE, MICROS_PER_SECOND, type Sample, type Tags } from '../../src/model/sample.js';
import type { Stat } from '../../src/model/stat.js';
import { DEFAULT_RULES, defaultRuleSet } from '../../src/rules/defaultRules.js';
import type { Rule, RuleSet } from '../../src/rules/rule.js';
import { runAnalysis } from '../../src/analysis/runAnalysis.js';
import { mergeByTime } from '../../src/sources/synthetic/mergeByTime.js';
import { syntheticHeap } from '../../src/sources/synthetic/syntheticHeap.js';
import { syntheticLatency } from '../../src/sources/synthetic/syntheticLatency.js';
import { createRandom } from '../../src/stats/random.js';
import { uslThroughput } from '../../src/stats/uslThroughput.js';
import { approxEqual } from '../support/approxEqual.js';

const START = 1_767_225_600_000_000; // 2026-01-01T00:00:00Z
const SECOND = MICROS_PER_SECOND;
const MINUTE = MICROS_PER_MINUTE;

function analyse(samples: Iterable<Sample>, rules?: RuleSet): AnalysisEvent[] {
  const events: AnalysisEvent[] = [];
  runAnalysis(samples, { onEvent: (event) => events.push(event), ...(rules !== undefined ? { rules } : {}) });
  return events;
}

const statsOf = (events: readonly AnalysisEvent[]): Stat[] =>
  events.flatMap((e) => (e.type === 'stat' ? [e.stat] : []));
const alertsOf = (events: readonly AnalysisEvent[]): Alert[] =>
  events.flatMap((e) => (e.type === 'alert' ? [e.alert] : []));
const diagnosticsOf = (events: readonly AnalysisEvent[], kind: Diagnostic['kind']): Diagnostic[] =>
  events.flatMap((e) => (e.type === 'diagnostic' && e.diagnostic.kind === kind ? [e.diagnostic] : []));
const scalingOf = (events: readonly AnalysisEvent[]): ScalingResult[] =>
  events.flatMap((e) => (e.type === 'scaling' ? [e.scaling] : []));

/**
 * No rules, a Stat per sample over a one-sample window: the stats replay the samples in the order
 * the graph saw them.
 */
const echoRules = (overrides: Partial<RuleSet> = {}): RuleSet => ({
  rules: [],
  stats: { window: { count: 1 }, hop: { count: 1 } },
  allowedLateness: 5 * SECOND,
  maxAhead: 60 * MINUTE,
  maxSeries: 100,
  idleAfter: 60 * MINUTE,
  ...overrides,
});

const at = (seconds: number, value: number, metric = 'queue_depth', tags: Tags = {}): Sample => ({
  ts: START + seconds * SECOND,
  metric,
  value,
  tags,
});

describe('analyze', () => {
  describe('event time', () => {
    it('reorders samples that arrive out of order within the lateness and drops and counts later ones', () => {
      const input: Sample[] = [];
      for (let s = 0; s <= 20; s++) {
        input.push(at(s, s));
        if (s === 10) input.push(at(7.5, 7.5)); // 2.5 s behind the newest: reordered
        if (s === 15) input.push(at(2.5, 2.5)); // 12.5 s behind: late
        if (s === 16) input.push(at(9, 9)); // 7 s behind: late
      }
      const events = analyse(input, echoRules());

      const values = statsOf(events).map((stat) => stat.max);
      const expected = [...Array.from({ length: 21 }, (_, s) => s), 7.5].sort((a, b) => a - b);
      expect(values).toEqual(expected);
      expect(statsOf(events).map((stat) => stat.ts)).toEqual(expected.map((s) => START + s * SECOND));

      const late = diagnosticsOf(events, 'late');
      expect(late.map((d) => d.count)).toEqual([1, 2]);
      expect(late.map((d) => d.ts)).toEqual([START + 15 * SECOND, START + 16 * SECOND]);
      expect(late[0]?.message).toContain('queue_depth');
      const outOfOrder = diagnosticsOf(events, 'out-of-order');
      expect(outOfOrder.map((d) => [d.count, d.ts])).toEqual([[1, START + 10 * SECOND]]);
    });

    it('drops every sample behind the newest one with zero lateness', () => {
      const events = analyse([at(0, 0), at(2, 2), at(1, 1), at(3, 3)], echoRules({ allowedLateness: 0 }));
      expect(statsOf(events).map((stat) => stat.max)).toEqual([0, 2, 3]);
      expect(diagnosticsOf(events, 'late').map((d) => d.count)).toEqual([1]);
    });
  });

  describe('series limit', () => {
    it('analyses the first maxSeries series and reports the samples of the others', () => {
      const input: Sample[] = [];
      for (let s = 0; s < 10; s++) {
        for (const host of ['a', 'b', 'c', 'd']) input.push(at(s, s, 'queue_depth', { host }));
      }
      const events = analyse(input, echoRules({ maxSeries: 2 }));

      const analysed = new Set(statsOf(events).map((stat) => stat.series));
      expect([...analysed].sort()).toEqual(['queue_depth{host=a}', 'queue_depth{host=b}']);
      expect(statsOf(events)).toHaveLength(20);

      const limit = diagnosticsOf(events, 'series-limit');
      // One report per newly rejected series, and a final one covering all 20 rejected samples.
      expect(limit.slice(0, 2).map((d) => [d.series, d.count])).toEqual([
        ['queue_depth{host=c}', 1],
        ['queue_depth{host=d}', 2],
      ]);
      const last = limit[limit.length - 1] as Diagnostic;
      expect(last.count).toBe(20);
      expect(last.message).toContain('series limit of 2 reached');
      expect(last.message).toContain('2 further series');
    });
  });

  describe('threshold rule', () => {
    const p95Budget: Rule = {
      name: 'p95-budget',
      match: { kinds: ['latency'] },
      detector: { type: 'threshold', stat: 'p95', above: 100 },
      severity: 'critical',
      for: 20 * SECOND,
      keepFiringFor: 20 * SECOND,
      alert: true,
    };
    const rules: RuleSet = { ...defaultRuleSet(), rules: [p95Budget] };
    const slowFrom = START + 5 * MINUTE;
    const slowUntil = START + 8 * MINUTE;

    /** 10 samples/s of latency around 50 ms, around 200 ms between slowFrom and slowUntil. */
    function* latency(seed: number): Generator<Sample> {
      const random = createRandom(seed);
      const tags = { service: 'checkout' };
      for (let ts = START; ts < START + 13 * MINUTE; ts += 100_000) {
        const median = ts >= slowFrom && ts < slowUntil ? 200 : 50;
        yield { ts, metric: 'http_req_duration', value: median * Math.exp(0.1 * random.normal()), tags, unit: 'ms' };
      }
    }

    it(
      'fires when the rolling p95 stays above the budget for `for`, ' +
        'and resolves after it stays below for keepFiringFor',
      () => {
        const events = analyse(latency(7), rules);
        const alerts = alertsOf(events);
        expect(alerts.map((a) => a.state)).toEqual(['pending', 'firing', 'resolved']);
        const [pending, firing, resolved] = alerts as [Alert, Alert, Alert];

        for (const alert of alerts) {
          expect(alert).toMatchObject({
            rule: 'p95-budget',
            kind: 'threshold',
            severity: 'critical',
            series: 'http_req_duration{service=checkout}',
            baseline: 100,
          });
          expect(alert.since).toBe(pending.ts);
          expect(alert.id).toBe(pending.id);
        }
        // Stats are emitted every 10 s: the first one after the slowdown has p95 far above 100 ms.
        expect(pending.ts).toBe(slowFrom + 10 * SECOND);
        expect(pending.value).toBeGreaterThan(100);
        expect(firing.ts).toBe(pending.ts + 20 * SECOND);
        expect(firing.message).toMatch(
          /^http_req_duration\{service=checkout\}: p95 of the last \d+ samples is \d+(\.\d)? ms \(alerts when above 100 ms\)$/,
        );
        // The 60 s window still holds slow samples for up to a minute after they stop.
        expect(resolved.ts).toBeGreaterThan(slowUntil + 20 * SECOND);
        expect(resolved.ts).toBeLessThanOrEqual(slowUntil + 60 * SECOND + 20 * SECOND + 10 * SECOND);
        expect(resolved.value).toBeLessThan(100);

        // The alert follows the published stats: firing while p95 > 100 at every stat from pending to
        // the last one above.
        const stats = statsOf(events);
        const above = stats.filter((stat) => stat.p95 > 100);
        expect(above[0]?.ts).toBe(pending.ts);
        expect(above[above.length - 1]?.ts).toBe(resolved.ts - 20 * SECOND - 10 * SECOND);
      },
    );

    it('stays pending-free when the budget is never exceeded', () => {
      const events = analyse(latency(7), {
        ...rules,
        rules: [{ ...p95Budget, detector: { type: 'threshold', stat: 'p95', above: 1000 } }],
      });
      expect(alertsOf(events)).toEqual([]);
      expect(statsOf(events).length).toBeGreaterThan(70);
    });
  });

  describe('scaling', () => {
    const sigma = 0.05;
    const kappa = 0.01;
    const lambda = 100;
    const levels = [1, 2, 4, 8, 16, 32];

    /** Throughput samples (req/s) tagged with the concurrency level, 60 per level, 1% noise. */
    function* steps(throughputAt: (n: number) => number, seed: number): Generator<Sample> {
      const random = createRandom(seed);
      let ts = START;
      for (const n of levels) {
        const tags = { concurrency: String(n), service: 'checkout' };
        for (let i = 0; i < 60; i++, ts += SECOND) {
          yield {
            ts,
            metric: 'http_reqs_throughput',
            value: throughputAt(n) * (1 + 0.01 * random.normal()),
            tags,
            unit: 'req/s',
          };
        }
      }
    }

    it('raises scaling-efficiency on retrograde scaling, with a USL fit near the generating σ and κ', () => {
      const events = analyse(steps((n) => uslThroughput(n, { sigma, kappa, lambda }), 11));

      const results = scalingOf(events);
      // One result per change of level once two levels are measured, and a final one with all levels.
      expect(results.map((r) => r.levels.length)).toEqual([2, 3, 4, 5, 6]);
      const final = results[results.length - 1] as ScalingResult;
      expect(final.series).toBe('http_reqs_throughput{service=checkout}');
      expect(final.tags).toEqual({ service: 'checkout' });
      expect(final.levels.map((level) => level.concurrency)).toEqual(levels);
      approxEqual(final.sigma as number, sigma, 0.1, 0, 'sigma');
      approxEqual(final.kappa as number, kappa, 0.03, 0, 'kappa');
      approxEqual(final.lambda as number, lambda, 0.02, 0, 'lambda');
      approxEqual(final.peakConcurrency as number, Math.sqrt((1 - sigma) / kappa), 0.1, 0, 'peak');
      approxEqual(final.efficiency, 1 / (1 + sigma * 31 + kappa * 32 * 31), 0.05, 0, 'efficiency');
      expect(final.degraded).toBe(true);

      const alerts = alertsOf(events);
      expect(alerts.map((a) => [a.rule, a.state, a.kind])).toEqual([['scaling-efficiency', 'firing', 'scaling']]);
      const alert = alerts[0] as Alert;
      expect(alert.series).toBe('http_reqs_throughput{service=checkout}');
      expect(alert.value).toBeLessThan(0.5);
      expect(alert.message).toContain('USL peak N*');
    });

    it('raises nothing on linear scaling', () => {
      const events = analyse(steps((n) => lambda * n, 12));
      const final = scalingOf(events).at(-1) as ScalingResult;
      expect(final.degraded).toBe(false);
      approxEqual(final.efficiency, 1, 0.05, 0, 'efficiency');
      expect(final.levels.every((level) => level.efficiency > 0.95)).toBe(true);
      expect(alertsOf(events)).toEqual([]);
    });

    it('ignores throughput samples without the concurrency tag', () => {
      const events = analyse(
        Array.from(
          steps((n) => lambda * n, 13),
          (s) => ({ ...s, tags: { service: 'checkout' } }),
        ),
      );
      expect(scalingOf(events)).toEqual([]);
    });
  });

  describe('determinism', () => {
    /** Latency with a +30% step, a leaking heap, and a little local disorder within the lateness. */
    function input(): Sample[] {
      const tags = { service: 'checkout' };
      const duration = 40 * MINUTE;
      const samples = [
        ...mergeByTime([
          syntheticLatency({
            seed: 21,
            start: START,
            duration,
            tags,
            rate: 4,
            change: { shape: 'step', at: START + 25 * MINUTE, factor: 1.3 },
          }),
          syntheticHeap({ seed: 22, start: START, duration, tags, leak: { at: START + 5 * MINUTE, rate: 50 } }),
        ]),
      ];
      const random = createRandom(23);
      for (let i = 1; i < samples.length; i++) {
        if (random.next() < 0.05) [samples[i - 1], samples[i]] = [samples[i] as Sample, samples[i - 1] as Sample];
      }
      return samples;
    }

    it('gives the same events in the same order for the same input', () => {
      const first = analyse(input());
      const second = analyse(input());
      expect(second).toEqual(first);
      // Something happened: stats, detector results, an alert and reordering diagnostics.
      const types = new Set(first.map((e) => e.type));
      expect(types).toEqual(new Set(['stat', 'regression', 'leak', 'changepoint', 'alert', 'diagnostic']));
      expect(
        alertsOf(first)
          .filter((a) => a.state === 'firing')
          .map((a) => a.rule)
          .sort(),
      ).toEqual(['latency-regression', 'memory-leak']);
      expect(diagnosticsOf(first, 'out-of-order').length).toBeGreaterThan(0);
    });

    it('gives independent results to two subscriptions of the same graph', () => {
      const samples = input();
      const rules = { ...defaultRuleSet(), rules: DEFAULT_RULES };
      expect(analyse(samples, rules)).toEqual(analyse(samples, rules));
    });
  });

  describe('alert life cycles', () => {
    const changeRule: Rule = {
      name: 'level-change',
      match: { metric: 'queue_depth' },
      detector: { type: 'changepoint', method: 'cusum', bucket: 10 * SECOND, referenceBuckets: 12 },
      severity: 'warning',
      for: 0,
      keepFiringFor: 0,
      alert: true,
    };
    /** One sample a second; the level steps by +40 at each of `steps` (seconds), noise ±1. */
    const stepped = (seconds: number, steps: readonly number[], metric = 'queue_depth'): Sample[] => {
      const random = createRandom(7);
      return Array.from({ length: seconds }, (_, s) =>
        at(s, 100 + 40 * steps.filter((step) => s >= step).length + random.normal(), metric),
      );
    };

    it('opens an alert for every change point, each with its own id, superseding the one before', () => {
      const events = analyse(stepped(1_200, [300, 600, 900]), echoRules({ rules: [changeRule] }));
      const changes = events.flatMap((e) => (e.type === 'changepoint' ? [e.changePoint] : []));
      expect(changes.map((c) => c.direction)).toEqual(['up', 'up', 'up']);
      const alerts = alertsOf(events);
      // Before: one firing alert for the first change; the two later ones were swallowed.
      const firing = alerts.filter((a) => a.state === 'firing');
      expect(firing).toHaveLength(3);
      expect(new Set(firing.map((a) => a.id)).size).toBe(3);
      const resolved = alerts.filter((a) => a.state === 'resolved');
      expect(resolved.map((a) => [a.id, a.reason])).toEqual([
        [firing[0]?.id, 'superseded'],
        [firing[1]?.id, 'superseded'],
      ]);
    });

    it('stamps a change-point alert with the event time it was detected, its estimated onset apart', () => {
      const events = analyse(stepped(900, [300]), echoRules({ rules: [changeRule] }));
      const [alert] = alertsOf(events);
      // Before: ts was the onset (≈ 300 s), before the data that showed the change had arrived.
      expect(alert?.ts).toBeGreaterThan(START + 300 * SECOND);
      expect(alert?.onset).toBeGreaterThanOrEqual(START + 290 * SECOND);
      expect(alert?.onset).toBeLessThanOrEqual(START + 310 * SECOND);
      expect(alert?.onset).toBeLessThan(alert?.ts ?? 0);
      // Causal: no sample after the alert's ts was needed to raise it.
      const cut = stepped(900, [300]).filter((sample) => sample.ts <= (alert?.ts ?? 0));
      expect(alertsOf(analyse(cut, echoRules({ rules: [changeRule] })))[0]?.id).toBe(alert?.id);
    });

    it('resolves the pending and firing alerts of a series released for idleness, saying why', () => {
      const high: Rule = {
        name: 'high',
        match: { metric: 'queue_depth' },
        detector: { type: 'threshold', stat: 'max', above: 10 },
        severity: 'warning',
        for: 0,
        keepFiringFor: 10 * MINUTE,
        alert: true,
      };
      const slow: Rule = { ...high, name: 'high-for-an-hour', for: 60 * MINUTE };
      // queue_depth is high for a minute, then stops; another series goes on for 20 minutes.
      const samples = [
        ...Array.from({ length: 60 }, (_, s) => at(s, 50)),
        ...Array.from({ length: 120 }, (_, i) => at(i * 10, 1, 'heartbeat')),
      ].sort((a, b) => a.ts - b.ts);
      const rules = echoRules({
        rules: [high, slow],
        idleAfter: 5 * MINUTE,
        stats: { window: { duration: 10 * SECOND }, hop: { duration: 10 * SECOND } },
      });
      const alerts = alertsOf(analyse(samples, rules));
      const byRule = (rule: string): string[] => alerts.filter((a) => a.rule === rule).map((a) => a.state);
      // Before: the firing alert stayed firing and the pending one vanished, with no transition.
      expect(byRule('high')).toEqual(['firing', 'resolved']);
      expect(byRule('high-for-an-hour')).toEqual(['pending', 'resolved']);
      const idle = alerts.filter((a) => a.state === 'resolved');
      expect(idle.map((a) => a.reason)).toEqual(['idle', 'idle']);
      for (const alert of idle) {
        expect(alert.ts).toBeGreaterThanOrEqual(START + (59 + 5 * 60) * SECOND);
        expect(alert.message).toContain('idle');
      }
    });
  });

  describe('metric kinds', () => {
    it('raises no error-rate alert on a temperature named *_failure, and follows kinds stated by glob', () => {
      const random = createRandom(3);
      const temperatures = Array.from({ length: 1_800 }, (_, s) => at(s, 70 + random.normal(), 'disk_failure_temp'));
      const defaults = { ...defaultRuleSet(), rules: DEFAULT_RULES };
      // Before, the name made it an error rate with a mean of 70, far above 1%: error-rate fired.
      expect(alertsOf(analyse(temperatures, defaults)).map((a) => a.rule)).toEqual([]);
      const stated = { ...defaults, metrics: [{ metric: 'disk_*', kind: 'errors' as const }] };
      const rules = new Set(alertsOf(analyse(temperatures, stated)).map((a) => a.rule));
      expect(rules).toEqual(new Set(['error-rate']));
      const stats = statsOf(analyse(temperatures.slice(0, 100), stated));
      expect(new Set(stats.map((stat) => stat.metricKind))).toEqual(new Set(['errors']));
    });
  });

  describe('idle series', () => {
    it('does not restart an hourly series at every sample, and releases it once silent for 10 intervals', () => {
      // Hourly samples over three days, and a 5-minute series that goes on after the hourly one stops.
      const hourly = Array.from({ length: 72 }, (_, h) => at(h * 3600, 5, 'backlog'));
      const events = analyse(hourly, echoRules({ idleAfter: 30 * MINUTE }));
      // Before: idleAfter (30 min) closed the series before each of its samples: 71 evictions.
      expect(diagnosticsOf(events, 'series-evicted')).toEqual([]);
      const minutes = Array.from({ length: 12 * 24 * 5 }, (_, i) => at(i * 300, 1, 'heartbeat'));
      const both = analyse(
        [...hourly, ...minutes].sort((a, b) => a.ts - b.ts),
        echoRules({ idleAfter: 30 * MINUTE }),
      );
      const evicted = diagnosticsOf(both, 'series-evicted');
      expect(evicted.map((d) => d.series)).toEqual(['backlog']);
      // Its last sample came at 71 h: silent for 10 of its 1 h intervals at 81 h, released at a scan
      // (every idleAfter / 4) that a 5-minute sample starts.
      expect(evicted[0]?.ts).toBeGreaterThanOrEqual(START + 81 * 3600 * SECOND);
      expect(evicted[0]?.ts).toBeLessThanOrEqual(START + (81 * 3600 + 450 + 300) * SECOND);
    });
  });

  describe('windows that follow the sampling interval', () => {
    it('the default rules find a latency step in a series sampled every 5 minutes, and nothing before it', () => {
      const random = createRandom(11);
      // Four days of a latency sampled every 5 minutes, +30% from the start of day 3.
      const step = 3 * 24 * 3600;
      const samples = Array.from({ length: 4 * 288 }, (_, i) => {
        const t = i * 300;
        return {
          ...at(t, 80 * Math.exp(0.1 * random.normal()) * (t >= step ? 1.3 : 1), 'http_req_duration'),
          unit: 'ms',
        };
      });
      const events = analyse(samples, { ...defaultRuleSet(), rules: DEFAULT_RULES });
      const firing = alertsOf(events).filter((alert) => alert.state === 'firing');
      // Before, the 1, 3 and 15 minute windows never held the 30 samples a test needs: no alert.
      expect(firing.map((alert) => alert.rule)).toEqual(['latency-regression']);
      expect(firing[0]?.ts).toBeGreaterThan(START + step * SECOND);
      expect(firing[0]?.ts).toBeLessThan(START + (step + 6 * 3600) * SECOND);
      // Rolling stats hold 10 samples (50 minutes) instead of one.
      const stats = statsOf(events);
      expect(stats.at(-1)?.n).toBe(10);
    });

    it('keeps windows and timestamps in whole µs when the usual interval is not (gaps of 1 and 2 µs)', () => {
      // Before, a median gap of 1.5 µs made a hop of 1.5 µs: Stats at fractional µs, which InfluxDB
      // could not parse and Avro could not store.
      const samples = Array.from({ length: 40 }, (_, i) => ({
        ts: START + Math.floor(i * 1.5),
        metric: 'm',
        value: i,
        tags: {},
      }));
      const stats = statsOf(analyse(samples, echoRules({ stats: { window: { duration: 4 }, hop: { duration: 1 } } })));
      expect(stats.length).toBeGreaterThan(0);
      for (const stat of stats) expect(Number.isInteger(stat.ts)).toBe(true);
    });

    it("keeps the rules' own windows for a series sampled every second", () => {
      const random = createRandom(12);
      const samples = Array.from({ length: 600 }, (_, s) => ({
        ...at(s, 80 + random.normal(), 'http_req_duration'),
        unit: 'ms',
      }));
      const stats = statsOf(analyse(samples, { ...defaultRuleSet(), rules: DEFAULT_RULES }));
      // 60 s windows every 10 s, as the defaults say.
      expect(stats.at(-2)?.n).toBeGreaterThanOrEqual(59);
      expect(stats.at(-2)?.n).toBeLessThanOrEqual(60);
      expect((stats.at(-2)?.ts ?? 0) - (stats.at(-3)?.ts ?? 0)).toBe(10 * SECOND);
    });
  });
});
