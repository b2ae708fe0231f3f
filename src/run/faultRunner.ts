import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { Observable } from 'rxjs';
import { SoakstreamError } from '../model/errors.js';
import { FAULT_EXIT_METRIC, faultSample } from '../model/faultRecord.js';
import { MICROS_PER_MS, type Sample, type Tags } from '../model/sample.js';
import type { FaultProxy } from '../sources/faults/faultProxy.js';
import type { FaultAction, ScheduledFault } from '../sources/faults/faultSchedule.js';
import { execFault, pauseProcess } from '../sources/faults/processFaults.js';
import type { TargetService } from './targetService.js';

/** What {@link faultRunner} needs of the run. */
export interface FaultRunnerOptions {
  /** The faults of the run, on its timeline (faultTimeline), sorted by start. */
  readonly timeline: readonly ScheduledFault[];
  /** The run length: a fault still on then is undone, and the runner ends. */
  readonly runMs: number;
  /** The started target (kill, pause and restart act on it). */
  readonly target: TargetService | null;
  /** The proxy in front of the target (network faults switch it). */
  readonly proxy: FaultProxy | null;
  /** The run's tags, added to every fault record. */
  readonly tags: Tags;
  /** One line per fault start and end, for the console. */
  readonly log: (line: string) => void;
  /** Emits (or completes) to end the run early (Ctrl-C): the fault on is undone at once. */
  readonly stop?: Observable<unknown>;
  /** Wall clock, ms (default Date.now). */
  readonly now?: () => number;
}

/** The Debian package the cpu and memory faults need. */
export const STRESSOR = 'stress-ng';

/** Whether an executable of this name is on the PATH. */
const installed = (command: string): boolean =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

/**
 * Checks, before a run starts, that its faults can run here: cpu and memory pressure need
 * stress-ng. A CONFIG error naming the fault and the package to install otherwise.
 */
export function checkFaultTools(timeline: readonly ScheduledFault[]): void {
  const stress = timeline.find((fault) => fault.action.kind === 'cpu' || fault.action.kind === 'memory');
  if (stress !== undefined && !installed(STRESSOR))
    throw new SoakstreamError(
      'CONFIG_INVALID',
      `fault ${stress.name}: ${stress.action.kind} pressure runs ${STRESSOR}, which is not installed on this machine ` +
        `(Debian/Ubuntu: apt-get install ${STRESSOR})`,
      { context: { fault: stress.name } },
    );
}

/** What a fault does, in a few words, for its start line. */
function actionText(action: FaultAction, target: TargetService | null): string {
  const pid = target !== null ? ` pid ${target.pid}` : '';
  switch (action.kind) {
    case 'kill':
      return `SIGKILL${pid}, start again after ${action.restartAfterMs / 1000} s`;
    case 'pause':
      return `SIGSTOP${pid} for ${action.durationMs / 1000} s`;
    case 'restart':
      return `SIGTERM${pid} (SIGKILL after ${action.graceMs / 1000} s), then start again`;
    case 'network': {
      const f = action.faults;
      const parts = [
        ...(f.latencyMs !== undefined
          ? [`+${f.latencyMs} ms${f.jitterMs !== undefined ? ` ± ${f.jitterMs} ms` : ''}`]
          : []),
        ...(f.bandwidthBytesPerSecond !== undefined ? [`${f.bandwidthBytesPerSecond} B/s`] : []),
        ...(f.reset === true ? ['connection resets'] : []),
        ...(f.blackhole === true ? ['black hole'] : []),
      ];
      return `network ${parts.join(', ')} for ${action.durationMs / 1000} s`;
    }
    case 'cpu':
      return `${STRESSOR} --cpu ${action.workers} for ${action.durationMs / 1000} s`;
    case 'memory':
      return `${STRESSOR} --vm 1 --vm-bytes ${action.bytes} for ${action.durationMs / 1000} s`;
    case 'exec':
      return `exec ${action.command.join(' ')} (at most ${action.durationMs / 1000} s)`;
  }
}

/** Waits `ms`, or less when `signal` aborts. */
const wait = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted || ms <= 0) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Runs stress-ng for the action's duration; stopped (SIGTERM, then SIGKILL) when `signal` aborts. */
function stress(action: Extract<FaultAction, { kind: 'cpu' | 'memory' }>, signal: AbortSignal): Promise<string> {
  const seconds = Math.max(1, Math.round(action.durationMs / 1000));
  const args =
    action.kind === 'cpu'
      ? ['--cpu', String(action.workers), '--timeout', `${seconds}s`, '--quiet']
      : ['--vm', '1', '--vm-bytes', String(action.bytes), '--vm-keep', '--timeout', `${seconds}s`, '--quiet'];
  return new Promise((resolve) => {
    const child = spawn(STRESSOR, args, { stdio: 'ignore', detached: true });
    const group = (sig: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        // Gone already.
      }
    };
    const stop = (): void => {
      group('SIGTERM');
      setTimeout(() => group('SIGKILL'), 2000).unref();
    };
    const killOnExit = (): void => group('SIGKILL');
    process.once('exit', killOnExit);
    signal.addEventListener('abort', stop, { once: true });
    const finish = (outcome: string): void => {
      signal.removeEventListener('abort', stop);
      process.removeListener('exit', killOnExit);
      resolve(outcome);
    };
    child.once('error', (error: NodeJS.ErrnoException) =>
      finish(`${STRESSOR} could not start: ${error.code ?? error.message}`),
    );
    child.once('exit', (code, sig) => finish(code === 0 ? 'done' : `${STRESSOR} ended with ${code ?? sig}`));
  });
}

