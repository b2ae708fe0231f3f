import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/model/errors.js';
import { invalidUtf8Offset, readLines } from '../../src/model/textLines.js';
import { rejectedWith } from '../support/thrown.js';

const collect = async (source: Readable, maxLineCharacters?: number): Promise<string[]> => {
  const lines: string[] = [];
  for await (const batch of readLines(source, {
    name: 'in.ndjson',
    ...(maxLineCharacters ? { maxLineCharacters } : {}),
  }))
    lines.push(...batch.lines);
  return lines;
};
const chunks = (...parts: (string | Buffer)[]): Readable =>
  Readable.from(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));

describe('readLines', () => {
  it('splits LF and CRLF lines across chunks, drops a leading BOM and keeps a last line without newline', async () => {
    expect(await collect(chunks('\uFEFFa\r\nb', 'c\nd\n\ne'))).toEqual(['a', 'bc', 'd', '', 'e']);
  });

  it('numbers the lines of every batch', async () => {
    const batches = [];
    for await (const batch of readLines(chunks('a\nb\nc', 'd\ne\n'))) batches.push(batch);
    expect(batches).toEqual([
      { lines: ['a', 'b'], firstLine: 1 },
      { lines: ['cd', 'e'], firstLine: 3 },
    ]);
  });

  it('decodes a character whose bytes are split between chunks', async () => {
    const bytes = Buffer.from('é𝄞\n');
    expect(await collect(chunks(bytes.subarray(0, 1), bytes.subarray(1, 4), bytes.subarray(4)))).toEqual(['é𝄞']);
  });

  it('refuses a line past the limit as soon as it is that long, even from an endless stream', async () => {
    // A source that never ends and never sends a newline: only a bounded reader returns.
    const endless = new Readable({
      read() {
        this.push(Buffer.alloc(64 * 1024, 'x'));
      },
    });
    const error = await rejectedWith(collect(endless, 1 << 20), ParseError);
    expect(error.message).toBe(
      'in.ndjson:1: line longer than 1,048,576 characters (the limit of --max-line-length); is this the right file?',
    );
    endless.destroy();
  });

  it('accepts a line of exactly the limit and names the line that is one longer', async () => {
    expect(await collect(chunks('abc\r\nxyz\n'), 3)).toEqual(['abc', 'xyz']);
    expect((await rejectedWith(collect(chunks('abc\nxyzw\n'), 3), ParseError)).message).toMatch(
      /^in\.ndjson:2: line longer/,
    );
  });

  it('refuses invalid UTF-8 with its line and byte offset instead of replacing it with U+FFFD', async () => {
    // The complete lines before the bad byte in the same chunk still come out (they were lost before).
    const read: string[] = [];
    const lines = readLines(chunks(Buffer.from([0x61, 0x0a, 0x62, 0x0a, 0x7b, 0xff, 0x0a])), { name: 'in.ndjson' });
    const early = await rejectedWith(
      (async () => {
        for await (const batch of lines) read.push(...batch.lines);
      })(),
      ParseError,
    );
    expect(read).toEqual(['a', 'b']);
    expect(early.message).toBe('in.ndjson:3: not valid UTF-8 at byte 5');
    const error = await rejectedWith(collect(chunks('ok\n', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x0a]))), ParseError);
    expect(error.message).toBe('in.ndjson:2: not valid UTF-8 at byte 5');
    // A sequence cut off at the end of the file.
    expect((await rejectedWith(collect(chunks('a\nb', Buffer.from([0xe2, 0x82]))), ParseError)).message).toMatch(
      /^in\.ndjson:2: not valid UTF-8/,
    );
  });
});

describe('readLines over any chunking', () => {
  const cut = (bytes: Buffer, sizes: number[]): Buffer[] => {
    const parts: Buffer[] = [];
    let at = 0;
    for (const size of sizes) {
      if (at >= bytes.length) break;
      parts.push(bytes.subarray(at, at + size));
      at += size;
    }
    if (at < bytes.length) parts.push(bytes.subarray(at));
    return parts;
  };

  it('gives the lines of the whole text, and names the byte of an invalid one exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { maxLength: 40 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (text, sizes, badAt) => {
          const clean = text.replace(/^\uFEFF/, '');
          const bytes = Buffer.from(clean);
          if (badAt === undefined) {
            const expected = clean.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
            if (clean.endsWith('\n') || clean === '') expected.pop();
            expect(await collect(Readable.from(cut(bytes, sizes)))).toEqual(expected);
            return;
          }
          const at = badAt % (bytes.length + 1);
          const broken = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff]), bytes.subarray(at)]);
          const error = await rejectedWith(collect(Readable.from(cut(broken, sizes))), ParseError);
          // The invalid sequence starts at the inserted byte, or at the character it cuts in two.
          let start = at;
          while (start > 0 && ((bytes[start] ?? 0) & 0xc0) === 0x80) start--;
          expect(error.message).toMatch(new RegExp(`not valid UTF-8 at byte ${start.toLocaleString('en-US')}$`));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('invalidUtf8Offset', () => {
  it.each([
    [[0x61, 0x62], -1],
    [[0xc3, 0xa9], -1], // é
    [[0xf0, 0x9d, 0x84, 0x9e], -1], // 𝄞
    [[0x61, 0xc0, 0x80], 1], // overlong NUL
    [[0xe0, 0x80, 0x80], 0], // overlong
    [[0xed, 0xa0, 0x80], 0], // a surrogate
    [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
    [[0x61, 0x80], 1], // a lone continuation byte
    [[0xff], 0],
  ])('%j → %i', (bytes, offset) => {
    expect(invalidUtf8Offset(Uint8Array.from(bytes))).toBe(offset);
  });

  it('agrees with the platform decoder on random bytes', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let seed = 7;
    for (let run = 0; run < 2000; run++) {
      const bytes = Uint8Array.from(
        { length: 1 + (run % 9) },
        () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256,
      );
      let valid = true;
      try {
        decoder.decode(bytes);
      } catch {
        valid = false;
      }
      const offset = invalidUtf8Offset(bytes);
      // A sequence cut at the end counts as invalid for the decoder; the offset marks where it starts.
      expect(offset === -1, `${Array.from(bytes)}`).toBe(valid);
    }
  });
});
