import { describe, expect, test } from 'vitest';
import type { FaultRecovery } from '../../../src/model/events.js';
import { pointsOf } from '../../../src/sinks/influx/points.js';

const T0 = 1_767_225_600_000_000;
const SECOND = 1_000_000;

/** The second occurrence of kill-target: 60 s to 70 s after T0, impact at 61 s, back at 72.5 s, seen at 76 s. */
const recovered: FaultRecovery = {
  series: 'soakstream_fault{scenario=checkout}',
  metric: 'soakstream_fault',
  tags: { scenario: 'checkout' },
  metricKind: 'other',
  ts: T0 + 76 * SECOND,
  fault: 'kill-target',
  action: 'kill',
  occurrence: 2,
  phase: 'recovered',
  start: T0 + 60 * SECOND,
  end: T0 + 70 * SECOND,
  impactAt: T0 + 61 * SECOND,
  recoveredAt: T0 + 72.5 * SECOND,
  recoveryTime: 12.5 * SECOND,
  deadline: T0 + 130 * SECOND,
  quantile: 0.95,
  measures: [],
};

const lineOf = (recovery: FaultRecovery): string => {
  const points = pointsOf({ type: 'recovery', recovery });
  expect(points).toHaveLength(1);
  return points[0]?.toLineProtocol() ?? '';
};

describe('pointsOf a fault recovery', () => {
  test('writes the faults measurement with fault, action and phase tags, at the fault start', () => {
    expect(lineOf(recovered)).toBe(
      'faults,action=kill,fault=kill-target,metric=soakstream_fault,metric_kind=other,phase=recovered,' +
        'scenario=checkout ' +
        'at_s=16,deadline_s=70,end_ms=1767225670000i,end_s=10,impact_s=1,' +
        'message="fault kill-target #2 (kill): impact after 1.0 s, recovered 12.5 s after it began",' +
        'occurrence=2i,recovered_ms=1767225672500i,recovery_s=12.5 ' +
        `${T0 + 60 * SECOND}`,
    );
  });

  test('leaves out the times a phase does not know yet: a start has no end, impact or recovery', () => {
    const start: FaultRecovery = {
      ...recovered,
      ts: recovered.start,
      phase: 'start',
      end: null,
      impactAt: null,
      recoveredAt: null,
      recoveryTime: null,
      deadline: null,
    };
    expect(lineOf(start)).toBe(
      'faults,action=kill,fault=kill-target,metric=soakstream_fault,metric_kind=other,phase=start,scenario=checkout ' +
        'at_s=0,message="fault kill-target #2 (kill) started",occurrence=2i ' +
        `${T0 + 60 * SECOND}`,
    );
  });

  test('phases of one occurrence share the timestamp and differ in series; occurrences differ in time', () => {
    const phases = (['start', 'end', 'recovered', 'not-recovered', 'unfinished'] as const).map((phase) =>
      lineOf({ ...recovered, phase }),
    );
    const seriesOf = (line: string): string => line.slice(0, line.indexOf(' '));
    const timeOf = (line: string): string => line.slice(line.lastIndexOf(' ') + 1);
    expect(new Set(phases.map(seriesOf)).size).toBe(5);
    expect(new Set(phases.map(timeOf))).toEqual(new Set([String(T0 + 60 * SECOND)]));
    const later = lineOf({ ...recovered, occurrence: 3, start: T0 + 200 * SECOND });
    expect(seriesOf(later)).toBe(seriesOf(phases[2] as string));
    expect(timeOf(later)).toBe(String(T0 + 200 * SECOND));
  });

  test('a group tag named like a tag of the measurement is kept as user_<name>; names are escaped', () => {
    const line = lineOf({ ...recovered, tags: { phase: 'warm-up', scenario: 'a b' }, fault: 'net,drop=1' });
    expect(line).toMatch(/^faults,action=kill,fault=net\\,drop\\=1,metric=soakstream_fault,/);
    expect(line).toContain(',phase=recovered,scenario=a\\ b,user_phase=warm-up ');
  });
});
