import type { Alert } from './alert.js';
import { defaultSchemaRegistry } from './schemaRegistry.js';
import { decodeSingleObject, encodeSingleObject, expectSchema } from './singleObject.js';

/** Single-object encodes one Alert with schema alert.v1 (Avro 1.11 spec, "Single object encoding"); a missing pValue is written as null. O(size). */
export function encodeAlert(alert: Alert): Buffer {
  return encodeSingleObject(defaultSchemaRegistry().get('alert.v1'), alertToAvro(alert));
}

/** The Avro record of an alert: a missing pValue is written as null. O(1). */
export function alertToAvro(alert: Alert): Alert & { pValue: number | null } {
  return { ...alert, pValue: alert.pValue ?? null };
}

/** Decodes a single-object alert.v1 message into a plain Alert (pValue null when absent); DecodeError or UnknownSchemaError on bad data. O(size). */
export function decodeAlert(bytes: Uint8Array): Alert {
  const { schema, value } = decodeSingleObject(bytes, defaultSchemaRegistry());
  expectSchema(schema, 'alert.v1', bytes.length);
  return alertFromAvro(value);
}

/** A plain Alert from a decoded alert.v1 record (pValue null when absent). O(fields). */
export function alertFromAvro(value: unknown): Alert {
  const record = value as Alert;
  return {
    id: record.id,
    rule: record.rule,
    kind: record.kind,
    severity: record.severity,
    state: record.state,
    series: record.series,
    metric: record.metric,
    tags: { ...record.tags },
    ts: record.ts,
    since: record.since,
    value: record.value,
    baseline: record.baseline,
    effect: record.effect,
    pValue: record.pValue ?? null,
    message: record.message,
  };
}
