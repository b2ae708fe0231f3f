import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A fresh directory under os.tmpdir() per test, removed after it; returns a path maker. */
export function useTempDirectory(): (name: string) => string {
  let directory: string | undefined;
  afterEach(() => {
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });
  return (name) => {
    directory ??= mkdtempSync(join(tmpdir(), 'soakstream-model-'));
    return join(directory, name);
  };
}
