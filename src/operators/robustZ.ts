import { Observable, type OperatorFunction } from 'rxjs';
import type { Sample } from '../model/sample.js';
import { modifiedZ } from '../stats/modifiedZ.js';
import { createWindow, validateWindowSpec, type WindowSpec } from './windowSpec.js';
import { guarded } from './guarded.js';

/** A sample with its modified z-score against the window of samples before it. */
export interface RobustZScore {
  readonly sample: Sample;
  readonly z: number;
  readonly median: number;
  readonly mad: number;
}

/** Options of {@link robustZ}. */
export interface RobustZOptions {
  /** Reference window of preceding samples. Default: the last 300 samples. */
  readonly window?: WindowSpec;
  /** Fewest reference samples before a score is emitted. Default 30. */
  readonly minSamples?: number;
}

/**
 * Robust z-score of each sample: the modified z-score M = 0.6745 (x − median) / MAD of
 * Iglewicz & Hoaglin (1993) against the window of samples before it, so an outlier does not
 * mask itself; |M| > 3.5 is their suggested outlier cut-off. When over half the window is one
 * value (MAD = 0) the score is 0 at that value and ±Infinity elsewhere. O(log² W) per sample.
 */
export function robustZ(options: RobustZOptions = {}): OperatorFunction<Sample, RobustZScore> {
  const spec = options.window ?? { count: 300 };
  const minSamples = options.minSamples ?? 30;
  validateWindowSpec(spec, 'robustZ');
  if (!Number.isInteger(minSamples) || minSamples < 1)
    throw new RangeError(`robustZ: minSamples must be a positive integer, got ${minSamples}`);
  return (source) =>
    new Observable<RobustZScore>((subscriber) => {
      const window = createWindow(spec, 'robustZ');
      const subscription = source.subscribe({
        // The window throws on a timestamp that goes backwards; that belongs on the error channel.
        next: guarded(subscriber, (sample: Sample) => {
          window.evictBefore?.(sample.ts);
          if (window.size >= minSamples) {
            const center = window.median();
            const spread = window.mad(center);
            subscriber.next({ sample, z: modifiedZ(sample.value, center, spread), median: center, mad: spread });
          }
          window.push(sample.ts, sample.value);
        }),
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
      return () => subscription.unsubscribe();
    });
}
