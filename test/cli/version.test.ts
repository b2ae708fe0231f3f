import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from '../support/cli.js';

describe('soakstream --version', () => {
  it('prints the package version and exits 0 (also as -V), and --help lists it', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = await cli(flag);
      expect(run.stdout).toBe(`${version}\n`);
      expect(run.code).toBe(0);
    }
    expect((await cli('--help')).stdout).toMatch(/-V, --version +print the version and exit/);
  });
});
