/**
 * Query API shared by the count-based and time-based sliding windows: exact order statistics
 * from an OrderStatisticMultiset (O(log W); MAD O(log² W)) and running moments (O(1)). Every
 * query on an empty window throws RangeError.
 */
export interface SlidingWindow {
  /** Samples currently in the window. */
  readonly size: number;
  /** Timestamp of the oldest sample held. */
  readonly oldestTs: number;
  /** Timestamp of the newest sample held. */
  readonly newestTs: number;
  /** Adds a sample (finite value) and evicts what falls out of the window. */
  push(ts: number, x: number): void;
  /** Median (type 7 quantile at 0.5). */
  median(): number;
  /** Hyndman & Fan type 7 quantile, p ∈ [0, 1]. */
  quantile(p: number): number;
  /** Raw median absolute deviation (unscaled); `center` is the median when the caller has it. */
  mad(center?: number): number;
  /** Smallest value. */
  min(): number;
  /** Largest value. */
  max(): number;
  /** Arithmetic mean. */
  mean(): number;
  /** Sample standard deviation (n − 1); NaN with a single sample. */
  stdev(): number;
  /** Values in ascending order, into `out` when it is large enough. */
  copySorted(out?: Float64Array): Float64Array;
  /** Empties the window, keeping its buffers. */
  clear(): void;
}
