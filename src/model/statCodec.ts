import { CURRENT_SCHEMA, defaultSchemaRegistry } from './schemaRegistry.js';
import { decodeSingleObject, encodeSingleObject, expectSchema } from './singleObject.js';
import type { Stat } from './stat.js';

/** Schemas a stat may be read from: version 1 has no metric kind (read as 'other'). */
export const STAT_SCHEMAS = ['stat.v2', 'stat.v1'] as const;

/**
 * Single-object encodes one Stat with schema stat.v2 (Avro 1.11 spec, "Single object encoding");
 * avsc rejects ill-typed fields. O(size).
 */
export function encodeStat(stat: Stat): Buffer {
  return encodeSingleObject(defaultSchemaRegistry().get(CURRENT_SCHEMA.stat), stat);
}

/**
 * Decodes a single-object stat.v2 (or v1) message into a plain Stat; DecodeError or
 * UnknownSchemaError on bad data. O(size).
 */
export function decodeStat(bytes: Uint8Array): Stat {
  const { schema, value } = decodeSingleObject(bytes, defaultSchemaRegistry());
  expectSchema(schema, STAT_SCHEMAS, bytes.length);
  return statFromAvro(value);
}

/**
 * A plain Stat from a decoded stat.v2 or stat.v1 record (avsc records are class instances; v1 has
 * no kind). O(fields).
 */
export function statFromAvro(value: unknown): Stat {
  const record = value as Partial<Stat> & Omit<Stat, 'metricKind'>;
  return {
    ts: record.ts,
    windowStart: record.windowStart,
    series: record.series,
    metric: record.metric,
    tags: { ...record.tags },
    metricKind: record.metricKind ?? 'other',
    n: record.n,
    min: record.min,
    max: record.max,
    mean: record.mean,
    stdev: record.stdev,
    median: record.median,
    mad: record.mad,
    p50: record.p50,
    p90: record.p90,
    p95: record.p95,
    p99: record.p99,
  };
}
