import { readdirSync } from 'node:fs';
import type { Alert } from '../../src/model/alert.js';
import type { AnalysisEvent } from '../../src/model/events.js';
import type { Sample } from '../../src/model/sample.js';
import type { SinkRecord } from '../../src/sinks/sink.js';
import { syntheticScaling } from '../../src/sources/synthetic/syntheticScaling.js';
import { readRecording } from '../../src/model/readRecording.js';
import { runAnalysis } from '../../src/analysis/runAnalysis.js';

/** Every item of an async source, in order; rethrows what the source throws. */
export async function collectAll<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

/** The items a source yields before it ends or throws, and what it threw. */
export async function collectUntilError<T>(source: AsyncIterable<T>): Promise<{ read: T[]; error?: unknown }> {
  const read: T[] = [];
  try {
    for await (const item of source) read.push(item);
  } catch (error) {
    return { read, error };
  }
  return { read };
}

/** Replays a recording through the default analysis graph: its alert transitions and sample count. */
export async function replayAlerts(path: string): Promise<{ alerts: Alert[]; samples: number }> {
  const samples = await collectAll(readRecording(path));
  const alerts: Alert[] = [];
  runAnalysis(samples, { onEvent: (event) => event.type === 'alert' && alerts.push(event.alert) });
  return { alerts, samples: samples.length };
}

const STEP_LEAK = new URL('../fixtures/soak-step-leak.avro', import.meta.url).pathname;

/** The error burst of {@link fixtureRecords}: seconds from the recording's start. */
export const BURST_FROM_S = 1800;
export const BURST_TO_S = 1980;

/**
 * The sink records of a soak that shows every kind of finding: the step-and-leak fixture recording
 * (latency regression, heap leak), a closed-model scaling run (USL) tagged with `tags`, an
 * error-rate series, 0/1 failed requests with a burst and a steady count of open files, merged in
 * event time and analysed with the default rules: raw samples followed by every analysis event.
 */

export async function fixtureRecords(
  tags: Record<string, string> = {},
  rename: (sample: Sample) => Sample = (sample) => sample,
): Promise<SinkRecord[]> {
  const samples: Sample[] = (await collectAll(readRecording(STEP_LEAK))).map(rename);
  const start = samples[0]?.ts ?? 0;
  for (const sample of syntheticScaling({ seed: 3, start, tags })) samples.push(sample);
  // A failed-request ratio that wobbles around 1%, one sample per 10 s over the recording.
  for (let i = 0; i < 720; i++)
    samples.push({
      ts: start + i * 10_000_000,
      metric: 'http_req_failed',
      value: 0.01 + 0.005 * Math.sin(i / 7),
      tags: {},
      unit: 'ratio',
    });
  // Open file descriptors of the service, steady: a resource count.
  for (let i = 0; i < 720; i++)
    samples.push({ ts: start + i * 10_000_000, metric: 'process_open_fds', value: 40 + (i % 3), tags: {} });
  // Failed requests as the load generator records them, 0/1 per request, one a second; from 30 to
  // 33 minutes a burst fails 3 in 10 (a median of them stays 0: a rate must be the mean).
  for (let i = 0; i < 7200; i++)
    samples.push({
      ts: start + i * 1_000_000 + 500_000,
      metric: 'http_req_failed',
      value: i >= BURST_FROM_S && i < BURST_TO_S && i % 10 < 3 ? 1 : 0,
      tags: { request: 'checkout' },
      unit: 'bool',
    });
  samples.sort((a, b) => a.ts - b.ts);
  const records: SinkRecord[] = samples.map((sample) => ({ type: 'sample', sample }));
  runAnalysis(samples, { onEvent: (event: AnalysisEvent) => records.push(event) });
  return records;
}

/**
 * The files of a directory the way a user thinks of them, sorted: recordings without their
 * hidden `.<file>.crc` checksum companions, each of which is checked to be there.
 */
export function listRecordingDirectory(dir: string): string[] {
  const names = readdirSync(dir).sort();
  const files = names.filter((name) => !(name.startsWith('.') && name.endsWith('.avro.crc')));
  for (const name of files.filter((file) => file.endsWith('.avro')))
    if (!names.includes(`.${name}.crc`)) throw new Error(`${name} has no checksum companion .${name}.crc`);
  return files;
}
