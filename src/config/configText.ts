import { open } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { ConfigError } from '../model/errors.js';
import { recordingKind } from '../model/recordingKind.js';

// How much of a file is looked at to recognise a recording given where a configuration file belongs.
const HEAD_BYTES = 65_536;

/**
 * Largest configuration file (rules, scenario, rule tests) read: 4 MiB unless the environment
 * variable SOAKSTREAM_MAX_CONFIG_BYTES says otherwise. Real ones are a few KiB.
 */
export function maxConfigBytes(env: NodeJS.ProcessEnv = process.env): number {
  const text = env['SOAKSTREAM_MAX_CONFIG_BYTES'];
  if (text === undefined || text === '') return DEFAULT_MAX_CONFIG_BYTES;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1)
    throw new ConfigError(`SOAKSTREAM_MAX_CONFIG_BYTES: expected a whole number of bytes ≥ 1, got "${text}"`, []);
  return n;
}

const DEFAULT_MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * Reads a configuration file's text, or throws a ConfigError naming it (`what`: "rules file",
 * "scenario file"). A recording (samples, stats or alerts as Avro, NDJSON or CSV) is refused in
 * one line that says what it looks like and, for samples, to replay it, instead of a YAML error
 * for each of its lines. A file larger than maxConfigBytes() is refused before it is parsed.
 */
export async function readConfigText(path: string, what: string): Promise<string> {
  const limit = maxConfigBytes();
  let bytes: Buffer;
  try {
    // Read at most one byte past the limit: a file too large is refused without reading it whole.
    // (A pipe or /dev/stdin has no size to ask for: read until its end or past the limit.)
    const file = await open(path, 'r');
    try {
      const chunks: Buffer[] = [];
      let total = 0;
      while (total <= limit) {
        const chunk = Buffer.alloc(Math.min(HEAD_BYTES, limit + 1 - total));
        const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        chunks.push(chunk.subarray(0, bytesRead));
        total += bytesRead;
      }
      bytes = Buffer.concat(chunks, total);
    } finally {
      await file.close();
    }
  } catch (cause) {
    throw new ConfigError(`cannot read ${what} ${path}: ${(cause as Error).message}`, [], { file: path });
  }
  if (bytes.length > limit)
    throw new ConfigError(
      `${path}: ${what} larger than ${limit.toLocaleString('en-US')} bytes ` +
        '(the limit of SOAKSTREAM_MAX_CONFIG_BYTES); is this the right file?',
      [],
      { file: path },
    );
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
  let value: unknown;
  try {
    value = document.toJS();
  } catch (cause) {
    // yaml refuses a document whose aliases expand past its limit (an alias bomb) here.
    throw new ConfigError(`${source}: invalid YAML`, [(cause as Error).message], { file: source });
  }
  const cycle = cyclePath(value);
  if (cycle !== null)
    throw new ConfigError(
      `${source}: invalid YAML`,
      [`${cycle || '(top level)'}: an alias refers to itself (a cycle)`],
      {
        file: source,
      },
    );
  return value;
}

/** The path of the first mapping or list that contains itself (`a[0]`), '' for the top, or null. O(size). */
function cyclePath(root: unknown): string | null {
  const open = new Set<object>();
  const visit = (node: unknown, path: string): string | null => {
    if (typeof node !== 'object' || node === null) return null;
    if (open.has(node)) return path;
    open.add(node);
    const entries = Array.isArray(node)
      ? node.map((child, i) => [`${path}[${i}]`, child] as const)
      : Object.entries(node).map(([key, child]) => [path === '' ? key : `${path}.${key}`, child] as const);
    for (const [childPath, child] of entries) {
      const found = visit(child, childPath);
      if (found !== null) return found;
    }
    open.delete(node);
    return null;
  };
  return visit(root, '');
}

/** The ConfigError for a document that failed to decode: `source: invalid <what> (N problems)` and every problem. */
export const invalid = (source: string, what: string, problems: readonly string[]): ConfigError =>
  new ConfigError(
    `${source}: invalid ${what} (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
    problems,
    { file: source },
  );
