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
  const clip = (x: number): number => (x < lower ? lower : x > upper ? upper : x);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += clip(timeOrdered[i] as number);
  const mean = sum / n;
  let numerator = 0;
  let denominator = 0;
  let previous = clip(timeOrdered[0] as number) - mean;
  denominator += previous * previous;
  for (let i = 1; i < n; i++) {
    const current = clip(timeOrdered[i] as number) - mean;
    numerator += previous * current;
    denominator += current * current;
    previous = current;
  }
  if (!(denominator > 0)) return 1;
  const rho = Math.min(0.9, numerator / denominator);
  return rho > 0 ? (1 + rho) / (1 - rho) : 1;
}
