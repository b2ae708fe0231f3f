import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SoakstreamError } from '../model/errors.js';
import {
  BASELINE_VERSION,
  checkBaselineName,
  decodeBaseline,
  DEFAULT_KEEP,
  type Baseline,
  type BaselinePolicy,
  type BaselineRun,
  type Environment,
} from '../model/baseline.js';
import { environmentDifferences } from './environment.js';

/** A usage error naming the store or file. */
const refused = (message: string): SoakstreamError => new SoakstreamError('USAGE_ERROR', message);

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
