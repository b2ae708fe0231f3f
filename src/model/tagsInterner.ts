import type { Tags } from './sample.js';

/** True when two tags objects hold the same keys and values. O(tags). */
export const sameTags = (a: Tags, b: Tags): boolean => {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
};

// Past this many distinct tag sets the interner starts afresh, so hostile input cannot grow it without bound.
const MAX_INTERNED = 100_000;

/**
 * One shared tags object per distinct set of tags, for readers whose decoder makes a fresh object
 * per sample (NDJSON lines, Avro records): the samples of a series then share their tags object,
 * so what is worked out per series (its key, its state) is found by that object instead of being
 * recomputed per sample, and tags already checked are not checked again. Tag sets are told apart
 * by their keys and values in order. O(tags) per lookup.
 */
export class TagsInterner {
  private readonly byContent = new Map<string, Tags>();

  /** The shared object of tags equal to `tags` (not checked: any value), or undefined when none is known yet. */
  find(tags: unknown): Tags | undefined {
    const key = contentKey(tags);
    return key === null ? undefined : this.byContent.get(key);
  }

  /** Makes `tags` (checked by the caller) the shared object of its tag set. */
  remember(tags: Tags): void {
    const key = contentKey(tags);
    if (key === null) return;
    if (this.byContent.size >= MAX_INTERNED) this.byContent.clear();
    this.byContent.set(key, tags);
  }
}

/**
 * Keys and values in order, each written as its length, a colon and its text: a prefix code, so
 * two different tag sets never share a key whatever characters they hold. null when `tags` is not
 * a plain object of strings.
 */
function contentKey(tags: unknown): string | null {
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return null;
  let key = '';
  for (const name in tags) {
    if (!Object.hasOwn(tags, name)) return null;
    const value = (tags as Record<string, unknown>)[name];
    if (typeof value !== 'string') return null;
    key += `${name.length}:${name}${value.length}:${value}`;
  }
  return key;
}
