import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { parseDocument } from 'yaml';
import { ConfigError } from '../model/errors.js';
import { decodeScenario } from './decodeScenario.js';
import { interpolateEnv, redact } from './interpolateEnv.js';
import { loadRules } from './loadRules.js';
import type { Scenario } from './scenario.js';

/** A loaded scenario and the values to mask in anything printed about it. */
export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly secrets: ReadonlySet<string>;
}

/**
 * Parses scenario YAML (or JSON) text: YAML syntax errors with line and column, then `${ENV}`
 * interpolation, then decoding; every problem is reported at once in a ConfigError, with secret
 * values masked. A rules file the scenario names is read relative to `baseDir`.
 */
export async function parseScenario(text: string, source: string, options: { baseDir?: string; env?: Readonly<Record<string, string | undefined>> } = {}): Promise<LoadedScenario> {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) throw new ConfigError(`${source}: invalid YAML`, document.errors.map((e) => e.message.split('\n')[0] ?? e.message), { file: source });
  const interpolated = interpolateEnv(document.toJS(), options.env ?? process.env);
  const decoded = decodeScenario(interpolated.value);
  const problems = [...interpolated.problems, ...(isLeft(decoded) ? decoded.left : [])].map((line) => redact(line, interpolated.secrets));
  if (problems.length > 0 || isLeft(decoded)) throw new ConfigError(`${source}: invalid scenario (${problems.length} problem${problems.length === 1 ? '' : 's'})`, problems, { file: source });
  const draft = decoded.right;
  if (!('file' in draft.rules)) return { scenario: { ...draft, rules: draft.rules }, secrets: interpolated.secrets };
  const rulesFile = resolve(options.baseDir ?? '.', draft.rules.file);
  return { scenario: { ...draft, rules: await loadRules(rulesFile), rulesFile }, secrets: interpolated.secrets };
}

/** Reads and parses a scenario file; see {@link parseScenario}. */
export async function loadScenario(path: string, env?: Readonly<Record<string, string | undefined>>): Promise<LoadedScenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read scenario file ${path}: ${(cause as Error).message}`, [], { file: path });
  }
  return parseScenario(text, path, { baseDir: dirname(resolve(path)), ...(env !== undefined ? { env } : {}) });
}
