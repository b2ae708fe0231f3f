import type { Type } from 'avsc';
import { AvroBoundsError, checkAvroBounds } from './avroBounds.js';
import { DecodeError, UnknownSchemaError } from './errors.js';
import { parsingCanonicalForm } from './parsingCanonicalForm.js';
import { rabinFingerprint } from './rabinFingerprint.js';
import type { RegisteredSchema, SchemaRegistry } from './schemaRegistry.js';

/** Avro single-object marker (Avro 1.11 spec, "Single object encoding"): 0xC3 0x01. */
export const SINGLE_OBJECT_MAGIC: readonly [number, number] = [0xc3, 0x01];

/** Marker plus the 8-byte little-endian fingerprint. */
export const SINGLE_OBJECT_HEADER_LENGTH = 10;

// Types not created by a registry get their fingerprint computed once from avsc's schema(),
// which is already in Parsing Canonical Form up to attribute stripping.
const fingerprints = new WeakMap<Type, bigint>();

function fingerprintOf(schema: RegisteredSchema | Type): { type: Type; fingerprint: bigint } {
  if ('fingerprintHex' in schema) return { type: schema.type, fingerprint: schema.fingerprint };
  let fingerprint = fingerprints.get(schema);
  if (fingerprint === undefined) {
    fingerprint = rabinFingerprint(parsingCanonicalForm(schema.schema()));
    fingerprints.set(schema, fingerprint);
  }
  return { type: schema, fingerprint };
}

/** Where messages are encoded before their exact-length copy is taken; grows to the largest message. */
let scratch = Buffer.allocUnsafe(4096);

/**
 * Avro single-object encoding of `value` (Avro 1.11 spec, "Single object encoding"): marker,
 * CRC-64-AVRO fingerprint (little-endian), binary body. Cost: O(encoded size).
 */
export function encodeSingleObject(schema: RegisteredSchema | Type, value: unknown): Buffer {
  const { type, fingerprint } = fingerprintOf(schema);
  // Header and body go into one reused scratch buffer, then one copy of exactly the message's
  // length is returned (toBuffer would allocate and copy the body once more). avsc's encode
  // answers a negative number, minus the bytes that were missing, when the buffer is too small.
  let end = type.encode(value, scratch, SINGLE_OBJECT_HEADER_LENGTH);
  if (end < 0) {
    scratch = Buffer.allocUnsafe(Math.max(2 * scratch.length, scratch.length - end));
    end = type.encode(value, scratch, SINGLE_OBJECT_HEADER_LENGTH);
  }
  scratch[0] = SINGLE_OBJECT_MAGIC[0];
  scratch[1] = SINGLE_OBJECT_MAGIC[1];
  scratch.writeBigUInt64LE(fingerprint, 2);
  return Buffer.from(scratch.subarray(0, end));
}

/** Unsigned fingerprint in a single-object header, or undefined when the header is absent or short. O(1). */
export function readSingleObjectFingerprint(bytes: Uint8Array): bigint | undefined {
  if (
    bytes.length < SINGLE_OBJECT_HEADER_LENGTH ||
    bytes[0] !== SINGLE_OBJECT_MAGIC[0] ||
    bytes[1] !== SINGLE_OBJECT_MAGIC[1]
  ) {
    return undefined;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).readBigUInt64LE(2);
}

/**
 * Decodes one single-object encoded message, finding its writer schema by fingerprint
 * (Avro 1.11 spec, "Single object encoding"). DecodeError for a bad marker, short header,
 * truncated body or trailing bytes; UnknownSchemaError for a fingerprint not in `registry`.
 * Cost: O(encoded size).
 */
export function decodeSingleObject(bytes: Uint8Array, registry: SchemaRegistry): { schema: string; value: unknown } {
  const length = bytes.length;
  if (length < SINGLE_OBJECT_HEADER_LENGTH) {
    throw new DecodeError(
      `single-object message of ${length} bytes is shorter than its ${SINGLE_OBJECT_HEADER_LENGTH}-byte header`,
      { length, reason: 'short header' },
    );
  }
  if (bytes[0] !== SINGLE_OBJECT_MAGIC[0] || bytes[1] !== SINGLE_OBJECT_MAGIC[1]) {
    const found = Buffer.from(bytes.subarray(0, 2)).toString('hex');
    throw new DecodeError(`single-object message of ${length} bytes starts with 0x${found}, not the marker 0xc301`, {
      length,
      reason: 'bad magic',
      magic: found,
    });
  }
  const fingerprint = readSingleObjectFingerprint(bytes) as bigint;
  const entry = registry.byFingerprint(fingerprint);
  if (entry === undefined) {
    const hex = fingerprint.toString(16).padStart(16, '0');
    throw new UnknownSchemaError(`no registered schema has fingerprint 0x${hex}`, { fingerprint: hex, length });
  }
  const body = Buffer.from(
    bytes.buffer,
    bytes.byteOffset + SINGLE_OBJECT_HEADER_LENGTH,
    length - SINGLE_OBJECT_HEADER_LENGTH,
  );
  const context = { length, schema: entry.name };
  let end: number;
  try {
    end = checkAvroBounds(entry.type, body);
  } catch (error) {
    const reason = error instanceof AvroBoundsError ? error.message : String(error);
    throw new DecodeError(
      `malformed ${entry.name} body in a ${length}-byte message: ${reason}`,
      { ...context, reason },
      error,
    );
  }
  if (end !== body.length) {
    const reason = `${body.length - end} trailing bytes`;
    throw new DecodeError(`${entry.name} message of ${length} bytes has ${reason}`, { ...context, reason });
  }
  try {
    return { schema: entry.name, value: entry.type.fromBuffer(body) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DecodeError(
      `malformed ${entry.name} body in a ${length}-byte message: ${reason}`,
      { ...context, reason },
      error,
    );
  }
}

/** Throws the DecodeError of a message whose schema is not the one expected. O(1). */
export function expectSchema(actual: string, expected: string | readonly string[], length: number): void {
  const accepted = typeof expected === 'string' ? [expected] : expected;
  if (!accepted.includes(actual)) {
    const names = accepted.join(' or ');
    throw new DecodeError(
      `expected ${/^[aeiou]/i.test(names) ? 'an' : 'a'} ${names} message but the ${length}-byte message is ${actual}`,
      { length, schema: actual, reason: 'unexpected schema' },
    );
  }
}
