import { describe, expect, it } from 'vitest';
import { encodeAlert } from '../../src/model/alertCodec.js';
import { DecodeError } from '../../src/model/errors.js';
import type { Stat } from '../../src/model/stat.js';
import { decodeStat, encodeStat } from '../../src/model/statCodec.js';

const stat: Stat = {
  ts: 1_700_000_060_000_000,
  windowStart: 1_700_000_000_000_000,
  series: 'latency{host=a}',
  metric: 'latency',
  tags: { host: 'a' },
  metricKind: 'other',
  n: 120,
  min: 1.5,
  max: 99.25,
  mean: 12.125,
  stdev: 4.5,
  median: 11,
  mad: 2,
  p50: 11,
  p90: 20.5,
  p95: 30,
  p99: 90.75,
};

describe('stat codec', () => {
  it('round-trips a Stat exactly', () => {
    expect(decodeStat(encodeStat(stat))).toStrictEqual(stat);
  });

  it('keeps NaN statistics (e.g. stdev of one sample)', () => {
    expect(decodeStat(encodeStat({ ...stat, n: 1, stdev: Number.NaN })).stdev).toBeNaN();
  });

  it('refuses ill-typed fields and messages of other schemas', () => {
    expect(() => encodeStat({ ...stat, n: 1.5 })).toThrow();
    const alert = encodeAlert({
      id: 'x',
      rule: 'r',
      kind: 'leak',
      severity: 'info',
      state: 'pending',
      series: 's',
      metric: 'm',
      metricKind: 'other',
      tags: {},
      ts: 1,
      since: 1,
      value: 1,
      baseline: 0,
      effect: 1,
      message: '',
    });
    expect(() => decodeStat(alert)).toThrow(DecodeError);
  });
});
