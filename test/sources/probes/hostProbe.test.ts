import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { hostProbe, parseCpuLine } from '../../../src/sources/probes/hostProbe.js';

describe('parseCpuLine', () => {
  it('sums user..steal and picks the steal column (proc(5) order)', () => {
    // user nice system idle iowait irq softirq steal guest guest_nice
    const stat = 'cpu  100 2 30 400 5 0 6 7 50 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n';
    expect(parseCpuLine(stat)).toEqual({ total: 100 + 2 + 30 + 400 + 5 + 0 + 6 + 7, steal: 7 });
    expect(() => parseCpuLine('intr 1 2 3')).toThrow(SyntaxError);
  });
});

describe.runIf(process.platform === 'linux')('hostProbe', () => {
  it('samples load, available memory and CPU steal with a host tag', async () => {
    const samples = await firstValueFrom(hostProbe({ intervalMs: 30 }).pipe(take(12), toArray()));
    const metrics = new Set(samples.map((s) => s.metric));
    for (const metric of [
      'host_load1',
      'host_load5',
      'host_load15',
      'host_memory_available_bytes',
      'host_cpu_steal_percent',
    ])
      expect(metrics.has(metric), metric).toBe(true);
    const memory = samples.find((s) => s.metric === 'host_memory_available_bytes');
    expect(memory?.value).toBeGreaterThan(0);
    for (const s of samples.filter((x) => x.metric === 'host_cpu_steal_percent')) {
      expect(s.value).toBeGreaterThanOrEqual(0);
      expect(s.value).toBeLessThanOrEqual(100);
    }
    expect(samples.every((s) => typeof s.tags.host === 'string' && s.tags.host.length > 0)).toBe(true);
  });
});
