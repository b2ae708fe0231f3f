/**
 * The tie groups of an ascending array, as Kendall's S, the Theil–Sen interval and the
 * Mann–Whitney variance need them: `tiedPairs` = Σ t(t − 1)/2 and `penalty` = Σ t(t − 1)(2t + 5)
 * over groups of t equal values, the correction subtracted from n(n − 1)(2n + 5) in Var(S)
 * (Kendall 1975; Hollander & Wolfe), and `cubes` = Σ (t³ − t), the tie correction of Var(U)
 * (Mann & Whitney 1947; scipy.stats.mannwhitneyu). O(n); every sum is an exact integer.
 */
export function tieGroups(sorted: ArrayLike<number>): { tiedPairs: number; penalty: number; cubes: number } {
  let tiedPairs = 0;
  let penalty = 0;
  let cubes = 0;
  let start = 0;
  for (let i = 1; i <= sorted.length; i++) {
    if (i === sorted.length || sorted[i] !== sorted[start]) {
      const t = i - start;
      tiedPairs += (t * (t - 1)) / 2;
      penalty += t * (t - 1) * (2 * t + 5);
      cubes += t * t * t - t;
      start = i;
    }
  }
  return { tiedPairs, penalty, cubes };
}
