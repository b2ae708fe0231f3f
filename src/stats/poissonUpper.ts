/**
 * Exact upper confidence bound of a Poisson mean after observing `count` events (Garwood 1936,
 * "Fiducial limits for the Poisson distribution", Biometrika 28): the λ at which P(X ≤ count; λ)
 * = 1 − confidence, found by bisection on the Poisson CDF (terms summed in log space). For 0
 * events at 95% it is −ln 0.05 ≈ 3.00, the "rule of three". O(count · iterations).
 */
export function poissonUpper(count: number, confidence = 0.95): number {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`poissonUpper: count must be an integer ≥ 0, got ${count}`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`poissonUpper: confidence must be in (0, 1), got ${confidence}`);
  const tail = 1 - confidence;
  const cdf = (lambda: number): number => {
    let term = Math.exp(-lambda);
    let sum = term;
    for (let k = 1; k <= count; k++) {
      term *= lambda / k;
      sum += term;
    }
    return sum;
  };
  let low = count;
  let high = count + 10 + 10 * Math.sqrt(count + 1);
  while (cdf(high) > tail) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-12 * high; i++) {
    const mid = (low + high) / 2;
    if (cdf(mid) > tail) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}
