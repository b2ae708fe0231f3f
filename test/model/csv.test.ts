import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectUntilError } from '../support/collect.js';
import { readCsvSamples, formatCsvSample } from '../../src/model/csv.js';
import { InvalidSampleError, ParseError } from '../../src/model/errors.js';
import type { Sample } from '../../src/model/sample.js';
import { sameSample, sampleArbitrary } from './sampleArbitrary.js';
import { useTempDirectory } from '../support/tempDirectory.js';

const path = useTempDirectory();

// First 50 data rows of realKnownCause/nyc_taxi.csv from the Numenta Anomaly Benchmark (NAB v1.1,
// MIT license): NYC taxi passengers per 30 minutes from 2014-07-01 00:00:00 (no zone, so UTC).
const NAB_HEAD = fileURLToPath(new URL('../fixtures/nab_nyc_taxi_head.csv', import.meta.url));
const JULY_2014 = 1_404_172_800_000_000;
const HALF_HOUR = 1_800_000_000;

const collect = collectUntilError<Sample>;

function csv(text: string): Readable {
  return Readable.from([text]);
}

describe('readCsvSamples', () => {
  it('reads the NAB nyc_taxi excerpt: header skipped, 30-minute steps in UTC', async () => {
    const { read, error } = await collect(
      readCsvSamples(NAB_HEAD, { metric: 'nyc_taxi', tags: { source: 'nab' }, unit: 'passengers' }),
    );
    expect(error).toBeUndefined();
    expect(read).toHaveLength(50);
    // Rows 1, 2 and 50 of the file as published: 10844, 8127 and 9945 passengers.
    expect(read[0]).toStrictEqual({
      ts: JULY_2014,
      metric: 'nyc_taxi',
      value: 10844,
      tags: { source: 'nab' },
      unit: 'passengers',
    });
    expect(read[1]?.value).toBe(8127);
    expect(read[49]).toMatchObject({ ts: JULY_2014 + 49 * HALF_HOUR, value: 9945 });
    expect(read.every((sample, index) => sample.ts === JULY_2014 + index * HALF_HOUR)).toBe(true);
  });

  it('accepts files without header, quoted fields and epoch timestamps', async () => {
    const text = '1404172800,1.5\n"1404172800500","2,5"\r\n"2014-07-01T00:00:01Z",3\n\n1404172802000000,-4e-3\n';
    const { read, error } = await collect(readCsvSamples(csv(text), { metric: 'm', name: 'mixed.csv' }));
    expect(error).toBeInstanceOf(ParseError);
    // "2,5" is a quoted field holding a comma, which is not a number: reported with its column.
    expect((error as Error).message).toBe('mixed.csv:2:17: not a finite number: "2,5"');
    expect(read).toStrictEqual([{ ts: JULY_2014, metric: 'm', value: 1.5, tags: {} }]);

    const clean = '1404172800,1.5\n"1404172800500","2.5"\n"2014-07-01T00:00:01Z",3\n\n1404172802000000,-4e-3\n';
    const { read: values } = await collect(readCsvSamples(csv(clean), { metric: 'm' }));
    expect(values.map((sample) => [sample.ts - JULY_2014, sample.value])).toEqual([
      [0, 1.5],
      [500_000, 2.5],
      [1_000_000, 3],
      [2_000_000, -0.004],
    ]);
  });

  it('handles doubled quotes inside a quoted header field', async () => {
    const { read } = await collect(readCsvSamples(csv('"time ""UTC""",value\n2014-07-01,1\n'), { metric: 'm' }));
    expect(read).toHaveLength(1);
  });

  it.each([
    ['2014-07-01,1\nsoon,2\n', 'x.csv:2:1: not an ISO 8601 or epoch timestamp: "soon"'],
    ['2014-07-01,1\n2014-07-01,NaN\n', 'x.csv:2:12: not a finite number: "NaN"'],
    ['2014-07-01,1\n2014-07-01,1e999\n', 'x.csv:2:12: not a finite number: "1e999"'],
    ['2014-07-01,1\n2014-07-01,1,2\n', 'x.csv:2:1: expected 2 fields (timestamp,value), found 3'],
    ['2014-07-01,1\n"2014-07-01,1\n', 'x.csv:2:1: unterminated quoted field'],
    ['2014-07-01,1\n"2014-07-01"x,1\n', 'x.csv:2:13: text after a closing quote'],
  ])('names file, line and column of bad input %#', async (text, message) => {
    const { read, error } = await collect(readCsvSamples(csv(text), { metric: 'm', name: 'x.csv' }));
    expect(read).toHaveLength(1);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as Error).message.startsWith(message)).toBe(true);
    expect((error as ParseError).context).toMatchObject({ file: 'x.csv', line: 2 });
  });

  it('refuses an empty metric and reports a missing file', async () => {
    expect((await collect(readCsvSamples(csv('1,1\n'), { metric: '' }))).error).toBeInstanceOf(InvalidSampleError);
    expect((await collect(readCsvSamples(path('absent.csv'), { metric: 'm' }))).error).toMatchObject({
      code: 'ENOENT',
    });
  });

  it('formatCsvSample rows read back to the same ts and value', async () => {
    expect(formatCsvSample({ ts: JULY_2014 + 1, metric: 'm', value: -0, tags: {} })).toBe(
      '2014-07-01T00:00:00.000001Z,-0',
    );
    const samples = fc.sample(sampleArbitrary, 200);
    const file = path('round.csv');
    writeFileSync(file, `timestamp,value\n${samples.map(formatCsvSample).join('\n')}\n`);
    const { read, error } = await collect(readCsvSamples(file, { metric: 'm' }));
    expect(error).toBeUndefined();
    expect(
      read.every((sample, index) =>
        sameSample(sample, {
          ts: samples[index]?.ts as number,
          metric: 'm',
          value: samples[index]?.value as number,
          tags: {},
        }),
      ),
    ).toBe(true);
    expect(read).toHaveLength(200);
  });
});
