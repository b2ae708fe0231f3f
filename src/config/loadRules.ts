import { readFile } from 'node:fs/promises';
import { isLeft } from 'fp-ts/lib/Either.js';
import { parseDocument } from 'yaml';
import { ConfigError } from '../model/errors.js';
import type { RuleSet } from '../pipeline/rule.js';
import { decodeRules } from './decodeRules.js';

/**
 * Parses rules YAML text into a RuleSet, or throws a ConfigError listing every problem (YAML
 * syntax with line and column, then each field with its path). `source` names the file in messages.
 */
export function parseRules(text: string, source = 'rules'): RuleSet {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(`${source}: invalid YAML`, document.errors.map((e) => e.message.split('\n')[0] ?? e.message), { file: source });
  }
  const decoded = decodeRules(document.toJS());
  if (isLeft(decoded)) throw new ConfigError(`${source}: invalid rules (${decoded.left.length} problem${decoded.left.length === 1 ? '' : 's'})`, decoded.left, { file: source });
  return decoded.right;
}

/** Reads and parses a rules file; see {@link parseRules}. */
export async function loadRules(path: string): Promise<RuleSet> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read rules file ${path}: ${(cause as Error).message}`, [], { file: path });
  }
  return parseRules(text, path);
}
