import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { formatErrors } from '../config/formatErrors.js';
import { SoakstreamError } from '../model/errors.js';
import { METRIC_KINDS, type MetricKind } from '../model/metricKind.js';
import type { RunSummary } from './compare.js';
import { environmentDifferences, type Environment } from './environment.js';

/** Version of the baseline file format (README "Baselines"). */
export const BASELINE_VERSION = 1;

/** Where baselines live unless --store or SOAKSTREAM_BASELINES says otherwise. */
export const DEFAULT_BASELINE_STORE = '.soakstream/baselines';

/** Runs a baseline keeps unless told otherwise. */
export const DEFAULT_KEEP = 10;

/** How a baseline absorbs new runs: the last `keep`, weighted by a half-life (in runs) when one is set. */
export interface BaselinePolicy {
  readonly keep: number;
  readonly halfLife: number | null;
}

/** One run of a baseline: its summary, when it was saved and where it ran. */
export interface BaselineRun extends RunSummary {
  readonly savedAt: string;
  readonly environment: Environment;
}

/** A named baseline: the summaries of a build's accepted runs (newest last). */
export interface Baseline {
  readonly version: typeof BASELINE_VERSION;
  readonly name: string;
  readonly policy: BaselinePolicy;
  /** Tags left out of series keys when its runs were summarised (and when runs are compared with it). */
  readonly ignoreTags: readonly string[];
  readonly runs: readonly BaselineRun[];
}

const Estimate = t.type({ value: t.number, se: t.number });
const Kind = t.keyof(Object.fromEntries(METRIC_KINDS.map((kind) => [kind, null])) as Record<MetricKind, null>);
const Series = t.intersection([
  t.type({ metric: t.string, tags: t.record(t.string, t.string), kind: Kind, stats: t.record(t.string, Estimate) }),
  t.partial({ unit: t.string }),
]);
const EnvironmentCodec = t.type({
  cpuModel: t.string,
  cores: t.number,
  memoryBytes: t.number,
  os: t.string,
  node: t.string,
  containerCpus: t.union([t.number, t.null]),
  containerMemoryBytes: t.union([t.number, t.null]),
});
const BaselineCodec = t.type({
  version: t.literal(BASELINE_VERSION),
  name: t.string,
  policy: t.type({ keep: t.number, halfLife: t.union([t.number, t.null]) }),
  ignoreTags: t.array(t.string),
  runs: t.array(
    t.type({
      label: t.string,
      samples: t.number,
      dropped: t.number,
      savedAt: t.string,
      environment: EnvironmentCodec,
      series: t.record(t.string, Series),
    }),
  ),
});

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** A usage error naming the store or file. */
const refused = (message: string): SoakstreamError => new SoakstreamError('USAGE_ERROR', message);

/** Checks a baseline name: letters, digits, dot, dash and underscore, as it becomes a file name. */
export function checkBaselineName(name: string): string {
  if (!NAME.test(name))
    throw refused(
      `baseline name "${name}": use letters, digits, ".", "-" and "_" (at most 100, not starting with . - _)`,
    );
  return name;
}

/** Decodes a baseline document, or throws naming the file and the first problems. */
export function decodeBaseline(text: string, source: string): Baseline {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw refused(`${source}: not a soakstream baseline: ${(error as Error).message}`);
  }
  const version = (document as { version?: unknown } | null)?.version;
  if (version !== BASELINE_VERSION)
    throw refused(
      `${source}: not a soakstream baseline of version ${BASELINE_VERSION} (version ${JSON.stringify(version)})`,
    );
  const decoded = BaselineCodec.decode(document);
  if (isLeft(decoded))
    throw refused(`${source}: not a soakstream baseline: ${formatErrors(decoded.left).slice(0, 3).join('; ')}`);
  checkBaselineName(decoded.right.name);
  return decoded.right as Baseline;
}

/**
 * Decay weights of a baseline's runs, oldest first: 0.5^(age / halfLife), age 0 for the newest run;
 * all 1 without a half-life.
 */
export function baselineWeights(baseline: Baseline): number[] {
  const { halfLife } = baseline.policy;
  const n = baseline.runs.length;
  return baseline.runs.map((_, i) => (halfLife === null ? 1 : 0.5 ** ((n - 1 - i) / halfLife)));
}

