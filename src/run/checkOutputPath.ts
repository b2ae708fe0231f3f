import { constants, type Stats } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError } from '../model/errors.js';
import { fileErrorReason } from '../model/fileErrorReason.js';

/** What {@link checkOutputPath} checks `path` for. */
export interface OutputPathOptions {
  /** Names the setting in the message: '--alerts-out', '-o', 'sinks.report.path'. */
  readonly setting: string;
  /** A file written at the path, or a directory files are created in. */
  readonly kind: 'file' | 'directory';
  /** The writer creates missing directories (mkdir -p); otherwise the file's directory must exist. */
  readonly createsDirectories: boolean;
}

/** The path's stats, or null when nothing is there (ENOENT, or ENOTDIR: a file where a directory should be). */
async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

/** Why `path` cannot be written by this process (access(2) for writing), or null. */
async function notWritable(path: string, directory: boolean): Promise<string | null> {
  try {
    await access(path, directory ? constants.W_OK | constants.X_OK : constants.W_OK);
    return null;
  } catch (error) {
    return `${directory ? `cannot create files in ${path}` : 'cannot open it'}: ${fileErrorReason(error)}`;
  }
}

async function problemOf(path: string, options: OutputPathOptions): Promise<string | null> {
  const found = await statOrNull(path);
  if (found !== null) {
    if (options.kind === 'file' && found.isDirectory()) return 'it is a directory';
    if (options.kind === 'directory' && !found.isDirectory()) return 'it is a file, not a directory';
    return notWritable(path, found.isDirectory());
  }
  // The nearest directory that exists is where the writer creates what is missing.
  const parent = dirname(path);
  let dir = parent;
  let existing = await statOrNull(dir);
  while (existing === null && dirname(dir) !== dir) {
    dir = dirname(dir);
    existing = await statOrNull(dir);
  }
  if (existing === null) return `no directory of it exists`;
  if (!existing.isDirectory()) return `${dir} is a file, not a directory`;
  if (dir !== parent && options.kind === 'file' && !options.createsDirectories)
    return `directory ${parent} does not exist`;
  return notWritable(dir, true);
}

/**
 * Checks, before any work, that an output can be written where a setting points: nothing in the
 * way (a file where a directory is needed, a directory where the file goes), the directory it is
 * created in exists (or will be created) and this process may write there (access(2): permission,
 * read-only file system). Throws a one-line ConfigError naming the setting, the path and the
 * reason. A few stat calls, one per missing directory level.
 */
export async function checkOutputPath(path: string, options: OutputPathOptions): Promise<void> {
  let problem: string | null;
  try {
    problem = await problemOf(path, options);
  } catch (error) {
    problem = fileErrorReason(error);
  }
  if (problem !== null)
    throw new ConfigError(`${options.setting}: cannot write ${path}: ${problem}`, [], { file: path });
}
