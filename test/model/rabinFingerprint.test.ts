import { describe, expect, it } from 'vitest';
import { rabinFingerprint } from '../../src/model/rabinFingerprint.js';

// Published CRC-64-AVRO fingerprints of Parsing Canonical Forms: Apache Avro,
// share/test/data/schema-tests.txt (cases 000–033; the values there are Java signed longs and are
// cross-checked by the Java implementation's direct fingerprinting algorithm).
const published: readonly [string, bigint][] = [
  ['"null"', 7195948357588979594n],
  ['"boolean"', -6970731678124411036n],
  ['"int"', 8247732601305521295n],
  ['"long"', -3434872931120570953n],
  ['"float"', 5583340709985441680n],
  ['"double"', -8181574048448539266n],
  ['"bytes"', 5746618253357095269n],
  ['"string"', -8142146995180207161n],
  ['[]', -1241056759729112623n],
  ['["int"]', -5232228896498058493n],
  ['["int","boolean"]', 5392556393470105090n],
  ['{"name":"foo","type":"record","fields":[]}', -4824392279771201922n],
  ['{"name":"x.y.foo","type":"record","fields":[]}', 5916914534497305771n],
  ['{"name":"a.b.foo","type":"record","fields":[]}', -4616218487480524110n],
  ['{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"}]}', 7843277075252814651n],
  [
    '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}',
    -4860222112080293046n,
  ],
  ['{"name":"foo","type":"enum","symbols":["A1"]}', -6342190197741309591n],
  ['{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}', -4448647247586288245n],
  ['{"name":"foo","type":"fixed","size":15}', 1756455273707447556n],
  ['{"name":"x.y.z.foo","type":"fixed","size":32}', -3064184465700546786n],
  ['{"type":"array","items":"null"}', -589620603366471059n],
  ['{"type":"map","values":"string"}', -8732877298790414990n],
  [
    '{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}',
    -1759257747318642341n,
  ],
];

describe('rabinFingerprint (CRC-64-AVRO)', () => {
  it.each(published)('fingerprint of %s matches the Avro test suite', (canonical, signed) => {
    expect(BigInt.asIntN(64, rabinFingerprint(canonical))).toBe(signed);
  });

  it('returns an unsigned 64-bit value and hashes bytes and text alike', () => {
    const text = '{"type":"map","values":"string"}';
    const value = rabinFingerprint(text);
    expect(value).toBeGreaterThanOrEqual(0n);
    expect(value).toBeLessThan(1n << 64n);
    expect(rabinFingerprint(new TextEncoder().encode(text))).toBe(value);
  });

  it('of the empty input is the CRC-64-AVRO initial value (Avro spec: EMPTY = 0xc15d213aa4d7a795)', () => {
    expect(rabinFingerprint('')).toBe(0xc15d213aa4d7a795n);
  });
});
