/** Parameters of the Universal Scalability Law. */
export interface UslParameters {
  /** Contention (serial fraction), σ ≥ 0. */
  readonly sigma: number;
  /** Coherency (crosstalk) cost, κ ≥ 0. */
  readonly kappa: number;
  /** Throughput of a single unit of concurrency, λ. */
  readonly lambda: number;
}

/**
 * Universal Scalability Law X(N) = λN / (1 + σ(N − 1) + κN(N − 1)) (Gunther, Guerrilla Capacity
 * Planning, 2007, ch. 4). O(1).
 */
export function uslThroughput(concurrency: number, parameters: UslParameters): number {
  const { sigma, kappa, lambda } = parameters;
  const n = concurrency;
  return (lambda * n) / (1 + sigma * (n - 1) + kappa * n * (n - 1));
}
