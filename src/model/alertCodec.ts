import type { Alert } from './alert.js';
import { DecodeError } from './errors.js';
import { defaultSchemaRegistry } from './schemaRegistry.js';
import { decodeSingleObject, encodeSingleObject } from './singleObject.js';

/** Single-object encodes one Alert with schema alert.v1 (Avro 1.11 spec, "Single object encoding"); a missing pValue is written as null. O(size). */
export function encodeAlert(alert: Alert): Buffer {
  return encodeSingleObject(defaultSchemaRegistry().get('alert.v1'), { ...alert, pValue: alert.pValue ?? null });
}

/** Decodes a single-object alert.v1 message into a plain Alert (pValue null when absent); DecodeError or UnknownSchemaError on bad data. O(size). */
export function decodeAlert(bytes: Uint8Array): Alert {
  const { schema, value } = decodeSingleObject(bytes, defaultSchemaRegistry());
  if (schema !== 'alert.v1') {
    throw new DecodeError(`expected an alert.v1 message but the ${bytes.length}-byte message is ${schema}`, { length: bytes.length, schema, reason: 'unexpected schema' });
  }
  const record = value as Alert;
  return {
    id: record.id, rule: record.rule, kind: record.kind, severity: record.severity, state: record.state,
    series: record.series, metric: record.metric, tags: { ...record.tags }, ts: record.ts, since: record.since,
    value: record.value, baseline: record.baseline, effect: record.effect, pValue: record.pValue ?? null, message: record.message,
  };
}
