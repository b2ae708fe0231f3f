import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { tieGroups } from './tieGroups.js';

/** Mann–Kendall trend test of a series ordered in time. */
export interface MannKendallResult {
  /** S = Σ_{i<j} sign(y_j − y_i): positive for an upward trend. */
  readonly s: number;
  /** Var(S) under no trend, corrected for ties in y. */
  readonly varS: number;
  /** Continuity-corrected normal score sign(S)·(|S| − 1)/sqrt(Var S); 0 when S = 0. */
  readonly z: number;
  /** Two-sided p-value 2·(1 − Φ(|z|)). */
  readonly pValue: number;
  /** Kendall's tau-b between y and time, S / sqrt((N − T_y)·N) with N = n(n − 1)/2. */
  readonly tau: number;
}

/**
 * Mann (1945) / Kendall (1975) trend test with the tie-corrected variance
 * Var S = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)]/18 (Hipel & McLeod 1994), a continuity-corrected
 * z and a two-sided normal p-value, as R `trend::mk.test` and `Kendall::MannKendall`. S is counted
 * from strict inversions by merge sort (Knight 1966) instead of all pairs. O(n log n).
 */
export function mannKendall(y: ArrayLike<number>): MannKendallResult {
  const n = y.length;
  if (n < 3) throw new RangeError(`mannKendall: needs at least 3 values, got ${n}`);
  const values = Float64Array.from(y);
  for (const value of values) {
    if (Number.isNaN(value)) throw new RangeError('mannKendall: NaN in input');
  }
  const inversions = countStrictInversions(values, new Float64Array(n));
  // After the merge sort `values` is ascending, so tie groups are runs.
  const { tiedPairs, penalty: tiePenalty } = tieGroups(values);
  const pairs = (n * (n - 1)) / 2;
  // Untied pairs are concordant or discordant (an inversion); S is their difference.
  const s = pairs - tiedPairs - 2 * inversions;
  const varS = (n * (n - 1) * (2 * n + 5) - tiePenalty) / 18;
  const sd = Math.sqrt(varS);
  const z = s === 0 || !(sd > 0) ? 0 : (s - Math.sign(s)) / sd;
  const pValue = Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1));
  const denominator = Math.sqrt((pairs - tiedPairs) * pairs);
  return { s, varS, z, pValue, tau: denominator > 0 ? s / denominator : 0 };
}

/**
 * Sorts `values` ascending in place and returns #{i < j : values_i > values_j}. Equal values are
 * taken from the left run first, so ties never count as inversions.
 */
function countStrictInversions(values: Float64Array, scratch: Float64Array): number {
  const n = values.length;
  let inversions = 0;
  let source = values;
  let target = scratch;
  for (let width = 1; width < n; width *= 2) {
    for (let left = 0; left < n; left += 2 * width) {
      const middle = Math.min(left + width, n);
      const right = Math.min(left + 2 * width, n);
      let i = left;
      let j = middle;
      let k = left;
      while (i < middle && j < right) {
        if ((source[j] as number) < (source[i] as number)) {
          inversions += middle - i;
          target[k++] = source[j++] as number;
        } else {
          target[k++] = source[i++] as number;
        }
      }
      while (i < middle) target[k++] = source[i++] as number;
      while (j < right) target[k++] = source[j++] as number;
    }
    const swap = source;
    source = target;
    target = swap;
  }
  if (source !== values) values.set(source);
  return inversions;
}
