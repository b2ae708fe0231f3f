import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { isUtf8 } from 'node:buffer';
import { ParseError } from './errors.js';

/** Longest line a text import (NDJSON, CSV) accepts by default, in characters: 1 Mi. */
export const DEFAULT_MAX_LINE_CHARACTERS = 1 << 20;

/** Options of {@link readLines}. */
export interface ReadLinesOptions {
  /** The name errors use for a stream (a file is named by its path). Default `<stream>`. */
  readonly name?: string;
  /** Longest line accepted, in characters (default {@link DEFAULT_MAX_LINE_CHARACTERS}). */
  readonly maxLineCharacters?: number;
}

/** The lines read from one chunk of input and the number of the first. */
export interface LineBatch {
  readonly lines: string[];
  readonly firstLine: number;
}

/**
 * Offset of the first byte of `bytes` that does not continue valid UTF-8 (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or -1. O(n); run only once decoding has failed.
 */
export function invalidUtf8Offset(bytes: Uint8Array, from = 0): number {
  let i = from;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const [length, min, max] =
      b >= 0xc2 && b <= 0xdf
        ? [2, 0x80, 0xbf]
        : b === 0xe0
          ? [3, 0xa0, 0xbf]
          : b === 0xed
            ? [3, 0x80, 0x9f]
            : b >= 0xe1 && b <= 0xef
              ? [3, 0x80, 0xbf]
              : b === 0xf0
                ? [4, 0x90, 0xbf]
                : b >= 0xf1 && b <= 0xf3
                  ? [4, 0x80, 0xbf]
                  : b === 0xf4
                    ? [4, 0x80, 0x8f]
                    : [0, 0, 0];
    if (length === 0) return i;
    // The second byte has its own range; the others are plain continuation bytes.
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i; // cut at the end: only an error when nothing follows
      if (k === 1 ? c < min || c > max : c < 0x80 || c > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}

/**
 * How many bytes of `bytes` hold whole characters: all but an incomplete UTF-8 sequence at the
 * end (at most 3 bytes), which waits for the next chunk. O(1).
 */
function completeCharacters(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(4, n); back++) {
    const b = bytes[n - back] as number;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > back ? n - back : n;
  }
  return n;
}

/**
 * Reads a file or stream as UTF-8 text and yields its lines (LF or CRLF, the CR dropped), a batch
 * per chunk read (1 MiB), with a leading byte-order mark removed. Memory stays bounded: a line
 * longer than `maxLineCharacters` is refused as soon as it gets that long, and invalid UTF-8 is
 * refused (not replaced by U+FFFD), both with a ParseError naming `name:line`. O(1) memory per
 * line beyond the chunk.
 */
export async function* readLines(source: string | Readable, options: ReadLinesOptions = {}): AsyncGenerator<LineBatch> {
  const name = typeof source === 'string' ? source : (options.name ?? '<stream>');
  const maxLine = options.maxLineCharacters ?? DEFAULT_MAX_LINE_CHARACTERS;
  const input = typeof source === 'string' ? createReadStream(source, { highWaterMark: 1 << 20 }) : source;
  let lineNumber = 0; // lines split off so far
  // The text of a line that runs on into the next chunk, kept in pieces so a long line is joined once.
  let pieces: string[] = [];
  let pending = 0;
  let bytesRead = 0;
  const tooLong = (): never => {
    throw new ParseError(
      `${name}:${lineNumber + 1}: line longer than ${maxLine.toLocaleString('en-US')} characters ` +
        '(the limit of --max-line-length); is this the right file?',
      { file: name, line: lineNumber + 1, limit: maxLine },
    );
  };
  // The bytes of a character cut at the end of the last chunk, decoded with the next one.
  let carry: Buffer = Buffer.alloc(0);
  let failure: ParseError | null = null;
  const decode = (chunk: Buffer | string, last: boolean): string => {
    if (typeof chunk === 'string') return chunk;
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const start = bytesRead - carry.length; // file offset of bytes[0]
    const end = last ? bytes.length : completeCharacters(bytes);
    carry = Buffer.from(bytes.subarray(end));
    const part = bytes.subarray(0, end);
    // isUtf8 and toString are simdutf's: validation costs far less than a fatal TextDecoder.
    if (isUtf8(part)) return part.toString('utf8');
    const offset = invalidUtf8Offset(part);
    const before = part.subarray(0, Math.max(offset, 0)).toString('utf8');
    let line = lineNumber + 1;
    for (let i = before.indexOf('\n'); i >= 0; i = before.indexOf('\n', i + 1)) line++;
    const at = offset >= 0 ? `byte ${(start + offset).toLocaleString('en-US')}` : 'the end of the file';
    // The complete lines before the bad byte still come out; the error follows them.
    failure = new ParseError(`${name}:${line}: not valid UTF-8 at ${at}`, { file: name, line });
    return before;
  };
  const split = (text: string, into: string[]): void => {
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      const cr = end > 0 ? text.charCodeAt(end - 1) === 13 : pieces.at(-1)?.endsWith('\r') === true;
      if (pending + end - start - (cr ? 1 : 0) > maxLine) tooLong();
      const line = pieces.length > 0 ? pieces.join('') + text.slice(start, end) : text.slice(start, end);
      pieces = [];
      pending = 0;
      lineNumber++;
      into.push(line.endsWith('\r') ? line.slice(0, -1) : line);
      start = end + 1;
    }
    if (start < text.length) {
      pending += text.length - start;
      if (pending > maxLine + 1) tooLong(); // + 1: a CR that may end the line
      pieces.push(text.slice(start));
    }
  };
  try {
    for await (const chunk of input as AsyncIterable<Buffer | string>) {
      const lines: string[] = [];
      let text = decode(chunk, false);
      bytesRead += chunk.length;
      if (lineNumber === 0 && pieces.length === 0 && text.startsWith('\uFEFF')) text = text.slice(1);
      const firstLine = lineNumber + 1;
      split(text, lines);
      if (lines.length > 0) yield { lines, firstLine };
      if (failure !== null) throw failure;
    }
    const rest = decode(Buffer.alloc(0), true);
    const lines: string[] = [];
    const firstLine = lineNumber + 1;
    split(rest, lines);
    if (failure !== null) {
      if (lines.length > 0) yield { lines, firstLine };
      throw failure;
    }
    if (pieces.length > 0) {
      const line = pieces.join('');
      lines.push(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
    if (lines.length > 0) yield { lines, firstLine };
  } finally {
    if (typeof source === 'string') input.destroy();
  }
}
