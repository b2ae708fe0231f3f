import { describe, expect, it } from 'vitest';
import { faultTimeline, type FaultSpec } from '../../../src/sources/faults/faultSchedule.js';

const kill: FaultSpec = { name: 'kill-api', action: { kind: 'kill', restartAfterMs: 5_000 }, atMs: 60_000 };
const latency: FaultSpec = {
  name: 'slow-network',
  action: { kind: 'network', durationMs: 30_000, faults: { latencyMs: 200 } },
  everyMs: 120_000,
  jitterMs: 10_000,
};

describe('faultTimeline', () => {
  it('lays faults out once at their time or every period with jitter, sorted, the same for the same seed', () => {
    const timeline = faultTimeline([latency, kill], 600_000, 7);
    expect(timeline).toEqual(faultTimeline([latency, kill], 600_000, 7));
    expect(timeline[0]).toEqual({
      name: 'kill-api',
      occurrence: 1,
      action: kill.action,
      startMs: 60_000,
      endMs: 65_000,
    });
    const slow = timeline.filter((fault) => fault.name === 'slow-network');
    // Nominal 120, 240, 360, 480 s (600 s is the end), each within ±10 s, 30 s long.
    expect(slow.map((fault) => fault.occurrence)).toEqual([1, 2, 3, 4]);
    slow.forEach((fault, i) => {
      expect(Math.abs(fault.startMs - 120_000 * (i + 1))).toBeLessThanOrEqual(10_000);
      expect(fault.endMs - fault.startMs).toBe(30_000);
    });
    expect(timeline.map((fault) => fault.startMs)).toEqual(
      [...timeline.map((fault) => fault.startMs)].sort((a, b) => a - b),
    );
    // Another seed moves the jittered ones.
    expect(faultTimeline([latency], 600_000, 8)).not.toEqual(faultTimeline([latency], 600_000, 7));
  });

  it('drops faults outside the run and refuses schedules whose occurrences would overlap', () => {
    expect(faultTimeline([{ ...kill, atMs: 700_000 }], 600_000)).toEqual([]);
    expect(() => faultTimeline([{ ...latency, everyMs: 40_000 }], 600_000)).toThrow(
      'fault slow-network: every 40000 ms must be longer than its duration (30000 ms) ' +
        'plus twice its jitter (10000 ms), or occurrences overlap',
    );
    expect(() => faultTimeline([{ name: 'x', action: { kind: 'restart', graceMs: 1000 } }], 600_000)).toThrow(
      'fault x: needs "at" or "every"',
    );
  });
});
