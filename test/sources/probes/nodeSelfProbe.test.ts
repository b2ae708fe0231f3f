import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../../src/model/sample.js';
import { nodeSelfProbe } from '../../../src/sources/probes/nodeSelfProbe.js';

describe('nodeSelfProbe', () => {
  it('samples heap, event-loop delay and utilisation, and reports collections by kind', async () => {
    const seen: Sample[] = [];
    const subscription = nodeSelfProbe({ intervalMs: 40 }).subscribe((s) => seen.push(s));
    // Allocate short-lived garbage across several ticks so that young-generation collections happen.
    for (let round = 0; round < 8; round++) {
      let keep = 0;
      for (let i = 0; i < 200_000; i++) keep += new Array(8).fill(i).length;
      expect(keep).toBeGreaterThan(0);
      await sleep(25);
    }
    subscription.unsubscribe();
    const metrics = new Set(seen.map((s) => s.metric));
    for (const metric of [
      'nodejs_heap_used_bytes',
      'nodejs_heap_total_bytes',
      'nodejs_external_bytes',
      'nodejs_array_buffers_bytes',
      'nodejs_eventloop_utilization',
      'nodejs_eventloop_delay_p99_seconds',
    ]) {
      expect(metrics.has(metric), metric).toBe(true);
    }
    const used = seen.filter((s) => s.metric === 'nodejs_heap_used_bytes');
    const total = seen.filter((s) => s.metric === 'nodejs_heap_total_bytes');
    expect((used[0] as Sample).value).toBeLessThanOrEqual((total[0] as Sample).value);
    for (const s of seen.filter((x) => x.metric === 'nodejs_eventloop_utilization'))
      expect(s.value >= 0 && s.value <= 1).toBe(true);
    const gc = seen.filter((s) => s.metric === 'nodejs_gc_pause_seconds');
    expect(gc.length).toBeGreaterThan(0);
    expect(
      gc.every(
        (s) => ['minor', 'major', 'incremental', 'weakcb', 'other'].includes(s.tags.kind as string) && s.value >= 0,
      ),
    ).toBe(true);
    expect(seen.every((s) => s.tags.pid === String(process.pid))).toBe(true);
  });

  it('leaves no timer or observer behind after unsubscribe', async () => {
    const seen: Sample[] = [];
    const subscription = nodeSelfProbe({ intervalMs: 20 }).subscribe((s) => seen.push(s));
    await sleep(70);
    subscription.unsubscribe();
    const count = seen.length;
    await sleep(80);
    expect(seen.length).toBe(count);
    expect(() => nodeSelfProbe({ intervalMs: 0 })).toThrow(RangeError);
  });
});
