import type { PresetName } from './rules/presetNames.js';
import { compareRuns, relativeChange, type CompareOptions, type CompareResult } from './run/compare.js';
import { formatCompare } from './run/formatCompare.js';
import { replay } from './run/replay.js';

// Assertions on recordings and comparisons for test runners. The matchers are plain functions in
// the shape Jest and Vitest share ({ pass, message }): `expect.extend(soakstreamMatchers)` in
// either; `soakstream/vitest` does it for Vitest.

/** Options of toRaiseNoAlerts. */
export interface NoAlertsOptions {
  /** A rules file (YAML); default the default rules. */
  readonly rules?: string;
  readonly preset?: PresetName;
  /** Rules whose alerts do not count (by name). */
  readonly ignore?: readonly string[];
}

/** Options of toShowNoRegression. */
export interface NoRegressionOptions {
  /** Smallest relative change that counts: "5%" or 0.05. Default 0: any significant regression. */
  readonly threshold?: string | number;
}

/** A matcher's outcome, as Jest and Vitest read it. */
export interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

/** `compare` of the CLI as a function: recordings (one run each) of a base and a new build. */
export function compare(
  base: string | readonly string[],
  next: string | readonly string[],
  options: CompareOptions = {},
): Promise<CompareResult> {
  const list = (files: string | readonly string[]): readonly string[] => (typeof files === 'string' ? [files] : files);
  return compareRuns(list(base), list(next), options);
}

/** A threshold given as "5%" or 0.05, or a TypeError naming it. */
function thresholdOf(value: string | number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === 'number' && value >= 0) return value;
  const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value) : null;
  if (match === null)
    throw new TypeError(`threshold: expected a percentage like "5%" or a fraction, got ${String(value)}`);
  return Number(match[1]) / 100;
}

/** The matchers, for `expect.extend` in Vitest or Jest. */
export const soakstreamMatchers = {
  /** Replays the recording(s) through the rules: passes when no alert fired. */
  async toRaiseNoAlerts(received: string | readonly string[], options: NoAlertsOptions = {}): Promise<MatcherResult> {
    const files = typeof received === 'string' ? [received] : [...received];
    const summary = await replay(
      files,
      {
        quiet: true,
        ...(options.rules !== undefined ? { rules: options.rules } : {}),
        ...(options.preset !== undefined ? { preset: options.preset } : {}),
      },
      () => undefined,
      () => undefined,
    );
    const ignored = new Set(options.ignore ?? []);
    const fired = summary.fired.filter((alert) => !ignored.has(alert.rule));
    const what = files.join(', ');
    return {
      pass: fired.length === 0,
      message: () =>
        fired.length === 0
          ? `expected ${what} to raise alerts, but none fired`
          : `expected ${what} to raise no alerts, but ${fired.length} fired:\n` +
            fired
              .map(
                (alert) => `  - ${alert.rule} on ${alert.series} since ${new Date(alert.since / 1000).toISOString()}`,
              )
              .join('\n'),
    };
  },

  /** Passes when the comparison shows no significant regression of at least the threshold. */
  async toShowNoRegression(
    received: CompareResult | Promise<CompareResult>,
    options: NoRegressionOptions = {},
  ): Promise<MatcherResult> {
    const result = await received;
    const threshold = thresholdOf(options.threshold);
    const offending = result.rows.filter((row) => row.regression && Math.abs(relativeChange(row)) >= threshold);
    const limit = threshold > 0 ? ` of at least ${(100 * threshold).toFixed(1)}%` : '';
    return {
      pass: offending.length === 0,
      message: () =>
        offending.length === 0
          ? `expected a regression${limit}, but the comparison shows none`
          : `expected no regression${limit}, but ${offending.length} statistic${offending.length === 1 ? '' : 's'} ` +
            `regressed:\n${formatCompare({ ...result, rows: offending, geomean: null }, 'text')}`,
    };
  },
};
