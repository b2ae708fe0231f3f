import type { Type } from 'avsc';

// avsc trusts block counts: a corrupt map or array count of 2^40 makes its decoder loop for
// hours on a few bytes of input. This pass walks the Avro binary encoding (Avro 1.11 spec,
// "Binary Encoding") first and rejects every count or length the remaining bytes cannot hold.

interface Cursor {
  readonly bytes: Uint8Array;
  position: number;
}

/** Thrown by checkAvroBounds with the reason and the byte offset. */
export class AvroBoundsError extends Error {
  constructor(
    reason: string,
    readonly offset: number,
  ) {
    super(`${reason} at byte ${offset}`);
  }
}

function readVarLong(cursor: Cursor): number {
  let result = 0;
  let scale = 1;
  for (let index = 0; index < 10; index++) {
    const byte = cursor.bytes[cursor.position];
    if (byte === undefined) throw new AvroBoundsError('truncated varint', cursor.position);
    cursor.position++;
    result += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return result % 2 === 1 ? -(result + 1) / 2 : result / 2;
  }
  throw new AvroBoundsError('varint longer than 10 bytes', cursor.position);
}

function advance(cursor: Cursor, length: number, what: string): void {
  if (length < 0 || cursor.position + length > cursor.bytes.length) {
    throw new AvroBoundsError(
      `${what} of ${length} bytes exceeds the ${cursor.bytes.length - cursor.position} bytes left`,
      cursor.position,
    );
  }
  cursor.position += length;
}

type Walker = (cursor: Cursor) => void;

interface TypeShape {
  readonly typeName: string;
  readonly fields?: readonly { readonly type: Type }[];
  readonly itemsType?: Type;
  readonly valuesType?: Type;
  readonly types?: readonly Type[];
  readonly symbols?: readonly string[];
  readonly size?: number;
  readonly underlyingType?: Type;
}

// Every item of a block takes at least one byte unless its type encodes to nothing.
function blocks(cursor: Cursor, item: Walker, itemMayBeEmpty: boolean): void {
  for (;;) {
    const start = cursor.position;
    let count = readVarLong(cursor);
    if (count === 0) return;
    if (count < 0) {
      count = -count;
      readVarLong(cursor);
    }
    if (!itemMayBeEmpty && count > cursor.bytes.length - cursor.position) {
      throw new AvroBoundsError(`block count ${count} exceeds the bytes left`, start);
    }
    for (let index = 0; index < count; index++) item(cursor);
  }
}

function isEmptyEncoding(type: Type): boolean {
  const shape = type as unknown as TypeShape;
  if (shape.typeName === 'null') return true;
  if (shape.typeName === 'record') return (shape.fields ?? []).every((field) => isEmptyEncoding(field.type));
  return false;
}

// Walkers are compiled once per type so that the per-value cost is a few closure calls.
const compiled = new WeakMap<Type, Walker>();

function compile(type: Type): Walker {
  const cached = compiled.get(type);
  if (cached !== undefined) return cached;
  // Recursive schemas reach themselves again while building: they get a late-bound forwarder.
  const slot: { walker?: Walker } = {};
  compiled.set(type, (cursor) => (slot.walker as Walker)(cursor));
  const walker = build(type);
  slot.walker = walker;
  compiled.set(type, walker);
  return walker;
}

function build(type: Type): Walker {
  const shape = type as unknown as TypeShape;
  switch (shape.typeName) {
    case 'null':
      return () => undefined;
    case 'boolean':
      return (cursor) => advance(cursor, 1, 'boolean');
    case 'int':
    case 'long':
    case 'abstract:long':
      return (cursor) => {
        readVarLong(cursor);
      };
    case 'float':
      return (cursor) => advance(cursor, 4, 'float');
    case 'double':
      return (cursor) => advance(cursor, 8, 'double');
    case 'string':
    case 'bytes': {
      const what = shape.typeName;
      return (cursor) => advance(cursor, readVarLong(cursor), what);
    }
    case 'fixed': {
      const size = shape.size ?? 0;
      return (cursor) => advance(cursor, size, 'fixed');
    }
    case 'enum': {
      const symbols = shape.symbols?.length ?? 0;
      return (cursor) => {
        const at = cursor.position;
        const index = readVarLong(cursor);
        if (index < 0 || index >= symbols) throw new AvroBoundsError(`enum index ${index} out of range`, at);
      };
    }
    case 'record': {
      const fields = (shape.fields ?? []).map((field) => compile(field.type));
      return (cursor) => {
        for (const field of fields) field(cursor);
      };
    }
    case 'array': {
      const items = shape.itemsType as Type;
      const item = compile(items);
      const mayBeEmpty = isEmptyEncoding(items);
      return (cursor) => blocks(cursor, item, mayBeEmpty);
    }
    case 'map': {
      const value = compile(shape.valuesType as Type);
      const entry: Walker = (cursor) => {
        advance(cursor, readVarLong(cursor), 'map key');
        value(cursor);
      };
      return (cursor) => blocks(cursor, entry, false);
    }
    default: {
      if (shape.typeName.startsWith('union')) {
        const branches = (shape.types ?? []).map((branch) => compile(branch));
        return (cursor) => {
          const at = cursor.position;
          const branch = branches[readVarLong(cursor)];
          if (branch === undefined) throw new AvroBoundsError('union branch index out of range', at);
          branch(cursor);
        };
      }
      if (shape.typeName.startsWith('logical') && shape.underlyingType !== undefined)
        return compile(shape.underlyingType);
      throw new AvroBoundsError(`unsupported Avro type ${shape.typeName}`, 0);
    }
  }
}

/**
 * Position just after one `type` value encoded at `start` (Avro 1.11 spec, "Binary Encoding"),
 * or AvroBoundsError when a count, length, enum or union index cannot be right. Cost: O(bytes).
 */
export function checkAvroBounds(type: Type, bytes: Uint8Array, start = 0): number {
  const cursor: Cursor = { bytes, position: start };
  compile(type)(cursor);
  return cursor.position;
}
