import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { ConfigError } from '../model/errors.js';
import { recordingKind } from '../model/recordingKind.js';

// How much of a file is looked at to recognise a recording given where a configuration file belongs.
const HEAD_BYTES = 65_536;

/**
 * Reads a configuration file's text, or throws a ConfigError naming it (`what`: "rules file",
 * "scenario file"). A recording (samples, stats or alerts as Avro, NDJSON or CSV) is refused in
 * one line that says what it looks like and, for samples, to replay it, instead of a YAML error
 * for each of its lines.
 */
export async function readConfigText(path: string, what: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new ConfigError(`cannot read ${what} ${path}: ${(cause as Error).message}`, [], { file: path });
  }
  const kind = recordingKind(bytes.subarray(0, HEAD_BYTES));
  if (kind !== null) {
    const looks =
      kind.holds === 'records'
        ? `an ${kind.format} container file`
        : `${kind.holds === 'alerts' ? 'an' : 'a'} ${kind.holds} recording (${kind.format})`;
    const replay = `soakstream replay ${path}${kind.format === 'CSV' ? ' --metric <name>' : ''}`;
    const hint = kind.holds === 'samples' ? `; use \`${replay}\`` : '';
    throw new ConfigError(`${path}: this looks like ${looks}, not a ${what}${hint}`, [], { file: path });
  }
  return bytes.toString('utf8');
}

/**
 * Parses YAML (or JSON) text, or throws a ConfigError with each syntax error's line and column,
 * or naming the file when its aliases expand too far.
 */
export function parseYaml(text: string, source: string): unknown {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0)
    throw new ConfigError(
      `${source}: invalid YAML`,
      document.errors.map((e) => e.message.split('\n')[0] ?? e.message),
      { file: source },
    );
  try {
    return document.toJS();
  } catch (cause) {
    // yaml refuses a document whose aliases expand past its limit (an alias bomb) here.
    throw new ConfigError(`${source}: invalid YAML`, [(cause as Error).message], { file: source });
  }
}

/** The ConfigError for a document that failed to decode: `source: invalid <what> (N problems)` and every problem. */
export const invalid = (source: string, what: string, problems: readonly string[]): ConfigError =>
  new ConfigError(
    `${source}: invalid ${what} (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
    problems,
    { file: source },
  );
