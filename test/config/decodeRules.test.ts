import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeRules } from '../../src/config/decodeRules.js';
import { describeType } from '../../src/config/formatErrors.js';
import { DEFAULT_RULES, defaultRuleSet } from '../../src/rules/defaultRules.js';
import type { Rule, RuleSet } from '../../src/rules/rule.js';

const SECOND = 1_000_000;
const MINUTE = 60 * SECOND;

const ruleSetOf = (decoded: Either<string[], RuleSet>): RuleSet => {
  if (!isRight(decoded)) throw new Error(`expected the rules to decode:\n${decoded.left.join('\n')}`);
  return decoded.right;
};

const problemsOf = (decoded: Either<string[], RuleSet>): string[] => {
  if (!isLeft(decoded)) throw new Error('expected the rules to be rejected');
  return decoded.left;
};

const ruleNamed = (ruleSet: RuleSet, name: string): Rule => {
  const rule = ruleSet.rules.find((r) => r.name === name);
  if (rule === undefined) throw new Error(`no rule ${name} in ${ruleSet.rules.map((r) => r.name).join(', ')}`);
  return rule;
};

const defaultRule = (name: string): Rule => DEFAULT_RULES.find((r) => r.name === name) as Rule;

describe('decodeRules', () => {
  it('gives the default rule set for an empty or missing document', () => {
    expect(ruleSetOf(decodeRules(null))).toEqual(defaultRuleSet());
    expect(ruleSetOf(decodeRules(undefined))).toEqual(defaultRuleSet());
    expect(ruleSetOf(decodeRules({}))).toEqual(defaultRuleSet());
    expect(ruleSetOf(decodeRules({ version: 1, defaults: true, rules: [] }))).toEqual(defaultRuleSet());
  });

  it('decodes the top-level settings: windows as durations or counts, lateness, series limit, idle time', () => {
    const ruleSet = ruleSetOf(
      decodeRules({ stats: { window: 1024, hop: '5s' }, allowedLateness: '0s', maxSeries: 50, idleAfter: '1h' }),
    );
    expect(ruleSet.stats).toEqual({ window: { count: 1024 }, hop: { duration: 5 * SECOND } });
    expect(ruleSet.allowedLateness).toBe(0);
    expect(ruleSet.maxSeries).toBe(50);
    expect(ruleSet.idleAfter).toBe(60 * MINUTE);
    expect(ruleSet.rules).toEqual(DEFAULT_RULES);
  });

  it('changes only the given common fields of a default rule when the entry has no detector', () => {
    const ruleSet = ruleSetOf(
      decodeRules({ rules: [{ name: 'memory-leak', for: '10m', severity: 'warning', match: { metric: 'heap_*' } }] }),
    );
    const base = defaultRule('memory-leak');
    expect(ruleNamed(ruleSet, 'memory-leak')).toEqual({
      ...base,
      for: 10 * MINUTE,
      severity: 'warning',
      match: { metric: 'heap_*' },
    });
    // Position and the other rules are unchanged.
    expect(ruleSet.rules.map((r) => r.name)).toEqual(DEFAULT_RULES.map((r) => r.name));
    expect(ruleSet.rules.filter((r) => r.name !== 'memory-leak')).toEqual(
      DEFAULT_RULES.filter((r) => r.name !== 'memory-leak'),
    );
  });

  it('changes any detector option of a default rule by name, decoded by the detector, keeping the rest', () => {
    const ruleSet = ruleSetOf(
      decodeRules({
        rules: [
          { name: 'latency-regression', alpha: 0.01 },
          { name: 'throughput-regression', tiers: [{ window: '5m', minShift: '4%' }], evaluateEvery: '30s' },
          { name: 'memory-leak', fitWindow: '2h', for: '10m' },
        ],
      }),
    );
    const latency = defaultRule('latency-regression');
    expect(ruleNamed(ruleSet, 'latency-regression')).toEqual({
      ...latency,
      detector: { ...latency.detector, alpha: 0.01 },
    });
    const throughput = defaultRule('throughput-regression');
    expect(ruleNamed(ruleSet, 'throughput-regression')).toEqual({
      ...throughput,
      detector: { ...throughput.detector, tiers: [{ window: 5 * MINUTE, minShift: 0.04 }], evaluateEvery: 30 * SECOND },
    });
    const leak = defaultRule('memory-leak');
    expect(ruleNamed(ruleSet, 'memory-leak')).toEqual({
      ...leak,
      for: 10 * MINUTE,
      detector: { ...leak.detector, fitWindow: 120 * MINUTE },
    });
  });

  it('changes only what is given when the entry names the detector the default rule already has', () => {
    const ruleSet = ruleSetOf(
      decodeRules({ rules: [{ name: 'error-rate', detector: 'threshold', stat: 'p99', above: 0.05 }] }),
    );
    const base = defaultRule('error-rate');
    expect(ruleNamed(ruleSet, 'error-rate')).toEqual({
      ...base,
      detector: { type: 'threshold', stat: 'p99', above: 0.05 },
    });
  });

  it(
    'replaces a default rule entirely when the entry names another detector, ' + 'with defaults for the common fields',
    () => {
      const ruleSet = ruleSetOf(decodeRules({ rules: [{ name: 'error-rate', detector: 'outlier', threshold: 5 }] }));
      expect(ruleNamed(ruleSet, 'error-rate')).toEqual({
        name: 'error-rate',
        match: {},
        detector: { type: 'outlier', threshold: 5 },
        severity: 'warning',
        for: 0,
        keepFiringFor: 0,
        alert: true,
      });
      // A new detector needs its required options again.
      expect(problemsOf(decodeRules({ rules: [{ name: 'error-rate', detector: 'regression' }] }))).toEqual([
        'rules[0].direction: expected "up" | "down", got undefined',
      ]);
    },
  );

  it('reports options that each decode but do not go together, at the rule', () => {
    expect(problemsOf(decodeRules({ rules: [{ name: 'memory-leak', bucket: '2h', fitWindow: '1h' }] }))).toEqual([
      'rules[0]: rule memory-leak: leakSlope: need bucket > 0 and fitWindow > bucket (µs), ' +
        'got bucket 7200000000, fitWindow 3600000000, minSpan 1200000000',
    ]);
    expect(
      problemsOf(decodeRules({ defaults: false, rules: [{ name: 'p95', detector: 'threshold', stat: 'p95' }] })),
    ).toEqual(['rules[0]: rule p95: threshold: give a limit, above or below, for p95']);
  });

  it('removes a rule with enabled: false', () => {
    const ruleSet = ruleSetOf(
      decodeRules({
        rules: [
          { name: 'error-rate', enabled: false },
          { name: 'latency-change-point', enabled: false },
        ],
      }),
    );
    expect(ruleSet.rules.map((r) => r.name)).toEqual([
      'latency-regression',
      'throughput-regression',
      'scaling-efficiency',
      'memory-leak',
      'resource-leak',
      'not-recovered',
      'anomaly',
    ]);
  });

  it("gives only the file's rules with defaults: false", () => {
    const ruleSet = ruleSetOf(
      decodeRules({
        defaults: false,
        rules: [
          { name: 'slow', detector: 'outlier', window: 256, threshold: 4 },
          { name: 'steps', detector: 'changepoint', method: 'page-hinkley', bucket: '1m', delta: 0.5 },
          {
            name: 'fds',
            detector: 'leak',
            match: { kind: ['resource', 'memory'] },
            minSlopePerHour: 2,
            minRelativeSlopePerHour: '2%',
            alert: false,
          },
          { name: 'scale', detector: 'scaling', concurrencyTag: 'vus', minEfficiency: '60%' },
        ],
      }),
    );
    expect(ruleSet.rules).toEqual([
      {
        name: 'slow',
        match: {},
        detector: { type: 'outlier', window: { count: 256 }, threshold: 4 },
        severity: 'warning',
        for: 0,
        keepFiringFor: 0,
        alert: true,
      },
      {
        name: 'steps',
        match: {},
        detector: { type: 'changepoint', method: 'page-hinkley', bucket: MINUTE, delta: 0.5 },
        severity: 'warning',
        for: 0,
        keepFiringFor: 0,
        alert: true,
      },
      {
        name: 'fds',
        match: { kinds: ['resource', 'memory'] },
        detector: { type: 'leak', minSlopePerHour: 2, minRelativeSlopePerHour: 0.02 },
        severity: 'warning',
        for: 0,
        keepFiringFor: 0,
        alert: false,
      },
      {
        name: 'scale',
        match: {},
        detector: { type: 'scaling', concurrencyTag: 'vus', minEfficiency: 0.6 },
        severity: 'warning',
        for: 0,
        keepFiringFor: 0,
        alert: true,
      },
    ]);
  });

  it('decodes the tags a scaling rule ignores when grouping load steps', () => {
    const ruleSet = ruleSetOf(
      decodeRules({ defaults: false, rules: [{ name: 'scale', detector: 'scaling', ignoreTags: ['stage', 'phase'] }] }),
    );
    expect(ruleSet.rules[0]?.detector).toEqual({ type: 'scaling', ignoreTags: ['stage', 'phase'] });
    expect(
      isLeft(decodeRules({ defaults: false, rules: [{ name: 'scale', detector: 'scaling', ignoreTags: 'stage' }] })),
    ).toBe(true);
  });

  it('decodes regression tiers and the reference under the names the detector uses', () => {
    const ruleSet = ruleSetOf(
      decodeRules({
        defaults: false,
        rules: [
          {
            name: 'drift',
            detector: 'regression',
            direction: 'down',
            reference: { type: 'initial', warmup: '2m', duration: '10m' },
            tiers: [
              { window: '5m', minShift: '10%' },
              { window: '30m', minShift: 0.05 },
            ],
            alpha: 0.01,
          },
        ],
      }),
    );
    expect(ruleNamed(ruleSet, 'drift').detector).toEqual({
      type: 'regression',
      direction: 'down',
      reference: { type: 'initial', warmup: 2 * MINUTE, duration: 10 * MINUTE },
      tiers: [
        { window: 5 * MINUTE, minShift: 0.1 },
        { window: 30 * MINUTE, minShift: 0.05 },
      ],
      alpha: 0.01,
    });
  });

  it('reports every problem of a broken document at once, each with its path', () => {
    const problems = problemsOf(
      decodeRules({
        version: 2,
        stats: { window: 'forever' },
        maxSeries: 0,
        rules: [
          {
            name: 'latency-regression',
            detector: 'regression',
            direction: 'sideways',
            tiers: [{ window: '5m', minShift: 'fast' }],
          },
          { name: 'p95', detector: 'threshold', stat: 'p95', tresholds: 3 },
          { name: 'mystery', detector: 'magic' },
          { name: 'p95', detector: 'threshold', stat: 'p42' },
          { name: 'no-such-rule', enabled: false },
          { name: 'custom', for: '1m' },
        ],
        extra: true,
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^version: /),
        'stats.window: expected a duration like "60s" or a sample count like 1024, got "forever"',
        'maxSeries: expected a positive integer, got 0',
        'rules[0].direction: expected "up" | "down", got "sideways"',
        'rules[0].tiers[0].minShift: expected a percentage like "5%" or a fraction between 0 and 1, got "fast"',
        expect.stringMatching(/^rules\[1\]\.tresholds: unknown field \(expected one of: .*above, below\)$/),
        'rules[2].detector: expected one of regression, leak, changepoint, outlier, threshold, scaling, anomaly, ' +
          'recovery, got "magic"',
        'rules[3].stat: expected one of n, min, max, mean, stdev, median, mad, p50, p90, p95, p99, got "p42"',
        'rules[3].name: rule "p95" is defined twice',
        expect.stringMatching(
          /^rules\[4\]\.name: no rule named "no-such-rule" to disable \(known: latency-regression, /,
        ),
        'rules[5].detector: rule "custom" is not a default rule, ' +
          'so it needs a detector (one of regression, leak, changepoint, outlier, threshold, scaling, anomaly, ' +
          'recovery)',
        expect.stringMatching(/^extra: unknown field/),
      ]),
    );
    expect(problems).toHaveLength(12);
  });

  it('reports name problems of a document whose fields are otherwise valid', () => {
    expect(
      problemsOf(
        decodeRules({
          rules: [
            { name: 'a', detector: 'threshold', stat: 'max' },
            { name: 'a', enabled: false },
          ],
        }),
      ),
    ).toEqual(['rules[1].name: rule "a" is defined twice']);
    expect(problemsOf(decodeRules({ defaults: false, rules: [{ name: 'latency-regression', for: '1m' }] }))).toEqual([
      'rules[0].detector: rule "latency-regression" is not a default rule, ' +
        'so it needs a detector (one of regression, leak, changepoint, outlier, threshold, scaling, anomaly, recovery)',
    ]);
    expect(problemsOf(decodeRules({ defaults: false, rules: [{ name: 'error-rate', enabled: false }] }))).toEqual([
      'rules[0].name: no rule named "error-rate" to disable (known: )',
    ]);
  });

  it('decodes match.exclude from one glob or a list', () => {
    const one = ruleSetOf(
      decodeRules({ rules: [{ name: 'error-rate', match: { kind: 'errors', exclude: 'http_req_errors' } }] }),
    );
    expect(ruleNamed(one, 'error-rate').match).toEqual({ kinds: ['errors'], exclude: ['http_req_errors'] });
    const list = ruleSetOf(decodeRules({ rules: [{ name: 'error-rate', match: { exclude: ['a_*', 'b'] } }] }));
    expect(ruleNamed(list, 'error-rate').match).toEqual({ exclude: ['a_*', 'b'] });
  });

  it('reports unknown fields of an override, nested mappings and rule entries that are not mappings', () => {
    expect(problemsOf(decodeRules({ rules: [{ name: 'memory-leak', for: '1m', tiers: [] }] }))).toEqual([
      'rules[0].tiers: unknown field (expected one of: name, detector, match, severity, for, keepFiringFor, alert, ' +
        'enabled, bucket, fitWindow, minSpan, confidence, alpha, minSlopePerHour, minRelativeSlopePerHour)',
    ]);
    // `kind` is a kind or a list of kinds: each branch of that union reports its own line.
    const matchProblems = problemsOf(
      decodeRules({ rules: [{ name: 'memory-leak', match: { kind: 'heap', service: 'x' } }] }),
    );
    expect(matchProblems).toContain(
      'rules[0].match.kind: expected one of errors, throughput, latency, memory, resource, other, got "heap"',
    );
    expect(matchProblems).toContain(
      'rules[0].match.service: unknown field (expected one of: kind, metric, tags, exclude)',
    );
    expect(matchProblems.every((line) => line.startsWith('rules[0].match.'))).toBe(true);
    expect(problemsOf(decodeRules({ rules: ['latency-regression', { detector: 'leak' }] }))).toEqual([
      'rules[0]: expected a rule mapping with at least "name", got "latency-regression"',
      'rules[1].name: expected a non-empty rule name, got undefined',
    ]);
    expect(problemsOf(decodeRules({ rules: { name: 'x' } }))).toEqual([
      expect.stringMatching(/^rules: expected a list, got /),
    ]);
  });

  it('reports reference and window problems at their paths', () => {
    const problems = problemsOf(
      decodeRules({
        defaults: false,
        rules: [
          {
            name: 'r',
            detector: 'regression',
            direction: 'up',
            reference: { type: 'trailing', lag: '30m' },
            evaluateEvery: '0s',
          },
          { name: 'o', detector: 'outlier', window: 0 },
        ],
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^rules\[0\]\.reference\.duration: /),
      'rules[0].evaluateEvery: expected a duration greater than zero, got "0s"',
      'rules[1].window: expected a sample count (positive integer) or a duration like "60s", got 0',
    ]);
  });

  it('states kinds and units of metrics by glob, in document order, and names a wrong kind', () => {
    const ruleSet = ruleSetOf(
      decodeRules({
        metrics: { 'ec2_cpu*': { kind: 'other', unit: 'percent' }, 'checkout*': { kind: 'latency' } },
      }),
    );
    expect(ruleSet.metrics).toEqual([
      { metric: 'ec2_cpu*', kind: 'other', unit: 'percent' },
      { metric: 'checkout*', kind: 'latency' },
    ]);
    expect(problemsOf(decodeRules({ metrics: { 'ec2_cpu*': { kind: 'utilization' } } })).join('\n')).toMatch(
      /metrics\.ec2_cpu\*\.kind.*one of errors, throughput, latency, memory, resource, other/,
    );
    expect(problemsOf(decodeRules({ metrics: { 'ec2_cpu*': { knd: 'other' } } })).join('\n')).toMatch(/knd/);
  });

  it('starts from the rules of a preset: the anomaly rule on every metric, tunable by name', () => {
    const anomaly = ruleSetOf(decodeRules({ preset: 'anomaly', rules: [{ name: 'anomaly', hold: 12 }] }));
    expect(anomaly.rules.map((rule) => [rule.name, rule.match, rule.detector])).toEqual([
      ['anomaly', {}, { type: 'anomaly', hold: 12 }],
    ]);
    expect(problemsOf(decodeRules({ preset: 'anomalies' })).join('\n')).toMatch(/preset.*one of soak, anomaly/);
    expect(ruleSetOf(decodeRules({ preset: 'soak' })).rules).toEqual(DEFAULT_RULES);
  });

  it('--preset replaces the default rules a rules file left unchanged, keeping those it changed or added', async () => {
    const { withPreset } = await import('../../src/rules/presets.js');
    const decoded = ruleSetOf(
      decodeRules({
        rules: [
          { name: 'error-rate', above: 0.05 },
          { name: 'p95', detector: 'threshold', stat: 'p95', above: 1 },
        ],
      }),
    );
    expect(withPreset(decoded, 'anomaly').rules.map((rule) => rule.name)).toEqual(['anomaly', 'error-rate', 'p95']);
    expect(withPreset(decoded, 'soak')).toBe(decoded);
  });
});

describe('problems in users’ words', () => {
  it('names what was expected as a user says it, never a codec’s internal name', () => {
    const decoded = decodeRules({
      version: 1,
      metrics: [{ metric: 'x*', kind: 'latency' }],
      rules: [
        { name: 'a', detector: 'threshold', stat: 'p95', above: 'high' },
        { name: 'b', detector: 'regression', direction: 'up', tiers: 3 },
      ],
    });
    const problems = isLeft(decoded) ? decoded.left : [];
    expect(problems).toEqual([
      'metrics: expected a mapping, got [{"metric":"x*","kind":"latency"}]',
      'rules[0].above: expected a number, got "high"',
      'rules[1].tiers: expected a list, got 3',
    ]);
    for (const problem of problems) expect(problem).not.toMatch(/Array<|\{ \[K in|MetricSpec|StatField|\bTier\b/);
    expect(describeType('MetricSpec')).toBe('a metric spec');
    expect(describeType('ExecFault')).toBe('an exec fault');
    expect(describeType('"up" | "down"')).toBe('"up" | "down"');
  });
});
