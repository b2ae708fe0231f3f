import { dirname, resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { RuleSet } from '../rules/rule.js';
import { invalid, parseYaml, readConfigText } from './configText.js';
import { decodeRuleTests, type RuleTest } from './decodeRuleTests.js';
import { resolveRules } from './loadRules.js';

/** A loaded rule-test spec: the rules under test and the tests, with recording paths resolved. */
export interface RuleTestSpec {
  readonly rules: RuleSet;
  /** The rules file the spec names, when it names one. */
  readonly rulesFile?: string;
  readonly tests: readonly RuleTest[];
}

/**
 * Reads a rule-test spec (`soakstream test`): YAML syntax errors with line and column, then every
 * decoding problem with its path, in one ConfigError. The rules file and recordings it names are
 * resolved against the spec's directory.
 */
export async function loadRuleTests(path: string): Promise<RuleTestSpec> {
  const decoded = decodeRuleTests(parseYaml(await readConfigText(path, 'test spec'), path));
  if (isLeft(decoded)) throw invalid(path, 'rule test spec', decoded.left);
  const baseDir = dirname(resolve(path));
  const tests = decoded.right.tests.map((test) =>
    test.input.type === 'recording'
      ? { ...test, input: { ...test.input, files: test.input.files.map((file) => resolve(baseDir, file)) } }
      : test,
  );
  return { ...(await resolveRules(decoded.right.rules, baseDir)), tests };
}
