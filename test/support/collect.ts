import type { Alert } from '../../src/model/alert.js';
import { readRecording } from '../../src/model/readRecording.js';
import { runAnalysis } from '../../src/pipeline/runAnalysis.js';

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
