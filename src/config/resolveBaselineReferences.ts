import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { baselineStoreDir, checkBaselineName, decodeBaseline } from '../model/baseline.js';
import type { Rule } from '../rules/rule.js';

/** A baseline's reference values per series (pooled over its runs, ascending) and the tags it ignores. */
interface BaselineValues {
  readonly bySeries: ReadonlyMap<string, Float64Array>;
  readonly ignoreTags: readonly string[];
}

/** Reads a baseline's reference values; throws an Error naming the baseline and the store. */
function readBaselineValues(name: string, store: string | undefined): BaselineValues {
  const dir = baselineStoreDir(store);
  const path = join(dir, `${checkBaselineName(name)}.json`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(`no baseline "${name}" in ${dir} (\`soakstream baseline save\` makes one)`);
    throw new Error(`${path}: cannot read the baseline: ${(error as Error).message}`);
  }
  const baseline = decodeBaseline(text, path);
  const pooled = new Map<string, number[]>();
  for (const run of baseline.runs)
    for (const [key, series] of Object.entries(run.series))
      if (series.reference !== undefined) pooled.set(key, [...(pooled.get(key) ?? []), ...series.reference]);
  const bySeries = new Map([...pooled].map(([key, values]) => [key, Float64Array.from(values).sort()]));
  if (bySeries.size === 0) throw new Error(`baseline "${name}" in ${dir} holds no reference values`);
  return { bySeries, ignoreTags: baseline.ignoreTags };
}

/**
 * Rules whose regression reference names a saved baseline (`reference: {type: stored, baseline:
 * NAME, store?: DIR}`) get that baseline's reference values per series; each baseline is read once.
 * Returns the rules (the same objects where nothing was read) and a problem per baseline that
 * could not be read, naming the rule.
 */
export function resolveBaselineReferences(rules: readonly Rule[]): { rules: Rule[]; problems: string[] } {
  const read = new Map<string, BaselineValues>();
  const problems: string[] = [];
  const resolved = rules.map((rule) => {
    const detector = rule.detector;
    if (detector.type !== 'regression') return rule;
    const reference = detector.reference;
    if (reference === undefined || reference.type !== 'stored' || !('baseline' in reference)) return rule;
    if (reference.bySeries !== undefined) return rule;
    const cacheKey = `${reference.store ?? ''}\0${reference.baseline}`;
    try {
      let values = read.get(cacheKey);
      if (values === undefined) read.set(cacheKey, (values = readBaselineValues(reference.baseline, reference.store)));
      return { ...rule, detector: { ...detector, reference: { ...reference, ...values } } };
    } catch (error) {
      problems.push(`rule ${rule.name}: reference: ${(error as Error).message}`);
      return rule;
    }
  });
  return { rules: resolved, problems };
}
