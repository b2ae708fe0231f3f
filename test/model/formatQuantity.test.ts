import { describe, expect, it } from 'vitest';
import { formatDuration, formatPercent, formatPValue, formatQuantity } from '../../src/model/formatQuantity.js';

describe('formatQuantity', () => {
  it.each<[number, string | undefined, string]>([
    [12_345_678, 'bytes', '12.3 MB'],
    [242_000_000, 'bytes', '242 MB'],
    [3_280_000, 'B', '3.28 MB'],
    [-3_280_000, 'byte', '-3.28 MB'],
    [1_500, 'bytes', '1.50 kB'],
    [2.5e9, 'bytes', '2.50 GB'],
    [1e12, 'bytes', '1.00 TB'],
    [999, 'bytes', '999 B'],
    [61.234, 'ms', '61.2 ms'],
    [49.5, 'ms', '49.5 ms'],
    [1234.5, 'req/s', '1235 req/s'],
    [5.5, undefined, '5.50'],
    [5.5, '', '5.50'],
    [0.012345, undefined, '0.0123'],
    [250, 'ms', '250 ms'],
  ])('%d %s → %j', (value, unit, text) => {
    expect(formatQuantity(value, unit)).toBe(text);
  });

  it('shows non-finite values as they are', () => {
    expect(formatQuantity(Number.NaN, 'ms')).toBe('NaN');
    expect(formatQuantity(Number.POSITIVE_INFINITY, 'bytes')).toBe('Infinity');
  });

  it('uses decimal prefixes only for bytes', () => {
    expect(formatQuantity(12_345_678, 'fds')).toBe('12345678 fds');
  });
});

describe('formatPercent', () => {
  it.each<[number, string]>([
    [0.2421, '+24.2%'],
    [-0.05, '-5.0%'],
    [0, '+0.0%'],
    [1, '+100.0%'],
    [Number.POSITIVE_INFINITY, '+∞%'],
    [Number.NEGATIVE_INFINITY, '−∞%'],
    [Number.NaN, 'n/a'],
  ])('%d → %j', (fraction, text) => {
    expect(formatPercent(fraction)).toBe(text);
  });
});

describe('formatPValue', () => {
  it.each<[number, string]>([
    [0.05, '0.0500'],
    [0.001, '0.0010'],
    [0.00099, '9.9e-4'],
    [3.14e-12, '3.1e-12'],
    [1, '1.0000'],
  ])('%d → %j', (p, text) => {
    expect(formatPValue(p)).toBe(text);
  });
});

describe('formatDuration', () => {
  it.each<[number, string]>([
    [90_000_000, '90s'],
    [60_000_000, '1m'],
    [900_000_000, '15m'],
    [5_400_000_000, '90m'],
    [7_200_000_000, '2h'],
    [1_500_000, '1.5s'],
    [0, '0s'],
  ])('%d µs → %j', (micros, text) => {
    expect(formatDuration(micros)).toBe(text);
  });
});
