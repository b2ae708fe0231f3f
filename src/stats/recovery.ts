import { mad } from './mad.js';
import { MAD_NORMAL_CONSISTENCY } from './madNormalConsistency.js';
import { median } from './median.js';

/** Options of {@link Recovery}. */
export interface RecoveryOptions {
  /** Points before the fault that form the reference band (the most recent ones). */
  readonly referencePoints: number;
  /** Half-width of the band in robust standard deviations (1.4826·MAD). Default 4. */
  readonly k?: number;
  /**
   * Smallest half-width, relative to the reference median (0.05 = ±5%): a series that barely moved
   * before the fault would otherwise call every wobble an impact. Default 0.05.
   */
  readonly minRelativeWidth?: number;
  /** Smallest half-width in the measure's own units (an error rate of 0 before the fault needs one). Default 0. */
  readonly minWidth?: number;
  /** Consecutive points inside the band that make a recovery. */
  readonly hold: number;
}

/** What a fault did to one measure, in the time units of the points (e.g. µs). */
export interface RecoveryResult {
  readonly faultStart: number;
  /** The reference band: median ± half-width of the points before the fault. */
  readonly center: number;
  readonly halfWidth: number;
  /** First point outside the band at or after the fault's start, or null (no visible impact). */
  readonly impactAt: number | null;
  /** First point of the `hold` in-band points that ended the impact, or null while not recovered. */
  readonly recoveredAt: number | null;
  /** recoveredAt − faultStart (time to recover), or null. */
  readonly recoveryTime: number | null;
}

/**
 * Recovery of one measure (a latency quantile, an error rate per interval) from a fault. Before the
 * fault its recent points give a reference band, median ± max(k·1.4826·MAD, minRelativeWidth·|median|, minWidth)
 * (robust control limits: Hampel 1974; Iglewicz & Hoaglin 1993); from the fault's start, the first
 * point outside the band is the impact, and the measure has recovered at the first of `hold`
 * consecutive points back inside it (a run rule of statistical process control: Montgomery,
 * Introduction to Statistical Quality Control, §5.3), so a single good reading in the middle of an
 * outage does not count. A fault with no point outside the band had no visible impact: recovered at
 * once. Points must come in time order. O(referencePoints) memory; O(referencePoints) at the fault's
 * start, O(1) per point otherwise.
 */
export class Recovery {
  private readonly before: number[] = [];
  private fault: { start: number; center: number; halfWidth: number } | null = null;
  private impactAt: number | null = null;
  private recoveredAt: number | null = null;
  private inBandSince: number | null = null;
  private inBandCount = 0;

  constructor(private readonly options: RecoveryOptions) {
    if (!Number.isInteger(options.referencePoints) || options.referencePoints < 3)
      throw new RangeError(`recovery: referencePoints must be an integer ≥ 3, got ${options.referencePoints}`);
    if (!Number.isInteger(options.hold) || options.hold < 1)
      throw new RangeError(`recovery: hold must be an integer ≥ 1, got ${options.hold}`);
  }

  /** Marks the fault's start at `t`; the band is taken from the points so far. Throws without enough of them. */
  start(t: number): void {
    const { referencePoints, k = 4, minRelativeWidth = 0.05, minWidth = 0 } = this.options;
    if (this.before.length < 3)
      throw new RangeError(`recovery: ${this.before.length} points before the fault; at least 3 are needed`);
    const reference = this.before.slice(-referencePoints);
    const center = median(reference);
    const halfWidth = Math.max(
      k * MAD_NORMAL_CONSISTENCY * mad(reference),
      minRelativeWidth * Math.abs(center),
      minWidth,
    );
    this.fault = { start: t, center, halfWidth };
  }

  /** Adds the point (t, value). */
  push(t: number, value: number): void {
    const fault = this.fault;
    if (fault === null) {
      this.before.push(value);
      if (this.before.length > this.options.referencePoints) this.before.shift();
      return;
    }
    if (t < fault.start || this.recoveredAt !== null) return;
    const inside = Math.abs(value - fault.center) <= fault.halfWidth;
    if (!inside) {
      this.impactAt ??= t;
      this.inBandSince = null;
      this.inBandCount = 0;
      return;
    }
    if (this.impactAt === null) return;
    this.inBandSince ??= t;
    this.inBandCount++;
    if (this.inBandCount >= this.options.hold) this.recoveredAt = this.inBandSince;
  }

  /** The fault's outcome so far, or null before its start. */
  result(): RecoveryResult | null {
    const fault = this.fault;
    if (fault === null) return null;
    const recoveredAt = this.impactAt === null ? fault.start : this.recoveredAt;
    return {
      faultStart: fault.start,
      center: fault.center,
      halfWidth: fault.halfWidth,
      impactAt: this.impactAt,
      recoveredAt,
      recoveryTime: recoveredAt === null ? null : recoveredAt - fault.start,
    };
  }
}
