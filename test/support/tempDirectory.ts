import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';

/**
 * A fresh directory under os.tmpdir(), removed after each test (or, with `perSuite`, after the
 * suite, for output that several tests read); returns a path maker.
 */
export function useTempDirectory(options: { perSuite?: boolean } = {}): (name: string) => string {
  let directory: string | undefined;
  (options.perSuite === true ? afterAll : afterEach)(() => {
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });
  return (name) => {
    directory ??= mkdtempSync(join(tmpdir(), 'soakstream-test-'));
    return join(directory, name);
  };
}
