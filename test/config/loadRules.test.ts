import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRules, parseRules } from '../../src/config/loadRules.js';
import { ConfigError } from '../../src/model/errors.js';
import { DEFAULT_RULES, defaultRuleSet } from '../../src/rules/defaultRules.js';
import type { Rule } from '../../src/rules/rule.js';
import { useTempDirectory } from '../support/tempDirectory.js';
import { thrownBy } from '../support/thrown.js';

const SECOND = 1_000_000;
const MINUTE = 60 * SECOND;
const EXAMPLE = fileURLToPath(new URL('../../examples/rules.yaml', import.meta.url));

const configErrorOf = (text: string, source?: string): ConfigError =>
  thrownBy(() => parseRules(text, source), ConfigError);

describe('loadRules', () => {
  const tempPath = useTempDirectory();

  it('loads examples/rules.yaml: overrides, a disabled default and two rules of its own', async () => {
    const ruleSet = await loadRules(EXAMPLE);
    expect(ruleSet.rules.map((r) => r.name)).toEqual([
      'latency-regression',
      'latency-change-point',
      'throughput-regression',
      'scaling-efficiency',
      'memory-leak',
      'resource-leak',
      'not-recovered',
      'anomaly',
      'checkout-latency-drift',
      'p95-budget',
    ]);
    expect(ruleSet.rules.some((r) => r.name === 'error-rate')).toBe(false);
    expect(ruleSet.stats).toEqual({ window: { duration: 60 * SECOND }, hop: { duration: 10 * SECOND } });
    expect(ruleSet.allowedLateness).toBe(5 * SECOND);
    expect(ruleSet.maxSeries).toBe(10_000);
    expect(ruleSet.idleAfter).toBe(30 * MINUTE);

    const byName = (name: string): Rule | undefined => ruleSet.rules.find((r) => r.name === name);
    // `for: 1m` and `alpha: 0.0001` change only those fields of the default rule.
    const defaultLatency = DEFAULT_RULES.find((r) => r.name === 'latency-regression') as Rule;
    expect(byName('latency-regression')).toEqual({
      ...defaultLatency,
      for: 60 * SECOND,
      detector: { ...defaultLatency.detector, alpha: 0.0001 },
    });
    expect(byName('checkout-latency-drift')).toEqual({
      name: 'checkout-latency-drift',
      match: { kinds: ['latency'], metric: 'http_*', tags: { scenario: 'checkout' } },
      detector: {
        type: 'regression',
        direction: 'up',
        reference: { type: 'trailing', lag: 30 * MINUTE, duration: 30 * MINUTE },
        tiers: [
          { window: 5 * MINUTE, minShift: 0.1 },
          { window: 30 * MINUTE, minShift: 0.05 },
        ],
        alpha: 0.001,
      },
      severity: 'warning',
      for: 2 * MINUTE,
      keepFiringFor: 5 * MINUTE,
      alert: true,
    });
    expect(byName('p95-budget')).toEqual({
      name: 'p95-budget',
      match: { kinds: ['latency'] },
      detector: { type: 'threshold', stat: 'p95', above: 250 },
      severity: 'critical',
      for: MINUTE,
      keepFiringFor: 0,
      alert: true,
    });
  });

  it('reads a file written to disk and names a missing one', async () => {
    const path = tempPath('rules.yaml');
    writeFileSync(path, 'defaults: false\nrules:\n  - { name: heap, detector: leak, match: { kind: memory } }\n');
    expect((await loadRules(path)).rules.map((r) => r.name)).toEqual(['heap']);

    const missing = tempPath('missing.yaml');
    const error = await loadRules(missing).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(`cannot read rules file ${missing}`);
    expect((error as ConfigError).context).toEqual({ file: missing });
  });
});

describe('parseRules', () => {
  it('gives the default rule set for an empty file or one with only comments', () => {
    expect(parseRules('')).toEqual(defaultRuleSet());
    expect(parseRules('# nothing yet\n')).toEqual(defaultRuleSet());
  });

  it('lists every problem of a broken file in one ConfigError, each with its path', () => {
    const text = [
      'version: 1',
      'stats:',
      '  window: -5',
      'rules:',
      '  - name: latency-regression',
      '    detector: regression',
      '    direction: sideways',
      '    tiers:',
      '      - { window: 5m, minShift: fast }',
      '  - name: p95',
      '    detector: threshold',
      '    stat: p95',
      '    tresholds: { above: 3 }',
      '  - name: broken',
      '    detector: thresholdz',
      '  - name: p95',
      '    detector: threshold',
      '    stat: p99',
      '  - name: nope',
      '    enabled: false',
      '',
    ].join('\n');
    const error = configErrorOf(text, 'bad.yaml');
    expect(error.code).toBe('CONFIG_ERROR');
    expect(error.retriable).toBe(false);
    expect(error.context).toEqual({ file: 'bad.yaml' });
    expect(error.issues).toEqual([
      'stats.window: expected a sample count (positive integer) or a duration like "60s", got -5',
      'rules[0].direction: expected "up" | "down", got "sideways"',
      'rules[0].tiers[0].minShift: expected a percentage like "5%" or a fraction between 0 and 1, got "fast"',
      'rules[1].tresholds: unknown field ' +
        '(expected one of: name, detector, match, severity, for, keepFiringFor, alert, enabled, stat, above, below)',
      'rules[2].detector: expected one of regression, leak, changepoint, outlier, threshold, scaling, anomaly, ' +
        'recovery, got "thresholdz"',
      'rules[3].name: rule "p95" is defined twice',
      expect.stringMatching(/^rules\[4\]\.name: no rule named "nope" to disable/),
    ]);
    expect(error.message.startsWith('bad.yaml: invalid rules (7 problems)\n  - stats.window: ')).toBe(true);
    for (const issue of error.issues) expect(error.message).toContain(issue);
  });

  it('reports YAML syntax errors with their line and column', () => {
    const error = configErrorOf('rules:\n  - name: x\n   detector: [\n', 'broken.yaml');
    expect(error.message.startsWith('broken.yaml: invalid YAML')).toBe(true);
    expect(error.issues.length).toBeGreaterThan(0);
    for (const issue of error.issues) expect(issue).toMatch(/at line \d+, column \d+/);
    expect(error.issues.some((issue) => /at line 3, column \d+/.test(issue))).toBe(true);
  });

  it('reports a duplicate key as a YAML error', () => {
    const error = configErrorOf('maxSeries: 5\nmaxSeries: 6\n');
    expect(error.message.startsWith('rules: invalid YAML')).toBe(true);
    expect(error.issues).toEqual([expect.stringMatching(/Map keys must be unique at line 2, column 1/)]);
  });

  it('rejects a document that is not a mapping', () => {
    expect(configErrorOf('- a\n- b\n').issues).toEqual([
      '(top level): expected a mapping (key: value pairs), got ["a","b"]',
    ]);
  });
});
