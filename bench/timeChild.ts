import { spawn, type ChildProcess } from 'node:child_process';

/** One timed child process: wall time, exit code, output and, when it was preloaded, peak RSS. */
export interface ChildRun {
  readonly ms: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak resident set in KiB as reported by bench/peakRss.mjs, or null without that preload. */
  readonly peakRssKib: number | null;
}

/** A child process still running (to signal it) and its timed end. */
export interface RunningChild {
  readonly child: ChildProcess;
  /** performance.now() when it was spawned. */
  readonly started: number;
  /** Resolves when it has exited; rejects when it cannot be spawned. */
  readonly done: Promise<ChildRun>;
}

const PEAK_RSS = /\npeak-rss-kib (\d+)\n$/;

/** The node arguments that preload bench/peakRss.mjs, for a child started some other way (through a shell). */
export const PEAK_RSS_PRELOAD: readonly string[] = ['--import', './bench/peakRss.mjs'];

/**
 * Starts one child process (stdout and stderr collected, stdin closed) and times it from spawn to
 * exit with performance.now() in the parent, so its Node.js start-up is included. With `peakRss`,
 * the child runs `node --import ./bench/peakRss.mjs`; its peak RSS is read back from the line that
 * preload appends to stderr (whenever that line is there).
 */
export function startChild(command: string, args: readonly string[], peakRss = false): RunningChild {
  const argv = peakRss ? [...PEAK_RSS_PRELOAD, ...args] : [...args];
  const started = performance.now();
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  const done = new Promise<ChildRun>((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      const err = Buffer.concat(stderr).toString();
      const match = PEAK_RSS.exec(err);
      resolve({
        ms,
        code,
        stdout: Buffer.concat(stdout).toString(),
        stderr: match === null ? err : err.slice(0, match.index),
        peakRssKib: match === null ? null : Number(match[1]),
      });
    });
  });
  return { child, started, done };
}

/** Wall time of one child process from spawn to exit ({@link startChild}, awaited). */
export function timeChild(command: string, args: readonly string[], peakRss = false): Promise<ChildRun> {
  return startChild(command, args, peakRss).done;
}
