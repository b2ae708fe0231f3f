import * as hdr from 'hdr-histogram-js';
import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { SoakstreamError } from '../../model/errors.js';
import type { FaultRecovery } from '../../model/events.js';
import { faultOf } from '../../model/faultRecord.js';
import { MICROS_PER_MS, type Sample } from '../../model/sample.js';

/** A parsed success criterion, e.g. `p95 < 200ms` or `errors < 1%`. */
export interface Criterion {
  readonly text: string;
  /**
   * `p95`, `p99.9`, `avg`, `max` (latency, ms); `errors`, `dropped`, `availability`,
   * `availability during faults`, `availability outside faults` (fraction); `recovery` (the
   * slowest recovery from a fault) or `mttr` (the mean time to recover), ms.
   */
  readonly statistic: string;
  readonly operator: '<' | '<=' | '>' | '>=';
  /** Limit in ms for latency statistics, as a fraction for rates. */
  readonly limit: number;
}

/** The verdict on one criterion. */
export interface CriterionResult {
  readonly criterion: Criterion;
  readonly actual: number;
  readonly pass: boolean;
}

const PATTERN =
  /^\s*(p\d+(?:\.\d+)?|avg|med|max|errors|dropped|availability(?: (?:during|outside) faults)?|recovery|mttr)\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|%)?\s*$/;

/** Whether a statistic is a fraction (its limit a percentage) rather than a duration. */
export const isRateStatistic = (statistic: string): boolean =>
  statistic === 'errors' || statistic === 'dropped' || statistic.startsWith('availability');

/** A criterion's measured value as the summary shows it: `1.25%`, `183.4 ms`, `6.2 s`, `not recovered`. */
export function formatMeasured(result: CriterionResult): string {
  const { statistic } = result.criterion;
  const value = result.actual;
  if (Number.isNaN(value)) return 'n/a';
  if (isRateStatistic(statistic)) return `${(value * 100).toFixed(2)}%`;
  if (statistic === 'recovery' || statistic === 'mttr')
    return Number.isFinite(value) ? `${(value / 1000).toFixed(1)} s` : 'not recovered';
  return `${value.toFixed(1)} ms`;
}
const TO_MS: Readonly<Record<string, number>> = { us: 0.001, µs: 0.001, ms: 1, s: 1000, m: 60_000 };

/**
 * Parses a success criterion in the spirit of k6 thresholds: `<statistic> <op> <limit>` where
 * the statistic is a latency percentile `pNN` (e.g. p95, p99.9), `avg`, `med` or `max` with a
 * limit in us/ms/s, or `errors`/`dropped` with a limit in %. Throws RangeError naming the text.
 */
export function parseCriterion(text: string): Criterion {
  const match = PATTERN.exec(text);
  if (match === null)
    throw new RangeError(
      `success criterion ${JSON.stringify(text)}: expected e.g. "p95 < 200ms", "avg < 1s", "errors < 1%", ` +
        '"recovery < 30s" or "availability > 99.5%"',
    );
  const [, statistic, operator, number, unit] = match as unknown as [
    string,
    string,
    Criterion['operator'],
    string,
    string | undefined,
  ];
  const isRate = isRateStatistic(statistic);
  if (isRate && unit !== '%')
    throw new RangeError(
      `success criterion ${JSON.stringify(text)}: ${statistic} takes a percentage, e.g. "${statistic} < 1%"`,
    );
  if (!isRate && (unit === undefined || unit === '%'))
    throw new RangeError(
      `success criterion ${JSON.stringify(text)}: ${statistic} takes a duration, e.g. "${statistic} < 200ms"`,
    );
  if (statistic.startsWith('p') && !(Number(statistic.slice(1)) > 0 && Number(statistic.slice(1)) <= 100))
    throw new RangeError(`success criterion ${JSON.stringify(text)}: percentile must be in (0, 100]`);
  return {
    text: text.trim(),
    statistic,
    operator,
    limit: isRate ? Number(number) / 100 : Number(number) * (TO_MS[unit as string] as number),
  };
}

