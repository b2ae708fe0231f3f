import { Observable } from 'rxjs';
import { MICROS_PER_MS, type Sample, type Tags } from '../../model/sample.js';
import { SoakstreamError } from '../../model/errors.js';
import { readProcessStats, type ProcessStats } from './readProcessStats.js';

/** Options of {@link processProbe}. */
export interface ProcessProbeOptions {
  /** Process to watch; default this process. */
  readonly pid?: number;
  /** Sampling interval in milliseconds. Default 1000. */
  readonly intervalMs?: number;
  /** Tags added to every sample (a `pid` tag is always added). */
  readonly tags?: Tags;
  /** Kernel clock ticks per second (USER_HZ, `getconf CLK_TCK`). Default 100, the Linux value. */
  readonly clockTicksPerSecond?: number;
}

/**
 * Samples a process on Linux from procfs every interval: `process_cpu_user_percent`,
 * `process_cpu_system_percent` (of one core, from tick deltas), `process_resident_memory_bytes`,
 * `process_threads`, `process_open_fds`, `process_open_sockets`, and `process_up` = 1. When the
 * process exits the probe emits `process_up` = 0 and completes: an end, not an error. A probe on
 * another OS fails at once with a clear error. Timestamps are wall-clock epoch µs.
 */
export function processProbe(options: ProcessProbeOptions = {}): Observable<Sample> {
  const pid = options.pid ?? process.pid;
  const intervalMs = options.intervalMs ?? 1000;
  const ticks = options.clockTicksPerSecond ?? 100;
  if (!Number.isInteger(pid) || pid <= 0)
    throw new RangeError(`processProbe: pid must be a positive integer, got ${pid}`);
  if (!(intervalMs >= 10)) throw new RangeError(`processProbe: intervalMs must be ≥ 10, got ${intervalMs}`);
  const tags: Tags = { ...options.tags, pid: String(pid) };

  return new Observable<Sample>((subscriber) => {
    if (process.platform !== 'linux') {
      subscriber.error(
        new SoakstreamError(
          'UNSUPPORTED_PLATFORM',
          `processProbe reads /proc and needs Linux; this is ${process.platform}`,
          { context: { pid } },
        ),
      );
      return undefined;
    }
    let previous: { stats: ProcessStats; at: number } | null = null;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const emit = (metric: string, value: number, unit: string, ts: number): void => {
      if (Number.isFinite(value)) subscriber.next({ ts, metric, value, tags, unit });
    };

    const tick = async (): Promise<void> => {
      const at = Date.now();
      const ts = at * MICROS_PER_MS;
      let stats: ProcessStats | null;
      try {
        stats = await readProcessStats(pid);
      } catch (error) {
        subscriber.error(
          new SoakstreamError('PROBE_FAILED', `processProbe: cannot read /proc/${pid}: ${(error as Error).message}`, {
            context: { pid },
            cause: error,
          }),
        );
        return;
      }
      if (stopped) return;
      if (stats === null) {
        emit('process_up', 0, 'bool', ts);
        subscriber.complete();
        return;
      }
      emit('process_up', 1, 'bool', ts);
      if (previous !== null && at > previous.at) {
        const seconds = (at - previous.at) / 1000;
        emit(
          'process_cpu_user_percent',
          ((stats.userTicks - previous.stats.userTicks) / ticks / seconds) * 100,
          'percent',
          ts,
        );
        emit(
          'process_cpu_system_percent',
          ((stats.systemTicks - previous.stats.systemTicks) / ticks / seconds) * 100,
          'percent',
          ts,
        );
      }
      emit('process_resident_memory_bytes', stats.residentBytes, 'bytes', ts);
      emit('process_threads', stats.threads, 'threads', ts);
      emit('process_open_fds', stats.openFds, 'fds', ts);
      emit('process_open_sockets', stats.openSockets, 'sockets', ts);
      previous = { stats, at };
      timer = setTimeout(() => void tick(), intervalMs);
    };

    void tick();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  });
}
