import { beforeAll } from 'vitest';
import type { Sample } from '../../src/model/sample.js';
import { MICROS_PER_MINUTE } from '../../src/model/sample.js';
import { RecorderSink } from '../../src/sinks/recorder/recorderSink.js';
import { syntheticHeap } from '../../src/sources/synthetic/syntheticHeap.js';
import { syntheticLatency } from '../../src/sources/synthetic/syntheticLatency.js';
import { createRandom } from '../../src/stats/random.js';

export const START = Date.UTC(2026, 0, 1) * 1000;
export const MINUTES = 20;

/** One run as a soak writes it: latency, heap and a 0/1 error series, with a per-run tag. */
export function runSamples(run: string, seed: number, latencyFactor: number, leakMBPerHour: number): Sample[] {
  const tags = { scenario: 'checkout', run };
  const duration = MINUTES * MICROS_PER_MINUTE;
  const samples: Sample[] = [
    ...syntheticLatency({ seed, start: START, duration, rate: 5, median: 50 * latencyFactor, tags }),
    ...syntheticHeap({
      seed: seed + 1,
      start: START,
      duration,
      tags,
      liveSet: 200,
      ...(leakMBPerHour > 0 ? { leak: { at: START, rate: leakMBPerHour } } : {}),
    }),
  ];
  const random = createRandom(seed + 2);
  for (let i = 0; i < MINUTES * 60 * 5; i++)
    samples.push({ ts: START + i * 200_000 + 7, metric: 'http_req_failed', value: random.next() < 0.01 ? 1 : 0, tags });
  return samples.sort((a, b) => a.ts - b.ts);
}

/** Writes a run as a recording (Avro, through the recorder sink soakstream runs write with). */
export async function record(dir: string, prefix: string, samples: readonly Sample[]): Promise<string> {
  const sink = await RecorderSink.open({ dir, prefix });
  for (let i = 0; i < samples.length; i += 1000)
    await sink.write(samples.slice(i, i + 1000).map((sample) => ({ type: 'sample' as const, sample })));
  await sink.close();
  return `${dir}/${prefix}-samples-000001.avro`;
}

/**
 * Three runs of a base build and three of a new one whose latency is 10% higher and whose heap leaks
 * 60 MB/h, recorded once per suite under `path('')`; the arrays fill before the suite's tests run.
 */
export function useRunRecordings(path: (name: string) => string): { base: string[]; next: string[] } {
  const runs = { base: [] as string[], next: [] as string[] };
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      runs.base.push(await record(path(''), `base${i}`, runSamples(`base-${i}`, 100 + 10 * i, 1, 0)));
      runs.next.push(await record(path(''), `new${i}`, runSamples(`new-${i}`, 500 + 10 * i, 1.1, 60)));
    }
  }, 60_000);
  return runs;
}
