import { readdir, readFile, readlink } from 'node:fs/promises';

/** One reading of a process from Linux procfs. */
export interface ProcessStats {
  /** CPU time in user and kernel mode, in clock ticks (USER_HZ). */
  readonly userTicks: number;
  readonly systemTicks: number;
  readonly residentBytes: number;
  readonly threads: number;
  readonly openFds: number;
  readonly openSockets: number;
}

const isGone = (error: unknown): boolean => {
  const code = (error as { code?: string }).code;
  return code === 'ENOENT' || code === 'ESRCH';
};

/**
 * Parses `/proc/<pid>/stat` (proc(5)): the command name may hold spaces and parentheses, so the
 * fields are counted after the last ')'. Returns utime and stime (fields 14 and 15).
 */
export function parseProcStat(text: string): { userTicks: number; systemTicks: number } {
  const end = text.lastIndexOf(')');
  if (end < 0) throw new SyntaxError(`not a /proc/<pid>/stat line: ${JSON.stringify(text.slice(0, 80))}`);
  const fields = text
    .slice(end + 2)
    .trim()
    .split(/\s+/);
  // fields[0] is field 3 (state); utime is field 14, stime field 15.
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  if (!Number.isFinite(userTicks) || !Number.isFinite(systemTicks))
    throw new SyntaxError(`no utime/stime in /proc/<pid>/stat: ${JSON.stringify(text.slice(0, 80))}`);
  return { userTicks, systemTicks };
}

/** Reads a `Key:   value kB` field of `/proc/<pid>/status`; NaN when absent. */
export function statusField(status: string, key: string): number {
  const match = new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status);
  return match === null ? Number.NaN : Number(match[1]);
}

/**
 * Reads CPU ticks, resident memory, threads, open file descriptors and sockets of any process
 * on Linux from procfs (proc(5)); null when the process no longer exists. A process whose fd
 * directory is not readable (another user's) reports NaN fds and sockets. O(open fds).
 */
export async function readProcessStats(pid: number): Promise<ProcessStats | null> {
  try {
    const [stat, status] = await Promise.all([
      readFile(`/proc/${pid}/stat`, 'utf8'),
      readFile(`/proc/${pid}/status`, 'utf8'),
    ]);
    const { userTicks, systemTicks } = parseProcStat(stat);
    let openFds = Number.NaN;
    let openSockets = Number.NaN;
    try {
      const fds = await readdir(`/proc/${pid}/fd`);
      openFds = fds.length;
      const targets = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
      openSockets = targets.filter((target) => target.startsWith('socket:')).length;
    } catch (error) {
      if (isGone(error)) return null;
      if ((error as { code?: string }).code !== 'EACCES') throw error;
    }
    return {
      userTicks,
      systemTicks,
      residentBytes: statusField(status, 'VmRSS') * 1024,
      threads: statusField(status, 'Threads'),
      openFds,
      openSockets,
    };
  } catch (error) {
    if (isGone(error)) return null;
    throw error;
  }
}
