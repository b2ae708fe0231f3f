import { AvroBoundsError, checkAvroBounds } from './avroBounds.js';
import { CONTAINER_MAGIC, containerHeaderType, type ContainerHeader } from './containerHeader.js';
import { parseCsvTimestamp } from './csvTimestamp.js';

/** What a file of recorded data looks like: its format, and what its records are when that can be told. */
export interface RecordingKind {
  readonly format: 'Avro' | 'NDJSON' | 'CSV';
  readonly holds: 'samples' | 'stats' | 'alerts' | 'records';
}

const SCHEMA_HOLDS: Readonly<Record<string, RecordingKind['holds']>> = {
  'io.soakstream.Sample': 'samples',
  'io.soakstream.SampleBatch': 'samples',
  'io.soakstream.Stat': 'stats',
  'io.soakstream.Alert': 'alerts',
};
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** What the records of an Avro container are, from its header's writer schema name. */
function avroHolds(head: Buffer): RecordingKind['holds'] {
  try {
    checkAvroBounds(containerHeaderType, head, 0);
    const header = containerHeaderType.decode(head, 0).value as ContainerHeader;
    const schema = JSON.parse(header.meta['avro.schema']?.toString() ?? 'null') as {
      name?: string;
      namespace?: string;
    } | null;
    const name = schema?.name ?? '';
    const fullName = name.includes('.') ? name : `${schema?.namespace ?? ''}.${name}`;
    return Object.hasOwn(SCHEMA_HOLDS, fullName) ? (SCHEMA_HOLDS[fullName] as RecordingKind['holds']) : 'records';
  } catch (error) {
    if (error instanceof AvroBoundsError || error instanceof SyntaxError) return 'records';
    throw error;
  }
}

/** What a JSON line is: a Sample, a Stat or an Alert as soakstream writes them, or null. */
function jsonHolds(line: string): RecordingKind['holds'] | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const has = (...keys: string[]): boolean => keys.every((key) => key in value);
  if (has('ts', 'windowStart', 'series')) return 'stats';
  if (has('id', 'rule', 'state', 'series')) return 'alerts';
  if (has('ts', 'metric', 'value')) return 'samples';
  return null;
}

/** Whether two lines read as `timestamp,value` CSV (the first may be a header). */
function isCsv(first: string, second: string | undefined): boolean {
  const row = (line: string | undefined): string[] | null => {
    const fields = line?.split(',').map((field) => field.trim().replace(/^"(.*)"$/, '$1'));
    return fields?.length === 2 ? fields : null;
  };
  const header = row(first);
  if (header === null) return false;
  const data = NUMBER.test(header[1] as string) ? header : row(second);
  return data !== null && NUMBER.test(data[1] as string) && parseCsvTimestamp(data[0] as string) !== undefined;
}

/**
 * Recognises a recording from the first bytes of a file, so that a command given one where it
 * expects something else (a scenario, a rules file) can say what it is: an Avro object container
 * (its magic bytes; what it holds from the writer schema's name), NDJSON whose first line is a
 * Sample, Stat or Alert object, or `timestamp,value` CSV. Null for anything else. O(head size).
 */
export function recordingKind(head: Buffer): RecordingKind | null {
  if (head.length >= CONTAINER_MAGIC.length && head.subarray(0, CONTAINER_MAGIC.length).equals(CONTAINER_MAGIC))
    return { format: 'Avro', holds: avroHolds(head) };
  const lines = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const [first, second] = lines;
  if (first === undefined) return null;
  const json = jsonHolds(first);
  if (json !== null) return { format: 'NDJSON', holds: json };
  return isCsv(first, second) ? { format: 'CSV', holds: 'samples' } : null;
}
