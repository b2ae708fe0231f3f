import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { DecodeError, UnknownSchemaError } from '../../src/model/errors.js';
import { SchemaRegistry } from '../../src/model/schemaRegistry.js';
import { decodeSingleObject, encodeSingleObject, readSingleObjectFingerprint } from '../../src/model/singleObject.js';

// Fingerprint of "long" from Apache Avro share/test/data/schema-tests.txt (case 006), as a Java signed long.
const LONG_FINGERPRINT = BigInt.asUintN(64, -3434872931120570953n);

function longRegistry(): SchemaRegistry {
  const registry = new SchemaRegistry();
  registry.register('long', 'long');
  registry.register('pair', {
    type: 'record',
    name: 'Pair',
    fields: [
      { name: 'key', type: 'string' },
      { name: 'tags', type: { type: 'map', values: 'string' } },
    ],
  });
  return registry;
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('single-object encoding', () => {
  it('writes C3 01, the little-endian CRC-64-AVRO fingerprint and the zig-zag body', () => {
    const bytes = encodeSingleObject(avro.Type.forSchema('long'), 5);
    const header = Buffer.alloc(8);
    header.writeBigUInt64LE(LONG_FINGERPRINT);
    // Avro binary encoding of the long 5 is the zig-zag varint 0x0a.
    expect(bytes).toEqual(Buffer.concat([Buffer.from([0xc3, 0x01]), header, Buffer.from([0x0a])]));
    expect(readSingleObjectFingerprint(bytes)).toBe(LONG_FINGERPRINT);
  });

  it('round-trips through a registry, by registered entry or by bare type', () => {
    const registry = longRegistry();
    const pair = registry.get('pair');
    const value = { key: 'k', tags: { a: 'b' } };
    expect(decodeSingleObject(encodeSingleObject(pair, value), registry)).toEqual({ schema: 'pair', value });
    expect(decodeSingleObject(encodeSingleObject(avro.Type.forSchema('long'), -7), registry)).toEqual({
      schema: 'long',
      value: -7,
    });
  });

  it('encodes messages larger than its scratch buffer, and each result stays intact after later encodings', () => {
    const registry = longRegistry();
    const pair = registry.get('pair');
    const big = {
      key: 'x'.repeat(10_000),
      tags: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, 'v'.repeat(i)])),
    };
    const small = { key: 'k', tags: {} };
    const first = encodeSingleObject(pair, small);
    const second = encodeSingleObject(pair, big);
    encodeSingleObject(pair, { key: 'overwrites the scratch', tags: { a: 'b' } });
    expect(decodeSingleObject(first, registry).value).toEqual(small);
    expect(decodeSingleObject(second, registry).value).toEqual(big);
    expect(second.length).toBe(10 + pair.type.toBuffer(big).length);
  });

  it('rejects short headers, bad magic, trailing and truncated bodies with context', () => {
    const registry = longRegistry();
    const good = encodeSingleObject(registry.get('pair'), { key: 'key', tags: {} });

    const short = thrown(() => decodeSingleObject(good.subarray(0, 9), registry));
    expect(short).toBeInstanceOf(DecodeError);
    expect((short as DecodeError).context).toMatchObject({ length: 9, reason: 'short header' });

    const magic = Buffer.from(good);
    magic[0] = 0x4f;
    const badMagic = thrown(() => decodeSingleObject(magic, registry));
    expect(badMagic).toBeInstanceOf(DecodeError);
    expect((badMagic as DecodeError).message).toMatch(/0x4f01/);

    const trailing = thrown(() => decodeSingleObject(Buffer.concat([good, Buffer.from([0])]), registry));
    expect(trailing).toBeInstanceOf(DecodeError);
    expect((trailing as DecodeError).message).toMatch(/1 trailing bytes/);

    const truncated = thrown(() => decodeSingleObject(good.subarray(0, good.length - 2), registry));
    expect(truncated).toBeInstanceOf(DecodeError);
    expect((truncated as DecodeError).context).toMatchObject({ length: good.length - 2, schema: 'pair' });
  });

  it('names an unknown fingerprint in hex', () => {
    const bytes = encodeSingleObject(avro.Type.forSchema('string'), 'x');
    const error = thrown(() => decodeSingleObject(bytes, longRegistry()));
    expect(error).toBeInstanceOf(UnknownSchemaError);
    // "string" fingerprint (schema-tests.txt case 014) as unsigned hex.
    const hex = BigInt.asUintN(64, -8142146995180207161n).toString(16).padStart(16, '0');
    expect((error as UnknownSchemaError).message).toContain(hex);
    expect((error as UnknownSchemaError).context['fingerprint']).toBe(hex);
  });

  it('rejects an absurd map count at once instead of looping on it', () => {
    const registry = longRegistry();
    const header = encodeSingleObject(registry.get('pair'), { key: '', tags: {} }).subarray(0, 11);
    // key "" then a map block count of 2^48 (zig-zag varint) with no entries behind it.
    const hostile = Buffer.concat([header, Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x04])]);
    const error = thrown(() => decodeSingleObject(hostile, registry));
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).message).toMatch(/block count/);
  });
});
