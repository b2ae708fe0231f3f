import type { Alert } from './alert.js';
import { CURRENT_SCHEMA, defaultSchemaRegistry } from './schemaRegistry.js';
import { decodeSingleObject, encodeSingleObject, expectSchema } from './singleObject.js';

/**
 * Schemas an alert may be read from: version 2 has no onset or reason (read as null), version 1 no
 * metric kind either (read as 'other').
 */
export const ALERT_SCHEMAS = ['alert.v4', 'alert.v3', 'alert.v2', 'alert.v1'] as const;

/**
 * Single-object encodes one Alert with schema alert.v4 (Avro 1.11 spec, "Single object encoding");
 * a missing pValue, onset or reason is written as null. O(size).
 */
export function encodeAlert(alert: Alert): Buffer {
  return encodeSingleObject(defaultSchemaRegistry().get(CURRENT_SCHEMA.alert), alertToAvro(alert));
}

/** The Avro record of an alert: a missing pValue, onset or reason is written as null. O(1). */
export function alertToAvro(alert: Alert): Alert & Required<Pick<Alert, 'pValue' | 'onset' | 'reason'>> {
  return { ...alert, pValue: alert.pValue ?? null, onset: alert.onset ?? null, reason: alert.reason ?? null };
}

/**
 * Decodes a single-object alert.v4 (or v3, v2, v1) message into a plain Alert (pValue, onset and reason
 * null when absent);
 * DecodeError or UnknownSchemaError on bad data. O(size).
 */
export function decodeAlert(bytes: Uint8Array): Alert {
  const { schema, value } = decodeSingleObject(bytes, defaultSchemaRegistry());
  expectSchema(schema, ALERT_SCHEMAS, bytes.length);
  return alertFromAvro(value);
}

/**
 * A plain Alert from a decoded alert.v4, v3, v2 or v1 record (pValue, onset and reason null when absent;
 * v1 has no metric kind). O(fields).
 */
export function alertFromAvro(value: unknown): Alert {
  const record = value as Partial<Alert> & Omit<Alert, 'metricKind'>;
  return {
    id: record.id,
    rule: record.rule,
    kind: record.kind,
    severity: record.severity,
    state: record.state,
    series: record.series,
    metric: record.metric,
    tags: { ...record.tags },
    metricKind: record.metricKind ?? 'other',
    ts: record.ts,
    since: record.since,
    onset: record.onset ?? null,
    value: record.value,
    baseline: record.baseline,
    effect: record.effect,
    pValue: record.pValue ?? null,
    message: record.message,
    reason: record.reason ?? null,
  };
}
