import * as t from 'io-ts';
import { Duration, PositiveDuration } from '../model/fields/duration.js';
import { strictObject } from '../model/fields/strictObject.js';
import { TimeWindow } from '../stats/timeWindow.js';
import { showValue } from '../model/showValue.js';
import type { SeriesRef } from '../model/events.js';
import { seriesKey } from '../model/seriesKey.js';

/**
 * What a regression test compares recent samples with:
 * - `initial`: the samples in [first + warmup, first + warmup + duration), frozen once complete
 *   (the usual soak-test question: "worse than at the start?");
 * - `trailing`: the `duration` of samples ending `lag` before now (adapts to slow change);
 * - `stored`: values from an earlier run, the same for every series (`values`), or each series'
 *   own from a saved baseline (`baseline`: its name; `store`: its directory), which the rules
 *   decoder reads into `bySeries` (keys without the baseline's ignored tags).
 */
export type ReferenceSpec =
  | { readonly type: 'initial'; readonly warmup: number; readonly duration: number }
  | { readonly type: 'trailing'; readonly lag: number; readonly duration: number }
  | { readonly type: 'stored'; readonly values: ArrayLike<number> }
  | {
      readonly type: 'stored';
      readonly baseline: string;
      readonly store?: string;
      readonly bySeries?: ReadonlyMap<string, Float64Array>;
      readonly ignoreTags?: readonly string[];
    };

/** The reference's state: fed every sample, asked for its values in ascending order. */
export interface Reference {
  push(ts: number, value: number): void;
  /** Reference values in ascending order, or null while it is still being collected. */
  sorted(): Float64Array | null;
  /** True once the values can no longer change (a frozen initial reference, a stored one). */
  readonly fixed: boolean;
}

/** The 15 minutes after a 1 minute warm-up. */
export const DEFAULT_REFERENCE: ReferenceSpec = { type: 'initial', warmup: 60_000_000, duration: 900_000_000 };

class InitialReference implements Reference {
  private values = new Float64Array(256);
  private count = 0;
  private start = Number.NaN;
  private frozen: Float64Array | null = null;

  constructor(
    private readonly warmup: number,
    private readonly duration: number,
  ) {}

  push(ts: number, value: number): void {
    if (this.frozen !== null) return;
    if (Number.isNaN(this.start)) this.start = ts + this.warmup;
    if (ts < this.start) return;
    if (ts >= this.start + this.duration) {
      this.frozen = this.values.slice(0, this.count).sort();
      this.values = new Float64Array(0);
      return;
    }
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = value;
  }

  sorted(): Float64Array | null {
    return this.frozen;
  }

  get fixed(): boolean {
    return this.frozen !== null;
  }
}

class TrailingReference implements Reference {
  readonly fixed = false;
  private readonly window: TimeWindow;
  private readonly pendingTs: number[] = [];
  private readonly pendingValues: number[] = [];
  private pendingHead = 0;
  private buffer = new Float64Array(64);
  private view: Float64Array | null = null;
  private dirty = true;

  constructor(
    private readonly lag: number,
    duration: number,
  ) {
    this.window = new TimeWindow(duration);
  }

  push(ts: number, value: number): void {
    this.pendingTs.push(ts);
    this.pendingValues.push(value);
    const cutoff = ts - this.lag;
    while (this.pendingHead < this.pendingTs.length && (this.pendingTs[this.pendingHead] as number) <= cutoff) {
      this.window.push(this.pendingTs[this.pendingHead] as number, this.pendingValues[this.pendingHead] as number);
      this.pendingHead++;
      this.dirty = true;
    }
    // The window ends `lag` before now even when no sample has moved in lately.
    const held = this.window.size;
    this.window.evictBefore(cutoff);
    if (this.window.size !== held) this.dirty = true;
    if (this.pendingHead > 1024 && this.pendingHead * 2 > this.pendingTs.length) {
      this.pendingTs.splice(0, this.pendingHead);
      this.pendingValues.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
  }

  /** The same array while the window is unchanged, so callers can keep what they derive from it. */
  sorted(): Float64Array | null {
    const n = this.window.size;
    if (n === 0) return null;
    if (this.dirty) {
      if (this.buffer.length < n) this.buffer = new Float64Array(Math.max(n, this.buffer.length * 2));
      this.window.copySorted(this.buffer);
      this.view = this.buffer.subarray(0, n);
      this.dirty = false;
    }
    return this.view;
  }
}

class StoredReference implements Reference {
  readonly fixed = true;
  private readonly values: Float64Array;

