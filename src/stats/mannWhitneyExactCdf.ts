/**
 * Exact null CDF P(U ≤ u) of the Mann–Whitney U statistic for samples of sizes n and m without
 * ties (Mann & Whitney 1947). The counts are the coefficients of the Gaussian binomial
 * [n+m choose n]_q = ∏_{i=1..min} (1 − q^{max+i}) / (1 − q^i) (Andrews, The Theory of Partitions,
 * 1976, Thm 3.1), kept as probabilities and truncated at degree u, which is taken in the lower
 * half by the symmetry U ↔ nm − U. O(min(n, m) · min(u, nm − u)) time, O(u) memory.
 */
export function mannWhitneyExactCdf(u: number, n: number, m: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 1 || m < 1) {
    throw new RangeError(`mannWhitneyExactCdf: sample sizes must be positive integers, got ${n} and ${m}`);
  }
  const total = n * m;
  const top = Math.floor(u);
  if (top < 0) return 0;
  if (top >= total) return 1;
  // The lower tail sums small, exactly known coefficients; the upper tail follows by symmetry.
  if (top > total / 2) return 1 - lowerTail(total - top - 1, n, m);
  return lowerTail(top, n, m);
}

/** P(U ≤ top) for 0 ≤ top ≤ nm/2 (and −1, which gives 0). */
function lowerTail(top: number, n: number, m: number): number {
  if (top < 0) return 0;
  const small = Math.min(n, m);
  const large = Math.max(n, m);
  const coefficients = new Float64Array(top + 1);
  coefficients[0] = 1;
  for (let i = 1; i <= small; i++) {
    const grow = large + i;
    for (let j = top; j >= grow; j--)
      coefficients[j] = (coefficients[j] as number) - (coefficients[j - grow] as number);
    for (let j = i; j <= top; j++) coefficients[j] = (coefficients[j] as number) + (coefficients[j - i] as number);
    // [large+i choose i] / [large+i−1 choose i−1] = (large+i)/i at q = 1: rescale to probabilities.
    const scale = i / grow;
    for (let j = 0; j <= top; j++) coefficients[j] = (coefficients[j] as number) * scale;
  }
  let cumulative = 0;
  for (let j = 0; j <= top; j++) cumulative += Math.max(0, coefficients[j] as number);
  return Math.min(1, cumulative);
}
