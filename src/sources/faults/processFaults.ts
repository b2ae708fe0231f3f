import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The state letter of a Linux process (R running, S sleeping, T stopped, Z zombie…), or null when it is gone. */
export function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the state follows the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

/**
 * Pauses a process for `durationMs`: SIGSTOP, then SIGCONT, which is sent however the wait ends
 * (an abort included), so a paused target is never left behind. A negative pid is a process group
 * (every process a service started). A process that is gone when it should stop is an Error naming
 * the pid.
 */
export async function pauseProcess(pid: number, durationMs: number, signal?: AbortSignal): Promise<void> {
  try {
    process.kill(pid, 'SIGSTOP');
  } catch (error) {
    const what = pid < 0 ? `process group ${-pid}` : `process ${pid}`;
    throw new Error(`pause: cannot stop ${what}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, durationMs);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  } finally {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // Gone while paused: nothing left to resume.
    }
  }
}

/** How an `exec` fault's command ended. */
export interface ExecOutcome {
  /** Exit code, or null when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when it outlived its time and was stopped (SIGTERM, then SIGKILL after 2 s). */
  readonly timedOut: boolean;
  /** The end of what it printed (stdout and stderr), at most 2,000 characters. */
  readonly output: string;
}

/**
 * Runs an `exec` fault's command (no shell: argv as given) for at most `timeoutMs`, recording how
 * it ended; a command that cannot start is an outcome too (code null, the reason in `output`), not
 * an exception, so a fault schedule goes on. SIGTERM at the timeout or when `signal` aborts (the
 * run ends), SIGKILL 2 s later.
 */
export function execFault(command: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<ExecOutcome> {
  return new Promise((resolve) => {
    const [file, ...args] = command;
    if (file === undefined) {
      resolve({ code: null, signal: null, timedOut: false, output: 'exec: empty command' });
      return;
    }
    let output = '';
    let timedOut = false;
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-2000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const stop = (): void => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    };
    const term = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);
    signal?.addEventListener('abort', stop, { once: true });
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(term);
      signal?.removeEventListener('abort', stop);
      resolve({
        code: null,
        signal: null,
        timedOut: false,
        output: `exec: cannot run ${file}: ${error.code ?? error.message}`,
      });
    });
    child.on('close', (code, exitSignal) => {
      clearTimeout(term);
      signal?.removeEventListener('abort', stop);
      resolve({ code, signal: exitSignal, timedOut, output });
    });
  });
}
