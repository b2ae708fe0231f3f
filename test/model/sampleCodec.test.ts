import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, InvalidSampleError } from '../../src/model/errors.js';
import { formatNdjson, parseNdjsonLine } from '../../src/model/ndjson.js';
import type { Sample } from '../../src/model/sample.js';
import {
  decodeSample,
  decodeSampleBatch,
  decodeSamples,
  encodeSample,
  encodeSampleBatch,
} from '../../src/model/sampleCodec.js';
import { encodeStat } from '../../src/model/statCodec.js';
import { defaultSchemaRegistry } from '../../src/model/schemaRegistry.js';
import { encodeSingleObject } from '../../src/model/singleObject.js';
import { sameSample, sampleArbitrary } from './sampleArbitrary.js';

describe('sample codec', () => {
  it('NDJSON → Sample → Avro → Sample is exact for arbitrary valid samples', () => {
    fc.assert(
      fc.property(sampleArbitrary, (sample) => {
        const parsed = parseNdjsonLine(formatNdjson(sample), 'property');
        const decoded = decodeSample(encodeSample(parsed));
        return sameSample(parsed, sample) && sameSample(decoded, sample);
      }),
      { numRuns: 500 },
    );
  });

  it('batches round-trip exactly and keep order', () => {
    fc.assert(
      fc.property(fc.array(sampleArbitrary, { maxLength: 30 }), (samples) => {
        const decoded = decodeSampleBatch(encodeSampleBatch(samples));
        return (
          decoded.length === samples.length &&
          decoded.every((sample, index) => sameSample(sample, samples[index] as Sample))
        );
      }),
      { numRuns: 100 },
    );
  });

  it('encodes a known sample to the documented layout (header, then Avro binary fields)', () => {
    const bytes = encodeSample({ ts: 1, metric: 'm', value: 0, tags: {} });
    // ts 1 → 0x02, "m" → 0x02 0x6d, 0.0 → eight zero bytes, empty map → 0x00, null unit → branch 0x00.
    expect([...bytes.subarray(10)]).toEqual([0x02, 0x02, 0x6d, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00]);
    expect(bytes.readBigUInt64LE(2)).toBe(defaultSchemaRegistry().get('sample.v1').fingerprint);
  });

  it('refuses to encode invalid samples', () => {
    expect(() => encodeSample({ ts: 0, metric: 'm', value: Number.NaN, tags: {} })).toThrow(InvalidSampleError);
    expect(() =>
      encodeSampleBatch([
        { ts: 0, metric: 'm', value: 1, tags: {} },
        { ts: 0, metric: '', value: 1, tags: {} },
      ]),
    ).toThrow(/batch item 1/);
  });

  it('rejects decoded samples that break the model (NaN written by another producer)', () => {
    const raw = encodeSingleObject(defaultSchemaRegistry().get('sample.v1'), {
      ts: 5,
      metric: 'm',
      value: Number.NaN,
      tags: {},
      unit: null,
    });
    expect(() => decodeSample(raw)).toThrow(InvalidSampleError);
    const batch = encodeSingleObject(defaultSchemaRegistry().get('sampleBatch.v1'), {
      samples: [
        { ts: 5, metric: 'm', value: 1, tags: {}, unit: null },
        { ts: 6, metric: 'm', value: Number.POSITIVE_INFINITY, tags: {}, unit: null },
      ],
    });
    expect(() => decodeSampleBatch(batch)).toThrow(/item 1: value must be a finite number, got Infinity/);
  });

  it('rejects a message of another schema', () => {
    const batch = encodeSampleBatch([{ ts: 0, metric: 'm', value: 1, tags: {} }]);
    expect(() => decodeSample(batch)).toThrow(DecodeError);
    expect(() => decodeSampleBatch(encodeSample({ ts: 0, metric: 'm', value: 1, tags: {} }))).toThrow(
      /expected a sampleBatch.v1 message/,
    );
  });

  it('handles a batch of 10,000 samples', () => {
    const samples: Sample[] = Array.from({ length: 10_000 }, (_, index) => ({
      ts: 1_700_000_000_000_000 + index * 1_000,
      metric: 'http.latency',
      value: index / 7,
      tags: { host: `h${index % 8}`, route: '/api' },
      unit: 'ms',
    }));
    const decoded = decodeSampleBatch(encodeSampleBatch(samples));
    expect(decoded).toHaveLength(10_000);
    expect(decoded[9_999]).toEqual(samples[9_999]);
  });
});

describe('decodeSamples', () => {
  it('decodes a single sample or a batch by the message fingerprint', () => {
    const a = { ts: 1_700_000_000_000_000, metric: 'm', value: 1.5, tags: { k: 'v' } };
    const b = { ts: 1_700_000_000_000_001, metric: 'n', value: -2, tags: {} };
    expect(decodeSamples(encodeSample(a))).toEqual([decodeSample(encodeSample(a))]);
    expect(decodeSamples(encodeSampleBatch([a, b]))).toEqual(decodeSampleBatch(encodeSampleBatch([a, b])));
    expect(() =>
      decodeSamples(
        encodeStat({
          ts: 1,
          windowStart: 0,
          series: 's',
          metric: 'm',
          metricKind: 'other',
          tags: {},
          n: 1,
          min: 1,
          max: 1,
          mean: 1,
          stdev: 0,
          median: 1,
          mad: 0,
          p50: 1,
          p90: 1,
          p95: 1,
          p99: 1,
        }),
      ),
    ).toThrow(/sampleBatch\.v1|sample/);
  });
});

describe('invalid UTF-8 in a Kafka message', () => {
  it('is refused with a DecodeError instead of reading as U+FFFD; a real U+FFFD is kept', () => {
    const bytes = encodeSample({ ts: 1, metric: 'mX', value: 1, tags: {} });
    const at = bytes.indexOf(Buffer.from('mX')) + 1;
    const broken = Buffer.from(bytes);
    broken[at] = 0xff; // 'X' becomes a byte that is never UTF-8
    expect(() => decodeSamples(broken)).toThrow(DecodeError);
    expect(() => decodeSamples(broken)).toThrow('sample 0 of the message: a string is not valid UTF-8');
    const real = encodeSample({ ts: 1, metric: 'm\uFFFD', value: 1, tags: {} });
    expect(decodeSamples(real)[0]?.metric).toBe('m\uFFFD');
  });
});
