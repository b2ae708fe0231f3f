import { Observable, type OperatorFunction } from 'rxjs';
import type { ScalingResult, SeriesRef } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { CountWindow } from '../stats/countWindow.js';
import { fitUsl } from '../stats/usl.js';
import { guarded } from './guarded.js';

/** Options of {@link scalingEfficiency}. */
export interface ScalingEfficiencyOptions {
  /** Tag that carries the concurrency level (load generator workers, connections...). Default 'concurrency'. */
  readonly concurrencyTag?: string;
  /** Efficiency at the highest level below which scaling is degraded. Default 0.5. */
  readonly minEfficiency?: number;
  /** Throughput at the highest level below this fraction of the best level's is retrograde. Default 0.95. */
  readonly retrogradeFraction?: number;
  /** Throughput samples kept per level; the level's throughput is their median. Default 1024. */
  readonly samplesPerLevel?: number;
  /** Identity of the scaling group (the series without its concurrency tag). */
  readonly ref: SeriesRef;
}

interface Level {
  readonly concurrency: number;
  readonly window: CountWindow;
}

/**
 * Scaling efficiency of a throughput metric measured at several concurrency levels N (e.g. the
 * closed-model steps 1, 2, 4, 8...): the level's throughput X(N) is the median of its samples,
 * efficiency E(N) = (X(N)/N) / (X(N₀)/N₀) against the lowest level N₀, and from three levels on
 * the Universal Scalability Law X(N) = λN / (1 + σ(N−1) + κN(N−1)) is fitted (Gunther 2007)
 * to give contention σ, coherency κ and the peak N* = √((1−σ)/κ). A result is emitted each time
 * the level changes and at the end. O(log W) per sample; O(L) plus the fit per result.
 */
export function scalingEfficiency(options: ScalingEfficiencyOptions): OperatorFunction<Sample, ScalingResult> {
  const tag = options.concurrencyTag ?? 'concurrency';
  const minEfficiency = options.minEfficiency ?? 0.5;
  const retrogradeFraction = options.retrogradeFraction ?? 0.95;
  const samplesPerLevel = options.samplesPerLevel ?? 1024;
  if (!Number.isInteger(samplesPerLevel) || samplesPerLevel < 1)
    throw new RangeError(`scalingEfficiency: samplesPerLevel must be a positive integer, got ${samplesPerLevel}`);

  return (source) =>
    new Observable<ScalingResult>((subscriber) => {
      const levels = new Map<number, Level>();
      let current = Number.NaN;
      let lastTs = 0;

      const emit = (ts: number): void => {
        const measured = [...levels.values()]
          .filter((level) => level.window.size > 0)
          .sort((a, b) => a.concurrency - b.concurrency)
          .map((level) => ({ concurrency: level.concurrency, throughput: level.window.median() }));
        if (measured.length < 2) return;
        const base = measured[0] as { concurrency: number; throughput: number };
        const perUnit = base.throughput / base.concurrency;
        const withEfficiency = measured.map((m) => ({
          ...m,
          efficiency: perUnit > 0 ? m.throughput / m.concurrency / perUnit : 0,
        }));
        const top = withEfficiency[withEfficiency.length - 1] as {
          concurrency: number;
          throughput: number;
          efficiency: number;
        };
        const best = Math.max(...measured.map((m) => m.throughput));
        let fit: ReturnType<typeof fitUsl> | null = null;
        if (measured.length >= 3) {
          try {
            fit = fitUsl(measured);
          } catch {
            fit = null; // too few distinct levels or a degenerate fit: efficiency alone is reported
          }
        }
        subscriber.next({
          ...options.ref,
          ts,
          levels: withEfficiency,
          sigma: fit?.sigma ?? null,
          kappa: fit?.kappa ?? null,
          lambda: fit?.lambda ?? null,
          peakConcurrency: fit !== null && Number.isFinite(fit.peakConcurrency) ? fit.peakConcurrency : null,
          efficiency: top.efficiency,
          degraded: top.efficiency < minEfficiency || top.throughput < retrogradeFraction * best,
        });
      };

      const subscription = source.subscribe({
        next: guarded(subscriber, (sample: Sample) => {
          const concurrency = Number(sample.tags[tag]);
          if (!(concurrency > 0) || !Number.isFinite(concurrency)) return;
          if (concurrency !== current && !Number.isNaN(current)) emit(sample.ts);
          current = concurrency;
          lastTs = sample.ts;
          let level = levels.get(concurrency);
          if (level === undefined) {
            level = { concurrency, window: new CountWindow(samplesPerLevel) };
            levels.set(concurrency, level);
          }
          level.window.push(sample.ts, sample.value);
        }),
        error: (err: unknown) => subscriber.error(err),
        complete: guarded<void>(subscriber, () => {
          if (levels.size > 0) emit(lastTs);
          subscriber.complete();
        }),
      });
      return () => subscription.unsubscribe();
    });
}
