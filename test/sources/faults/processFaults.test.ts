import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { execFault, pauseProcess, processState } from '../../../src/sources/faults/processFaults.js';

/** The process state once it is (or is not) `state`, polled for up to 5 s: signals are delivered asynchronously. */
async function settle(pid: number, state: string, is = true): Promise<string | null> {
  for (let i = 0; i < 250; i++) {
    const now = processState(pid);
    if ((now === state) === is) return now;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return processState(pid);
}

describe('process faults on a real child process', () => {
  let child: ChildProcess | null = null;
  afterEach(() => {
    child?.kill('SIGKILL');
    child = null;
  });

  it('pauses a process (state T) for the duration and resumes it, also when aborted', async () => {
    child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const pid = child.pid as number;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const paused = pauseProcess(pid, 2000);
    expect(await settle(pid, 'T')).toBe('T');
    await paused;
    expect(await settle(pid, 'T', false)).not.toBe('T');

    const abort = new AbortController();
    const long = pauseProcess(pid, 60_000, abort.signal);
    expect(await settle(pid, 'T')).toBe('T');
    abort.abort();
    await long;
    expect(await settle(pid, 'T', false)).not.toBe('T');
    await expect(pauseProcess(2 ** 22 + 12345, 10)).rejects.toThrow(/^pause: cannot stop process 4206649: ESRCH$/);
  });

  it('records how a command ended: its code, a timeout, or why it could not start', async () => {
    expect(await execFault(['sh', '-c', 'echo deleting pod; exit 3'], 10_000)).toEqual({
      code: 3,
      signal: null,
      timedOut: false,
      output: 'deleting pod\n',
    });
    const slow = await execFault(['sleep', '30'], 200);
    expect(slow).toMatchObject({ code: null, signal: 'SIGTERM', timedOut: true });
    expect(await execFault(['no-such-command-here'], 1000)).toEqual({
      code: null,
      signal: null,
      timedOut: false,
      output: 'exec: cannot run no-such-command-here: ENOENT',
    });
    expect(processState(2 ** 22 + 12345)).toBeNull();
  });
});
