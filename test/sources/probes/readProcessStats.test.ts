import { describe, expect, it } from 'vitest';
import { parseProcStat, readProcessStats, statusField } from '../../../src/sources/probes/readProcessStats.js';

describe('parseProcStat', () => {
  it('counts fields after the last parenthesis, so a command name with spaces and ")" is harmless', () => {
    // proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime ...
    const line = '4242 (my (odd) app) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 3 0';
    expect(parseProcStat(line)).toEqual({ userTicks: 1234, systemTicks: 567 });
  });

  it('rejects text that is not a stat line', () => {
    expect(() => parseProcStat('garbage')).toThrow(SyntaxError);
  });
});

describe('statusField', () => {
  it('reads kB and count fields and is NaN when absent', () => {
    const status = 'Name:\tnode\nVmRSS:\t   20480 kB\nThreads:\t7\n';
    expect(statusField(status, 'VmRSS')).toBe(20480);
    expect(statusField(status, 'Threads')).toBe(7);
    expect(statusField(status, 'VmSwap')).toBeNaN();
  });
});

describe.runIf(process.platform === 'linux')('readProcessStats', () => {
  it('reads this process and agrees with what Node reports about itself', async () => {
    const stats = await readProcessStats(process.pid);
    expect(stats).not.toBeNull();
    if (stats === null) return;
    const rss = process.memoryUsage().rss;
    expect(stats.residentBytes).toBeGreaterThan(rss * 0.5);
    expect(stats.residentBytes).toBeLessThan(rss * 2);
    expect(stats.threads).toBeGreaterThanOrEqual(1);
    expect(stats.openFds).toBeGreaterThanOrEqual(3);
    expect(stats.userTicks + stats.systemTicks).toBeGreaterThan(0);
  });

  it('returns null for a process that does not exist', async () => {
    // PIDs are bounded by /proc/sys/kernel/pid_max (at most 2^22); this one cannot exist.
    expect(await readProcessStats(2 ** 30)).toBeNull();
  });
});
