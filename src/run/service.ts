import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ScenarioService } from '../config/scenario.js';
import { SoakstreamError } from '../model/errors.js';

/** A service started for a run: its PID, its last output lines, and how to stop it. */
export interface RunningService {
  readonly pid: number;
  /** The last lines it printed (stdout and stderr), for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts a scenario's service and waits until its `ready` URL answers 2xx (or, without one, until
 * it has printed something). Fails with the service's own output when it exits early or is not
 * ready in time, and then kills it.
 */
export async function startService(service: ScenarioService, log: (line: string) => void): Promise<RunningService> {
  const [command, ...args] = service.command as [string, ...string[]];
  const child: ChildProcess = spawn(command, args, {
    cwd: service.cwd,
    env: { ...process.env, ...service.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let printed = false;
  const keep = (chunk: Buffer): void => {
    printed = true;
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(line);
    if (lines.length > 20) lines.splice(0, lines.length - 20);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // How it exited (exit code or signal), or null while it runs.
  let exitStatus: string | null = null;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitStatus = code !== null ? `exit code ${code}` : `signal ${signal ?? 'unknown'}`;
      resolve();
    });
  });
  const running = (): boolean => exitStatus === null;
  const spawnError = await Promise.race([
    once(child, 'spawn').then(() => null),
    once(child, 'error').then(([error]) => error as Error),
  ]);
  const output = (): string => lines.join('\n');
  const stop = async (graceMs = 5000): Promise<void> => {
    if (!running()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exit;
    clearTimeout(timer);
  };
  const failure = (why: string): SoakstreamError =>
    new SoakstreamError(
      'SERVICE_FAILED',
      `target service ${JSON.stringify(service.command.join(' '))} ${why}` +
        `${lines.length > 0 ? `; its last output:\n${output()}` : ''}`,
    );
  if (spawnError !== null) throw failure(`could not start: ${spawnError.message}`);

  const deadline = performance.now() + service.readyTimeoutMs;
  let lastProblem = 'no answer yet';
  while (performance.now() < deadline) {
    if (!running()) throw failure(`exited before it was ready (${exitStatus ?? ''})`);
    if (service.ready === undefined) {
      if (printed) break;
    } else {
      try {
        const response = await fetch(service.ready, { signal: AbortSignal.timeout(1000) });
        await response.body?.cancel();
        if (response.ok) break;
        lastProblem = `HTTP ${response.status}`;
      } catch (error) {
        lastProblem = (error as Error).message;
      }
    }
    await sleep(100);
  }
  if (performance.now() >= deadline) {
    await stop(1000);
    throw failure(
      `was not ready within ${service.readyTimeoutMs} ms (${service.ready ?? 'waiting for output'}: ${lastProblem})`,
    );
  }
  log(`started ${service.command.join(' ')} (pid ${child.pid as number})`);
  return { pid: child.pid as number, output, stop };
}