/**
 * Running verdicts over a load run: latency from `http_req_duration` samples into an HDR
 * histogram (µs resolution, 3 significant digits, bounded memory; Tene's HdrHistogram), error
 * rate from `http_req_failed`, drop rate from `http_req_dropped`; availability (the share of
 * requests that succeeded) during faults and outside them, a request counting as during a fault
 * when it was under way at any time between the fault's start record and its end record (its
 * duration is the `http_req_duration` recorded with it, just before); recovery times from the
 * recovery detector's verdicts ({@link recordRecoveries}), judged when the run ends. O(1) per
 * sample amortised.
 */
export class SuccessCriteria {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  private requests = 0;
  private failed = 0;
  private dropped = 0;
  /** Requests and failures while a fault was on. */
  private duringRequests = 0;
  private duringFailed = 0;
  /** Fault windows (µs; end Infinity while on) a request still under way may overlap, oldest first. */
  private windows: { fault: string; start: number; end: number }[] = [];
  /** The latest request duration (its ts and ms), which the failure record after it goes with. */
  private lastDuration = { ts: Number.NaN, ms: 0 };
  private longestMs = 0;
  /** Time to recover of each fault (ms; Infinity when it did not recover), once known. */
  private recoveryTimes: number[] = [];

  constructor(readonly criteria: readonly Criterion[]) {}

  /** Requests seen so far (sent, not dropped). */
  get requestCount(): number {
    return this.requests;
  }

  observe(sample: Sample): void {
    if (sample.metric === 'http_req_duration') {
      this.histogram.recordValue(Math.max(1, Math.round(sample.value * 1000)));
      this.lastDuration = { ts: sample.ts, ms: sample.value };
      if (sample.value > this.longestMs) this.longestMs = sample.value;
    } else if (sample.metric === 'http_req_failed') {
      this.requests++;
      if (sample.value !== 0) this.failed++;
      if (this.duringFault(sample.ts)) {
        this.duringRequests++;
        if (sample.value !== 0) this.duringFailed++;
      }
    } else if (sample.metric === 'http_req_dropped') this.dropped++;
    else {
      const fault = faultOf(sample);
      if (fault === null) return;
      if (fault.phase === 'start') this.windows.push({ fault: fault.fault, start: fault.ts, end: Infinity });
      else {
        const open = this.windows.find((w) => w.fault === fault.fault && w.end === Infinity);
        if (open !== undefined) open.end = fault.ts;
      }
    }
  }

  /** Whether the request that completed at `ts` was under way while a fault was on. */
  private duringFault(ts: number): boolean {
    // No fault yet (most runs): nothing to look up for each request.
    if (this.windows.length === 0) return false;
    const started = ts - (this.lastDuration.ts === ts ? this.lastDuration.ms * MICROS_PER_MS : 0);
    // Windows that ended before any request still under way could have started cannot matter any
    // more: none has taken longer than the longest so far, or than 10 minutes, whichever is more.
    const horizon = ts - Math.max(this.longestMs, OLDEST_REQUEST_MS) * MICROS_PER_MS;
    let drop = 0;
    while (drop < this.windows.length && (this.windows[drop] as { end: number }).end < horizon) drop++;
    if (drop > 0) this.windows = this.windows.slice(drop);
    return this.windows.some((w) => started <= w.end && ts >= w.start);
  }

  /**
   * The recovery detector's final verdicts on the run's faults: each fault's time to recover, a
   * fault not recovered (or still recovering when the run ended) counting as never.
   */
  recordRecoveries(recoveries: readonly FaultRecovery[]): void {
    this.recoveryTimes = recoveries.map((r) =>
      r.phase === 'recovered' && r.recoveryTime !== null ? r.recoveryTime / MICROS_PER_MS : Number.POSITIVE_INFINITY,
    );
  }

  evaluate(): CriterionResult[] {
    return this.criteria.map((criterion) => {
      const actual = this.statistic(criterion.statistic);
      const pass = compare(actual, criterion.operator, criterion.limit);
      return { criterion, actual, pass };
    });
  }