/**
 * Runs a scenario's faults on their timeline against the target, its proxy or the machine, and
 * emits each fault's start and end as fault records (samples of `soakstream_fault`, at the wall
 * clock of the action), an `exec` fault's exit code too. A kill or restart ends once the target
 * is ready again (or its start failed: that is the fault's end, and the service's recovery is for
 * the recovery detector to judge). At the run's end or on `stop`, the fault on is undone at once
 * (SIGCONT, proxy cleared, stressor and exec commands stopped) and its end recorded; then the
 * stream completes. Problems acting on the target are logged, never thrown: the run goes on.
 */
export function faultRunner(options: FaultRunnerOptions): Observable<Sample> {
  const now = options.now ?? Date.now;
  return new Observable<Sample>((subscriber) => {
    const abort = new AbortController();
    const { signal } = abort;
    const started = now();
    const ending = setTimeout(() => abort.abort(), options.runMs);
    const stopping = options.stop?.subscribe({ next: () => abort.abort(), complete: () => abort.abort() });
    const { target, proxy, tags, log } = options;
    const record = (fault: ScheduledFault, phase: 'start' | 'end'): void =>
      subscriber.next(faultSample(now() * MICROS_PER_MS, fault.name, fault.action.kind, phase, tags));
    const label = (fault: ScheduledFault): string => `fault ${fault.name} #${fault.occurrence} (${fault.action.kind})`;
    const seconds = (fromMs: number): string => `${((now() - fromMs) / 1000).toFixed(1)} s`;

    const startAgain = async (fault: ScheduledFault): Promise<string> => {
      if (target === null || signal.aborted) return 'not started again: the run ended';
      const from = now();
      try {
        const pid = await target.restart();
        return `started again (pid ${pid}), ready after ${seconds(from)}`;
      } catch (error) {
        log(`${label(fault)}: the target did not start again: ${(error as Error).message}`);
        return 'the target did not start again';
      }
    };

    const act = async (fault: ScheduledFault): Promise<string> => {
      const { action } = fault;
      switch (action.kind) {
        case 'kill':
          if (target === null) return 'no target';
          await target.kill();
          await wait(action.restartAfterMs, signal);
          return startAgain(fault);
        case 'restart':
          if (target === null) return 'no target';
          await target.terminate(action.graceMs);
          return startAgain(fault);
        case 'pause':
          if (target === null) return 'no target';
          await pauseProcess(-target.pid, action.durationMs, signal);
          return 'resumed (SIGCONT)';
        case 'network':
          if (proxy === null) return 'no proxy';
          proxy.setFaults(action.faults);
          await wait(action.durationMs, signal);
          proxy.setFaults({});
          return 'network faults off';
        case 'cpu':
        case 'memory':
          return stress(action, signal);
        case 'exec': {
          const outcome = await execFault(action.command, action.durationMs, signal);
          subscriber.next({
            ts: now() * MICROS_PER_MS,
            metric: FAULT_EXIT_METRIC,
            value: outcome.code ?? -1,
            tags: { ...tags, fault: fault.name },
          });
          const how = outcome.timedOut
            ? `timed out after ${action.durationMs / 1000} s`
            : outcome.code !== null
              ? `exit code ${outcome.code}`
              : (outcome.signal ?? outcome.output);
          const said = outcome.output.trim().split('\n').slice(-1)[0] ?? '';
          return `${how}${said !== '' && outcome.code !== null ? `: ${said.slice(0, 200)}` : ''}`;
        }
      }
    };

    // Each occurrence on its own: faults of different names may overlap (cpu pressure during a network fault).
    const occur = async (fault: ScheduledFault): Promise<void> => {
      await wait(started + fault.startMs - now(), signal);
      if (signal.aborted) return;
      const from = now();
      record(fault, 'start');
      log(`${label(fault)} started: ${actionText(fault.action, target)}`);
      let outcome: string;
      try {
        outcome = await act(fault);
      } catch (error) {
        outcome = `failed: ${(error as Error).message}`;
      }
      record(fault, 'end');
      log(`${label(fault)} ended after ${seconds(from)}: ${outcome}${signal.aborted ? ' (the run ended)' : ''}`);
    };
    const run = async (): Promise<void> => {
      await Promise.all(options.timeline.map(occur));
    };
    void run().then(
      () => subscriber.complete(),
      (error: unknown) => subscriber.error(error),
    );
    return () => {
      clearTimeout(ending);
      stopping?.unsubscribe();
      abort.abort();
    };
  });
}