  constructor(values: ArrayLike<number>) {
    this.values = Float64Array.from(values).sort();
  }

  push(): void {}

  sorted(): Float64Array | null {
    return this.values.length > 0 ? this.values : null;
  }
}

/** Checks a reference spec without building its state; throws RangeError naming what is wrong. */
export function validateReferenceSpec(spec: ReferenceSpec = DEFAULT_REFERENCE): void {
  switch (spec.type) {
    case 'initial':
      if (!(spec.warmup >= 0) || !(spec.duration > 0))
        throw new RangeError(
          `regression reference: initial needs warmup ≥ 0 and duration > 0 µs, got ${showValue(spec)}`,
        );
      return;
    case 'trailing':
      if (!(spec.lag >= 0) || !(spec.duration > 0))
        throw new RangeError(
          `regression reference: trailing needs lag ≥ 0 and duration > 0 µs, got ${showValue(spec)}`,
        );
      return;
    case 'stored':
      if (!('values' in spec)) {
        if (spec.bySeries === undefined)
          throw new RangeError(`regression reference: baseline "${spec.baseline}" was not read (rules files read it)`);
        return;
      }
      for (let i = 0; i < spec.values.length; i++) {
        if (!Number.isFinite(spec.values[i]))
          throw new RangeError(`regression reference: stored value [${i}] is not finite: ${spec.values[i]}`);
      }
      return;
    default:
      throw new RangeError(`regression reference: unknown type ${JSON.stringify((spec as { type: unknown }).type)}`);
  }
}

/**
 * Creates the state of a reference; throws RangeError on an invalid spec. A baseline reference
 * takes the values stored for `series` (matched without the baseline's ignored tags): none, when
 * the baseline does not hold it, and then the series is never tested.
 */
export function createReference(spec: ReferenceSpec = DEFAULT_REFERENCE, series?: SeriesRef): Reference {
  validateReferenceSpec(spec);
  switch (spec.type) {
    case 'initial':
      return new InitialReference(spec.warmup, spec.duration);
    case 'trailing':
      return new TrailingReference(spec.lag, spec.duration);
    case 'stored': {
      if ('values' in spec) return new StoredReference(spec.values);
      if (series === undefined) return new StoredReference([]);
      const ignored = new Set(spec.ignoreTags ?? []);
      const tags = Object.fromEntries(Object.entries(series.tags).filter(([key]) => !ignored.has(key)));
      return new StoredReference(spec.bySeries?.get(seriesKey(series.metric, tags)) ?? []);
    }
  }
}

/** io-ts codec of a rule's `reference:` mapping, checked by its `type`. */
export const ReferenceCodec = new t.Type<ReferenceSpec, unknown, unknown>(
  'Reference',
  (_u): _u is never => false,
  (u, c) => {
    const type = typeof u === 'object' && u !== null ? (u as { type?: unknown }).type : undefined;
    switch (type) {
      case 'initial':
        return strictObject(t.type({ type: t.literal('initial'), warmup: Duration, duration: PositiveDuration }), [
          'type',
          'warmup',
          'duration',
        ]).validate(u, c);
      case 'trailing':
        return strictObject(t.type({ type: t.literal('trailing'), lag: Duration, duration: PositiveDuration }), [
          'type',
          'lag',
          'duration',
        ]).validate(u, c);
      case 'stored':
        return typeof u === 'object' && u !== null && 'baseline' in u
          ? strictObject(
              t.intersection([
                t.type({ type: t.literal('stored'), baseline: t.string }),
                t.partial({ store: t.string }),
              ]),
              ['type', 'baseline', 'store'],
            ).validate(u, c)
          : strictObject(t.type({ type: t.literal('stored'), values: t.array(t.number) }), ['type', 'values']).validate(
              u,
              c,
            );
      default:
        return t.failure(u, c, `expected a reference with type "initial", "trailing" or "stored", got ${showValue(u)}`);
    }
  },
  (r) => r,
);
