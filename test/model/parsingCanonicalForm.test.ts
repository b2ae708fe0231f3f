import { describe, expect, it } from 'vitest';
import { parsingCanonicalForm } from '../../src/model/parsingCanonicalForm.js';

// Inputs and canonical forms from Apache Avro share/test/data/schema-tests.txt (cases noted).
const published: readonly [string, string, string][] = [
  ['000', '"null"', '"null"'],
  ['001', '{"type":"null"}', '"null"'],
  ['005', '{"type":"int"}', '"int"'],
  ['016', '[  ]', '[]'],
  ['018', '[ "int" , {"type":"boolean"} ]', '["int","boolean"]'],
  ['019', '{"fields":[], "type":"record", "name":"foo"}', '{"name":"foo","type":"record","fields":[]}'],
  [
    '020',
    '{"fields":[], "type":"record", "name":"foo", "namespace":"x.y"}',
    '{"name":"x.y.foo","type":"record","fields":[]}',
  ],
  [
    '021',
    '{"fields":[], "type":"record", "name":"a.b.foo", "namespace":"x.y"}',
    '{"name":"a.b.foo","type":"record","fields":[]}',
  ],
  [
    '024',
    '{"fields":[], "type":"record", "name":"foo", "doc":"foo", "aliases":["foo","bar"]}',
    '{"name":"foo","type":"record","fields":[]}',
  ],
  [
    '025',
    '{"fields":[{"type":{"type":"boolean"}, "name":"f1"}], "type":"record", "name":"foo"}',
    '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"}]}',
  ],
  [
    '026',
    '{ "fields":[{"type":"boolean", "aliases":[], "name":"f1", "default":"true"}, ' +
      '{"order":"descending","name":"f2","doc":"Hello","type":"int"}], "type":"record", "name":"foo" }',
    '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}',
  ],
  [
    '028',
    '{"namespace":"x.y.z", "type":"enum", "name":"foo", "doc":"foo bar", "symbols":["A1", "A2"]}',
    '{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}',
  ],
  [
    '030',
    '{"namespace":"x.y.z", "type":"fixed", "name":"foo", "doc":"foo bar", "size":32}',
    '{"name":"x.y.z.foo","type":"fixed","size":32}',
  ],
  ['031', '{ "items":{"type":"null"}, "type":"array"}', '{"type":"array","items":"null"}'],
  ['032', '{ "values":"string", "type":"map"}', '{"type":"map","values":"string"}'],
  [
    '033',
    '{"name":"PigValue","type":"record", "fields":[{"name":"value", "type":["null", "int", "long", "PigValue"]}]}',
    '{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}',
  ],
];

describe('parsingCanonicalForm', () => {
  it.each(published)('case %s of the Avro test suite', (_case, input, canonical) => {
    expect(parsingCanonicalForm(JSON.parse(input))).toBe(canonical);
  });

  it('strips logicalType and qualifies nested names with the enclosing namespace', () => {
    const schema = {
      type: 'record',
      name: 'Outer',
      namespace: 'a.b',
      fields: [
        { name: 't', type: { type: 'long', logicalType: 'timestamp-micros' } },
        { name: 'e', type: { type: 'enum', name: 'Kind', symbols: ['X'] } },
        { name: 'again', type: 'Kind' },
      ],
    };
    expect(parsingCanonicalForm(schema)).toBe(
      '{"name":"a.b.Outer","type":"record","fields":[{"name":"t","type":"long"},' +
        '{"name":"e","type":{"name":"a.b.Kind","type":"enum","symbols":["X"]}},{"name":"again","type":"a.b.Kind"}]}',
    );
  });

  it('rejects things that are not schemas', () => {
    expect(() => parsingCanonicalForm(42)).toThrow(TypeError);
    expect(() => parsingCanonicalForm({ type: 'record', fields: [] })).toThrow(/without a name/);
  });
});
