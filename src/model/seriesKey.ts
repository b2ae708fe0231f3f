import type { Tags } from './sample.js';

// Characters that delimit the key are backslash-escaped so that distinct (metric, tags)
// pairs can never produce the same key.
// Most names need no escaping: the test is much cheaper than a replace with a callback.
const DELIMITER = /[\\{},=]/;
const escapeName = (s: string): string => (DELIMITER.test(s) ? s.replace(/[\\{},=]/g, (c) => `\\${c}`) : s);

/**
 * Canonical series key: `metric{k1=v1,k2=v2}` with tags sorted by key (code-unit order),
 * or `metric` when there are no tags. Stable across processes; used as the Kafka message key.
 * Cost: O(t log t) for t tags.
 */
export function seriesKey(metric: string, tags: Tags): string {
  const keys = Object.keys(tags);
  if (keys.length === 0) return escapeName(metric);
  keys.sort();
  let out = `${escapeName(metric)}{`;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (i > 0) out += ',';
    out += `${escapeName(k)}=${escapeName(tags[k] as string)}`;
  }
  return `${out}}`;
}

/**
 * A {@link seriesKey} with a cache per (tags object, metric): producers reuse one tags object per
 * series (the load recorder, the probes, the decoders of a batch), so the sort and escaping run
 * once per series instead of once per sample. The cache holds the tags weakly.
 */
export function seriesKeyCache(): (metric: string, tags: Tags) => string {
  const keys = new WeakMap<Tags, Map<string, string>>();
  return (metric, tags) => {
    let byMetric = keys.get(tags);
    if (byMetric === undefined) keys.set(tags, (byMetric = new Map()));
    let key = byMetric.get(metric);
    if (key === undefined) byMetric.set(metric, (key = seriesKey(metric, tags)));
    return key;
  };
}
