// CRC-64-AVRO, the Rabin fingerprint of the Avro 1.11 spec ("Schema Fingerprints"). BigInt keeps
// the 64-bit arithmetic exact; it runs once per schema, so its speed does not matter.
const EMPTY = 0xc15d213aa4d7a795n;

const table: readonly bigint[] = Array.from({ length: 256 }, (_, index) => {
  let fingerprint = BigInt(index);
  for (let bit = 0; bit < 8; bit++) fingerprint = (fingerprint >> 1n) ^ (EMPTY & -(fingerprint & 1n));
  return fingerprint;
});

/**
 * CRC-64-AVRO (Rabin) fingerprint of a text's UTF-8 bytes, as an unsigned 64-bit BigInt
 * (Avro 1.11 spec, "Schema Fingerprints"). Cost: O(bytes).
 */
export function rabinFingerprint(text: string | Uint8Array): bigint {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  let fingerprint = EMPTY;
  for (const byte of bytes) {
    fingerprint = (fingerprint >> 8n) ^ (table[Number((fingerprint ^ BigInt(byte)) & 0xffn)] as bigint);
  }
  return fingerprint;
}
