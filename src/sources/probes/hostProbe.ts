import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { Observable } from 'rxjs';
import { SoakstreamError } from '../../model/errors.js';
import { MICROS_PER_MS, type Sample, type Tags } from '../../model/sample.js';
import { statusField } from './readProcessStats.js';

/** Options of {@link hostProbe}. */
export interface HostProbeOptions {
  /** Sampling interval in milliseconds. Default 1000. */
  readonly intervalMs?: number;
  /** Tags added to every sample (a `host` tag is always added). */
  readonly tags?: Tags;
}

/** Parses the aggregate `cpu` line of /proc/stat (proc(5)) into total and steal ticks. */
export function parseCpuLine(procStat: string): { total: number; steal: number } {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) throw new SyntaxError('no aggregate "cpu" line in /proc/stat');
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
  const total = ticks.slice(0, 8).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  return { total, steal: ticks[7] ?? 0 };
}

/**
 * Samples the Linux host every interval: `host_load1`, `host_load5`, `host_load15`
 * (/proc/loadavg), `host_memory_available_bytes` (MemAvailable in /proc/meminfo) and
 * `host_cpu_steal_percent` (steal ticks over all ticks since the previous reading; 0 outside
 * virtual machines). Timestamps are wall-clock epoch µs.
 */
export function hostProbe(options: HostProbeOptions = {}): Observable<Sample> {
  const intervalMs = options.intervalMs ?? 1000;
  if (!(intervalMs >= 10)) throw new RangeError(`hostProbe: intervalMs must be ≥ 10, got ${intervalMs}`);
  const tags: Tags = { ...options.tags, host: hostname() };
  return new Observable<Sample>((subscriber) => {
    if (process.platform !== 'linux') {
      subscriber.error(
        new SoakstreamError(
          'UNSUPPORTED_PLATFORM',
          `hostProbe reads /proc and needs Linux; this is ${process.platform}`,
        ),
      );
      return undefined;
    }
    let previous: { total: number; steal: number } | null = null;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const emit = (metric: string, value: number, unit: string, ts: number): void => {
      if (Number.isFinite(value)) subscriber.next({ ts, metric, value, tags, unit });
    };
    const tick = async (): Promise<void> => {
      const ts = Date.now() * MICROS_PER_MS;
      try {
        const [loadavg, meminfo, stat] = await Promise.all([
          readFile('/proc/loadavg', 'utf8'),
          readFile('/proc/meminfo', 'utf8'),
          readFile('/proc/stat', 'utf8'),
        ]);
        if (stopped) return;
        const [load1, load5, load15] = loadavg.trim().split(/\s+/).map(Number);
        emit('host_load1', load1 ?? Number.NaN, 'load', ts);
        emit('host_load5', load5 ?? Number.NaN, 'load', ts);
        emit('host_load15', load15 ?? Number.NaN, 'load', ts);
        emit('host_memory_available_bytes', statusField(meminfo, 'MemAvailable') * 1024, 'bytes', ts);
        const cpu = parseCpuLine(stat);
        if (previous !== null && cpu.total > previous.total)
          emit(
            'host_cpu_steal_percent',
            ((cpu.steal - previous.steal) / (cpu.total - previous.total)) * 100,
            'percent',
            ts,
          );
        previous = cpu;
      } catch (error) {
        subscriber.error(
          new SoakstreamError('PROBE_FAILED', `hostProbe: cannot read /proc: ${(error as Error).message}`, {
            cause: error,
          }),
        );
        return;
      }
      timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  });
}
