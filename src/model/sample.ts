/** Tags of a sample: string keys to string values. */
export type Tags = Readonly<Record<string, string>>;

/**
 * One measurement at one instant (DESIGN.md, data model). `ts` is event time in epoch
 * microseconds; `value` is a finite double; the series is `metric` plus its sorted `tags`.
 */
export interface Sample {
  readonly ts: number;
  readonly metric: string;
  readonly value: number;
  readonly tags: Tags;
  readonly unit?: string;
}

/** Microseconds per millisecond, second, minute and hour: event time is epoch microseconds. */
export const MICROS_PER_MS = 1_000;
export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_MINUTE = 60_000_000;
export const MICROS_PER_HOUR = 3_600_000_000;
