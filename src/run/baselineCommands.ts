import { readFile, writeFile } from 'node:fs/promises';
import { SoakstreamError } from '../model/errors.js';
import { combineRuns } from '../stats/runComparison.js';
import {
  baselineStoreDir,
  checkBaselineName,
  decodeBaseline,
  type Baseline,
  type BaselinePolicy,
} from '../model/baseline.js';
import { BaselineStore, baselineEnvironmentProblems, baselineWeights } from './baselineStore.js';
import {
  compareSummaries,
  formatValue,
  summariseFiles,
  STATS_BY_KIND,
  type CompareOptions,
  type CompareResult,
} from './compare.js';
import { currentEnvironment } from './environment.js';

/** The store a command uses: --store, else $SOAKSTREAM_BASELINES, else .soakstream/baselines. */
export function storeOf(dir: string | undefined): BaselineStore {
  return new BaselineStore(baselineStoreDir(dir));
}

const GIB = 1024 ** 3;

/** One line describing where a baseline's newest run ran. */
function environmentLine(baseline: Baseline): string {
  const env = baseline.runs[baseline.runs.length - 1]?.environment;
  if (env === undefined) return 'environment: none';
  const container =
    env.containerCpus === null && env.containerMemoryBytes === null
      ? ''
      : `, container ${env.containerCpus ?? 'any'} CPUs / ${
          env.containerMemoryBytes === null ? 'any' : `${(env.containerMemoryBytes / GIB).toFixed(1)} GiB`
        }`;
  return (
    `environment: ${env.cpuModel}, ${env.cores} cores, ${(env.memoryBytes / GIB).toFixed(1)} GiB, ` +
    `${env.os}, Node.js ${env.node}${container}`
  );
}

const policyText = (policy: BaselinePolicy): string =>
  `keeps the last ${policy.keep} runs${policy.halfLife === null ? '' : `, half-life ${policy.halfLife} runs`}`;

/** `baseline save`: summarises the recordings (one run each) into the named baseline. */
export async function saveBaseline(
  paths: readonly string[],
  options: CompareOptions & {
    readonly name: string;
    readonly store?: string;
    readonly policy?: Partial<BaselinePolicy>;
    readonly allowEnvMismatch?: boolean;
    readonly ignoreTags: readonly string[];
  },
): Promise<string[]> {
  checkBaselineName(options.name);
  const store = storeOf(options.store);
  const environment = currentEnvironment();
  const savedAt = new Date().toISOString();
  const summaries = await summariseFiles(paths, options);
  const baseline = await store.save(
    options.name,
    summaries.map((summary) => ({ ...summary, savedAt, environment })),
    {
      ignoreTags: options.ignoreTags,
      ...(options.policy !== undefined ? { policy: options.policy } : {}),
      ...(options.allowEnvMismatch === true ? { allowEnvMismatch: true } : {}),
    },
  );
  const series = new Set(summaries.flatMap((s) => Object.keys(s.series))).size;
  return [
    `saved ${summaries.length} run${summaries.length === 1 ? '' : 's'} (${series} series) to baseline ` +
      `"${baseline.name}" in ${store.dir}: ${baseline.runs.length} run${baseline.runs.length === 1 ? '' : 's'}, ` +
      policyText(baseline.policy),
    environmentLine(baseline),
  ];
}

/** `baseline list`: a line per baseline. */
export async function listBaselines(storeDir?: string): Promise<string[]> {
  const store = storeOf(storeDir);
  const baselines = await store.list();
  if (baselines.length === 0) return [`no baselines in ${store.dir}`];
  return baselines.map((b) => {
    const series = new Set(b.runs.flatMap((run) => Object.keys(run.series))).size;
    const newest = b.runs[b.runs.length - 1]?.savedAt ?? '—';
    return `${b.name}  ${b.runs.length} runs, ${series} series, newest ${newest}, ${policyText(b.policy)}`;
  });
}

