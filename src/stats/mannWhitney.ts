import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { mannWhitneyExactCdf } from './mannWhitneyExactCdf.js';
import { assertAscending } from './assertAscending.js';
import { sortedCopy } from './sortedCopy.js';

/** Options of {@link mannWhitney}; the defaults are scipy.stats.mannwhitneyu's. */
export interface MannWhitneyOptions {
  /** 'greater': x is stochastically greater than y; 'less': smaller. Default 'two-sided'. */
  readonly alternative?: 'two-sided' | 'less' | 'greater';
  /** 'auto' (default) is exact when there are no ties and min(n, m) ≤ 8, as scipy decides. */
  readonly method?: 'auto' | 'exact' | 'asymptotic';
  /** Half-unit continuity correction of the normal approximation. Default true. */
  readonly continuity?: boolean;
  /** Both inputs are already ascending: U and ties come from one merge pass, O(n + m). */
  readonly sorted?: boolean;
  /**
   * Factor ≥ 1 on the null variance of U in the normal approximation, for serially correlated
   * samples: (1 + ρ)/(1 − ρ) for AR(1) data with lag-1 autocorrelation ρ (Zwiers & von Storch
   * 1995, "Taking serial correlation into account in tests of the mean"). Default 1 (independence).
   * Forces the asymptotic method when above 1.
   */
  readonly varianceInflation?: number;
}

/** Outcome of {@link mannWhitney}. */
export interface MannWhitneyResult {
  /** U of x: #{x_i > y_j} + ½·#{x_i = y_j}; U of y is n·m − u. */
  readonly u: number;
  readonly pValue: number;
  /** Continuity-corrected normal score of u (positive when x tends larger); null when exact. */
  readonly z: number | null;
  readonly method: 'exact' | 'asymptotic';
}

/**
 * Mann–Whitney U / Wilcoxon rank-sum test (Mann & Whitney 1947) with the semantics of
 * scipy.stats.mannwhitneyu: tie-corrected normal approximation with optional continuity
 * correction, or the exact null distribution (no tie correction). O((n + m) log(n + m)), or
 * O(n + m) with `sorted`, plus O(min(n, m)·n·m) for the exact distribution.
 * When every value is tied the variance is zero and the result is z = 0, pValue = 1.
 */
export function mannWhitney(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0) throw new RangeError(`mannWhitney: both samples must be non-empty (got ${n} and ${m})`);
  const sortedX = options.sorted === true ? assertAscending(x, 'mannWhitney', 'x') : sortedCopy(x, 'mannWhitney');
  const sortedY = options.sorted === true ? assertAscending(y, 'mannWhitney', 'y') : sortedCopy(y, 'mannWhitney');
  const { u, tieTerm } = mergeCount(sortedX, sortedY);
  return mannWhitneyTest(u, n, m, tieTerm, options);
}

/**
 * The test of {@link mannWhitney} from its statistics: U of x, the sizes n and m, and the tie term
 * Σ(t³ − t) over the tie groups of the pooled sample — for callers that maintain U and the ties
 * incrementally (a recent window against a fixed baseline) instead of merging both samples each
 * time. Same options and result, bit for bit, as mannWhitney on the samples. O(1), plus
 * O(min(n, m)·n·m) for the exact distribution.
 */
export function mannWhitneyTest(
  u: number,
  n: number,
  m: number,
  tieTerm: number,
  options: Omit<MannWhitneyOptions, 'sorted'> = {},
): MannWhitneyResult {
  if (n === 0 || m === 0) throw new RangeError(`mannWhitney: both samples must be non-empty (got ${n} and ${m})`);
  const alternative = options.alternative ?? 'two-sided';
  const continuity = options.continuity ?? true;

  const inflation = options.varianceInflation ?? 1;
  if (!(inflation >= 1) || !Number.isFinite(inflation))
    throw new RangeError(`mannWhitney: varianceInflation must be a finite number ≥ 1, got ${inflation}`);
  const requested = options.method ?? 'auto';
  const method =
    inflation > 1
      ? 'asymptotic'
      : requested !== 'auto'
        ? requested
        : tieTerm === 0 && Math.min(n, m) <= 8
          ? 'exact'
          : 'asymptotic';
  const product = n * m;
  const uOfY = product - u;

  if (method === 'exact') {
    // P(U ≥ k) = 1 − P(U ≤ k − 1); like scipy, a tied (non-integer) U is truncated first.
    const survival = (k: number): number => 1 - mannWhitneyExactCdf(Math.floor(k) - 1, n, m);
    const pValue =
      alternative === 'greater'
        ? survival(u)
        : alternative === 'less'
          ? survival(uOfY)
          : 2 * survival(Math.max(u, uOfY));
    return { u, pValue: clamp01(pValue), z: null, method };
  }

  const total = n + m;
  const sd = Math.sqrt(inflation * (product / 12) * (total + 1 - tieTerm / (total * (total - 1))));
  if (!(sd > 0)) return { u, pValue: 1, z: 0, method };
  const deviation = u - product / 2;
  const correction = continuity ? 0.5 : 0;
  let z: number;
  let pValue: number;
  if (alternative === 'greater') {
    z = (deviation - correction) / sd;
    pValue = normalCdf(-z, 0, 1);
  } else if (alternative === 'less') {
    z = (deviation + correction) / sd;
    pValue = normalCdf(z, 0, 1);
  } else {
    z = (Math.sign(deviation) * Math.max(0, Math.abs(deviation) - correction)) / sd;
    pValue = 2 * normalCdf(-Math.abs(z), 0, 1);
  }
  return { u, pValue: clamp01(pValue), z, method };
}

/** U of x and Σ(t³ − t) over tie groups of the pooled sample, by one merge of two ascending arrays. */
function mergeCount(x: ArrayLike<number>, y: ArrayLike<number>): { u: number; tieTerm: number } {
  const n = x.length;
  const m = y.length;
  let i = 0;
  let j = 0;
  let u = 0;
  let tieTerm = 0;
  while (i < n || j < m) {
    const nextX = i < n ? (x[i] as number) : Number.POSITIVE_INFINITY;
    const nextY = j < m ? (y[j] as number) : Number.POSITIVE_INFINITY;
    // Ties are compared as values, so the pass must run on the smaller of the two heads.
    const value = i < n && (j >= m || nextX <= nextY) ? nextX : nextY;
    let fromX = 0;
    while (i < n && x[i] === value) {
      i++;
      fromX++;
    }
    const yBelow = j;
    let fromY = 0;
    while (j < m && y[j] === value) {
      j++;
      fromY++;
    }
    u += fromX * yBelow + (fromX * fromY) / 2;
    const tied = fromX + fromY;
    tieTerm += tied * tied * tied - tied;
  }
  return { u, tieTerm };
}

function clamp01(p: number): number {
  return Math.min(1, Math.max(0, p));
}
