import { createHash } from 'node:crypto';

/**
 * Deterministic alert id: the first 128 bits of SHA-256 over rule, series and the event time
 * the condition started, hex encoded. A replayed or redelivered alert gets the same id, so
 * consumers can deduplicate. O(length of the inputs).
 */
export function alertId(rule: string, series: string, since: number): string {
  return createHash('sha256').update(`${rule}\u0000${series}\u0000${since}`).digest('hex').slice(0, 32);
}
