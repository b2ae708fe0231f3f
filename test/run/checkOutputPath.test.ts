import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/model/errors.js';
import { checkOutputPath, type OutputPathOptions } from '../../src/run/checkOutputPath.js';
import { useTempDirectory } from '../support/tempDirectory.js';
import { rejectedWith } from '../support/thrown.js';
import { tmpfsSkipReason, useTmpfs } from '../support/tmpfs.js';

const FILE: OutputPathOptions = { setting: '-o', kind: 'file', createsDirectories: true };
const NO_MKDIR: OutputPathOptions = { setting: '--alerts-out', kind: 'file', createsDirectories: false };
const DIRECTORY: OutputPathOptions = { setting: 'sinks.recording.dir', kind: 'directory', createsDirectories: true };

const problem = async (path: string, options: OutputPathOptions): Promise<string> =>
  (await rejectedWith(checkOutputPath(path, options), ConfigError)).message;

describe('checkOutputPath', () => {
  const tempPath = useTempDirectory();

  it('accepts a new or existing file, missing directories a writer creates, and an existing directory', async () => {
    writeFileSync(tempPath('existing.html'), 'old');
    await checkOutputPath(tempPath('existing.html'), FILE);
    await checkOutputPath(tempPath('new.ndjson'), NO_MKDIR);
    await checkOutputPath(tempPath('a/b/c/report.html'), FILE);
    await checkOutputPath(tempPath('a/b/recording'), DIRECTORY);
    mkdirSync(tempPath('recording'));
    await checkOutputPath(tempPath('recording'), DIRECTORY);
  });

  it('names the setting, the path and what is in the way', async () => {
    const file = tempPath('some-file.txt');
    writeFileSync(file, 'x');
    expect(await problem(join(file, 'report.html'), FILE)).toBe(
      `-o: cannot write ${file}/report.html: ${file} is a file, not a directory`,
    );
    expect(await problem(join(file, 'deeper/report.html'), FILE)).toBe(
      `-o: cannot write ${file}/deeper/report.html: ${file} is a file, not a directory`,
    );
    expect(await problem(file, DIRECTORY)).toBe(
      `sinks.recording.dir: cannot write ${file}: it is a file, not a directory`,
    );
    mkdirSync(tempPath('dir'));
    expect(await problem(tempPath('dir'), NO_MKDIR)).toBe(
      `--alerts-out: cannot write ${tempPath('dir')}: it is a directory`,
    );
    const missing = tempPath('missing/alerts.ndjson');
    expect(await problem(missing, NO_MKDIR)).toBe(
      `--alerts-out: cannot write ${missing}: directory ${tempPath('missing')} does not exist`,
    );
    const error = await rejectedWith(checkOutputPath(file, DIRECTORY), ConfigError);
    expect(error.issues).toEqual([]);
    expect(error.context).toEqual({ file });
  });

  const skipTmpfs = tmpfsSkipReason();
  describe.skipIf(skipTmpfs !== null)(
    `on a read-only disk${skipTmpfs !== null ? ` (skipped: ${skipTmpfs})` : ''}`,
    () => {
      const readOnly = useTmpfs({ sizeKiB: 16, readOnly: true });

      it('names the directory and the reason', async () => {
        expect(await problem(join(readOnly(), 'recording'), DIRECTORY)).toBe(
          `sinks.recording.dir: cannot write ${readOnly()}/recording: ` +
            `cannot create files in ${readOnly()}: read-only file system (EROFS)`,
        );
        expect(await problem(readOnly(), DIRECTORY)).toBe(
          `sinks.recording.dir: cannot write ${readOnly()}: ` +
            `cannot create files in ${readOnly()}: read-only file system (EROFS)`,
        );
      });
    },
  );
});
