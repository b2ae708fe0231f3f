import { dirname, isAbsolute, resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { invalid, parseYaml, readConfigText } from './configText.js';
import { decodeScenario, type ScenarioDraft } from './decodeScenario.js';
import { interpolateEnv, redact } from './interpolateEnv.js';
import { resolveRules } from './loadRules.js';
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
export async function parseScenario(
  text: string,
  source: string,
  options: ScenarioOptions = {},
): Promise<LoadedScenario> {
  return scenarioOf(parseYaml(text, source), source, options);
}

export interface ScenarioOptions {
  readonly baseDir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Interpolates and decodes a parsed scenario document; see {@link parseScenario}. */
export async function scenarioOf(
  document: unknown,
  source: string,
  options: ScenarioOptions = {},
): Promise<LoadedScenario> {
  const { draft, secrets } = checkScenario(document, source, options.env);
  const baseDir = options.baseDir ?? '.';
  return {
    scenario: { ...withServiceDir(draft, baseDir), ...(await resolveRules(draft.rules, baseDir)) },
    secrets,
  };
}

/**
 * The scenario with its started service's `cwd` resolved against the scenario's directory, as its
 * rules file is: a scenario starts the same service from wherever soakstream runs.
 */
function withServiceDir(draft: ScenarioDraft, baseDir: string): ScenarioDraft {
  const start = draft.target?.start;
  if (start?.cwd === undefined || isAbsolute(start.cwd)) return draft;
  return { ...draft, target: { ...draft.target, start: { ...start, cwd: resolve(baseDir, start.cwd) } } };
}

/**
 * Interpolates `${ENV}` and decodes a scenario document, leaving a rules file unread; throws a
 * ConfigError listing every problem, secret values masked.
 */
export function checkScenario(
  document: unknown,
  source: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): { draft: ScenarioDraft; secrets: ReadonlySet<string> } {
  const interpolated = interpolateEnv(document, env);
  const decoded = decodeScenario(interpolated.value);
  const problems = [...interpolated.problems, ...(isLeft(decoded) ? decoded.left : [])].map((line) =>
    redact(line, interpolated.secrets),
  );
  if (problems.length > 0 || isLeft(decoded)) throw invalid(source, 'scenario', problems);
  return { draft: decoded.right, secrets: interpolated.secrets };
}

/** Reads and parses a scenario file; see {@link parseScenario}. */
export async function loadScenario(
  path: string,
  env?: Readonly<Record<string, string | undefined>>,
): Promise<LoadedScenario> {
  return parseScenario(await readConfigText(path, 'scenario file'), path, {
    baseDir: dirname(resolve(path)),
    ...(env !== undefined ? { env } : {}),
  });
}
