import type * as t from 'io-ts';
import type { AnalysisEvent, SeriesRef } from '../model/events.js';
import type { Processor } from './processor.js';

/** A series as a detector sees it: its identity and kind, and the unit its messages print values in. */
export interface SeriesContext extends SeriesRef {
  readonly unit?: string;
}

/**
 * The identity a result carries: the series without the unit its messages print values in.
 * Results list its four fields one by one rather than spreading it: in V8 (Node 20) an object
 * literal that spreads an object and then adds properties costs about 0.6 µs per added property,
 * more than the rest of a detector's work per result.
 */
export const identityOf = ({ series, metric, tags, metricKind }: SeriesRef): SeriesRef => ({
  series,
  metric,
  tags,
  metricKind,
});

/** Every detector result carries the event time it describes. */
export interface Timed {
  readonly ts: number;
}

/** What an alert built from a detector result reports (see the Alert model). */
export interface AlertDetails {
  readonly value: number;
  readonly baseline: number;
  readonly effect: number;
  readonly pValue: number | null;
  readonly message: string;
  /** Estimated event time the change began, when the detector estimates one (change points). */
  readonly onset?: number | null;
}

/**
 * Everything soakstream knows about one detector, in one object: its options (each with the io-ts
 * codec the rules decoder uses for the YAML field of the same name, and a default unless it is
 * required), how to build its processor for a series, what a result is stored as, and what the
 * alert state machine sees of a result. Adding a detector is a file exporting one of these and a
 * line in ./registry.ts. Functions are methods so that definitions of any options fit the registry.
 */
export interface DetectorDefinition<T extends string, O extends object, I, R extends Timed, Req extends PropertyKey> {
  /** The name rules give as `detector:`; also the kind of its alerts. */
  readonly type: T;
  /** What the processor reads: the series' samples, or its rolling Stats. */
  readonly input: 'samples' | 'stats';
  /** One codec per option; a rule's YAML field of that name decodes with it. */
  readonly fields: { readonly [K in keyof O]-?: t.Decoder<unknown, Exclude<O[K], undefined>> };
  /** Options a rule must give. */
  readonly required: readonly Req[];
  /** The value of every other option a rule leaves out. */
  readonly defaults: Omit<O, Req>;
  /**
   * For detectors that look across series: the group a series belongs to (its processor is the
   * group's), or null when the series has no part in it. Without it each series has its own.
   */
  group?(options: O, series: SeriesRef): SeriesRef | null;
  /**
   * Checks the options (RangeError naming what is wrong), builds what every series shares (a
   * stored baseline, say) and returns the factory of per-series (or per-group) processors.
   */
  compile(options: O): (series: SeriesContext) => Processor<I, R>;
  /**
   * The options for a series sampled every `interval` µs (the median of its first gaps): time
   * windows too short to hold the samples the detector needs are stretched, all by the same
   * factor so their proportions stay; the same object when nothing needs stretching. Absent when
   * the detector has no time windows.
   */
  scale?(options: O, interval: number): O;
  /**
   * The analysis event a result is stored as, or null for a result not worth storing (a sample
   * that is no outlier); absent when results only drive alerts.
   */
  event?(result: R, options: O, series: SeriesContext): AnalysisEvent | null;
  /**
   * True when each active result is an episode of its own (a change point): it resolves the
   * alert still open as `superseded` and opens a new one, firing at once (`for` does not apply to
   * an event). Otherwise results are evaluations of a condition that holds for a while.
   */
  readonly episodic?: boolean;
  /** Whether the alert condition holds in this result. */
  active(result: R, options: O): boolean;
  /** What an alert reports; called only when an alert changes state. */
  describe(result: R, options: O, series: SeriesContext): AlertDetails;
}

/** A definition of any detector, as the registry and the analysis hold them. */
export type AnyDetectorDefinition = DetectorDefinition<string, object, unknown, Timed, PropertyKey>;

/** The options of a detector's definition, as the processor gets them (defaults filled in). */
export type OptionsOf<D> = D extends DetectorDefinition<string, infer O, unknown, Timed, PropertyKey> ? O : never;

/** A detector as a rule gives it: its type, the required options, and any others. */
export type ConfigOf<D> =
  D extends DetectorDefinition<infer T, infer O, unknown, Timed, infer Req>
    ? { readonly type: T } & Pick<O, Req & keyof O> & Partial<O>
    : never;

/**
 * The options a processor of `definition` runs with: the definition's defaults, overridden by
 * what `config` gives (its `type` and fields left undefined are not options). O(fields).
 */
export function resolveOptions<O extends object>(
  definition: { readonly fields: object; readonly defaults: object },
  config: Readonly<Record<string, unknown>>,
): O {
  const options: Record<string, unknown> = { ...definition.defaults };
  for (const key of Object.keys(definition.fields)) if (config[key] !== undefined) options[key] = config[key];
  return options as O;
}

/**
 * By how much a detector's time windows must be stretched for the shortest of them, `shortest`
 * µs, to hold `samples` samples `interval` µs apart: 1 when it already does.
 */
export const stretchFactor = (shortest: number, interval: number, samples: number): number =>
  interval > 0 && shortest > 0 ? Math.max(1, (samples * interval) / shortest) : 1;

/** A duration stretched by a factor, in whole µs. */
export const stretch = (duration: number, factor: number): number => Math.round(duration * factor);
