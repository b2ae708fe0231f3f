import type { Sample, Tags } from '../../src/model/sample.js';

/** A Sample for operator tests: `ts` in epoch µs, metric 'latency' and no tags unless given. */
export function sample(ts: number, value: number, metric = 'latency', tags: Tags = {}): Sample {
  return { ts, metric, value, tags };
}
