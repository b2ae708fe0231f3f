import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { ConfigError } from '../model/errors.js';

/** Reads a configuration file's text, or throws a ConfigError naming it (`what`: "rules file", "scenario file"). */
export async function readConfigText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read ${what} ${path}: ${(cause as Error).message}`, [], { file: path });
  }
}

/** Parses YAML (or JSON) text, or throws a ConfigError with each syntax error's line and column. */
export function parseYaml(text: string, source: string): unknown {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0)
    throw new ConfigError(
      `${source}: invalid YAML`,
      document.errors.map((e) => e.message.split('\n')[0] ?? e.message),
      { file: source },
    );
  return document.toJS();
}

/** The ConfigError for a document that failed to decode: `source: invalid <what> (N problems)` and every problem. */
export const invalid = (source: string, what: string, problems: readonly string[]): ConfigError =>
  new ConfigError(
    `${source}: invalid ${what} (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
    problems,
    { file: source },
  );
