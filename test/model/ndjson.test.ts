import { readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { collectUntilError } from '../support/collect.js';
import { InvalidSampleError, ParseError } from '../../src/model/errors.js';
import { formatNdjson, parseNdjsonLine, readNdjson, readNdjsonBatches, writeNdjson } from '../../src/model/ndjson.js';
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

  it('reads lines split across chunks, a long line in many chunks, and a last line without newline', async () => {
    const lines = [
      '{"ts":1,"metric":"m","value":1,"tags":{"a":"x"}}',
      `{"ts":2,"metric":"m","value":2,"tags":{"a":"${'y'.repeat(4000)}"}}`,
      '{"ts":3,"metric":"m","value":3,"tags":{"a":"x"}}',
    ];
    const text = lines.join('\r\n');
    // Chunks of 7 characters: every line spans chunks, the long one hundreds of them.
    const chunks = Array.from({ length: Math.ceil(text.length / 7) }, (_, i) => text.slice(i * 7, i * 7 + 7));
    const { read, error } = await collect(readNdjson(Readable.from(chunks), { name: 'chunks' }));
    expect(error).toBeUndefined();
    expect(read.map((sample) => [sample.ts, sample.tags.a?.length])).toEqual([
      [1, 1],
      [2, 4000],
      [3, 1],
    ]);
  });

  it('shares one tags object among the samples of a series, and batches the lines of a chunk', async () => {
    const file = path('shared.ndjson');
    const line = (ts: number, a: string): string => `{"ts":${ts},"metric":"m","value":1,"tags":{"a":"${a}","b":"c"}}`;
    writeFileSync(file, [line(1, 'x'), line(2, 'y'), line(3, 'x'), line(4, 'y')].join('\n'));
    const batches = [];
    for await (const batch of readNdjsonBatches(file)) batches.push(batch);
    // One chunk: its three complete lines in one batch, the last line (no newline) after it.
    expect(batches.map((batch) => batch.length)).toEqual([3, 1]);
    const [first, second, third, fourth] = batches.flat();
    expect(third?.tags).toBe(first?.tags);
    expect(fourth?.tags).toBe(second?.tags);
    expect(second?.tags).not.toBe(first?.tags);
    expect(first?.tags).toEqual({ a: 'x', b: 'c' });
  });
});
