/**
 * Ascending copy of the data in a new Float64Array (numeric order, input untouched); rejects NaN,
 * which has no place in an order. O(n log n).
 */
export function sortedCopy(xs: ArrayLike<number>, caller: string): Float64Array {
  const count = xs.length;
  if (count === 0) throw new RangeError(`${caller}: no data (empty input)`);
  const copy = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    const value = xs[index] as number;
    if (Number.isNaN(value)) throw new RangeError(`${caller}: NaN at index ${index}`);
    copy[index] = value;
  }
  return copy.sort();
}
