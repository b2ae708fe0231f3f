import type { TimeRing } from './timeRing.js';

/**
 * The values of a TimeRing's tail (the samples with ts > t) in ascending order, kept from call to
 * call: what entered the tail since the last call is sorted and merged in, what left it is merged
 * out, instead of sorting the whole tail again. A tail re-read every k samples costs
 * O(n + k log k) instead of O(n log n) (a 15 min window of 900 samples re-read every 150: about
 * 2,000 steps instead of 9,000); when more than half of it changed, or what left is no longer in
 * the ring, it is sorted afresh. The array returned is owned by the tail (valid until the next call).
 */
export class SortedTail {
  private sorted: Float64Array = new Float64Array(64);
  private length = 0;
  /** Sample numbers [first, end) the sorted values are of; first = NaN before the first call. */
  private first = Number.NaN;
  private end = Number.NaN;

  /** The values of the samples of `ring` with ts > t, ascending. */
  of(ring: TimeRing, t: number): Float64Array {
    const first = ring.numberAfter(t);
    const end = ring.nextNumber;
    const n = end - first;
    const left = first - this.first;
    const entered = end - this.end;
    const incremental =
      !Number.isNaN(this.first) &&
      left >= 0 &&
      entered >= 0 &&
      this.first >= ring.oldestNumber &&
      left + entered <= n / 2;
    if (!incremental) {
      this.sorted = room(this.sorted, n);
      ring.copyNumbered(first, end, this.sorted);
      this.sorted.subarray(0, n).sort();
    } else if (left > 0 || entered > 0) {
      // What left and what entered are copied into scratch arrays every tail shares (merges run one at a time).
      leaving = room(leaving, left);
      ring.copyNumbered(this.first, first, leaving);
      sortPrefix(leaving, left);
      entering = room(entering, entered);
      ring.copyNumbered(this.end, end, entering);
      sortPrefix(entering, entered);
      // Merged into one scratch array every tail shares (merges run one at a time), then copied back.
      merged = room(merged, n);
      mergeOutIn(this.sorted, this.length, leaving, left, entering, entered, merged);
      this.sorted = room(this.sorted, n);
      this.sorted.set(merged.subarray(0, n));
    }
    this.first = first;
    this.end = end;
    this.length = n;
    return this.sorted.subarray(0, n);
  }
}

/**
 * Sorts array[0, k) in place: by insertion for a few values (no view to allocate, no call into
 * the runtime), by the typed-array sort otherwise. O(k²) up to 32 values, O(k log k) beyond.
 */
function sortPrefix(array: Float64Array, k: number): void {
  if (k > 32) {
    array.subarray(0, k).sort();
    return;
  }
  for (let i = 1; i < k; i++) {
    const x = array[i] as number;
    let j = i - 1;
    while (j >= 0 && (array[j] as number) > x) {
      array[j + 1] = array[j] as number;
      j--;
    }
    array[j + 1] = x;
  }
}

let merged: Float64Array = new Float64Array(1024);
let leaving: Float64Array = new Float64Array(256);
let entering: Float64Array = new Float64Array(256);

/** `array` when it holds `size` values, else a larger one (by a quarter at least). */
function room(array: Float64Array, size: number): Float64Array {
  return array.length >= size ? array : new Float64Array(Math.max(size, array.length + (array.length >> 2)));
}

/**
 * out = (sorted[0, n) minus leaving[0, l)) merged with entering[0, e), all ascending; `leaving` is
 * a sub-multiset of `sorted`, matched by value. O(n + e).
 */
function mergeOutIn(
  sorted: Float64Array,
  n: number,
  leaving: Float64Array,
  l: number,
  entering: Float64Array,
  e: number,
  out: Float64Array,
): void {
  let i = 0;
  let j = 0;
  let k = 0;
  let o = 0;
  while (i < n) {
    const x = sorted[i] as number;
    if (j < l && x === leaving[j]) {
      i++;
      j++;
      continue;
    }
    while (k < e && (entering[k] as number) < x) out[o++] = entering[k++] as number;
    out[o++] = x;
    i++;
  }
  while (k < e) out[o++] = entering[k++] as number;
}
