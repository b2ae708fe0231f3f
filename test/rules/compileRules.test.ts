import { describe, expect, it } from 'vitest';
import { DEFAULT_REGRESSION_TIERS } from '../../src/detectors/regression.js';
import { compileRule, compileRuleSet } from '../../src/rules/compileRules.js';
import { DEFAULT_RULES, defaultRuleSet } from '../../src/rules/defaultRules.js';
import type { Rule } from '../../src/rules/rule.js';

const latency = DEFAULT_RULES.find((rule) => rule.name === 'latency-regression') as Rule;

describe('compileRule', () => {
  it("resolves a rule's detector options against the detector's defaults, with the rule's alert policy", () => {
    const compiled = compileRule({ ...latency, detector: { type: 'regression', direction: 'up', alpha: 0.01 } });
    expect(compiled.options).toMatchObject({ direction: 'up', alpha: 0.01, tiers: DEFAULT_REGRESSION_TIERS });
    expect(compiled.policy).toEqual({
      rule: 'latency-regression',
      kind: 'regression',
      severity: 'critical',
      forMicros: latency.for,
      keepFiringForMicros: latency.keepFiringFor,
    });
    expect(compiled.group).toBeUndefined();
  });

  it('has no alert policy for a rule that does not alert, and a group for a detector across series', () => {
    const changePoint = DEFAULT_RULES.find((rule) => rule.name === 'latency-change-point') as Rule;
    expect(compileRule(changePoint).policy).toBeNull();
    const scaling = compileRule(DEFAULT_RULES.find((rule) => rule.name === 'scaling-efficiency') as Rule);
    const series = {
      series: 'x',
      metric: 'x',
      tags: { concurrency: '4', stage: '2', host: 'h' },
      metricKind: 'throughput' as const,
    };
    expect(scaling.group?.(series)).toEqual({
      series: 'x{host=h}',
      metric: 'x',
      tags: { host: 'h' },
      metricKind: 'throughput',
    });
    expect(scaling.group?.({ ...series, tags: { host: 'h' } })).toBeNull();
  });

  it('names the rule in the RangeError of options that do not go together', () => {
    expect(() => compileRule({ ...latency, detector: { type: 'regression', direction: 'up', tiers: [] } })).toThrow(
      'rule latency-regression: regression: at least one tier is required',
    );
  });

  it('compiles every default rule, and checks the rolling-stats options of a set', () => {
    expect(compileRuleSet(defaultRuleSet()).compiled.map((c) => c.rule.name)).toEqual(DEFAULT_RULES.map((r) => r.name));
    expect(() => compileRuleSet({ ...defaultRuleSet(), stats: { window: { count: 0 }, hop: { count: 1 } } })).toThrow(
      RangeError,
    );
  });
});
