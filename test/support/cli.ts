import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A `soakstream` child process still running: its output so far, a way to interrupt it, and its end. */
export interface RunningCli {
  readonly child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Resolves when the process has exited. */
  readonly done: Promise<CliRun>;
  /** Sends SIGINT (Ctrl-C) and waits for the exit. */
  interrupt(): Promise<CliRun>;
}

/** How a child process is started: more environment, a time limit, and the user (uid/gid) it runs as. */
export interface CliOptions {
  readonly env?: Record<string, string>;
  readonly timeoutMs?: number;
  readonly uid?: number;
  readonly gid?: number;
}

/** Starts `soakstream <args>` from the sources in a child process, as a user would. */
export function startCli(args: readonly string[], options: CliOptions = {}): RunningCli {
  return startScript('src/cli/main.ts', args, options);
}

/**
 * Starts a TypeScript file of the repository (`npx tsx <file> <args>`) in a child process, from the
 * repository root.
 */
export function startScript(file: string, args: readonly string[], options: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 30_000,
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
    ...(options.gid !== undefined ? { gid: options.gid } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return {
    child,
    output: () => ({ stdout, stderr }),
    done,
    interrupt: () => {
      child.kill('SIGINT');
      return done;
    },
  };
}

/** Runs `soakstream <args>` to its end and collects its output and exit code. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return startCli(args, options).done;
}

/** `runCli` with the arguments spread (the common case). */
export const cli = (...args: string[]): Promise<CliRun> => runCli(args);

/** Resolves once the running command has printed text matching `pattern` on stderr; returns the match. */
export async function printed(run: RunningCli, pattern: RegExp): Promise<RegExpExecArray> {
  for (;;) {
    const match = pattern.exec(run.output().stderr);
    if (match !== null) return match;
    if (run.child.exitCode !== null) throw new Error(`exited before printing ${pattern}:\n${run.output().stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
