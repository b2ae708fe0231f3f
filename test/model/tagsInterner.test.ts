import { describe, expect, it } from 'vitest';
import { sameTags, TagsInterner } from '../../src/model/tagsInterner.js';

describe('TagsInterner', () => {
  it('finds the object remembered for an equal tag set, and nothing for another', () => {
    const interner = new TagsInterner();
    const shared = { service: 'shop', request: 'checkout' };
    expect(interner.find({ service: 'shop', request: 'checkout' })).toBeUndefined();
    interner.remember(shared);
    expect(interner.find({ service: 'shop', request: 'checkout' })).toBe(shared);
    expect(interner.find({ service: 'shop', request: 'home' })).toBeUndefined();
    expect(interner.find({ service: 'shop' })).toBeUndefined();
    expect(interner.find({})).toBeUndefined();
  });

  it('tells apart sets a plain concatenation would confuse, whatever characters they hold', () => {
    const interner = new TagsInterner();
    const abcd = { a: 'b', c: 'd' };
    interner.remember(abcd);
    expect(interner.find({ ab: '', cd: '' })).toBeUndefined();
    expect(interner.find({ a: 'bc', d: '' })).toBeUndefined();
    expect(interner.find({ a: 'b1:cd' })).toBeUndefined();
    const tricky = { 'a1:b': 'c', '': '1:x' };
    interner.remember(tricky);
    expect(interner.find({ 'a1:b': 'c', '': '1:x' })).toBe(tricky);
    expect(interner.find({ a: 'b', c: 'd' })).toBe(abcd);
  });

  it('finds nothing for what is not a plain object of strings', () => {
    const interner = new TagsInterner();
    for (const bad of [null, undefined, 'a=b', ['a'], { a: 1 }]) expect(interner.find(bad)).toBeUndefined();
  });
});

describe('sameTags', () => {
  it('compares keys and values, not object identity or key order', () => {
    expect(sameTags({ a: '1', b: '2' }, { b: '2', a: '1' })).toBe(true);
    expect(sameTags({ a: '1' }, { a: '1', b: '2' })).toBe(false);
    expect(sameTags({ a: '1' }, { a: '2' })).toBe(false);
  });
});
