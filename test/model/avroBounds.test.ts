import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { AvroBoundsError, checkAvroBounds } from '../../src/model/avroBounds.js';

const everything = avro.Type.forSchema({
  type: 'record',
  name: 'Everything',
  fields: [
    { name: 'flag', type: 'boolean' },
    { name: 'small', type: 'int' },
    { name: 'big', type: 'long' },
    { name: 'single', type: 'float' },
    { name: 'double', type: 'double' },
    { name: 'raw', type: 'bytes' },
    { name: 'text', type: 'string' },
    { name: 'id', type: { type: 'fixed', name: 'Id', size: 3 } },
    { name: 'colour', type: { type: 'enum', name: 'Colour', symbols: ['RED', 'GREEN'] } },
    { name: 'list', type: { type: 'array', items: 'int' } },
    { name: 'map', type: { type: 'map', values: ['null', 'string'] } },
    { name: 'nothing', type: 'null' },
  ],
});
const value = {
  flag: true,
  small: -3,
  big: 2 ** 40,
  single: 1.5,
  double: -0.25,
  raw: Buffer.from([1, 2]),
  text: 'héllo',
  id: Buffer.from('abc'),
  colour: 'GREEN',
  list: [1, 2, 3],
  map: { a: 'x', b: null },
  nothing: null,
};

// A linked list, recursive through a union like case 033 (PigValue) of Avro's schema-tests.txt.
const list = avro.Type.forSchema({
  type: 'record',
  name: 'Node',
  fields: [
    { name: 'value', type: 'int' },
    { name: 'next', type: ['null', 'Node'] },
  ],
});

describe('checkAvroBounds', () => {
  it('finds the end of a value of every Avro type, also at an offset', () => {
    const bytes = everything.toBuffer(value);
    expect(checkAvroBounds(everything, bytes)).toBe(bytes.length);
    const padded = Buffer.concat([Buffer.from([9, 9]), bytes, Buffer.from([7])]);
    expect(checkAvroBounds(everything, padded, 2)).toBe(bytes.length + 2);
  });

  it('rejects every truncation', () => {
    const bytes = everything.toBuffer(value);
    for (let length = 0; length < bytes.length; length++) {
      expect(() => checkAvroBounds(everything, bytes.subarray(0, length))).toThrow(AvroBoundsError);
    }
  });

  it('walks recursive schemas', () => {
    const bytes = list.toBuffer({ value: 1, next: { value: 2, next: { value: 3, next: null } } });
    expect(checkAvroBounds(list, bytes)).toBe(bytes.length);
    expect(() => checkAvroBounds(list, Buffer.from([0x02, 0x04]))).toThrow(/union branch index out of range/);
  });

  it('rejects out-of-range enum indices and impossible array counts', () => {
    const colour = avro.Type.forSchema({ type: 'enum', name: 'C', symbols: ['A'] });
    expect(() => checkAvroBounds(colour, Buffer.from([0x02]))).toThrow(/enum index 1 out of range/);
    const ints = avro.Type.forSchema({ type: 'array', items: 'int' });
    // Block count 1000 (zig-zag 2000 = 0xd0 0x0f) with three bytes behind it.
    expect(() => checkAvroBounds(ints, Buffer.from([0xd0, 0x0f, 0, 0, 0]))).toThrow(/block count 1000 exceeds/);
  });
});
