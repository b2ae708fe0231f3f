import { spawn, type ChildProcess } from 'node:child_process';

/** A soakstream process of the fault suite: its output so far with arrival times, and its end. */
export interface FaultProcess {
  readonly child: ChildProcess;
  /** Resolves with the time (performance.now()) stderr first matched `pattern`; rejects if it exits first. */
  printed(pattern: RegExp): Promise<number>;
  /** The exit code, stdout, stderr and peak RSS (KiB), once it has exited. */
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string; peakRssKib: number | null }>;
}

const PEAK_RSS = /\npeak-rss-kib (\d+)\n/;

/**
 * Starts `node --import ./bench/peakRss.mjs <cli> <args>`: soakstream as a user runs it, with its
 * peak resident set reported when it exits. Lines of stderr are kept with the time they arrived,
 * so a fault can be timed against what the process said.
 */
export function startFault(cli: string, args: readonly string[], env: Record<string, string> = {}): FaultProcess {
  const child = spawn(process.execPath, ['--import', './bench/peakRss.mjs', cli, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let stdout = '';
  let stderr = '';
  let exited = false;
  const waiting: { pattern: RegExp; resolve: (at: number) => void; reject: (error: Error) => void }[] = [];
  const check = (): void => {
    for (let i = waiting.length - 1; i >= 0; i--) {
      const wait = waiting[i] as (typeof waiting)[number];
      if (wait.pattern.test(stderr)) {
        waiting.splice(i, 1);
        wait.resolve(performance.now());
      } else if (exited) {
        waiting.splice(i, 1);
        wait.reject(new Error(`exited before printing ${wait.pattern}:\n${stderr.slice(-2000)}`));
      }
    }
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    check();
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string; peakRssKib: number | null }>(
    (resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        exited = true;
        check();
        const match = PEAK_RSS.exec(stderr);
        resolve({
          code,
          stdout,
          stderr: match === null ? stderr : stderr.replace(PEAK_RSS, '\n'),
          peakRssKib: match === null ? null : Number(match[1]),
        });
      });
    },
  );
  return {
    child,
    printed: (pattern) =>
      new Promise<number>((resolve, reject) => {
        waiting.push({ pattern, resolve, reject });
        check();
      }),
    done,
  };
}
