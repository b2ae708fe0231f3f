import { describe, expect, it } from 'vitest';
import { Analysis } from '../../src/analysis/analysis.js';
import { RecoveryTracker, recoveryDetector, describeRecovery } from '../../src/detectors/recovery.js';
import { resolveOptions } from '../../src/detectors/definition.js';
import type { AnalysisEvent, FaultRecovery } from '../../src/model/events.js';
import { faultSample } from '../../src/model/faultRecord.js';
import { MICROS_PER_SECOND, type Sample } from '../../src/model/sample.js';
import { defaultRuleSet } from '../../src/rules/defaultRules.js';
import { faultSoakSamples } from '../support/faultSoak.js';

const SECOND = MICROS_PER_SECOND;
const START = 1_780_000_000 * SECOND;
const OPTIONS = resolveOptions<Parameters<typeof recoveryDetector.compile>[0]>(recoveryDetector, {});
const GROUP = { series: 'soakstream_fault', metric: 'soakstream_fault', tags: {}, metricKind: 'other' as const };

/** Every recovery event and alert the default rules raise on `samples`, fed in chunks of `chunk`. */
function analyse(samples: readonly Sample[], chunk = samples.length): AnalysisEvent[] {
  const analysis = new Analysis(defaultRuleSet());
  const events: AnalysisEvent[] = [];
  for (let i = 0; i < samples.length; i += chunk)
    for (const sample of samples.slice(i, i + chunk)) events.push(...analysis.push(sample));
  events.push(...analysis.end());
  return events.filter((e) => e.type === 'recovery' || (e.type === 'alert' && e.alert.kind === 'recovery'));
}

const recoveries = (events: readonly AnalysisEvent[]): FaultRecovery[] =>
  events.flatMap((e) => (e.type === 'recovery' ? [e.recovery] : []));

