import { describe, expect, test } from 'vitest';
import type { AnalysisEvent, ScalingResult } from '../../src/model/events.js';
import { defaultRuleSet } from '../../src/rules/defaultRules.js';
import { runAnalysis } from '../../src/analysis/runAnalysis.js';
import { syntheticScaling } from '../../src/sources/synthetic/syntheticScaling.js';

describe('scaling across closed-model load steps', () => {
  test(
    'samples tagged concurrency and stage (as closedModelLoad tags them) meet in one scaling series; ' +
      'the USL fit recovers the generating law',
    () => {
      const events: AnalysisEvent[] = [];
      runAnalysis(syntheticScaling({ seed: 7, start: 1_767_225_600_000_000, tags: { scenario: 'shop' } }), {
        onEvent: (e) => events.push(e),
      });
      const results = events
        .filter((e): e is { type: 'scaling'; scaling: ScalingResult } => e.type === 'scaling')
        .map((e) => e.scaling);
      const last = results.at(-1) as ScalingResult;
      expect(last.series).toBe('http_reqs_throughput{scenario=shop}');
      expect(last.levels.map((l) => l.concurrency)).toEqual([1, 2, 4, 8, 16, 32]);
      // Generated with σ = 0.05, κ = 0.002, λ = 100 and ±3% noise.
      expect(last.sigma).toBeCloseTo(0.05, 1);
      expect(Math.abs((last.kappa as number) - 0.002)).toBeLessThan(0.001);
      expect(Math.abs((last.lambda as number) - 100) / 100).toBeLessThan(0.05);
      const alerts = events
        .filter((e) => e.type === 'alert')
        .map((e) => (e.type === 'alert' ? `${e.alert.rule} ${e.alert.state}` : ''));
      expect(alerts).toContain('scaling-efficiency firing');
    },
  );

  test(
    "a rule with ignoreTags [] keeps a user's stage tag: " +
      'each step is its own group, with one level and no scaling result',
    () => {
      const base = defaultRuleSet();
      const rules = {
        ...base,
        rules: base.rules.map((rule) =>
          rule.detector.type === 'scaling' ? { ...rule, detector: { ...rule.detector, ignoreTags: [] } } : rule,
        ),
      };
      const events: AnalysisEvent[] = [];
      runAnalysis(syntheticScaling({ seed: 7, start: 1_767_225_600_000_000 }), {
        rules,
        onEvent: (e) => events.push(e),
      });
      expect(events.filter((e) => e.type === 'scaling')).toEqual([]);
    },
  );
});
