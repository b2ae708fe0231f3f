import { spawnSync } from 'node:child_process';
import { ROOT } from './cli.js';

/** The user a test running as root starts a command as, so that file permissions apply to it: nobody. */
const NOBODY = { uid: 65534, gid: 65534 };

let reason: string | null | undefined;

/**
 * Why a command cannot be run here as a user whom file permissions apply to, or null: as root, the
 * user nobody must be able to run the sources (tsx and the worktree readable); otherwise the test
 * already runs unprivileged. Tried once.
 */
export function unprivilegedSkipReason(): string | null {
  if (reason !== undefined) return reason;
  if (process.getuid?.() !== 0) reason = null;
  else {
    const probe = spawnSync(
      process.execPath,
      ['--import', 'tsx', '-e', "require('node:fs').accessSync('src/cli/main.ts', 4)"],
      { cwd: ROOT, stdio: 'ignore', ...NOBODY },
    );
    reason = probe.status === 0 ? null : `the user nobody (${NOBODY.uid}) cannot run the sources under ${ROOT}`;
  }
  return reason;
}

/** Options of runCli/startCli that run the command unprivileged: as nobody when the test is root. */
export function unprivileged(): { uid?: number; gid?: number } {
  return process.getuid?.() === 0 ? NOBODY : {};
}
