import { resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { RuleSet } from '../rules/rule.js';
import { invalid, parseYaml, readConfigText } from './configText.js';
import { decodeRules } from './decodeRules.js';

/**
 * Parses rules YAML text into a RuleSet, or throws a ConfigError listing every problem (YAML
 * syntax with line and column, then each field with its path). `source` names the file in messages.
 */
export function parseRules(text: string, source = 'rules'): RuleSet {
  return rulesOf(parseYaml(text, source), source);
}

/** Decodes a parsed rules document into a RuleSet, or throws a ConfigError listing every problem. */
export function rulesOf(document: unknown, source: string): RuleSet {
  const decoded = decodeRules(document);
  if (isLeft(decoded)) throw invalid(source, 'rules', decoded.left);
  return decoded.right;
}

/** Reads and parses a rules file; see {@link parseRules}. */
export async function loadRules(path: string): Promise<RuleSet> {
  return parseRules(await readConfigText(path, 'rules file'), path);
}

/** Decoded rules, or a rules file named by a scenario or test spec, read relative to that document's directory. */
export async function resolveRules(
  rules: RuleSet | { readonly file: string },
  baseDir: string,
): Promise<{ readonly rules: RuleSet; readonly rulesFile?: string }> {
  if (!('file' in rules)) return { rules };
  const rulesFile = resolve(baseDir, rules.file);
  return { rules: await loadRules(rulesFile), rulesFile };
}
