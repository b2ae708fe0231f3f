import { describe, expect, test } from 'vitest';
import type { Alert, AlertState } from '../../../src/model/alert.js';
import { ConsoleSink } from '../../../src/sinks/console/consoleSink.js';
import { faultSoakRecords } from '../../support/faultSoak.js';

const T0 = 1_767_225_600_000_000;
const alert = (id: string, rule: string, state: AlertState): Alert => ({
  id,
  rule,
  kind: 'regression',
  severity: 'warning',
  state,
  series: 's',
  metric: 'latency',
  tags: {},
  metricKind: 'other',
  ts: T0,
  since: T0,
  value: 1,
  baseline: 1,
  effect: 0.2,
  message: `${rule} ${state}`,
});

describe('ConsoleSink', () => {
  test('prints each alert transition and a summary of series, samples/s and firing rules', async () => {
    const lines: string[] = [];
    let clock = 0;
    const sink = new ConsoleSink({ out: { write: (t: string) => lines.push(t) }, summaryEveryMs: 0, now: () => clock });
    const stat = (series: string) => ({
      type: 'stat' as const,
      stat: {
        ts: T0,
        windowStart: T0,
        series,
        metric: 'm',
        tags: {},
        metricKind: 'other' as const,
        n: 1,
        min: 0,
        max: 0,
        mean: 0,
        stdev: 0,
        median: 0,
        mad: 0,
        p50: 0,
        p90: 0,
        p95: 0,
        p99: 0,
      },
    });
    await sink.write([
      ...Array.from({ length: 500 }, (_, i) => ({
        type: 'sample' as const,
        sample: { ts: T0 + i, metric: 'm', value: 1, tags: {} },
      })),
      stat('a'),
      stat('b'),
      stat('a'),
      { type: 'alert', alert: alert('1', 'latency-regression', 'pending') },
      { type: 'alert', alert: alert('1', 'latency-regression', 'firing') },
      { type: 'alert', alert: alert('2', 'memory-leak', 'firing') },
      { type: 'alert', alert: alert('3', 'latency-regression', 'firing') },
    ]);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(
      /^2026-01-01T00:00:00Z FIRING\s+warning\s+latency-regression {2}latency-regression firing\n$/,
    );
    clock = 2000;
    expect(sink.summary()).toEqual({
      series: 2,
      samples: 500,
      samplesPerSecond: 250,
      firing: ['latency-regression', 'latency-regression', 'memory-leak'],
    });
    await sink.write([{ type: 'alert', alert: alert('2', 'memory-leak', 'resolved') }]);
    clock = 3000;
    await sink.close();
    expect(lines.at(-1)).toBe('[soakstream] 2 series · 500 samples (0/s) · firing 2: latency-regression ×2\n');
  });

  test('prints only the asked states, and rejects a negative interval', async () => {
    const lines: string[] = [];
    const sink = new ConsoleSink({
      out: { write: (t: string) => lines.push(t) },
      summaryEveryMs: 0,
      states: ['firing'],
    });
    await sink.write([
      { type: 'alert', alert: alert('1', 'r', 'pending') },
      { type: 'alert', alert: alert('1', 'r', 'firing') },
      { type: 'alert', alert: alert('1', 'r', 'resolved') },
    ]);
    expect(lines).toHaveLength(1);
    expect(() => new ConsoleSink({ summaryEveryMs: -1 })).toThrow(/summaryEveryMs must be ≥ 0/);
  });

  test('prints a line per verdict on a fault, in the columns of alert lines, whatever the states', async () => {
    const lines: string[] = [];
    const sink = new ConsoleSink({
      out: { write: (t: string) => lines.push(t) },
      summaryEveryMs: 0,
      states: ['firing'],
    });
    // The soak's faults, analysed: kill-target recovers, slow-network does not.
    const records = faultSoakRecords(T0).filter((record) => record.type !== 'sample' && record.type !== 'stat');
    await sink.write(records);
    expect(lines.filter((line) => / FAULT /.test(line))).toEqual([
      '2026-01-01T00:01:16Z FAULT    recovered kill-target  ' +
        'fault kill-target #1 (kill): impact after 0.0 s, recovered 12.0 s after it began\n',
      '2026-01-01T00:03:40Z FAULT    not-recovered slow-network  ' +
        'fault slow-network #1 (network): not recovered 60.0 s after it ended: ' +
        // The band: 50% (latencyTolerance) of the 22.8 ms reference p95, wider than its 4 robust σ.
        'latency p95 190.2 ms (band 22.8 ± 11.4 ms), errors 35.0% (band ≤ 5.0%)\n',
    ]);
    // The not-recovered alert fires at the verdict, right after its fault line.
    const verdict = lines.findIndex((line) => line.includes('FAULT    not-recovered'));
    expect(lines[verdict + 1]).toMatch(
      /^2026-01-01T00:03:40Z FIRING {3}critical not-recovered {2}fault slow-network #1/,
    );
    await sink.close();
  });
});
