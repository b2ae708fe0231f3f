import type { ScenarioService } from '../config/scenario.js';
import type { SoakstreamError } from '../model/errors.js';
import { startService, type RunningService } from './service.js';

/**
 * The target service of a run, which faults may kill, stop and start again: whichever process is
 * current, news of an exit nobody planned (the run fails on it), and the pid of every start after
 * the first (its process probe follows the new process).
 */
export class TargetService {
  /** Resolves with a SERVICE_FAILED error when the current process exits without a fault or stop() behind it. */
  readonly exited: Promise<SoakstreamError>;
  private reportExit: (error: SoakstreamError) => void = () => undefined;
  private readonly restarted = new Set<(pid: number) => void>();
  private stopped = false;

  private constructor(
    private current: RunningService,
    private readonly spec: ScenarioService,
    private readonly log: (line: string) => void,
  ) {
    this.exited = new Promise((resolve) => (this.reportExit = resolve));
    this.watch(current);
  }

  /** Starts the service and waits until it is ready (see startService). */
  static async start(spec: ScenarioService, log: (line: string) => void): Promise<TargetService> {
    return new TargetService(await startService(spec, log), spec, log);
  }

  get pid(): number {
    return this.current.pid;
  }

  /** The last lines the current process printed. */
  output(): string {
    return this.current.output();
  }

  /** Calls `listener` with the pid of each start after the first; returns how to stop listening. */
  onRestart(listener: (pid: number) => void): () => void {
    this.restarted.add(listener);
    return () => this.restarted.delete(listener);
  }

  /** SIGKILL now, as a fault. */
  kill(): Promise<void> {
    return this.current.kill();
  }

  /** SIGTERM, then SIGKILL after `graceMs`, as a fault. */
  terminate(graceMs: number): Promise<void> {
    return this.current.stop(graceMs);
  }

  /**
   * Starts the service again and waits until it is ready; rejects (SERVICE_FAILED, with its output)
   * when it is not, leaving it stopped. Refused once the run has stopped the service.
   */
  async restart(): Promise<number> {
    if (this.stopped) throw new Error('the run has ended: the target is not started again');
    const next = await startService(this.spec, this.log);
    if (this.stopped) {
      await next.stop();
      throw new Error('the run ended while the target was starting');
    }
    this.current = next;
    this.watch(next);
    for (const listener of this.restarted) listener(next.pid);
    return next.pid;
  }

  /** Stops the current process for good (the run's end). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.current.stop();
  }

  private watch(service: RunningService): void {
    void service.exited.then((error) => {
      if (service === this.current && !this.stopped) this.reportExit(error);
    });
  }
}
