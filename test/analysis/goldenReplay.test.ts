import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replayAlerts } from '../support/collect.js';
import type { Alert } from '../../src/model/alert.js';
import { MICROS_PER_MINUTE } from '../../src/model/sample.js';

// Replay goldens: recordings made by scripts/generateFixtures.ts from seeded synthetic streams.
// The JSON next to each recording states what was injected; the alerts must match that truth.
interface Truth {
  readonly start: number;
  readonly end: number;
  readonly samples: number;
  readonly stepAt?: number;
  readonly stepFactor?: number;
  readonly leakAt?: number;
  readonly leakRateMegabytesPerHour?: number;
}

const fixture = (name: string): { truth: Truth; path: string } => ({
  truth: JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8')) as Truth,
  path: new URL(`../fixtures/${name}.avro`, import.meta.url).pathname,
});

describe('replay goldens', () => {
  // Replayed once for the golden and reused as the first run of the determinism check.
  let stepLeak: ReturnType<typeof replayAlerts> | undefined;
  const replayStepLeak = (path: string): ReturnType<typeof replayAlerts> => (stepLeak ??= replayAlerts(path));

  it(
    'finds the +20% latency step within 3 minutes and the 10 MB/h leak within 60 minutes, ' + 'and nothing else',
    async () => {
      const { truth, path } = fixture('soak-step-leak');
      const { alerts, samples } = await replayStepLeak(path);
      expect(samples).toBe(truth.samples);
      const firing = alerts.filter((a) => a.state === 'firing');
      expect(firing.map((a) => a.rule).sort()).toEqual(['latency-regression', 'memory-leak']);

      const latency = firing.find((a) => a.rule === 'latency-regression') as Alert;
      expect(latency.metric).toBe('http_req_duration');
      expect(latency.ts).toBeGreaterThanOrEqual(truth.stepAt as number);
      expect(latency.ts).toBeLessThanOrEqual((truth.stepAt as number) + 3 * MICROS_PER_MINUTE);
      // The measured effect is the injected one within noise.
      expect(latency.effect).toBeGreaterThan(0.1);
      expect(latency.effect).toBeLessThan(0.3);

      const leak = firing.find((a) => a.rule === 'memory-leak') as Alert;
      expect(leak.metric).toBe('process_heap_used_bytes');
      expect(leak.ts).toBeGreaterThanOrEqual(truth.leakAt as number);
      expect(leak.ts).toBeLessThanOrEqual((truth.leakAt as number) + 60 * MICROS_PER_MINUTE);
      // The slope estimate (bytes/h) covers the injected rate: a hinge fit is flatter early on.
      expect(leak.value).toBeGreaterThan(0);
      expect(leak.value).toBeLessThan(2 * (truth.leakRateMegabytesPerHour as number) * 1e6);
    },
  );

  it('raises no alert on the same streams without a change', async () => {
    const { truth, path } = fixture('soak-no-change');
    const { alerts, samples } = await replayAlerts(path);
    expect(samples).toBe(truth.samples);
    expect(alerts.filter((a) => a.state === 'firing')).toEqual([]);
  });

  it('is deterministic: a second replay yields the same alerts with the same ids', async () => {
    const { path } = fixture('soak-step-leak');
    const first = await replayStepLeak(path);
    const second = await replayAlerts(path);
    expect(second.alerts).toEqual(first.alerts);
    expect(new Set(first.alerts.map((a) => `${a.id}:${a.state}`)).size).toBe(first.alerts.length);
  });
});
