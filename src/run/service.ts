import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ScenarioService } from '../config/scenario.js';
import { SoakstreamError } from '../model/errors.js';
import { portListeners } from './portListeners.js';

/** A service started for a run: its PID, its last output, how to stop it, and news of its exit. */
export interface RunningService {
  readonly pid: number;
  /** The last lines it printed (stdout and stderr, stack frames left out) on one line, for error messages. */
  output(): string;
  /** SIGTERM to its process group, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL to its process group at once (a planned fault, not a failure); resolves once it has exited. */
  kill(): Promise<void>;
  /**
   * Resolves, with a SERVICE_FAILED error naming its exit code and last output, when the service
   * exits before `stop()` was called; never otherwise.
   */
  readonly exited: Promise<SoakstreamError>;
}

// Lines kept of the service's output, and how many of them (without stack frames) an error shows.
const KEPT_LINES = 40;
const SHOWN_LINES = 12;
const SHOWN_CHARS = 1000;
// How long to wait for the output a service printed just before it exited.
const OUTPUT_DRAIN_MS = 500;

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);
const isLoopback = (host: string): boolean => LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);

/** Whether anything answers HTTP at `url` now (any status); a refused or silent connection is no answer. */
async function answers(url: string): Promise<number | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.body?.cancel();
    return response.status;
  } catch {
    return null;
  }
}

/**
 * Starts a scenario's service and waits until its `ready` URL answers 2xx (or, without one, until
 * it has printed something). A `ready` URL that answers before the service is started, or (on
 * Linux, for a loopback URL) a port listened on by a process outside the service's process tree,
 * fails at once: the run would test another process. Fails with the service's exit code and last
 * output when it exits early or is not ready in time, and then kills it.
 */
export async function startService(service: ScenarioService, log: (line: string) => void): Promise<RunningService> {
  const name = JSON.stringify(service.command.join(' '));
  if (service.ready !== undefined) {
    const status = await answers(service.ready);
    if (status !== null)
      throw new SoakstreamError(
        'SERVICE_FAILED',
        `target service ${name}: ${service.ready} already answers (HTTP ${status}) before the service is started: ` +
          'something else already listens there (port in use?), so the run would test the wrong process',
        { context: { url: service.ready } },
      );
  }
  const [command, ...args] = service.command as [string, ...string[]];
  // A process group of its own: stopping it stops what it started too (a wrapper such as
  // `npm start` or `sh -c`), and a Ctrl-C at the terminal reaches soakstream, which stops it.
  const child: ChildProcess = spawn(command, args, {
    cwd: service.cwd,
    env: { ...process.env, ...service.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  // However soakstream ends (a second Ctrl-C exits at once), the service does not outlive it.
  const killOnExit = (): void => signalGroup('SIGKILL');
  process.once('exit', killOnExit);
  const lines: string[] = [];
  let printed = false;
  const keep = (chunk: Buffer): void => {
    printed = true;
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(line);
    if (lines.length > KEPT_LINES) lines.splice(0, lines.length - KEPT_LINES);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // How it exited (exit code or signal), or null while it runs.
  let exitStatus: string | null = null;
  let stopping = false;
  // Whether it exited before stop() was called.
  let unexpected = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      process.removeListener('exit', killOnExit);
      exitStatus = code !== null ? `exit code ${code}` : `signal ${signal ?? 'unknown'}`;
      unexpected = !stopping;
      resolve();
    });
  });
  // The exit, and then its last output: the pipes close after it (unless a child of its own holds them).
  const ended = exit.then(() => Promise.race([once(child, 'close'), sleep(OUTPUT_DRAIN_MS)]));
  const running = (): boolean => exitStatus === null;
  const spawnError = await Promise.race([
    once(child, 'spawn').then(() => null),
    once(child, 'error').then(([error]) => error as Error),
  ]);
  const output = (): string => {
    const shown = lines
      .filter((line) => !/^\s+at /.test(line))
      .slice(-SHOWN_LINES)
      .map((line) => line.trim())
      .join(' | ');
    return shown.length > SHOWN_CHARS ? `…${shown.slice(-SHOWN_CHARS)}` : shown;
  };
  const stop = async (graceMs = 5000): Promise<void> => {
    stopping = true;
    if (!running()) return;
    signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
    await exit;
    clearTimeout(timer);
    // What it started and left behind goes with it.
    signalGroup('SIGKILL');
  };
  const kill = async (): Promise<void> => {
    stopping = true;
    if (!running()) return;
    signalGroup('SIGKILL');
    await exit;
  };
  const failure = (why: string): SoakstreamError =>
    new SoakstreamError(
      'SERVICE_FAILED',
      `target service ${name} ${why}${lines.length > 0 ? `; its last output: ${output()}` : ''}`,
      { context: { pid: child.pid, ...(service.ready !== undefined ? { url: service.ready } : {}) } },
    );
  if (spawnError !== null) throw failure(`could not start: ${spawnError.message}`);
  const pid = child.pid as number;

  const untilReady = async (): Promise<void> => {
    const deadline = performance.now() + service.readyTimeoutMs;
    let lastProblem = 'no answer yet';
    for (;;) {
      let ready = false;
      if (service.ready === undefined) {
        ready = printed;
      } else {
        const status = await answers(service.ready);
        if (status !== null && status >= 200 && status < 300) ready = true;
        else lastProblem = status === null ? 'no answer' : `HTTP ${status}`;
      }
      // An answer from elsewhere while the service is gone (it could not bind its port, say) is no readiness.
      if (!running()) {
        await ended;
        throw failure(`exited before it was ready (${exitStatus ?? ''})`);
      }
      if (ready) break;
      if (performance.now() >= deadline)
        throw failure(
          `was not ready within ${service.readyTimeoutMs} ms ` +
            `(${service.ready ?? 'waiting for output'}: ${lastProblem})`,
        );
      await sleep(100);
    }
    if (service.ready === undefined) return;
    const foreign = await foreignListener(service.ready, pid);
    if (foreign !== null) throw failure(`(pid ${pid}) is not what answers ${service.ready}: ${foreign}`);
  };
  try {
    await untilReady();
  } catch (error) {
    await stop(1000);
    throw error;
  }
  const exited = ended.then(
    () =>
      new Promise<SoakstreamError>((resolve) => {
        if (unexpected) resolve(failure(`exited during the run (${exitStatus ?? ''})`));
      }),
  );
  log(`started ${service.command.join(' ')} (pid ${pid})`);
  return { pid, output, stop, kill, exited };
}

/**
 * Which other process listens on the ready URL's loopback port besides process `pid` and its
 * children, or null when none does or that cannot be told (no /proc, not a loopback URL).
 */
async function foreignListener(ready: string, pid: number): Promise<string | null> {
  const url = new URL(ready);
  if (!isLoopback(url.hostname)) return null;
  const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const listeners = await portListeners(port, pid);
  if (listeners === null || listeners.others.length === 0) return null;
  const owners = listeners.others.map((other) =>
    other.pid === undefined
      ? `socket inode ${other.inode}`
      : `pid ${other.pid}${other.command !== undefined ? ` (${other.command})` : ''}`,
  );
  return (
    `port ${port} is listened on by ${owners.join(', ')}, not by the service or its children: ` +
    'something else already listens there (port in use?), so the run would test the wrong process'
  );
}
