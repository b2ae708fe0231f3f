const BYTE_STEPS: readonly [number, string][] = [
  [1e12, 'TB'],
  [1e9, 'GB'],
  [1e6, 'MB'],
  [1e3, 'kB'],
];

const round = (x: number): string => {
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 1 ? x.toFixed(2) : x.toPrecision(3);
};

/** Human-readable value with its unit, e.g. 12.3 MB for bytes (decimal SI prefixes) or 61.2 ms. */
export function formatQuantity(value: number, unit?: string): string {
  if (!Number.isFinite(value)) return String(value);
  const u = unit?.toLowerCase();
  if (u === 'bytes' || u === 'b' || u === 'byte') {
    for (const [size, name] of BYTE_STEPS) if (Math.abs(value) >= size) return `${round(value / size)} ${name}`;
    return `${round(value)} B`;
  }
  return unit === undefined || unit === '' ? round(value) : `${round(value)} ${unit}`;
}

/** Signed percentage with one decimal, e.g. +24.2%. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return fraction > 0 ? '+∞%' : fraction < 0 ? '−∞%' : 'n/a';
  const pct = fraction * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

/** p-value in compact scientific form, e.g. 3.1e-12. */
export function formatPValue(p: number): string {
  return p >= 0.001 ? p.toFixed(4) : p.toExponential(1);
}

/** Duration in µs as the largest whole unit, e.g. 90 s → "90s", 15 min → "15m". */
export function formatDuration(micros: number): string {
  const seconds = micros / 1_000_000;
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