describe('recovery detector (RecoveryTracker)', () => {
  it('finds each fault’s impact and recovery at the interval where the requests are back in band', () => {
    const found = recoveries(analyse(faultSoakSamples(START)));
    const kill = found.filter((r) => r.fault === 'kill-target');
    expect(kill.map((r) => r.phase)).toEqual(['start', 'end', 'recovered']);
    const recovered = kill[2] as FaultRecovery;
    // Impact from the fault's first interval (60 s); the requests are normal again from 72 s.
    expect(recovered.impactAt).toBe(START + 60 * SECOND);
    expect(recovered.recoveredAt).toBe(START + 72 * SECOND);
    expect(recovered.recoveryTime).toBe(12 * SECOND);
    expect(recovered.measures.map((m) => m.measure)).toEqual(['latency', 'errors', 'throughput']);
    // 20 requests a second before the fault: the throughput band's center.
    expect(recovered.measures[2]?.center).toBe(20);
    // The band is the median of the p95 of each second of the 30 s before the fault: for latency
    // log-normal around 20 ms with σ = 0.1, p95 = 20·e^(1.645·0.1) = 23.58 ms, its sample median near it.
    const latency = recovered.measures[0];
    expect(latency?.center).toBeGreaterThan(22.5);
    expect(latency?.center).toBeLessThan(24.7);
  });

  it('says not-recovered at the end plus recoverWithin, raises the alert, and judges the stream’s end', () => {
    const events = analyse(faultSoakSamples(START));
    const network = recoveries(events).filter((r) => r.fault === 'slow-network');
    expect(network.map((r) => r.phase)).toEqual(['start', 'end', 'not-recovered']);
    expect(network[2]?.ts).toBe(START + 220 * SECOND);
    expect(network[2]?.deadline).toBe(START + 220 * SECOND);
    const alerts = events.flatMap((e) => (e.type === 'alert' ? [e.alert] : []));
    expect(alerts.map((a) => [a.rule, a.state])).toEqual([['not-recovered', 'firing']]);
    expect(alerts[0]?.message).toMatch(
      /^fault slow-network #1 \(network\): not recovered 60\.0 s after it ended: latency p95/,
    );
  });

  it('gives the same events however the stream is cut (a replay equals the live run)', () => {
    const samples = faultSoakSamples(START);
    const whole = analyse(samples);
    expect(analyse(samples, 1)).toEqual(whole);
    expect(analyse(samples, 997)).toEqual(whole);
  });

  it('a fault without visible impact recovers at its start; one whose stream ends first is unfinished', () => {
    const quiet = faultSoakSamples(START, {}, [
      { fault: 'cpu-hog', action: 'cpu', from: 60, to: 70, impactUntil: 60 },
      { fault: 'late', action: 'kill', from: 230, to: 235, impactUntil: Infinity },
    ]);
    const found = recoveries(analyse(quiet));
    const cpu = found.filter((r) => r.fault === 'cpu-hog');
    expect(cpu[cpu.length - 1]).toMatchObject({ phase: 'recovered', impactAt: null, recoveryTime: 0 });
    const late = found.filter((r) => r.fault === 'late');
    expect(late.map((r) => r.phase)).toEqual(['start', 'end', 'unfinished']);
    expect(describeRecovery(late[2] as FaultRecovery)).toMatch(/the stream ended before it recovered: latency p95/);
  });

  it('numbers the occurrences of a fault and takes each band from the time before it', () => {
    const tracker = new RecoveryTracker(OPTIONS, GROUP);
    const out: FaultRecovery[] = [];
    const push = (sample: Sample): void => {
      for (const check of tracker.push(sample)) if (check.event !== null) out.push(check.event);
    };
    for (let s = 0; s < 200; s++) {
      const ts = START + s * SECOND;
      if (s === 40 || s === 120) push(faultSample(ts, 'f', 'pause', 'start'));
      if (s === 45 || s === 125) push(faultSample(ts, 'f', 'pause', 'end'));
      // Latency 10 ms, doubled by the first occurrence until 50 s; 30 ms from 100 s on, tripled until 130 s.
      const base = s < 100 ? 10 : 30;
      const hit = (s >= 40 && s < 50) || (s >= 120 && s < 130);
      push({ ts, metric: 'http_req_duration', value: base * (hit ? 3 : 1) + (s % 3) * 0.1, tags: {} });
      push({ ts, metric: 'http_req_failed', value: 0, tags: {} });
    }
    const recovered = out.filter((r) => r.phase === 'recovered');
    expect(recovered.map((r) => [r.occurrence, (r.recoveredAt! - START) / SECOND])).toEqual([
      [1, 50],
      [2, 130],
    ]);
    // The second band is the new level's (30 ms), not the first's.
    expect(recovered[1]?.measures[0]?.center).toBeGreaterThan(29);
  });

  it('sees an outage in which no request completes (a pause, a black hole) by its throughput', () => {
    const tracker = new RecoveryTracker(OPTIONS, GROUP);
    const out: FaultRecovery[] = [];
    const push = (sample: Sample): void => {
      for (const check of tracker.push(sample)) if (check.event !== null) out.push(check.event);
    };
    // 10 requests a second of 10 ms; from 40 s to 43 s none completes, then the 30 held ones at
    // once with no other change: only the throughput measure sees the outage.
    for (let tenth = 0; tenth < 800; tenth++) {
      const ts = START + tenth * (SECOND / 10);
      if (tenth === 400) push(faultSample(ts, 'hole', 'network', 'start'));
      if (tenth === 430) push(faultSample(ts, 'hole', 'network', 'end'));
      if (tenth >= 400 && tenth < 430) continue;
      for (let n = 0; n < (tenth === 430 ? 31 : 1); n++) {
        push({ ts, metric: 'http_req_duration', value: 10 + (tenth % 3), tags: {} });
        push({ ts, metric: 'http_req_failed', value: 0, tags: {} });
      }
    }
    for (const check of tracker.end()) if (check.event !== null) out.push(check.event);
    const verdict = out.find((r) => r.phase === 'recovered') as FaultRecovery;
    expect(verdict.impactAt).toBe(START + 40 * SECOND);
    // 43 s: the held requests burst (40/s, out of band); back in band from 44 s, held 5 s.
    expect(verdict.recoveredAt).toBe(START + 44 * SECOND);
    expect(verdict.measures.find((m) => m.measure === 'throughput')?.impactAt).toBe(START + 40 * SECOND);
    expect(verdict.measures.find((m) => m.measure === 'latency')?.impactAt).toBeNull();
  });

  it('refuses options it cannot work with, naming them', () => {
    expect(() => recoveryDetector.compile({ ...OPTIONS, reference: 2 * SECOND })).toThrow(
      /reference must hold at least 3 intervals/,
    );
    expect(() => recoveryDetector.compile({ ...OPTIONS, quantile: 1 })).toThrow(/quantile must be strictly between/);
  });
});
