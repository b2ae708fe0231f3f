import { uslThroughput } from './uslThroughput.js';

/** One load level: throughput measured at a concurrency (users, threads, nodes). */
export interface UslPoint {
  readonly concurrency: number;
  readonly throughput: number;
}

/** Fitted Universal Scalability Law and what it predicts. */
export interface UslFit {
  readonly sigma: number;
  readonly kappa: number;
  readonly lambda: number;
  /** N* = sqrt((1 − σ)/κ), where throughput peaks; Infinity when κ = 0. */
  readonly peakConcurrency: number;
  /** X(N*); the asymptote λ/σ when κ = 0. */
  readonly peakThroughput: number;
  /** 1 − SSE/SST of the throughput fit. */
  readonly r2: number;
}

/**
 * Least-squares fit of the Universal Scalability Law X(N) = λN/(1 + σ(N−1) + κN(N−1))
 * (Gunther, Guerrilla Capacity Planning, 2007) with σ, κ ≥ 0: Levenberg–Marquardt (Marquardt
 * 1963) with steps projected onto the bounds and λ re-solved in closed form after every accepted
 * step, started from Gunther's quadratic fit of the linearised deviations N·λ/X − 1 against N − 1.
 * Needs ≥ 3 distinct concurrency levels. O(P) per iteration for P points, at most 500 iterations.
 */
export function fitUsl(points: readonly UslPoint[]): UslFit {
  validate(points);
  const concurrency = Float64Array.from(points, (point) => point.concurrency);
  const throughput = Float64Array.from(points, (point) => point.throughput);
  const size = points.length;

  let parameters = bestLambda(initialGuess(concurrency, throughput), concurrency, throughput);
  let error = squaredError(parameters, concurrency, throughput);
  let damping = 1e-3;
  for (let iteration = 0; iteration < 500 && damping < 1e16; iteration++) {
    const normal = [0, 0, 0, 0, 0, 0, 0, 0, 0];
    const gradient = [0, 0, 0];
    for (let i = 0; i < size; i++) {
      const n = concurrency[i] as number;
      const denominator = 1 + parameters.sigma * (n - 1) + parameters.kappa * n * (n - 1);
      const residual = (throughput[i] as number) - (parameters.lambda * n) / denominator;
      const slope = (-parameters.lambda * n * (n - 1)) / (denominator * denominator);
      const row = [slope, slope * n, n / denominator];
      for (let a = 0; a < 3; a++) {
        gradient[a] = (gradient[a] as number) + (row[a] as number) * residual;
        for (let b = 0; b < 3; b++)
          normal[3 * a + b] = (normal[3 * a + b] as number) + (row[a] as number) * (row[b] as number);
      }
    }
    const damped = normal.slice();
    for (let a = 0; a < 3; a++) damped[4 * a] = (normal[4 * a] as number) * (1 + damping) + Number.MIN_VALUE;
    const step = solve3(damped, gradient);
    const candidate = bestLambda(
      {
        sigma: Math.max(0, parameters.sigma + (step[0] as number)),
        kappa: Math.max(0, parameters.kappa + (step[1] as number)),
        lambda: parameters.lambda + (step[2] as number),
      },
      concurrency,
      throughput,
    );
    const candidateError = squaredError(candidate, concurrency, throughput);
    if (candidateError < error) {
      const improvement = (error - candidateError) / error;
      parameters = candidate;
      error = candidateError;
      damping = Math.max(damping / 10, 1e-12);
      if (improvement < 1e-15) break;
    } else {
      damping *= 10;
    }
  }

  let mean = 0;
  for (const x of throughput) mean += x / size;
  let total = 0;
  for (const x of throughput) total += (x - mean) * (x - mean);
  const { sigma, kappa, lambda } = parameters;
  const peakConcurrency = kappa > 0 ? Math.sqrt(Math.max(0, 1 - sigma) / kappa) : Number.POSITIVE_INFINITY;
  const peakThroughput = Number.isFinite(peakConcurrency) ? uslThroughput(peakConcurrency, parameters) : lambda / sigma;
  return { sigma, kappa, lambda, peakConcurrency, peakThroughput, r2: total > 0 ? 1 - error / total : Number.NaN };
}

interface Parameters {
  readonly sigma: number;
  readonly kappa: number;
  readonly lambda: number;
}

