import { describe, expect, it } from 'vitest';
import { parseRules } from '../../src/config/loadRules.js';
import { expandSeriesValues, type RuleTest } from '../../src/config/decodeRuleTests.js';
import type { Sample } from '../../src/model/sample.js';
import { runRuleTest, testSeriesSamples } from '../../src/run/ruleTests.js';
import { sample } from '../support/sample.js';

describe('expandSeriesValues (promtool series notation)', () => {
  // The examples of the Prometheus docs, "Unit testing for rules", section <series>.
  it('expands the documented examples', () => {
    expect(expandSeriesValues('1+1x3')).toEqual([1, 2, 3, 4]);
    expect(expandSeriesValues('1-1x4')).toEqual([1, 0, -1, -2, -3]);
    expect(expandSeriesValues('1x4')).toEqual([1, 1, 1, 1, 1]);
    expect(expandSeriesValues('1 _x3 5')).toEqual([1, null, null, null, 5]);
    expect(expandSeriesValues('-2+4x1 _ 1e3')).toEqual([-2, 2, null, 1000]);
  });

  it('names the term it cannot read', () => {
    expect(() => expandSeriesValues('1 2 stale')).toThrow('got term "stale"');
    expect(() => expandSeriesValues('1+x3')).toThrow('got term "1+x3"');
    expect(() => expandSeriesValues('  ')).toThrow('expected at least one value');
  });
});

describe('testSeriesSamples', () => {
  it('puts step i at start + i·interval, skips gaps and merges series by time', () => {
    const samples = [
      ...testSeriesSamples(
        [
          { metric: 'a', tags: {}, interval: 2_000_000, values: [1, null, 3], noise: 0 },
          { metric: 'b', tags: { k: 'v' }, unit: 'ms', interval: 3_000_000, values: [7, 8], noise: 0 },
        ],
        10_000_000,
        1,
      ),
    ];
    expect(samples).toEqual([
      { ts: 10_000_000, metric: 'a', value: 1, tags: {} },
      { ts: 10_000_000, metric: 'b', value: 7, tags: { k: 'v' }, unit: 'ms' },
      { ts: 13_000_000, metric: 'b', value: 8, tags: { k: 'v' }, unit: 'ms' },
      { ts: 14_000_000, metric: 'a', value: 3, tags: {} },
    ]);
  });

  it('adds seeded noise: the same seed gives the same values, another seed others', () => {
    const series = [{ metric: 'a', tags: {}, interval: 1_000_000, values: Array<number>(200).fill(100), noise: 0.1 }];
    const values = (seed: number): number[] => [...testSeriesSamples(series, 0, seed)].map((s) => s.value);
    expect(values(3)).toEqual(values(3));
    expect(values(3)).not.toEqual(values(4));
    const mean = values(3).reduce((a, b) => a + b, 0) / 200;
    expect(mean).toBeGreaterThan(97);
    expect(mean).toBeLessThan(103);
  });
});

describe('runRuleTest', () => {
  // A threshold on the mean of a 4 s window (hop 1 s): with values 0 until 10 s, then 1, the mean
  // first exceeds 0.5 once the window holds more ones than zeros.
  const rules = parseRules(`
defaults: false
stats: { window: 4s, hop: 1s }
rules:
  - { name: high, detector: threshold, match: { metric: x }, stat: mean, above: 0.5, severity: critical }
`);
  const test = (at: number[], firing: boolean): RuleTest => ({
    name: 't',
    seed: 1,
    input: { type: 'series', start: 0, series: [] },
    evaluations: at.map((s) => ({ at: s * 1_000_000, firing: firing ? [{ rule: 'high' }] : [] })),
  });
  const input = (): Sample[] => Array.from({ length: 30 }, (_, i) => sample(i * 1_000_000, i >= 10 ? 1 : 0, 'x'));

  it('finds the alert firing after the step and none before, and flags each mismatch', async () => {
    const before = await runRuleTest(test([5, 9], false), rules, input(), 0);
    expect(before.passed).toBe(true);
    const after = await runRuleTest(test([20, 29], true), rules, input(), 0);
    expect(after.passed).toBe(true);
    expect(after.evaluations[0]?.matched[0]?.actual.series).toBe('x');

    const wrong = await runRuleTest(test([5, 20], true), rules, input(), 0);
    expect(wrong.passed).toBe(false);
    expect(wrong.evaluations[0]?.missing).toEqual([{ rule: 'high' }]);
    expect(wrong.evaluations[1]?.missing).toEqual([]);
    const silent = await runRuleTest(test([20], false), rules, input(), 0);
    expect(silent.evaluations[0]?.unexpected.map((a) => a.rule)).toEqual(['high']);
  });

  it('counts `at` from the first sample when no origin is given, and marks evaluations after the input', async () => {
    const shifted = input().map((s) => ({ ...s, ts: s.ts + 1_000_000_000 }));
    const result = await runRuleTest(test([20, 40], true), rules, shifted);
    expect(result.origin).toBe(1_000_000_000);
    expect(result.evaluations.map((e) => e.afterInput)).toEqual([false, true]);
    expect(result.passed).toBe(true);
  });
});