/** `baseline show`: the baseline's runs, environment and each series' pooled statistics. */
export async function showBaseline(name: string, storeDir?: string): Promise<string[]> {
  const baseline = await storeOf(storeDir).load(name);
  const weights = baselineWeights(baseline);
  const lines = [
    `baseline "${baseline.name}": ${baseline.runs.length} runs, ${policyText(baseline.policy)}; ` +
      `series matched without tags ${baseline.ignoreTags.join(', ') || '(none)'}`,
    environmentLine(baseline),
    'runs:',
    ...baseline.runs.map(
      (run, i) => `  ${run.savedAt}  ${run.label}  ${run.samples} samples  weight ${weights[i]?.toFixed(3)}`,
    ),
    'series (pooled over the runs):',
  ];
  const keys = [...new Set(baseline.runs.flatMap((run) => Object.keys(run.series)))].sort();
  for (const key of keys) {
    const first = baseline.runs.map((run) => run.series[key]).find((s) => s !== undefined);
    if (first === undefined) continue;
    const cells = STATS_BY_KIND[first.kind].flatMap((spec) => {
      const estimates = baseline.runs.flatMap((run, i) => {
        const e = run.series[key]?.stats[spec.stat];
        return e === undefined ? [] : [{ e, w: weights[i] as number }];
      });
      if (estimates.length === 0) return [];
      const log = spec.scale === 'positive' && estimates.every(({ e }) => e.value > 0);
      const side = combineRuns(
        estimates.map(({ e }) => e),
        log ? 'log' : 'linear',
        estimates.map(({ w }) => w),
      );
      const value = log ? Math.exp(side.center) : side.center;
      const unit = spec.unit !== undefined ? spec.unit(first.unit) : first.unit;
      return [`${spec.stat} ${formatValue(value, { stat: spec.stat, ...(unit !== undefined ? { unit } : {}) })}`];
    });
    lines.push(`  ${key}  ${cells.join('  ')}`);
  }
  return lines;
}

/** `baseline export`: the baseline as one portable file. */
export async function exportBaseline(name: string, file: string, storeDir?: string): Promise<string[]> {
  const baseline = await storeOf(storeDir).load(name);
  await writeFile(file, `${JSON.stringify(baseline, null, 1)}\n`);
  return [`exported baseline "${name}" (${baseline.runs.length} runs) to ${file}`];
}

/** `baseline import`: a file written by export into the store, under its name or `as`; never over an existing one. */
export async function importBaseline(file: string, options: { as?: string; store?: string }): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new SoakstreamError('USAGE_ERROR', `${file}: cannot read the file: ${(error as Error).message}`);
  }
  const decoded = decodeBaseline(text, file);
  const name = checkBaselineName(options.as ?? decoded.name);
  const store = storeOf(options.store);
  if ((await store.list()).some((b) => b.name === name))
    throw new SoakstreamError(
      'USAGE_ERROR',
      `baseline "${name}" exists in ${store.dir}: --as gives the import another name, or delete it first`,
    );
  await store.write({ ...decoded, name });
  return [`imported baseline "${name}" (${decoded.runs.length} runs) into ${store.dir}`];
}

/** `baseline delete`. */
export async function deleteBaseline(name: string, storeDir?: string): Promise<string[]> {
  const store = storeOf(storeDir);
  await store.delete(name);
  return [`deleted baseline "${name}" from ${store.dir}`];
}

/**
 * `compare --baseline`: the new runs against a stored baseline (its runs weighted by its half-life,
 * series matched without its tags). A baseline from another environment is refused, naming the
 * differences, unless `allowEnvMismatch`.
 */
export async function compareWithBaseline(
  name: string,
  nextPaths: readonly string[],
  options: CompareOptions & { readonly store?: string; readonly allowEnvMismatch?: boolean },
): Promise<CompareResult> {
  const baseline = await storeOf(options.store).load(name);
  const problems = baselineEnvironmentProblems(baseline, currentEnvironment());
  if (problems.length > 0 && options.allowEnvMismatch !== true)
    throw new SoakstreamError(
      'USAGE_ERROR',
      `baseline "${name}" was measured in another environment: ${problems.join('; ')} ` +
        '(--allow-env-mismatch compares anyway)',
    );
  const settings = { ...options, ignoreTags: baseline.ignoreTags };
  const next = await summariseFiles(nextPaths, settings);
  return compareSummaries(baseline.runs, next, settings, baselineWeights(baseline));
}
