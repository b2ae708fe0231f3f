import type { SeriesRef } from '../model/events.js';
import type { RuleMatch } from './rule.js';

const globCache = new Map<string, RegExp>();

/** Compiles a metric glob (`*` any run, `?` one character, everything else literal) to a RegExp. */
export function globToRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (re === undefined) {
    const body = glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`);
    globCache.set(glob, re);
  }
  return re;
}

/** True when a series (with its kind) satisfies every condition of a rule's match. O(tags in the match). */
export function ruleMatches(match: RuleMatch, ref: SeriesRef): boolean {
  if (match.kinds !== undefined && !match.kinds.includes(ref.metricKind)) return false;
  if (match.metric !== undefined && !globToRegExp(match.metric).test(ref.metric)) return false;
  if (match.exclude !== undefined && match.exclude.some((glob) => globToRegExp(glob).test(ref.metric))) return false;
  if (match.tags !== undefined) {
    for (const [key, value] of Object.entries(match.tags)) if (ref.tags[key] !== value) return false;
  }
  return true;
}
