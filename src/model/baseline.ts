import { isLeft } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { RunEstimate } from '../stats/runComparison.js';
import { SoakstreamError } from './errors.js';
import { METRIC_KINDS, type MetricKind } from './metricKind.js';
import type { Tags } from './sample.js';

/** What a run's figures depend on besides the code: the machine, the OS, Node.js and container limits. */
export interface Environment {
  readonly cpuModel: string;
  readonly cores: number;
  /** Physical memory, bytes. */
  readonly memoryBytes: number;
  /** Platform and kernel release, e.g. "linux 6.1.0". */
  readonly os: string;
  readonly node: string;
  /** CPUs the container may use (quota ÷ period), or null when unlimited or not in a container. */
  readonly containerCpus: number | null;
  /** Memory limit of the container, bytes, or null. */
  readonly containerMemoryBytes: number | null;
}

/** One series of one run, reduced to what a comparison needs: each statistic of its kind with its error. */
export interface SeriesSummary {
  readonly metric: string;
  readonly tags: Tags;
  readonly kind: MetricKind;
  readonly unit?: string;
  readonly stats: Readonly<Record<string, RunEstimate>>;
  /**
   * A quantile summary of the run's values (ascending, at evenly spaced probabilities), the
   * reference values an online regression rule compares recent samples with
   * (`reference: {type: stored, baseline: NAME}`).
   */
  readonly reference?: readonly number[];
}

/** One run reduced to its series' statistics (what a baseline stores). */
export interface RunSummary {
  readonly label: string;
  readonly samples: number;
  readonly dropped: number;
  readonly series: Readonly<Record<string, SeriesSummary>>;
}

/** Where baselines live unless a store directory or SOAKSTREAM_BASELINES says otherwise. */
export const DEFAULT_BASELINE_STORE = '.soakstream/baselines';

/** The store directory: the one given, else $SOAKSTREAM_BASELINES, else .soakstream/baselines. */
export const baselineStoreDir = (dir?: string): string =>
  dir ?? process.env.SOAKSTREAM_BASELINES ?? DEFAULT_BASELINE_STORE;

/** Version of the baseline file format (README "Baselines"). */
export const BASELINE_VERSION = 1;

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
  t.partial({ unit: t.string, reference: t.array(t.number) }),
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

/** io-ts errors as "path: what was wrong" phrases. */
function problemsOf(errors: t.Errors): string[] {
  return errors.map((error) => {
    const path = error.context
      .map((entry) => entry.key)
      .filter((key) => key !== '')
      .join('.');
    return `${path || 'document'}: ${error.message ?? `unexpected ${JSON.stringify(error.value) ?? 'undefined'}`}`;
  });
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
    throw refused(`${source}: not a soakstream baseline: ${problemsOf(decoded.left).slice(0, 3).join('; ')}`);
  checkBaselineName(decoded.right.name);
  return decoded.right as Baseline;
}
