/**
 * The tie groups of an ascending array, as Kendall's S and the Theil–Sen interval need them:
 * `tiedPairs` = Σ t(t − 1)/2 and `penalty` = Σ t(t − 1)(2t + 5) over groups of t equal values,
 * the correction subtracted from n(n − 1)(2n + 5) in Var(S) (Kendall 1975; Hollander & Wolfe).
 * O(n); both sums are exact integers.
 */
export function tieGroups(sorted: ArrayLike<number>): { tiedPairs: number; penalty: number } {
  let tiedPairs = 0;
  let penalty = 0;
  let start = 0;
  for (let i = 1; i <= sorted.length; i++) {
    if (i === sorted.length || sorted[i] !== sorted[start]) {
      const t = i - start;
      tiedPairs += (t * (t - 1)) / 2;
      penalty += t * (t - 1) * (2 * t + 5);
      start = i;
    }
  }
  return { tiedPairs, penalty };
}