  /**
   * The current value of a statistic: `p95`, `avg`, `max`, `med` (latency, ms) or `errors`,
   * `dropped` (fraction); NaN before any latency.
   */
  statistic(statistic: string): number {
    if (statistic === 'errors') return this.requests > 0 ? this.failed / this.requests : 0;
    if (statistic === 'availability') return this.requests > 0 ? 1 - this.failed / this.requests : Number.NaN;
    if (statistic === 'availability during faults')
      return this.duringRequests > 0 ? 1 - this.duringFailed / this.duringRequests : Number.NaN;
    if (statistic === 'availability outside faults') {
      const requests = this.requests - this.duringRequests;
      return requests > 0 ? 1 - (this.failed - this.duringFailed) / requests : Number.NaN;
    }
    if (statistic === 'recovery' || statistic === 'mttr') {
      const times = this.recoveryTimes;
      if (times.length === 0) return Number.NaN;
      return statistic === 'recovery' ? Math.max(...times) : times.reduce((a, b) => a + b, 0) / times.length;
    }
    if (statistic === 'dropped')
      return this.requests + this.dropped > 0 ? this.dropped / (this.requests + this.dropped) : 0;
    if (this.histogram.totalCount === 0) return Number.NaN;
    if (statistic === 'avg') return this.histogram.mean / 1000;
    if (statistic === 'max') return this.histogram.maxValue / 1000;
    const percentile = statistic === 'med' ? 50 : Number(statistic.slice(1));
    return this.histogram.getValueAtPercentile(percentile) / 1000;
  }
}

/** How long ago a request still completing may have started, at least (ms). */
const OLDEST_REQUEST_MS = 600_000;

const compare = (actual: number, operator: Criterion['operator'], limit: number): boolean => {
  if (Number.isNaN(actual)) return true; // nothing measured yet: nothing failed
  switch (operator) {
    case '<':
      return actual < limit;
    case '<=':
      return actual <= limit;
    case '>':
      return actual > limit;
    case '>=':
      return actual >= limit;
  }
};

/** Options of {@link enforceCriteria}. */
export interface EnforceCriteriaOptions {
  /** Stop the run (error) as soon as a criterion fails. Default false: only report. */
  readonly abortOnFail?: boolean;
  /** Requests needed before a verdict can abort the run. Default 100. */
  readonly minRequests?: number;
  /** Receives every evaluation (about once per 1,000 samples and at the end). */
  readonly onResults?: (results: readonly CriterionResult[], final: boolean) => void;
}

/**
 * Passes load samples through while keeping running verdicts on the criteria (or on running
 * verdicts the caller keeps, to read them after the stream stops, even when it was cut short); with
 * `abortOnFail`, a failed criterion (after `minRequests`) ends the stream with a
 * THRESHOLD_FAILED error that lists every failing criterion with its measured value, as k6's
 * abortOnFail does. Unsubscribing from the source stops the load.
 */
export function enforceCriteria(
  criteria: readonly Criterion[] | SuccessCriteria,
  options: EnforceCriteriaOptions = {},
): MonoTypeOperatorFunction<Sample> {
  const minRequests = options.minRequests ?? 100;
  return (source) =>
    new Observable<Sample>((subscriber) => {
      const verdicts = criteria instanceof SuccessCriteria ? criteria : new SuccessCriteria(criteria);
      let seen = 0;
      // Verdicts along the way matter only to abort the run or to a listener; the final one always runs.
      const periodic = options.abortOnFail === true || options.onResults !== undefined;
      const check = (final: boolean): boolean => {
        const results = verdicts.evaluate();
        options.onResults?.(results, final);
        const failing = results.filter((r) => !r.pass);
        if (options.abortOnFail === true && failing.length > 0 && verdicts.requestCount >= minRequests) {
          const listed = failing.map((r) => `${r.criterion.text} (measured ${formatMeasured(r)})`).join('; ');
          subscriber.error(
            new SoakstreamError('THRESHOLD_FAILED', `success criteria failed: ${listed}`, {
              context: { requests: verdicts.requestCount },
            }),
          );
          return false;
        }
        return true;
      };
      const subscription = source.subscribe({
        next: (sample) => {
          verdicts.observe(sample);
          subscriber.next(sample);
          // A failing check errors the subscriber, whose teardown unsubscribes from the load.
          if (periodic && ++seen % 1000 === 0) check(false);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (check(true)) subscriber.complete();
        },
      });
      return () => subscription.unsubscribe();
    });
}
