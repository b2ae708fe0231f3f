import { readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { collectUntilError } from '../support/collect.js';
import { InvalidSampleError, ParseError } from '../../src/model/errors.js';
import { formatNdjson, parseNdjsonLine, readNdjson, writeNdjson } from '../../src/model/ndjson.js';
import type { Sample } from '../../src/model/sample.js';
import { useTempDirectory } from '../support/tempDirectory.js';

const path = useTempDirectory();

const collect = collectUntilError<Sample>;

describe('NDJSON', () => {
  it('formats samples as one JSON object per line, keeping the sign of zero', () => {
    expect(formatNdjson({ ts: 1, metric: 'm', value: -0, tags: { a: 'b' }, unit: 'ms' })).toBe(
      '{"ts":1,"metric":"m","value":-0,"tags":{"a":"b"},"unit":"ms"}',
    );
    expect(formatNdjson({ ts: -5, metric: 'é"\n', value: 5e-324, tags: {} })).toBe(
      '{"ts":-5,"metric":"é\\"\\n","value":5e-324,"tags":{}}',
    );
  });

  it('parses a line and reports bad JSON and bad fields with the place', () => {
    expect(parseNdjsonLine('{"ts":2,"metric":"m","value":1.5}', 'x:1')).toStrictEqual({
      ts: 2,
      metric: 'm',
      value: 1.5,
      tags: {},
    });
    expect(() => parseNdjsonLine('{"ts":2,', 'runs.ndjson:4')).toThrow(ParseError);
    expect(() => parseNdjsonLine('{"ts":2,', 'runs.ndjson:4')).toThrow(/^runs.ndjson:4: not a JSON object/);
    expect(() => parseNdjsonLine('{"ts":2,"metric":"m","value":"NaN"}', 'runs.ndjson:5')).toThrow(
      /runs.ndjson:5: value must be a finite number, got "NaN"/,
    );
    expect(() => parseNdjsonLine('{"ts":2,"metric":"m","value":1e999}', 'runs.ndjson:6')).toThrow(InvalidSampleError);
    expect(() => parseNdjsonLine('[1,2]', 'runs.ndjson:7')).toThrow(/sample must be an object/);
  });

  it('reads a file skipping blank lines and a byte-order mark, with CRLF endings', async () => {
    const file = path('in.ndjson');
    writeFileSync(
      file,
      '\uFEFF{"ts":1,"metric":"a","value":1}\r\n\r\n   \n{"ts":2,"metric":"b","value":2,"tags":{"k":"v"},"unit":"s"}\n',
    );
    const { read, error } = await collect(readNdjson(file));
    expect(error).toBeUndefined();
    expect(read).toStrictEqual([
      { ts: 1, metric: 'a', value: 1, tags: {} },
      { ts: 2, metric: 'b', value: 2, tags: { k: 'v' }, unit: 's' },
    ]);
  });

  it('yields the good lines, then names file, line and field of the bad one', async () => {
    const file = path('bad.ndjson');
    writeFileSync(
      file,
      '{"ts":1,"metric":"a","value":1}\n\n{"ts":1.5,"metric":"a","value":1}\n{"ts":3,"metric":"a","value":3}\n',
    );
    const { read, error } = await collect(readNdjson(file));
    expect(read).toHaveLength(1);
    expect(error).toBeInstanceOf(InvalidSampleError);
    expect((error as Error).message).toContain(`${file}:3`);
    expect((error as InvalidSampleError).context['field']).toBe('ts');
  });

  it('reads a stream under the given name and reports a missing file', async () => {
    const stream = Readable.from(['{"ts":1,"metric":"a","val', 'ue":1}\n{"ts":2}\n']);
    const { read, error } = await collect(readNdjson(stream, { name: 'kafka-dump' }));
    expect(read).toHaveLength(1);
    expect((error as Error).message).toMatch(/^invalid sample at kafka-dump:2: metric/);
    expect((await collect(readNdjson(path('absent.ndjson')))).error).toMatchObject({ code: 'ENOENT' });
  });

  it('writes NDJSON that reads back identically', async () => {
    const file = path('out.ndjson');
    const items: Sample[] = [
      { ts: 10, metric: 'm', value: -0, tags: { ключ: '値' } },
      { ts: 11, metric: 'm', value: 1e300, tags: {}, unit: 'B' },
    ];
    expect(await writeNdjson(items, file)).toBe(2);
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(3);
    const { read } = await collect(readNdjson(file));
    expect(read).toStrictEqual(items);
    expect(Object.is(read[0]?.value, -0)).toBe(true);
  });
});
