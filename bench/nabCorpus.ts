import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NabFile } from './nabScore.js';

/** One NAB data file: its rows (timestamps as written, epoch µs read as UTC, values) and windows. */
export interface NabSeries extends NabFile {
  readonly stamps: readonly string[];
  readonly ts: Float64Array;
  readonly values: Float64Array;
}

/** Where the NAB copy is looked for unless `--nab DIR` or SOAKSTREAM_NAB_DIR says otherwise. */
export const DEFAULT_NAB_DIR = '../shared/nab';

const stampMicros = (stamp: string): number => Date.parse(`${stamp.replace(' ', 'T')}Z`) * 1000;

/**
 * Reads the NAB corpus (data/<category>/<name>.csv with header `timestamp,value`, and
 * labels/combined_windows.json): every file in the label file's order, each window as the rows of
 * its first and last timestamps. Throws naming the file and line of anything it cannot read.
 */
export function readNabCorpus(dir: string): NabSeries[] {
  const labels = join(dir, 'labels', 'combined_windows.json');
  if (!existsSync(labels))
    throw new Error(`${labels} not found: give the NAB copy with --nab DIR (data/, labels/ and results/ inside)`);
  const windows = JSON.parse(readFileSync(labels, 'utf8')) as Record<string, [string, string][]>;
  return Object.entries(windows).map(([name, pairs]) => {
    const path = join(dir, 'data', name);
    const lines = readFileSync(path, 'utf8').split('\n');
    if (lines[0]?.trim() !== 'timestamp,value') throw new Error(`${path}:1: expected the header timestamp,value`);
    const stamps: string[] = [];
    const values: number[] = [];
    for (let l = 1; l < lines.length; l++) {
      const line = (lines[l] as string).trim();
      if (line === '') continue;
      const comma = line.indexOf(',');
      const value = Number(line.slice(comma + 1));
      if (comma < 0 || !Number.isFinite(value) || Number.isNaN(stampMicros(line.slice(0, comma))))
        throw new Error(`${path}:${l + 1}: expected timestamp,value, got ${JSON.stringify(line.slice(0, 60))}`);
      stamps.push(line.slice(0, comma));
      values.push(value);
    }
    const rowOf = (stamp: string): number => {
      const row = stamps.indexOf(stamp.replace(/\.0+$/, ''));
      if (row < 0) throw new Error(`${labels}: ${name}: window bound ${stamp} is no row of the file`);
      return row;
    };
    return {
      name,
      rows: stamps.length,
      windows: pairs.map(([start, end]) => [rowOf(start), rowOf(end)] as const),
      stamps,
      ts: Float64Array.from(stamps, stampMicros),
      values: Float64Array.from(values),
    };
  });
}
