import { relative } from 'node:path';
import type { PresetName } from '../rules/presetNames.js';
import { withPreset } from '../rules/presets.js';
import { loadRuleTests } from '../config/loadRuleTests.js';
import { formatDuration } from '../model/formatQuantity.js';
import {
  describeExpected,
  runRuleTest,
  testSeriesSamples,
  type EvaluationResult,
  type RuleTestResult,
} from './ruleTests.js';
import { formatEventTime } from '../sinks/console/formatAlertLine.js';
import { readSampleFiles } from '../sources/files/readSampleFile.js';
import { plural } from './describe.js';

export interface TestRulesResult {
  readonly exitCode: 0 | 1;
  readonly results: readonly RuleTestResult[];
}

/** The diff of one evaluation: `-` expected but not firing, `+` firing but not expected, blank for a match. */
function diffLines(evaluation: EvaluationResult, origin: number): string[] {
  const offset = (ts: number): string => `+${formatDuration(ts - origin)}`;
  const header =
    `at ${formatDuration(evaluation.at)} (${formatEventTime(evaluation.time)})` +
    `${evaluation.afterInput ? ', after the last sample of the input' : ''}:`;
  return [
    header,
    ...evaluation.matched.map(
      ({ actual }) => `    ${actual.rule} on ${actual.series} [${actual.severity}], firing since ${offset(actual.ts)}`,
    ),
    ...evaluation.missing.map((expected) => `  - ${describeExpected(expected)}`),
    ...evaluation.unexpected.map(
      (alert) => `  + ${alert.rule} on ${alert.series} [${alert.severity}], firing since ${offset(alert.ts)}`,
    ),
    ...(evaluation.matched.length + evaluation.missing.length + evaluation.unexpected.length === 0
      ? ['    (no alert expected, none firing)']
      : []),
  ];
}

/**
 * `soakstream test <spec...>`: unit tests for alert rules, in the spirit of `promtool test rules`.
 * Each test replays its input (inline series or a recording) through the rules on event time and
 * compares the alerts firing at each `at` with the expected ones. A failing test prints a diff:
 * `-` an expected alert that is not firing, `+` a firing alert nobody expected. Exit 1 when any
 * test fails; a malformed spec is a ConfigError (exit 2).
 */
export async function testRules(
  specs: readonly string[],
  out: (line: string) => void = console.log,
  preset?: PresetName,
): Promise<TestRulesResult> {
  const results: RuleTestResult[] = [];
  for (const file of specs) {
    const loaded = await loadRuleTests(file);
    const spec = preset !== undefined ? { ...loaded, rules: withPreset(loaded.rules, preset) } : loaded;
    out(
      `${file}: ${plural(spec.tests.length, 'test')}, ` +
        `rules ${spec.rulesFile !== undefined ? relative(process.cwd(), spec.rulesFile) : 'the defaults'} ` +
        `(${spec.rules.rules.map((r) => r.name).join(', ')})`,
    );
    for (const test of spec.tests) {
      const input = test.input;
      // A recording input carries its CSV options (metric, tags, unit) as fields.
      const samples =
        input.type === 'series'
          ? testSeriesSamples(input.series, input.start, test.seed)
          : readSampleFiles(input.files, input);
      const result = await runRuleTest(test, spec.rules, samples, input.type === 'series' ? input.start : undefined);
      results.push(result);
      out(
        `  ${result.passed ? '✓' : '✗'} ${test.name} ` +
          `(${plural(result.samples, 'sample')}, ${plural(result.evaluations.length, 'evaluation')})`,
      );
      if (result.passed) continue;
      out('      - expected but not firing   + firing but not expected');
      for (const evaluation of result.evaluations) {
        if (evaluation.missing.length === 0 && evaluation.unexpected.length === 0) continue;
        for (const line of diffLines(evaluation, result.origin)) out(`      ${line}`);
      }
    }
  }
  const failed = results.filter((r) => !r.passed).length;
  out(`\n${failed === 0 ? 'PASS' : 'FAIL'}: ${results.length - failed} passed, ${failed} failed`);
  return { exitCode: failed === 0 ? 0 : 1, results };
}
