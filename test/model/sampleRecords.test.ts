import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidSampleError } from '../../src/model/errors.js';
import type { Sample } from '../../src/model/sample.js';
import { sampleToAvro } from '../../src/model/sampleCodec.js';
import { SampleRecords } from '../../src/model/sampleRecords.js';
import { defaultSchemaRegistry } from '../../src/model/schemaRegistry.js';
import { validateSample } from '../../src/model/validateSample.js';
import { sampleArbitrary } from './sampleArbitrary.js';

const type = defaultSchemaRegistry().get('sample.v1').type;

/** The records of `samples` back to back, as in a container block, with the offset of each. */
function block(samples: readonly Sample[]): { data: Buffer; starts: number[] } {
  const parts = samples.map((sample) => type.toBuffer(sampleToAvro(sample)));
  const starts: number[] = [];
  let offset = 0;
  for (const part of parts) {
    starts.push(offset);
    offset += part.length;
  }
  return { data: Buffer.concat(parts), starts };
}

const readAll = (records: SampleRecords, data: Buffer, count: number): Sample[] => {
  const out: Sample[] = [];
  let position = 0;
  for (let i = 0; i < count; i++) {
    out.push(records.read(data, position, () => `record ${i}`));
    position = records.end;
  }
  expect(position).toBe(data.length);
  return out;
};

describe('SampleRecords', () => {
  it('reads what avsc reads, for any samples and any repetition of their series (property)', () => {
    fc.assert(
      fc.property(
        fc.array(sampleArbitrary, { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(19), { maxLength: 60 }),
        (distinct, picks) => {
          // Series repeat with new timestamps and values, as in a recording.
          const samples = [
            ...distinct,
            ...picks.map((i, k) => ({ ...(distinct[i % distinct.length] as Sample), ts: k, value: k / 3 })),
          ];
          const { data } = block(samples);
          expect(readAll(new SampleRecords(type), data, samples.length)).toEqual(samples.map((s) => validateSample(s)));
        },
      ),
    );
  });

  it('shares one tags object among the records of a series', () => {
    const tags = { service: 'shop', request: 'checkout' };
    const samples = [1, 2, 3].map((ts) => ({
      ts,
      metric: 'http_req_duration',
      value: ts,
      tags: { ...tags },
      unit: 'ms',
    }));
    const [a, b, c] = readAll(new SampleRecords(type), block(samples).data, 3);
    expect(b?.tags).toBe(a?.tags);
    expect(c?.tags).toBe(a?.tags);
    expect(a?.tags).toEqual(tags);
  });

  it('fails a record of a known series that breaks the data model as validateSample does, naming it', () => {
    const good = { ts: 1, metric: 'm', value: 1, tags: { a: 'b' } };
    // Encoded past the writer's checks: a value that is not finite, in a series already read.
    const bad = type.toBuffer({ ts: 2, metric: 'm', value: Number.NaN, tags: { a: 'b' }, unit: null });
    const data = Buffer.concat([type.toBuffer(sampleToAvro(good)), bad]);
    const records = new SampleRecords(type);
    records.read(data, 0, () => 'record 0');
    expect(() => records.read(data, records.end, () => 'file.avro record 1')).toThrow(InvalidSampleError);
    expect(() => records.read(data, records.end, () => 'file.avro record 1')).toThrow(
      /at file.avro record 1: value must be a finite number/,
    );
  });

  it('leaves a record it cannot bound to checkAvroBounds, which refuses it', () => {
    const good = type.toBuffer(sampleToAvro({ ts: 1, metric: 'm', value: 1, tags: { a: 'b' } }));
    // A tags block claiming 2^30 entries in a few bytes.
    const hostile = Buffer.concat([
      good.subarray(0, good.length - 8),
      Buffer.from([0x80, 0x80, 0x80, 0x80, 0x08, 2, 0x61, 0]),
    ]);
    expect(() => new SampleRecords(type).read(hostile, 0, () => 'record 0')).toThrow(/exceeds|truncated|bytes/);
  });
});
