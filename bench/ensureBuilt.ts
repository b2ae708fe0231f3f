import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The CLI entry point the child-process benchmarks spawn. */
export const CLI = 'dist/cli/main.js';

function newestMtime(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Makes sure dist/ holds a build of the current src/: runs `npm run build` when dist/cli/main.js
 * is missing or older than the newest file under src/, and says which it was on stdout. A failed
 * build rejects with the compiler's output. O(files in src) to check.
 */
export async function ensureBuilt(): Promise<void> {
  const reason = !existsSync(CLI)
    ? `${CLI} is missing`
    : statSync(CLI).mtimeMs < newestMtime('src')
      ? `${CLI} is older than src/`
      : null;
  if (reason === null) {
    console.log(`build: ${CLI} is up to date with src/`);
    return;
  }
  console.log(`build: ${reason}; running npm run build`);
  const started = performance.now();
  try {
    await run('npm', ['run', 'build', '--silent'], { maxBuffer: 16 << 20 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
  console.log(`build: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
