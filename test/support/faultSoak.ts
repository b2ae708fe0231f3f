import type { AnalysisEvent, FaultRecovery } from '../../src/model/events.js';
import { faultSample } from '../../src/model/faultRecord.js';
import { MICROS_PER_SECOND, type Sample, type Tags } from '../../src/model/sample.js';
import { runAnalysis } from '../../src/analysis/runAnalysis.js';
import type { SinkRecord } from '../../src/sinks/sink.js';
import { createRandom } from '../../src/stats/random.js';

const SECOND = MICROS_PER_SECOND;

/** One fault of {@link faultSoakSamples}: its window (seconds from the start) and what it does to requests. */
export interface SoakFault {
  readonly fault: string;
  readonly action: string;
  readonly from: number;
  readonly to: number;
  /** Until when (seconds from the start) latency is 8× and a third of requests fail: past `to`, a slow recovery. */
  readonly impactUntil: number;
}

/**
 * The two faults of the default soak: `kill-target` (kill) from 60 s to 70 s, its impact gone at
 * 72 s, so it recovers; `slow-network` (network) from 150 s to 160 s whose impact lasts to the
 * end, so it is not recovered 60 s after it ended.
 */
export const SOAK_FAULTS: readonly SoakFault[] = [
  { fault: 'kill-target', action: 'kill', from: 60, to: 70, impactUntil: 72 },
  { fault: 'slow-network', action: 'network', from: 150, to: 160, impactUntil: Infinity },
];

/**
 * A 4-minute soak from `start` (epoch µs) as a load generator records it: 20 requests a second,
 * each a latency (`http_req_duration`, ms, log-normal around 20 ms) and a 0/1 failure
 * (`http_req_failed`, 0.5% at rest), with `faults` (start and end records in the stream) raising
 * latency and failures while their impact lasts. Seeded: the same samples every time. Sorted by ts (a stable sort).
 */
export function faultSoakSamples(
  start: number,
  tags: Tags = {},
  faults: readonly SoakFault[] = SOAK_FAULTS,
  seconds = 240,
): Sample[] {
  const random = createRandom(7);
  // Fault records first: at the same microsecond they sort before the requests, as the runner writes them.
  const samples: Sample[] = faults.flatMap((f) => [
    faultSample(start + f.from * SECOND, f.fault, f.action, 'start', tags),
    faultSample(start + f.to * SECOND, f.fault, f.action, 'end', tags),
  ]);
  for (let i = 0; i < seconds * 20; i++) {
    const ts = start + i * (SECOND / 20);
    const at = i / 20;
    const hit = faults.some((f) => at >= f.from && at < f.impactUntil);
    const latency = 20 * Math.exp(0.1 * random.normal()) * (hit ? 8 : 1);
    const failed = random.next() < (hit ? 1 / 3 : 0.005) ? 1 : 0;
    samples.push({ ts, metric: 'http_req_duration', value: latency, tags, unit: 'ms' });
    samples.push({ ts, metric: 'http_req_failed', value: failed, tags });
  }
  return samples.sort((a, b) => a.ts - b.ts);
}

/** The sink records of {@link faultSoakSamples} analysed with the default rules: samples, then every analysis event. */
export function faultSoakRecords(start: number, tags: Tags = {}, faults?: readonly SoakFault[]): SinkRecord[] {
  const samples = faultSoakSamples(start, tags, faults);
  const records: SinkRecord[] = samples.map((sample) => ({ type: 'sample', sample }));
  runAnalysis(samples, { onEvent: (event: AnalysisEvent) => records.push(event) });
  return records;
}

/** The recovery events among `records`, in order. */
export const recoveriesOf = (records: readonly SinkRecord[]): FaultRecovery[] =>
  records.flatMap((record) => (record.type === 'recovery' ? [record.recovery] : []));
