import { expect } from 'vitest';

/** True when |a − b| ≤ abs + rel·max(|a|, |b|); NaN equals NaN, infinities must match exactly. */
export function isApproxEqual(a: number, b: number, rel = 1e-9, abs = 1e-12): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= abs + rel * Math.max(Math.abs(a), Math.abs(b));
}

/** The one shared tolerance assertion for numeric tests (CONVENTIONS.md §10). */
export function approxEqual(actual: number, expected: number, rel = 1e-9, abs = 1e-12, label = ''): void {
  if (!isApproxEqual(actual, expected, rel, abs)) {
    expect.fail(
      `${label ? `${label}: ` : ''}expected ${actual} ≈ ${expected} (rel ${rel}, abs ${abs}), ` +
        `off by ${actual - expected}`,
    );
  }
}