function validate(points: readonly UslPoint[]): void {
  const levels = new Set<number>();
  for (const { concurrency, throughput } of points) {
    if (!(concurrency > 0 && Number.isFinite(concurrency)) || !(throughput >= 0 && Number.isFinite(throughput))) {
      throw new RangeError(
        `fitUsl: needs finite concurrency > 0 and throughput ≥ 0, got (${concurrency}, ${throughput})`,
      );
    }
    levels.add(concurrency);
  }
  if (levels.size < 3) throw new RangeError(`fitUsl: needs at least 3 distinct concurrency levels, got ${levels.size}`);
}

/** Gunther's linearisation: with λ ≈ max X/N, N·λ/X − 1 = (σ + κ)(N − 1) + κ(N − 1)². */
function initialGuess(concurrency: Float64Array, throughput: Float64Array): Parameters {
  let lambda = 0;
  for (let i = 0; i < concurrency.length; i++)
    lambda = Math.max(lambda, (throughput[i] as number) / (concurrency[i] as number));
  // Least squares through the origin of d = a·u + b·u² with u = N − 1.
  let suu = 0;
  let su3 = 0;
  let su4 = 0;
  let sdu = 0;
  let sdu2 = 0;
  for (let i = 0; i < concurrency.length; i++) {
    const x = throughput[i] as number;
    if (!(x > 0)) continue;
    const u = (concurrency[i] as number) - 1;
    const d = ((concurrency[i] as number) * lambda) / x - 1;
    suu += u * u;
    su3 += u * u * u;
    su4 += u * u * u * u;
    sdu += d * u;
    sdu2 += d * u * u;
  }
  const determinant = suu * su4 - su3 * su3;
  if (!(Math.abs(determinant) > 0)) return { sigma: 0, kappa: 0, lambda };
  const a = (sdu * su4 - sdu2 * su3) / determinant;
  const b = (suu * sdu2 - su3 * sdu) / determinant;
  const kappa = Math.max(0, b);
  return { sigma: Math.max(0, a - kappa), kappa, lambda };
}

/** For fixed σ and κ the model is linear in λ: λ = Σ X·g / Σ g² with g = N/D. */
function bestLambda(parameters: Parameters, concurrency: Float64Array, throughput: Float64Array): Parameters {
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < concurrency.length; i++) {
    const g = uslThroughput(concurrency[i] as number, { ...parameters, lambda: 1 });
    numerator += (throughput[i] as number) * g;
    denominator += g * g;
  }
  return { ...parameters, lambda: denominator > 0 ? numerator / denominator : parameters.lambda };
}

function squaredError(parameters: Parameters, concurrency: Float64Array, throughput: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < concurrency.length; i++) {
    const residual = (throughput[i] as number) - uslThroughput(concurrency[i] as number, parameters);
    sum += residual * residual;
  }
  return sum;
}

/** Solves the 3×3 system A·v = b (row-major A) by Gaussian elimination with partial pivoting. */
function solve3(matrix: number[], right: number[]): number[] {
  const a = matrix.slice();
  const b = right.slice();
  for (let column = 0; column < 3; column++) {
    let pivot = column;
    for (let row = column + 1; row < 3; row++) {
      if (Math.abs(a[3 * row + column] as number) > Math.abs(a[3 * pivot + column] as number)) pivot = row;
    }
    if (pivot !== column) {
      for (let k = 0; k < 3; k++) {
        const swap = a[3 * column + k] as number;
        a[3 * column + k] = a[3 * pivot + k] as number;
        a[3 * pivot + k] = swap;
      }
      const swap = b[column] as number;
      b[column] = b[pivot] as number;
      b[pivot] = swap;
    }
    const diagonal = a[4 * column] as number;
    if (diagonal === 0) return [0, 0, 0];
    for (let row = column + 1; row < 3; row++) {
      const factor = (a[3 * row + column] as number) / diagonal;
      for (let k = column; k < 3; k++)
        a[3 * row + k] = (a[3 * row + k] as number) - factor * (a[3 * column + k] as number);
      b[row] = (b[row] as number) - factor * (b[column] as number);
    }
  }
  const solution = [0, 0, 0];
  for (let row = 2; row >= 0; row--) {
    let sum = b[row] as number;
    for (let k = row + 1; k < 3; k++) sum -= (a[3 * row + k] as number) * (solution[k] as number);
    solution[row] = sum / (a[4 * row] as number);
  }
  return solution;
}
