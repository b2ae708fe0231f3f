import type { OperatorFunction } from 'rxjs';
import {
  resolveOptions,
  type ConfigOf,
  type DetectorDefinition,
  type SeriesContext,
  type Timed,
} from '../detectors/definition.js';
import { NONE, type Processor } from '../detectors/processor.js';
import type { SeriesRef } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { seriesOf } from '../rules/seriesOf.js';
import { processorOperator } from './processorOperator.js';

/** Options of a detector's operator: the detector's options (the required ones, any others) and the series. */
export type DetectorOperatorOptions<D> = Omit<ConfigOf<D>, 'type'> & {
  /** Identity of the series (or group); taken from the first sample when absent. */
  readonly ref?: SeriesRef;
};

/**
 * A processor created at the first sample, for the series that sample belongs to (or `ref`):
 * an operator applied to one series need not be told which one.
 */
export class FirstSampleSeries<O> implements Processor<Sample, O> {
  private processor: Processor<Sample, O> | null = null;

  constructor(
    private readonly create: (series: SeriesContext) => Processor<Sample, O>,
    private readonly seriesOfFirst: (first: Sample) => SeriesContext,
  ) {}

  push(sample: Sample): readonly O[] {
    this.processor ??= this.create(this.seriesOfFirst(sample));
    return this.processor.push(sample);
  }

  end(): readonly O[] {
    return this.processor?.end() ?? NONE;
  }
}

/**
 * The RxJS operator of one detector on one series: its options resolved against the
 * definition's defaults and checked at once (RangeError), a processor per subscription through
 * {@link processorOperator}. For a detector that spans series, the series is the group of the
 * first sample unless `ref` says otherwise.
 */
export function detectorOperator<O extends object, R extends Timed>(
  definition: DetectorDefinition<string, O, Sample, R, PropertyKey>,
  options: Readonly<Record<string, unknown>> & { readonly ref?: SeriesRef },
): OperatorFunction<Sample, R> {
  const resolved = resolveOptions<O>(definition, options);
  const create = definition.compile(resolved);
  const ref = options.ref;
  const seriesOfFirst = (first: Sample): SeriesContext => {
    const unit = first.unit !== undefined ? { unit: first.unit } : {};
    if (ref !== undefined) return { ...ref, ...unit };
    const series = seriesOf(first);
    return { ...(definition.group?.(resolved, series) ?? series), ...unit };
  };
  return processorOperator(() => new FirstSampleSeries(create, seriesOfFirst));
}
