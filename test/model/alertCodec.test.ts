import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/model/alert.js';
import { decodeAlert, encodeAlert } from '../../src/model/alertCodec.js';
import { DecodeError } from '../../src/model/errors.js';
import { encodeSample } from '../../src/model/sampleCodec.js';

const alert: Alert = {
  id: 'regression:latency{host=a}:1700000000000000',
  rule: 'latency-regression',
  kind: 'regression',
  severity: 'critical',
  state: 'firing',
  series: 'latency{host=a}',
  metric: 'latency',
  tags: { host: 'a' },
  metricKind: 'other',
  ts: 1_700_000_600_000_000,
  since: 1_700_000_000_000_000,
  onset: 1_699_999_950_000_000,
  value: 14.5,
  baseline: 12,
  effect: 0.2083,
  pValue: 0.0004,
  message: 'median latency up 21%',
  reason: null,
};

describe('alert codec', () => {
  it('round-trips an Alert with a pValue', () => {
    expect(decodeAlert(encodeAlert(alert))).toStrictEqual(alert);
  });

  it('round-trips a resolve reason, and writes a missing onset and reason as null', () => {
    const resolved: Alert = { ...alert, state: 'resolved', reason: 'idle' };
    expect(decodeAlert(encodeAlert(resolved))).toStrictEqual(resolved);
    const { onset: _onset, reason: _reason, ...plain } = alert;
    const decoded = decodeAlert(encodeAlert(plain));
    expect([decoded.onset, decoded.reason]).toEqual([null, null]);
  });

  it('writes a missing pValue as null', () => {
    const { pValue: _omitted, ...withoutPValue } = alert;
    expect(decodeAlert(encodeAlert(withoutPValue)).pValue).toBeNull();
  });

  it('refuses symbols outside the enums and messages of other schemas', () => {
    expect(() => encodeAlert({ ...alert, state: 'exploded' as Alert['state'] })).toThrow();
    expect(() => decodeAlert(encodeSample({ ts: 0, metric: 'm', value: 1, tags: {} }))).toThrow(DecodeError);
  });
});
