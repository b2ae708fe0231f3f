import { spawn } from 'node:child_process';

/** One timed child process: wall time, exit code, output and, when it was preloaded, peak RSS. */
export interface ChildRun {
  readonly ms: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak resident set in KiB as reported by bench/peakRss.mjs, or null without that preload. */
  readonly peakRssKib: number | null;
}

const PEAK_RSS = /\npeak-rss-kib (\d+)\n$/;

/**
 * Wall time of one child process from spawn to exit (stdout and stderr collected, stdin closed),
 * measured with performance.now() in the parent, so it includes the child's Node.js start-up.
 * With `peakRss`, the child runs `node --import ./bench/peakRss.mjs` and its peak RSS is read
 * back from the line that preload appends to stderr. Rejects when the child cannot be spawned.
 */
export function timeChild(command: string, args: readonly string[], peakRss = false): Promise<ChildRun> {
  const argv = peakRss ? ['--import', './bench/peakRss.mjs', ...args] : [...args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
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
}
