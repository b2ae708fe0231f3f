/**
 * Variance inflation of a mean-like statistic for serially correlated data: (1 + ρ)/(1 − ρ),
 * with ρ the lag-1 autocorrelation of the time-ordered sample (Box & Jenkins estimator
 * r₁ = Σ(xₜ − x̄)(xₜ₊₁ − x̄) / Σ(xₜ − x̄)²), computed on values winsorized at the sample's
 * `lower` and `upper` bounds so that rare spikes do not mask the dependence. Negative ρ gives 1
 * (no deflation of significance); ρ is capped at 0.9 (inflation ≤ 19). Zwiers & von Storch
 * (1995), J. Climate 8: 336–351. O(n); never mutates its input.
 */
export function serialVarianceInflation(
  timeOrdered: ArrayLike<number>,
  lower = Number.NEGATIVE_INFINITY,
  upper = Number.POSITIVE_INFINITY,
): number {
  const n = timeOrdered.length;
  if (n < 3) return 1;
  // Winsorizing is written out in each loop rather than through a helper: this runs on every
  // regression test, and a call per value costs more than the arithmetic.
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = timeOrdered[i] as number;
    sum += x < lower ? lower : x > upper ? upper : x;
  }
  const mean = sum / n;
  let numerator = 0;
  let denominator = 0;
  const x0 = timeOrdered[0] as number;
  let previous = (x0 < lower ? lower : x0 > upper ? upper : x0) - mean;
  denominator += previous * previous;
  for (let i = 1; i < n; i++) {
    const x = timeOrdered[i] as number;
    const current = (x < lower ? lower : x > upper ? upper : x) - mean;
    numerator += previous * current;
    denominator += current * current;
    previous = current;
  }
  if (!(denominator > 0)) return 1;
  const rho = Math.min(0.9, numerator / denominator);
  return rho > 0 ? (1 + rho) / (1 - rho) : 1;
}
