import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { firstValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sample } from '../../../src/model/sample.js';
import { processProbe } from '../../../src/sources/probes/processProbe.js';

// A real process to watch: it listens on a loopback socket and keeps 20 MB alive, then waits.
const CHILD = `
const server = require('node:net').createServer().listen(0, '127.0.0.1', () => process.stdout.write('ready\\n'));
globalThis.keep = Buffer.alloc(20e6, 1);
setTimeout(() => server.close(), 30000);
`;

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

describe.runIf(process.platform === 'linux')('processProbe', () => {
  it('samples another process by pid and ends with process_up 0 when it exits', async () => {
    child = spawn(process.execPath, ['-e', CHILD], { stdio: ['ignore', 'pipe', 'inherit'] });
    await once(child.stdout as NodeJS.ReadableStream, 'data');
    const pid = child.pid as number;
    const collected = firstValueFrom(processProbe({ pid, intervalMs: 50, tags: { role: 'target' } }).pipe(toArray()));
    setTimeout(() => child?.kill('SIGTERM'), 400);
    const samples = await collected;

    const byMetric = (metric: string): Sample[] => samples.filter((s) => s.metric === metric);
    for (const metric of [
      'process_resident_memory_bytes',
      'process_threads',
      'process_open_fds',
      'process_open_sockets',
      'process_cpu_user_percent',
      'process_cpu_system_percent',
    ]) {
      expect(byMetric(metric).length, metric).toBeGreaterThan(0);
    }
    expect(samples.every((s) => s.tags.pid === String(pid) && s.tags.role === 'target')).toBe(true);
    expect(Math.max(...byMetric('process_resident_memory_bytes').map((s) => s.value))).toBeGreaterThan(20e6);
    expect(Math.max(...byMetric('process_open_sockets').map((s) => s.value))).toBeGreaterThanOrEqual(1);
    expect(byMetric('process_cpu_user_percent').every((s) => s.value >= 0)).toBe(true);
    const up = byMetric('process_up').map((s) => s.value);
    expect(up.slice(0, -1).every((v) => v === 1)).toBe(true);
    expect(up.at(-1)).toBe(0);
    for (let i = 1; i < samples.length; i++)
      expect((samples[i] as Sample).ts).toBeGreaterThanOrEqual((samples[i - 1] as Sample).ts);
  });

  it('ends at once for a pid that does not exist, and validates its options', async () => {
    const samples = await firstValueFrom(processProbe({ pid: 2 ** 30, intervalMs: 50 }).pipe(toArray()));
    expect(samples.map((s) => [s.metric, s.value])).toEqual([['process_up', 0]]);
    expect(() => processProbe({ pid: -1 })).toThrow(RangeError);
    expect(() => processProbe({ intervalMs: 1 })).toThrow(RangeError);
  });

  it('stops reading /proc when unsubscribed', async () => {
    const seen: Sample[] = [];
    const subscription = processProbe({ intervalMs: 20 }).subscribe((s) => seen.push(s));
    await sleep(120);
    subscription.unsubscribe();
    const count = seen.length;
    expect(count).toBeGreaterThan(0);
    await sleep(100);
    expect(seen.length).toBe(count);
  });
});
