import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { UnknownSchemaError } from '../../src/model/errors.js';
import { parsingCanonicalForm } from '../../src/model/parsingCanonicalForm.js';
import { rabinFingerprint } from '../../src/model/rabinFingerprint.js';
import { defaultSchemaRegistry, loadSchemaFile, SCHEMA_NAMES, SchemaRegistry } from '../../src/model/schemaRegistry.js';

describe('SchemaRegistry', () => {
  const registry = defaultSchemaRegistry();

  it('loads every shipped schema with a doc and a distinct fingerprint', () => {
    expect(registry.names()).toEqual([
      'sample.v1',
      'sampleBatch.v1',
      'stat.v1',
      'alert.v1',
      'stat.v2',
      'alert.v2',
      'alert.v3',
      'alert.v4',
    ]);
    const fingerprints = new Set(SCHEMA_NAMES.map((name) => registry.get(name).fingerprint));
    expect(fingerprints.size).toBe(SCHEMA_NAMES.length);
    for (const name of SCHEMA_NAMES) {
      const schema = loadSchemaFile(name) as { doc?: unknown };
      expect(typeof schema.doc).toBe('string');
    }
  });

  it('fingerprints the Parsing Canonical Form, which avsc also produces from the type', () => {
    for (const name of SCHEMA_NAMES) {
      const entry = registry.get(name);
      expect(entry.fingerprint).toBe(rabinFingerprint(entry.canonicalForm));
      expect(entry.fingerprintHex).toMatch(/^[0-9a-f]{16}$/);
      expect(BigInt(`0x${entry.fingerprintHex}`)).toBe(entry.fingerprint);
      expect(parsingCanonicalForm(entry.type.schema())).toBe(entry.canonicalForm);
      expect(registry.byFingerprint(entry.fingerprint)).toBe(entry);
      expect(registry.byType(entry.type)).toBe(entry);
    }
  });

  it('spells out the sample.v1 canonical form (docs, defaults and logical types stripped)', () => {
    expect(registry.get('sample.v1').canonicalForm).toBe(
      '{"name":"io.soakstream.Sample","type":"record","fields":[{"name":"ts","type":"long"},' +
        '{"name":"metric","type":"string"},{"name":"value","type":"double"},' +
        '{"name":"tags","type":{"type":"map","values":"string"}},{"name":"unit","type":["null","string"]}]}',
    );
  });

  it('keeps timestamp-micros values as epoch-µs numbers, not Dates', () => {
    const type = registry.get('sample.v1').type;
    const ts = 1_700_000_000_123_456;
    const decoded = type.fromBuffer(type.toBuffer({ ts, metric: 'm', value: 1, tags: {}, unit: null })) as {
      ts: unknown;
    };
    expect(decoded.ts).toBe(ts);
  });

  it('embeds the same Sample record in sampleBatch.v1', () => {
    const batch = registry.get('sampleBatch.v1').canonicalForm;
    expect(batch).toContain(registry.get('sample.v1').canonicalForm);
  });

  it('reports unknown names and refuses duplicates', () => {
    expect(() => registry.get('nope.v9')).toThrow(UnknownSchemaError);
    const own = new SchemaRegistry();
    own.register('long', 'long');
    expect(() => own.register('long', 'int')).toThrow(/already registered/);
    expect(() => own.register('long2', { type: 'long' })).toThrow(/same canonical form/);
    expect(own.byFingerprint(BigInt.asUintN(64, -3434872931120570953n))?.name).toBe('long');
    expect(own.byType(avro.Type.forSchema('long'))).toBeUndefined();
  });
});
