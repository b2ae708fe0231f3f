import { createRandom } from './random.js';
import { assertAscending } from './assertAscending.js';
import { sortedCopy } from './sortedCopy.js';

/** Options of {@link hodgesLehmannShift}. */
export interface HodgesLehmannShiftOptions {
  /** Both inputs are already ascending; skips the O((n + m) log(n + m)) sort. */
  readonly sorted?: boolean;
}

/**
 * Hodges & Lehmann (1963) two-sample shift estimate: the median of all n·m differences x_i − y_j
 * (for an even count, the mean of the two middle ones), R's `wilcox.test(x, y, conf.int = TRUE)`
 * "difference in location" in its exact branch. The differences are never materialised: they form
 * a matrix sorted along rows and columns, and a randomised selection (Monahan 1984; Johnson &
 * Mizoguchi 1978) narrows each row's candidate range with O(n + m) staircase counts until few
 * candidates remain. Expected O((n + m) log(n·m)) after sorting, O(n + m) memory.
 */
export function hodgesLehmannShift(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: HodgesLehmannShiftOptions = {},
): number {
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0)
    throw new RangeError(`hodgesLehmannShift: both samples must be non-empty (got ${n} and ${m})`);
  const rows =
    options.sorted === true ? assertAscending(x, 'hodgesLehmannShift', 'x') : sortedCopy(x, 'hodgesLehmannShift');
  const ascendingY =
    options.sorted === true ? assertAscending(y, 'hodgesLehmannShift', 'y') : sortedCopy(y, 'hodgesLehmannShift');
  // Columns run over y descending, so entry (i, j) = rows_i − columns_j grows along rows and columns.
  const columns = new Float64Array(m);
  for (let j = 0; j < m; j++) columns[j] = ascendingY[m - 1 - j] as number;

  const matrix = new SortedDifferences(rows, columns);
  const total = n * m;
  const lowerRank = Math.ceil(total / 2);
  const lower = matrix.select(lowerRank);
  if (total % 2 === 1) return lower;
  return (lower + matrix.successor(lower, lowerRank)) / 2;
}

/** Selection in the implicit matrix rows_i − columns_j, both index directions ascending. */
class SortedDifferences {
  private readonly atMost: Int32Array;
  private readonly below: Int32Array;

  constructor(
    private readonly rows: ArrayLike<number>,
    private readonly columns: Float64Array,
  ) {
    this.atMost = new Int32Array(rows.length);
    this.below = new Int32Array(rows.length);
  }

  private at(i: number, j: number): number {
    return (this.rows[i] as number) - (this.columns[j] as number);
  }

  /**
   * Per row, how many entries are ≤ t (strict = false) or < t (strict = true); returns the sum.
   * The hot loop of the selection, written out for each case without a call per entry.
   */
  private count(t: number, strict: boolean, out: Int32Array): number {
    const rows = this.rows;
    const columns = this.columns;
    const n = rows.length;
    let j = columns.length;
    let sum = 0;
    // Row i+1 dominates row i, so its count never exceeds row i's: one pointer walks left only.
    // rows_i − columns_j ≥ t  ⇔  columns_j ≤ rows_i − t, compared as the difference itself so
    // that rounding is that of the entries.
    for (let i = 0; i < n; i++) {
      const row = rows[i] as number;
      if (strict) while (j > 0 && row - (columns[j - 1] as number) >= t) j--;
      else while (j > 0 && row - (columns[j - 1] as number) > t) j--;
      out[i] = j;
      sum += j;
    }
    return sum;
  }

  /** The sum `countBoth` found for entries < t. */
  private lessSum = 0;

  /**
   * Both counts of one pivot in one pass: per row, entries < t into `below` and ≤ t into
   * `atMost`; returns the ≤ sum and leaves the < sum in `lessSum`.
   */
  private countBoth(t: number): number {
    const rows = this.rows;
    const columns = this.columns;
    const below = this.below;
    const atMost = this.atMost;
    const n = rows.length;
    let less = columns.length;
    let most = columns.length;
    let lessSum = 0;
    let mostSum = 0;
    for (let i = 0; i < n; i++) {
      const row = rows[i] as number;
      while (most > 0 && row - (columns[most - 1] as number) > t) most--;
      if (less > most) less = most;
      while (less > 0 && row - (columns[less - 1] as number) >= t) less--;
      below[i] = less;
      atMost[i] = most;
      lessSum += less;
      mostSum += most;
    }
    this.lessSum = lessSum;
    return mostSum;
  }

  /** The k-th smallest entry, 1-based. */
  select(k: number): number {
    const n = this.rows.length;
    const m = this.columns.length;
    const left = new Int32Array(n);
    const right = new Int32Array(n).fill(m);
    const random = createRandom(0x5eed);
    let excludedBelow = 0;
    let candidates = n * m;
    const enough = Math.max(16, (n + m) >> 2);
    while (candidates > enough) {
      const pivot = this.pickCandidate(left, right, random.nextInt(candidates));
      const atMost = this.countBoth(pivot);
      const less = this.lessSum;
      if (less < k && k <= atMost) return pivot;
      const bounds = k <= less ? right : left;
      const source = k <= less ? this.below : this.atMost;
      candidates = 0;
      excludedBelow = 0;
      for (let i = 0; i < n; i++) {
        bounds[i] =
          k <= less
            ? Math.min(bounds[i] as number, source[i] as number)
            : Math.max(bounds[i] as number, source[i] as number);
        candidates += Math.max(0, (right[i] as number) - (left[i] as number));
        excludedBelow += left[i] as number;
      }
    }
    const remaining = new Float64Array(candidates);
    let filled = 0;
    for (let i = 0; i < n; i++) {
      for (let j = left[i] as number; j < (right[i] as number); j++) remaining[filled++] = this.at(i, j);
    }
    remaining.sort();
    return remaining[k - excludedBelow - 1] as number;
  }

  /** The smallest entry of rank > rank given that `value` has rank `rank`. */
  successor(value: number, rank: number): number {
    const atMost = this.count(value, false, this.atMost);
    if (atMost > rank) return value;
    let best = Number.POSITIVE_INFINITY;
    const m = this.columns.length;
    for (let i = 0; i < this.rows.length; i++) {
      const j = this.atMost[i] as number;
      if (j < m) best = Math.min(best, this.at(i, j));
    }
    return best;
  }

  private pickCandidate(left: Int32Array, right: Int32Array, offset: number): number {
    let remaining = offset;
    for (let i = 0; i < left.length; i++) {
      const size = Math.max(0, (right[i] as number) - (left[i] as number));
      if (remaining < size) return this.at(i, (left[i] as number) + remaining);
      remaining -= size;
    }
    throw new RangeError('hodgesLehmannShift: candidate offset out of range');
  }
}
