import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** A tmpfs mounted for a test: a small disk that fills, or a read-only one. */
export interface TmpfsMount {
  readonly dir: string;
  /** Unmounts and removes the mount point; safe to call twice. */
  unmount(): void;
}

/**
 * Mounts a tmpfs of `sizeKiB` (read-only with `readOnly`) on a fresh directory under os.tmpdir().
 * Needs root (mount(8)); see {@link tmpfsSkipReason}.
 */
export function mountTmpfs(options: { sizeKiB: number; readOnly?: boolean }): TmpfsMount {
  const dir = mkdtempSync(join(tmpdir(), 'soakstream-tmpfs-'));
  const flags = `${options.readOnly === true ? 'ro,' : ''}size=${options.sizeKiB}k`;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', flags, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let mounted = true;
  return {
    dir,
    unmount: () => {
      if (!mounted) return;
      mounted = false;
      execFileSync('umount', [dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let reason: string | null | undefined;

/** Why this machine cannot mount a tmpfs for a test (not root, mount refused), or null; tried once. */
export function tmpfsSkipReason(): string | null {
  if (reason !== undefined) return reason;
  if (process.getuid?.() !== 0) reason = 'mounting a tmpfs needs root';
  else
    try {
      mountTmpfs({ sizeKiB: 16 }).unmount();
      reason = null;
    } catch (error) {
      const text = error instanceof Error ? error.message.split('\n')[0] : String(error);
      reason = `cannot mount a tmpfs: ${text}`;
    }
  return reason;
}

/**
 * A tmpfs mounted before the tests of the enclosing describe and unmounted after them (call it
 * inside a describe skipped by {@link tmpfsSkipReason}); returns its directory once mounted.
 */
export function useTmpfs(options: { sizeKiB: number; readOnly?: boolean }): () => string {
  let mount: TmpfsMount | undefined;
  beforeAll(() => {
    mount = mountTmpfs(options);
  });
  afterAll(() => mount?.unmount());
  return () => {
    if (mount === undefined) throw new Error('the tmpfs is mounted in beforeAll');
    return mount.dir;
  };
}
