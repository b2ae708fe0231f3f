import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SinkError } from '../../src/model/errors.js';
import { fileErrorReason } from '../../src/model/fileErrorReason.js';
import { fileWriteError } from '../../src/model/fileWriteError.js';
import { useTempDirectory } from '../support/tempDirectory.js';

/** The system error a real call raises. */
function systemError(action: () => unknown): NodeJS.ErrnoException {
  try {
    action();
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
  throw new Error('expected a system error');
}

describe('fileErrorReason and fileWriteError', () => {
  const tempPath = useTempDirectory();

  it('say what went wrong in words with the code, without the system call and path', () => {
    const missing = systemError(() => writeFileSync(tempPath('no/such/dir/file'), 'x'));
    expect(missing.message).toContain(', open ');
    expect(fileErrorReason(missing)).toBe('no such file or directory (ENOENT)');
    const error = fileWriteError('recorder', 'out/a.avro', missing);
    expect(error).toBeInstanceOf(SinkError);
    expect(error.message).toBe('recorder: cannot write out/a.avro: no such file or directory (ENOENT)');
    expect(error.context).toEqual({ file: 'out/a.avro' });
    expect(error.cause).toBe(missing);
  });

  it('keep the message of an error without a code, and pass a SinkError through', () => {
    expect(fileErrorReason(new Error('the file is closed'))).toBe('the file is closed');
    expect(fileErrorReason('odd')).toBe('odd');
    const named = new SinkError('ndjson: cannot write a: full');
    expect(fileWriteError('report', 'b', named)).toBe(named);
  });
});