/** The environment differences that stop a comparison with a baseline, checked against its newest run. */
export function baselineEnvironmentProblems(baseline: Baseline, here: Environment): string[] {
  const newest = baseline.runs[baseline.runs.length - 1];
  return newest === undefined ? [] : environmentDifferences(newest.environment, here);
}

/**
 * A directory of baselines, one JSON file each (`<name>.json`, format {@link BASELINE_VERSION}),
 * written whole through a temporary file and a rename, so a reader never sees half a baseline.
 */
export class BaselineStore {
  constructor(readonly dir: string) {}

  private pathOf(name: string): string {
    return join(this.dir, `${checkBaselineName(name)}.json`);
  }

  /** The baseline called `name`, or null when the store has none of that name. */
  async find(name: string): Promise<Baseline | null> {
    const path = this.pathOf(name);
    try {
      return decodeBaseline(await readFile(path, 'utf8'), path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** The baseline called `name`, or a usage error naming the store and the baselines it holds. */
  async load(name: string): Promise<Baseline> {
    const found = await this.find(name);
    if (found !== null) return found;
    const names = (await this.list()).map((b) => b.name);
    const holds = names.length === 0 ? 'it holds none' : `it holds ${names.join(', ')}`;
    throw refused(`no baseline "${name}" in ${this.dir} (${holds}; \`soakstream baseline save\` makes one)`);
  }

  /** Every baseline of the store, by name. */
  async list(): Promise<Baseline[]> {
    let files: string[];
    try {
      files = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const out: Baseline[] = [];
    for (const file of files.filter((f) => f.endsWith('.json')).sort())
      out.push(decodeBaseline(await readFile(join(this.dir, file), 'utf8'), join(this.dir, file)));
    return out;
  }

  /** Writes a baseline whole (temporary file, then rename). */
  async write(baseline: Baseline): Promise<string> {
    const path = this.pathOf(baseline.name);
    await mkdir(this.dir, { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(baseline, null, 1)}\n`);
    await rename(temporary, path);
    return path;
  }

  /**
   * Adds runs to the baseline `name` (made when missing), keeping the newest `policy.keep`. Runs from
   * an environment other than the baseline's newest run are refused, naming the differences, unless
   * `allowEnvMismatch`. Returns the baseline as saved.
   */
  async save(
    name: string,
    runs: readonly BaselineRun[],
    options: { policy?: Partial<BaselinePolicy>; ignoreTags: readonly string[]; allowEnvMismatch?: boolean },
  ): Promise<Baseline> {
    const existing = await this.find(name);
    if (existing !== null && options.allowEnvMismatch !== true) {
      const first = runs[0];
      const problems = first === undefined ? [] : baselineEnvironmentProblems(existing, first.environment);
      if (problems.length > 0)
        throw refused(
          `baseline "${name}" was saved in another environment (${problems.join('; ')}); ` +
            '--allow-env-mismatch adds the runs anyway',
        );
    }
    if (existing !== null && existing.ignoreTags.join(',') !== options.ignoreTags.join(','))
      throw refused(
        `baseline "${name}" matches series without the tags ${existing.ignoreTags.join(', ') || '(none)'}; ` +
          `these runs were read without ${options.ignoreTags.join(', ') || '(none)'}: use the same --ignore-tags`,
      );
    const policy: BaselinePolicy = {
      keep: options.policy?.keep ?? existing?.policy.keep ?? DEFAULT_KEEP,
      halfLife: options.policy?.halfLife !== undefined ? options.policy.halfLife : (existing?.policy.halfLife ?? null),
    };
    const all = [...(existing?.runs ?? []), ...runs];
    const baseline: Baseline = {
      version: BASELINE_VERSION,
      name,
      policy,
      ignoreTags: [...options.ignoreTags],
      runs: all.slice(Math.max(0, all.length - policy.keep)),
    };
    await this.write(baseline);
    return baseline;
  }

  /** Removes a baseline; a usage error when there is none of that name. */
  async delete(name: string): Promise<void> {
    await this.load(name);
    await rm(this.pathOf(name));
  }
}
