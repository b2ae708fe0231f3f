/** Options of {@link SequentialSegmentation}. */
export interface SequentialSegmentationOptions {
  /** λ of the penalty λ·ln N a split must gain (in units of the variance of the series so far). */
  readonly penalty: number;
  /** Fewest values on either side of a split (≥ 3: a line through two values fits them exactly). */
  readonly minSegment: number;
  /** A split is reported once the penalty has been exceeded at this many further values in a row. */
  readonly confirm: number;
  /** The current segment keeps at most this many values (the oldest leave first): O(maxSegment) per value. */
  readonly maxSegment: number;
}

/** A change found by {@link SequentialSegmentation}. */
export interface SegmentSplit {
  /** Index (0-based, over every value pushed) of the first value of the new segment: the onset. */
  readonly at: number;
  /** The left segment's line at its last value, and the right segment's line at the newest value. */
  readonly before: number;
  readonly after: number;
}

/** Prefix sums of x = 0, 1, … and y = value − origin over a segment, for least-squares lines on any range. */
interface Sums {
  readonly origin: number;
  readonly x: number[];
  readonly xx: number[];
  readonly y: number[];
  readonly xy: number[];
  readonly yy: number[];
}

/**
 * Online segmentation of a series into linear pieces: at each new value the current segment (the
 * values since the last change) is tested for one change of level and/or slope, by the reduction
 * in residual sum of squares a two-phase regression brings (Quandt 1958) over the best split point,
 * as one step of binary segmentation does (Vostrikova 1981; Scott & Knott 1974). The reduction is
 * measured in units of the variance of every value seen so far, which is how the `changepoint` R
 * package standardises a series before its Normal cost (Killick & Eckley 2014), and must exceed
 * λ·ln N, a Schwarz-type penalty (Schwarz 1978; Yao 1988) on the N values seen. A split is reported
 * once it has held for `confirm` further values; its onset is the best split point then, and the new
 * segment starts there, so its values are tested again for later changes. Causal: a split uses
 * only values up to the one at which it is reported. A linear model keeps steady growth or decline
 * (a trend) from being cut into steps. O(n) time per value for a segment of n ≤ maxSegment values.
 */
export class SequentialSegmentation {
  /** Values of the current segment (at most maxSegment). */
  private segment: number[] = [];
  /** Index (over every value pushed) of the segment's first value. */
  private start = 0;
  private count = 0;
  // Running mean and sum of squared deviations of every value (Welford 1962).
  private mean = 0;
  private m2 = 0;
  private exceededSince: number | null = null;

  constructor(private readonly options: SequentialSegmentationOptions) {
    const { penalty, minSegment, confirm, maxSegment } = options;
    if (!(penalty > 0) || !Number.isInteger(minSegment) || minSegment < 3 || !Number.isInteger(confirm) || confirm < 0)
      throw new RangeError(
        `segmentation: need penalty > 0, minSegment ≥ 3 and confirm ≥ 0 (integers), ` +
          `got ${penalty}, ${minSegment}, ${confirm}`,
      );
    if (!Number.isInteger(maxSegment) || maxSegment < 2 * minSegment)
      throw new RangeError(`segmentation: maxSegment must be an integer ≥ 2·minSegment, got ${maxSegment}`);
  }

  /** Number of values pushed so far. */
  get seen(): number {
    return this.count;
  }

  /** Adds the next value; returns the split it confirms, or null. Values must be finite. */
  push(value: number): SegmentSplit | null {
    const { penalty, minSegment, confirm, maxSegment } = this.options;
    this.count++;
    const delta = value - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (value - this.mean);
    this.segment.push(value);
    if (this.segment.length > maxSegment) {
      this.segment.shift();
      this.start++;
    }
    const n = this.segment.length;
    if (n < 2 * minSegment) return null;
    const sums = this.prefixSums();
    const variance = this.m2 / this.count;
    // A series that never varied has nothing to split; a floor keeps the ratio finite otherwise.
    const scale = Math.max(variance, 1e-12 * this.mean * this.mean, Number.MIN_VALUE);
    const whole = residual(sums, 0, n);
    let best = Number.NEGATIVE_INFINITY;
    let split = -1;
    for (let k = minSegment; k <= n - minSegment; k++) {
      const gain = whole - residual(sums, 0, k) - residual(sums, k, n);
      if (gain > best) {
        best = gain;
        split = k;
      }
    }
    if (!(best / scale > penalty * Math.log(this.count))) {
      this.exceededSince = null;
      return null;
    }
    this.exceededSince ??= this.count;
    if (this.count - this.exceededSince < confirm) return null;
    this.exceededSince = null;
    const result: SegmentSplit = {
      at: this.start + split,
      before: lineAt(sums, 0, split, split - 1),
      after: lineAt(sums, split, n, n - 1),
    };
    this.segment = this.segment.slice(split);
    this.start += split;
    return result;
  }

  /** Prefix sums of the segment, x its local index and y its values less the first (against cancellation). */
  private prefixSums(): Sums {
    const segment = this.segment;
    const origin = segment[0] as number;
    const sums: Sums = { origin, x: [0], xx: [0], y: [0], xy: [0], yy: [0] };
    for (let i = 0; i < segment.length; i++) {
      const y = (segment[i] as number) - origin;
      sums.x.push((sums.x[i] as number) + i);
      sums.xx.push((sums.xx[i] as number) + i * i);
      sums.y.push((sums.y[i] as number) + y);
      sums.xy.push((sums.xy[i] as number) + i * y);
      sums.yy.push((sums.yy[i] as number) + y * y);
    }
    return sums;
  }
}

const range = (values: number[], a: number, b: number): number => (values[b] as number) - (values[a] as number);

/** Centred moments of x and y over [a, b). */
function moments(
  sums: Sums,
  a: number,
  b: number,
): { k: number; mx: number; my: number; vx: number; vy: number; cxy: number } {
  const k = b - a;
  const sx = range(sums.x, a, b);
  const sy = range(sums.y, a, b);
  return {
    k,
    mx: sx / k,
    my: sy / k,
    vx: range(sums.xx, a, b) - (sx * sx) / k,
    vy: range(sums.yy, a, b) - (sy * sy) / k,
    cxy: range(sums.xy, a, b) - (sx * sy) / k,
  };
}

/** Residual sum of squares of the least-squares line over [a, b). */
function residual(sums: Sums, a: number, b: number): number {
  const { vx, vy, cxy } = moments(sums, a, b);
  return Math.max(vx > 0 ? vy - (cxy * cxy) / vx : vy, 0);
}

/** The least-squares line over [a, b), evaluated at local index x, in the series' units. */
function lineAt(sums: Sums, a: number, b: number, x: number): number {
  const { mx, my, vx, cxy } = moments(sums, a, b);
  const slope = vx > 0 ? cxy / vx : 0;
  return sums.origin + my + slope * (x - mx);
}
